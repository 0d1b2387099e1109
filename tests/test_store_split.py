"""The store split by who calls it, and edits that validate against the row as it is when they commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import FakeClock
from warroom.store.kinds import ActionStatus
from warroom.store.reads import Reads
from warroom.store.store import Store

T1 = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 3, 1, 11, 0, tzinfo=dt.UTC)


def _racing(store: Store, meanwhile: Callable[[], Any]) -> None:
    """Let `meanwhile` (another process's write) commit just before the store's next write transaction begins."""
    real = store.connection.write

    def write(fn: Callable[[], Any]) -> Any:
        store.connection.write = real  # type: ignore[method-assign]
        meanwhile()
        return real(fn)

    store.connection.write = write  # type: ignore[method-assign]


def test_closing_an_action_someone_just_closed_keeps_their_done_time(tmp_path: Path) -> None:
    """Two people mark one action done a moment apart: the first one's time stands, not the later one's."""
    db = tmp_path / "w.db"
    here, there = Store(db, FakeClock(T2)), Store(db, FakeClock(T1))
    try:
        inc = here.create_incident("Checkout down").id
        here.add_action(inc, "Add a canary")
        _racing(here, lambda: there.edit_action(inc, 1, status="done"))
        closed = here.edit_action(inc, 1, status="done")
        assert closed.status is ActionStatus.DONE
        assert closed.done_at == T1
    finally:
        here.close()
        there.close()


def test_editing_an_event_another_process_moved_keeps_its_new_incident_time(tmp_path: Path) -> None:
    """An edit of the text leaves a time changed meanwhile elsewhere as it is, and the edit is kept."""
    db = tmp_path / "w.db"
    here, there = Store(db, FakeClock(T2)), Store(db, FakeClock(T2))
    try:
        inc = here.create_incident("Checkout down", started_at=T1).id
        event = here.log_event(inc, "pager fired", occurred_at=T2)
        assert event.id is not None
        moved = T1 + dt.timedelta(minutes=5)
        _racing(here, lambda: there.edit_event(event.id or 0, occurred_at=moved))
        edited = here.edit_event(event.id, text="pager fired for checkout")
        assert (edited.text, edited.occurred_at) == ("pager fired for checkout", moved)
        assert [r["text"] for r in here.revisions("event", event.id)] == ["pager fired", "pager fired"]
    finally:
        here.close()
        there.close()


WRITES = {
    "write",
    "create_incident",
    "update_incident",
    "log_event",
    "log_events",
    "edit_event",
    "delete_event",
    "restore_event",
    "add_factor",
    "edit_factor",
    "link_factor",
    "add_action",
    "edit_action",
    "save_draft",
    "save_setting",
    "insert_incident",
    "allow_lint_phrase",
    "disallow_lint_phrase",
    "set_postmortem",
    "undo_last_change",
    "restore_revision",
    "tidy",
}


def test_the_read_side_offers_no_write() -> None:
    """What the UI thread holds has reads only, so a write there fails the type check; the full store has both."""
    assert not WRITES & set(dir(Reads))
    assert set(dir(Store)) >= WRITES
    for name in ("incident", "list_incidents", "events_page", "next_marked_event", "search", "data_version"):
        assert hasattr(Reads, name), name
