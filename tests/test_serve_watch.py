"""`warroom serve` watches the file once and tells each tab when it changed; a told tab reads at once."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from textual import events

from tests.tui_helpers import run_async
from warroom.store.store import Store
from warroom.tui import serve_watch, tab_signal
from warroom.tui.app import create_app
from warroom.tui.serve import ResponderService, build_server
from warroom.tui.serve_watch import FileWatch
from warroom.tui.tab_signal import CHANGED, DRIVER, FileChanged
from warroom.widgets.timeline import TimelineView


class FakeTab:
    """A tab that notes each word it gets."""

    def __init__(self, name: str, told: list[str]) -> None:
        self.name = name
        self.told = told

    def file_changed(self) -> None:
        self.told.append(self.name)


def test_tabs_are_told_of_a_commit_once_and_at_most_every_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit: every tab told once; nothing new: nobody told; a flood: one word per GAP, the last commit included."""
    now = [1000.0]
    monkeypatch.setattr(serve_watch.time, "monotonic", lambda: now[0])
    db = tmp_path / "w.db"
    store = Store(db)
    incident_id = store.create_incident("Checkout errors").id
    told: list[str] = []
    tabs = [FakeTab("alice", told), FakeTab("bob", told)]
    watch = FileWatch(db, lambda: tabs)
    watch.last = watch.version()
    assert watch.step() == []
    store.log_event(incident_id, "rolled back")
    watch.step()
    assert sorted(told) == ["alice", "bob"]  # after a quiet spell: everyone at once
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


def test_under_a_flood_the_tabs_take_turns_within_the_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Twenty tabs and a commit before every look: each is told once per GAP, never all twenty in one look."""
    now = [1000.0]
    monkeypatch.setattr(serve_watch.time, "monotonic", lambda: now[0])
    db = tmp_path / "w.db"
    store = Store(db)
    incident_id = store.create_incident("Checkout errors").id
    told: list[str] = []
    tabs = [FakeTab(f"tab {n}", told) for n in range(20)]
    watch = FileWatch(db, lambda: tabs)
    watch.last = watch.version()
    store.log_event(incident_id, "first")
    assert len(watch.step()) == 20  # the first word after a quiet spell goes to everyone
    told.clear()
    per_look: list[int] = []
    looks = round(4 * serve_watch.GAP / serve_watch.CHECK)
    for k in range(looks):
        now[0] += serve_watch.CHECK
        store.log_event(incident_id, f"flood {k}")
        per_look.append(len(watch.step()))
    assert max(per_look) < 20
    counts = {tab.name: told.count(tab.name) for tab in tabs}
    assert set(counts.values()) <= {3, 4}, counts  # every tab, about once per GAP over 4 GAPs
    store.close()
    watch.close()


def test_each_tab_runs_the_driver_that_turns_the_word_into_file_changed(tmp_path: Path) -> None:
    """A tab's process is started with TabDriver; its packet becomes FileChanged, textual-serve's own still work."""
    db = tmp_path / "w.db"
    Store(db).close()
    server = build_server(db, "UTC", host="127.0.0.1", port=0)
    assert server.watch is not None
    service = ResponderService(
        "true", write_bytes=_never, write_str=_never, close=_never, download_manager=None, author="a"
    )  # type: ignore[arg-type]
    assert service._build_environment(80, 24)["TEXTUAL_DRIVER"] == DRIVER
    unwatched = ResponderService(
        "true", write_bytes=_never, write_str=_never, close=_never, download_manager=None, author="a", watched=False
    )  # type: ignore[arg-type]
    assert unwatched._build_environment(80, 24)["TEXTUAL_DRIVER"] != DRIVER  # nobody would tell it: it polls
    module, name = DRIVER.split(":")
    driver_type = getattr(importlib.import_module(module), name)
    sent: list[object] = []
    posted: list[object] = []
    driver = driver_type.__new__(driver_type)  # no app running: only the packet handling is under test
    driver.send_message = sent.append
    driver._app = SimpleNamespace(post_message=posted.append)
    driver.on_meta(CHANGED, {"type": CHANGED})
    driver.on_meta("focus", {"type": "focus"})
    assert [type(m) for m in sent] == [FileChanged]
    assert [type(m) for m in posted] == [events.AppFocus]


async def _never() -> None:
    raise AssertionError("not called")


@run_async
async def test_a_told_tab_shows_another_process_event_without_waiting_for_its_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a served tab the screen's own poll is a slow safety net: the word from the serve process shows the row."""
    monkeypatch.setattr(tab_signal, "_told", True)
    db = tmp_path / "w.db"
    store = Store(db)
    incident_id = store.create_incident("Checkout errors").id
    app = create_app(db, incident_id=incident_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(TimelineView)
        store.log_event(incident_id, "pager fired for checkout")
        await pilot.pause()
        assert timeline.count == 0  # the tab has not looked (its poll is seconds away)
        app.post_message(FileChanged())
        await pilot.pause()
        assert timeline.count == 1
        assert "pager fired for checkout" in (timeline.current.text if timeline.current else "")
    store.close()
