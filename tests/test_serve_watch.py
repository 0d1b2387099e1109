"""`warroom serve` watches the file once and tells each tab when it changed; a told tab reads at once."""

from __future__ import annotations

import importlib
import json
import math
from pathlib import Path
from types import SimpleNamespace

import pytest
from textual import events

from tests.tui_helpers import app_on_new_incident, run_async
from warroom.store.store import Store
from warroom.tui import serve_watch, tab_signal
from warroom.tui.app import WarroomApp
from warroom.tui.serve import READ_PACKET, ResponderService, build_server
from warroom.tui.serve_watch import FileWatch
from warroom.tui.tab_signal import CHANGED, DRIVER, FileChanged
from warroom.widgets.quick_entry import QuickEntry
from warroom.widgets.timeline import TimelineView


class FakeTab:
    """A tab that notes each word it gets; `typed_at` is when it last got a key."""

    def __init__(self, name: str, told: list[str]) -> None:
        self.name = name
        self.told = told
        self.typed_at = -math.inf

    def file_changed(self) -> None:
        self.told.append(self.name)


def flood_watch(tmp_path: Path, tabs: list[FakeTab], lanes: int) -> tuple[FileWatch, Store, str]:
    """A watch over a fresh file and its tabs, with one commit it has not seen yet."""
    db = tmp_path / "w.db"
    store = Store(db)
    incident_id = store.create_incident("Checkout errors").id
    watch = FileWatch(db, lambda: tabs, lanes=lanes)
    watch.last = watch.version()
    store.log_event(incident_id, "first")
    return watch, store, incident_id


def test_tabs_are_told_of_a_commit_once_and_at_most_every_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit: every tab told once; nothing new: nobody told; a flood: one word per GAP, the last commit included."""
    now = [1000.0]
    monkeypatch.setattr(serve_watch.time, "monotonic", lambda: now[0])
    told: list[str] = []
    tabs = [FakeTab("alice", told), FakeTab("bob", told)]
    watch, store, incident_id = flood_watch(tmp_path, tabs, lanes=2)
    watch.step()
    assert sorted(told) == ["alice", "bob"]  # two lanes: both at once
    for tab in tabs:
        watch.read(tab)
    now[0] += serve_watch.CHECK
    assert watch.step() == []  # nothing new
    store.log_event(incident_id, "error rate falling")
    assert watch.step() == []  # within GAP of the last word: held
    now[0] += serve_watch.GAP
    while watch.step():  # ... and given once GAP has passed, with no further commit needed
        pass
    assert sorted(told) == ["alice", "alice", "bob", "bob"]
    store.close()
    watch.close()


def test_tabs_redraw_one_lane_at_a_time_each_told_when_the_one_before_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One lane: a commit tells one tab; the next is told as soon as that one says it has read and drawn the
    change (not at the next look, not on any frame), or once it has held the lane for TURN without a word;
    every tab hears of the commit."""
    now = [1000.0]
    monkeypatch.setattr(serve_watch.time, "monotonic", lambda: now[0])
    told: list[str] = []
    tabs = [FakeTab(f"tab {n}", told) for n in range(5)]
    watch, store, _ = flood_watch(tmp_path, tabs, lanes=1)
    assert len(watch.step()) == 1
    now[0] += serve_watch.CHECK
    assert watch.step() == []  # the lane is held: nobody else redraws meanwhile
    first = next(tab for tab in tabs if tab.name == told[0])
    now[0] += 0.02
    assert first in watch.holding
    assert len(watch.read(first)) == 1  # its word: the next tab at once
    second = next(tab for tab in tabs if tab.name == told[1])
    assert watch.read(first) == []  # a word from a tab not holding a lane frees nothing
    now[0] += serve_watch.TURN
    assert len(watch.step()) == 1  # the second never answered: its lane is freed after TURN
    assert second not in watch.holding
    for _ in range(2):
        watch.read(next(tab for tab in tabs if tab.name == told[-1]))
    assert sorted(told) == sorted(tab.name for tab in tabs)  # each told once
    store.close()
    watch.close()


def test_under_a_flood_each_tab_is_told_about_twice_a_second_when_redraws_are_cheap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twenty tabs, a commit before every look, each redraw 10 ms: each tab is told once per GAP, one at a time;
    at 50 ms a redraw the turns take longer than GAP and each tab is told less often, but all in turn."""
    now = [1000.0]
    monkeypatch.setattr(serve_watch.time, "monotonic", lambda: now[0])
    for cost, expected in ((0.01, {3, 4}), (0.05, {1, 2})):
        told: list[str] = []
        tabs = [FakeTab(f"tab {n}", told) for n in range(20)]
        folder = tmp_path / f"redraw {cost}"
        folder.mkdir()
        watch, store, incident_id = flood_watch(folder, tabs, lanes=1)
        end = now[0] + 4 * serve_watch.GAP
        k = 0
        while now[0] < end:
            store.log_event(incident_id, f"flood {k}")
            k += 1
            holder = watch.step()
            while holder and now[0] < end:
                assert len(watch.holding) == 1
                now[0] += cost
                holder = watch.read(holder[0])
            now[0] += serve_watch.CHECK
        counts = {tab.name: told.count(tab.name) for tab in tabs}
        assert set(counts.values()) <= expected, (cost, counts)
        store.close()
        watch.close()


def test_tabs_that_never_answer_do_not_keep_the_lane_from_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight tabs whose process is gone or stuck (killed, stopped, its browser no longer reading) never say they have
    drawn: once MISSES turns of theirs in a row have run out, they are still told but hold no lane until they answer
    again, and the one live tab is told about twice a second under a flood, not once per eight TURNs."""
    now = [1000.0]
    monkeypatch.setattr(serve_watch.time, "monotonic", lambda: now[0])
    told: list[str] = []
    silent = [FakeTab(f"silent {n}", told) for n in range(8)]
    live = FakeTab("live", told)
    watch, store, incident_id = flood_watch(tmp_path, [*silent, live], lanes=1)
    end = now[0] + 10.0
    k = 0
    while now[0] < end:
        store.log_event(incident_id, f"flood {k}")
        k += 1
        if live in watch.step():
            now[0] += 0.01
            watch.read(live)
        now[0] += serve_watch.CHECK
    assert told.count("live") >= 10, told.count("live")  # with the dead tabs keeping the lane: 5
    assert min(told.count(tab.name) for tab in silent) >= 8  # still told: a stuck tab that comes back catches up
    watch.read(silent[0])  # it answers again: it takes turns with a lane like the rest
    store.log_event(incident_id, "after")
    now[0] += serve_watch.GAP
    watch.step()
    assert silent[0] in watch.holding or silent[0] in watch.pending  # told with a lane, or waiting for one
    store.close()
    watch.close()


def test_a_live_tab_that_answers_late_once_keeps_its_turns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A turn that runs out once (a slow redraw on a busy machine) costs the tab nothing: until its late word comes
    it is told in turn with a lane as before, so the tabs never end up redrawing all at once."""
    now = [1000.0]
    monkeypatch.setattr(serve_watch.time, "monotonic", lambda: now[0])
    told: list[str] = []
    slow, other = FakeTab("slow", told), FakeTab("other", told)
    watch, store, incident_id = flood_watch(tmp_path, [slow, other], lanes=1)
    laneless: list[str] = []
    while told.count("slow") < 2:  # slow does not answer in this while
        store.log_event(incident_id, "more")
        for tab in watch.step():
            if tab not in watch.holding:
                laneless.append(tab.name)
            if tab is other:
                other_turn = watch.read(other)
                laneless += [t.name for t in other_turn if t not in watch.holding]
        now[0] += serve_watch.CHECK
    assert laneless == []  # its turn ran out, and it was told again with a lane (two in a row make it laneless)
    assert watch.missed[slow] == 1
    watch.read(slow)  # its word comes at last
    assert slow not in watch.missed


def test_a_tab_being_typed_into_is_told_without_waiting_for_a_lane(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever types comes first: a tab that got a key is told as soon as it is due, with the one lane taken, and
    takes no lane itself (it reads the change just after its next key's frame, in its own time); the others are
    told in turn as usual."""
    now = [1000.0]
    monkeypatch.setattr(serve_watch.time, "monotonic", lambda: now[0])
    told: list[str] = []
    typing, watching, other = FakeTab("typing", told), FakeTab("watching", told), FakeTab("other", told)
    tabs = [typing, watching, other]
    watch, store, incident_id = flood_watch(tmp_path, tabs, lanes=1)
    typing.typed_at = now[0]
    watch.step()
    assert "typing" in told and len(told) == 2  # it and one other, in the one lane
    assert typing not in watch.holding and len(watch.holding) == 1
    now[0] += serve_watch.CHECK
    store.log_event(incident_id, "second")
    typing.typed_at = now[0]
    watch.step()
    assert len(told) == 2  # the typing tab was told less than GAP ago; the lane is still taken
    now[0] += serve_watch.GAP
    typing.typed_at = now[0]
    watch.step()
    assert told.count("typing") == 2  # due again: told, the lane still taken by another
    typing.typed_at = now[0] - serve_watch.TYPING
    store.log_event(incident_id, "third")
    for tab in tabs:
        watch.read(tab)  # every tab has answered (none left without a lane for turns run out unanswered)
    now[0] += serve_watch.GAP
    turns = watch.step()
    while turns:  # no key for TYPING: every tab in turn, each with the lane, the next told as one answers
        tab = turns.pop()
        assert tab in watch.holding and len(watch.holding) == 1
        turns += watch.read(tab)
    assert told.count("typing") == 3
    store.close()
    watch.close()


def test_each_tab_runs_the_driver_that_turns_the_word_into_file_changed(tmp_path: Path) -> None:
    """A tab's process is started with TabDriver; its packet becomes FileChanged, textual-serve's own still work."""
    db = tmp_path / "w.db"
    Store(db).close()
    server = build_server(db, "UTC", host="127.0.0.1", port=0)
    assert server.watch is not None
    service = ResponderService(
        "true",
        write_bytes=_never,
        write_str=_never,
        close=_never,
        download_manager=None,
        author="a",
        watch=server.watch,
    )  # type: ignore[arg-type]
    assert service._build_environment(80, 24)["TEXTUAL_DRIVER"] == DRIVER
    unwatched = ResponderService(
        "true", write_bytes=_never, write_str=_never, close=_never, download_manager=None, author="a"
    )  # type: ignore[arg-type]
    assert unwatched._build_environment(80, 24)["TEXTUAL_DRIVER"] != DRIVER  # nobody would tell it: it polls
    module, name = DRIVER.split(":")
    driver_type = getattr(importlib.import_module(module), name)
    sent: list[object] = []
    posted: list[object] = []
    driver = driver_type.__new__(driver_type)  # no app running: only the packet handling is under test
    driver.send_message = sent.append
    driver._app = SimpleNamespace(post_message=posted.append)
    metas: list[dict[str, object]] = []
    driver.write_meta = metas.append
    driver.on_meta(CHANGED, {"type": CHANGED})
    driver.on_meta("focus", {"type": "focus"})
    assert [type(m) for m in sent] == [FileChanged]
    assert [type(m) for m in posted] == [events.AppFocus]
    done = sent[0].done  # type: ignore[attr-defined]
    assert callable(done) and metas == []
    done()  # the app has read and drawn the change: the serve process hears it in the packet it looks for
    assert [json.dumps(m).encode() for m in metas] == [READ_PACKET]
    server.watch.close()


async def _never() -> None:
    raise AssertionError("not called")


def served_tab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[WarroomApp, Store, str]:
    """A tab's app as `warroom serve` runs it (told of changes), on an incident, and a store to write as others do."""
    monkeypatch.setattr(tab_signal, "_told", True)
    return app_on_new_incident(tmp_path)


@run_async
async def test_a_told_tab_shows_another_process_event_without_waiting_for_its_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a served tab the screen's own poll is a slow safety net: the word from the serve process shows the row."""
    app, store, incident_id = served_tab(tmp_path, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(TimelineView)
        store.log_event(incident_id, "pager fired for checkout")
        await pilot.pause()
        assert timeline.count == 0  # the tab has not looked (its poll is seconds away)
        done: list[int] = []
        app.post_message(FileChanged(done=lambda: done.append(timeline.count)))
        await pilot.pause()
        assert timeline.count == 1
        assert "pager fired for checkout" in (timeline.current.text if timeline.current else "")
        assert done == [1]  # the word that it is done comes once the change is read and drawn
    store.close()


@run_async
async def test_a_tab_service_reports_its_frames_and_keys_to_the_watch() -> None:
    """A key from the browser is passed on and its time noted (a tab being typed into is told without a turn); the
    tab's word that it has read a change goes to the watch and no further; its frames go to the browser."""
    frames: list[bytes] = []
    drawn: list[object] = []

    class Watch:
        def read(self, tab: object) -> None:
            drawn.append((tab, "read"))

    async def to_browser(data: bytes) -> None:
        frames.append(data)

    service = ResponderService(
        "true",
        write_bytes=to_browser,
        write_str=_never,
        close=_never,
        download_manager=None,
        author="a",
        watch=Watch(),
    )  # type: ignore[arg-type]
    assert service.typed_at == -math.inf
    await service.on_data(b"\x1b[1;1Hframe")
    assert frames == [b"\x1b[1;1Hframe"] and drawn == []
    written: list[bytes] = []

    async def drained() -> None:
        pass

    service._stdin = SimpleNamespace(write=written.append, drain=drained)  # type: ignore[assignment]
    assert await service.send_bytes(b"x")
    assert written == [service.encode_packet(b"D", b"x")] and service.typed_at > 0
    await service.on_meta(json.dumps({"type": tab_signal.READ}).encode())
    assert drawn == [(service, "read")] and frames == [b"\x1b[1;1Hframe"]  # the word goes no further


@run_async
async def test_a_served_tab_skips_its_own_poll_while_the_words_keep_coming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The safety poll reads nothing while `warroom serve` has spoken within SAFETY_POLL seconds (the tab redraws
    in its turn, not at a moment of its own that a key could hit); after a silence that long it reads as before.
    In a terminal it always reads."""
    app, store, incident_id = served_tab(tmp_path, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(TimelineView)
        reader = app.screen.reader  # type: ignore[attr-defined]
        app.post_message(FileChanged())  # a word: the server is there
        await pilot.pause()
        store.log_event(incident_id, "pager fired for checkout")
        reader.look_now_and_then()
        await pilot.pause()
        assert timeline.count == 0  # its word for this commit is on the way: no look of its own
        monkeypatch.setattr(tab_signal, "_heard_at", tab_signal._heard_at - tab_signal.SAFETY_POLL)
        reader.look_now_and_then()
        await pilot.pause()
        assert timeline.count == 1  # no word for SAFETY_POLL seconds: it looks itself
        monkeypatch.setattr(tab_signal, "_told", False)
        tab_signal.heard()
        store.log_event(incident_id, "rolled back")
        reader.look_now_and_then()
        await pilot.pause()
        assert timeline.count == 2  # a terminal polls whatever it heard
    store.close()


@run_async
async def test_a_tab_being_typed_into_reads_the_word_just_after_the_next_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While keys come, a word waits for the next key's frame (a redraw then holds no key up), or HOLD seconds;
    the keys are all typed, the row shows, and the serve process hears the tab is done only once it is read."""
    app, store, incident_id = served_tab(tmp_path, monkeypatch)
    frames: list[tuple[str, int]] = []  # what each frame showed: the entry line, the timeline's rows
    app.frame_watchers.append(
        lambda screen: frames.append((screen.query_one(QuickEntry).value, screen.query_one(TimelineView).count))
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(TimelineView)
        entry = app.screen.query_one(QuickEntry)
        await pilot.press("d")
        store.log_event(incident_id, "pager fired for checkout")
        done: list[int] = []
        app.post_message(FileChanged(done=lambda: done.append(timeline.count)))
        await pilot.pause()
        assert timeline.count == 0 and done == []  # held: a key came a moment ago
        await pilot.press("b")
        await pilot.pause()
        await pilot.pause()
        assert timeline.count == 1 and done == [1]  # read just after that key's frame...
        assert entry.value == "db"
        assert ("db", 0) in frames and frames.index(("db", 0)) < frames.index(("db", 1))  # ...drawn before it
        store.log_event(incident_id, "rolled back")
        app.post_message(FileChanged())
        await pilot.pause()
        assert timeline.count == 1  # held...
        await pilot.pause(tab_signal.HOLD + 0.2)
        assert timeline.count == 2  # ...until HOLD, with no further key
    store.close()


@run_async
async def test_a_tab_whose_process_ends_is_closed_not_left_frozen() -> None:
    """A tab's process that ends by itself (killed, crashed) closes its browser tab's connection: the page says the
    session ended instead of showing its last frame as if live, and the server forgets the tab."""
    closed: list[bool] = []

    async def close() -> None:
        closed.append(True)

    service = ResponderService(
        "echo __GANGLION__; sleep 0.1",  # the prelude of a Textual app's process, then its end
        write_bytes=_never,
        write_str=_never,
        close=close,
        download_manager=None,
        author="a",
    )  # type: ignore[arg-type]
    await service.start(80, 24)
    assert service._task is not None
    await service._task
    assert closed == [True]
