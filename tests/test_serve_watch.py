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


def test_tabs_are_told_of_a_commit_once_and_at_most_every_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit: every tab told once; nothing new: nobody told; a flood: one word per GAP, the last commit included."""
    now = [1000.0]
    monkeypatch.setattr(serve_watch.time, "monotonic", lambda: now[0])
    db = tmp_path / "w.db"
    store = Store(db)
    incident_id = store.create_incident("Checkout errors").id
    told: list[str] = []
    watch = FileWatch(db, lambda: [lambda: told.append("alice"), lambda: told.append("bob")])
    watch.last = watch.version()
    assert not watch.step()
    store.log_event(incident_id, "rolled back")
    assert watch.step()
    assert told == ["alice", "bob"]
    now[0] += serve_watch.CHECK
    assert not watch.step()  # nothing new
    store.log_event(incident_id, "error rate falling")
    assert not watch.step()  # within GAP of the last word: held
    now[0] += serve_watch.GAP
    assert watch.step()  # ... and given once GAP has passed, with no further commit needed
    assert told == ["alice", "bob"] * 2
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
