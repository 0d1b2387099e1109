"""The store split by who calls it, and edits that validate against the row as it is when they commit."""

from __future__ import annotations

import ast
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
    "present",
    "stop_presenting",
    "save_sections",
    "record_settlement",
    "forget_settlement",
    "postmortem_snapshot",
    "put_back_postmortem",
}


def test_the_read_side_offers_no_write() -> None:
    """What the UI thread holds has reads only, so a write there fails the type check; the full store has both."""
    assert not WRITES & set(dir(Reads))
    assert set(dir(Store)) >= WRITES
    for name in ("incident", "list_incidents", "events_page", "next_marked_event", "search", "data_version"):
        assert hasattr(Reads, name), name


ROOT = Path(__file__).resolve().parent.parent

#: The connection itself, and the store classes that own one: only these talk SQL.
CONNECTION_OWNERS = {
    "store/db.py",
    "store/db_probe.py",
    "store/reads_records.py",
    "store/reads.py",
    "store/writes.py",
    "store/store.py",
}
#: Query modules that Reads / Writes hand their connection to (one query family each).
QUERY_MODULES = {
    "store/action_lists.py",
    "store/export_rows.py",  # the exports' and the lint's streamed timeline, hypotheses and aggregates
    "store/hypothesis_counts.py",
    "store/listing.py",
    "store/milestones.py",
    "store/postmortem_flow.py",
    "store/postmortem_undo.py",
    "store/recent.py",
    "store/related.py",
    "store/search.py",
    "store/search_results.py",
    "store/settlements.py",
    "store/timeline.py",
}
#: Modules that still run SQL on a store or connection they are handed; each should move into Reads / Writes.
KNOWN_EXCEPTIONS: set[str] = set()


SQL_CALLS = {"execute", "executemany", "executescript", "cursor"}


def _touches_a_connection(source: str) -> bool:
    """Whether code reaches a SQLite connection: `.conn`, `.connection`, `sqlite3.Connection` or `.execute(...)`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in {"conn", "connection", "Connection"}:
            return True
        if isinstance(node, ast.Attribute) and node.attr in SQL_CALLS and "conn" in ast.unparse(node.value):
            return True
    return False


def _modules_touching_a_connection() -> set[str]:
    return {
        path.relative_to(ROOT).as_posix()
        for layer in ("store", "tui", "widgets")
        for path in sorted((ROOT / layer).rglob("*.py"))
        if _touches_a_connection(path.read_text(encoding="utf-8"))
    }


def test_only_reads_and_writes_talk_sql() -> None:
    """A new module running SQL on a connection it is handed fails here: give the query to Reads or Writes."""
    allowed = CONNECTION_OWNERS | QUERY_MODULES | KNOWN_EXCEPTIONS
    assert _modules_touching_a_connection() - allowed == set()


def test_the_exceptions_are_still_exceptions() -> None:
    """Every listed module still touches a connection: one moved onto Reads / Writes leaves its list (none is left
    among the exceptions, and the list only shrinks)."""
    assert (KNOWN_EXCEPTIONS | CONNECTION_OWNERS | QUERY_MODULES) - _modules_touching_a_connection() == set()


def test_the_sql_check_can_fail() -> None:
    """The check sees SQL run on a store's connection, and leaves a widget's own `cursor` alone."""
    assert _touches_a_connection('store.conn.execute("DELETE FROM presenting")')
    assert _touches_a_connection("def f(c: sqlite3.Connection) -> None: ...")
    assert _touches_a_connection('conn.execute("SELECT 1")')
    assert not _touches_a_connection("self.cursor = 3\nstore.presented(incident_id)")
