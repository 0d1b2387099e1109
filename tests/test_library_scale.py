"""A large library stays cheap to list: one query for every incident, and no rereading while nothing changed.

The speed at 10,000 incidents is measured by benchmarks/large.py; these check the results and the rule.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from tests.library_support import NOW, fixed_clock, library_app, library_db
from tests.tui_helpers import run_async, wait_until
from warroom.store.errors import WarroomError
from warroom.store.kinds import CLOSED_ACTION_STATUSES, OPEN_STATUSES
from warroom.store.migrations import SCHEMA_VERSION
from warroom.store.store import IncidentListing, Store
from warroom.tui.screens.incident_list import IncidentListScreen
from warroom.widgets.row_table import RowTable

SIZE = (100, 30)


def one_by_one(store: Store, *, today: dt.date) -> list[IncidentListing]:
    """The listing as it used to be read: each incident, then its counts, one query at a time."""
    closed = [s.value for s in CLOSED_ACTION_STATUSES]
    marks = ",".join("?" * len(closed))
    out = []
    for incident in [store.incident(r["id"]) for r in store.conn.execute("SELECT id FROM incidents")]:
        events = store.count_events(incident.id)
        live = f"incident_id=? AND deleted_at IS NULL AND status NOT IN ({marks})"
        n_open = store.conn.execute(f"SELECT COUNT(*) FROM action_items WHERE {live}", (incident.id, *closed))
        n_late = store.conn.execute(
            f"SELECT COUNT(*) FROM action_items WHERE {live} AND deadline < ?",
            (incident.id, *closed, today.isoformat()),
        )
        out.append(IncidentListing(incident, events, n_open.fetchone()[0], n_late.fetchone()[0]))
    return sorted(out, key=lambda x: (x.incident.started_at, x.incident.id), reverse=True)


def test_one_query_lists_what_reading_each_incident_gives(tmp_path: Path) -> None:
    """Same incidents, milestone times (a deleted milestone ignored), counts and order; one statement run."""
    db = library_db(tmp_path)
    store = Store(db, clock=fixed_clock)
    first = store.list_incidents()[0].incident.id
    early = store.log_event(first, "resolved early", milestone="resolved", occurred_at=NOW - dt.timedelta(minutes=30))
    store.log_event(first, "mitigated", milestone="mitigated", occurred_at=NOW - dt.timedelta(minutes=20))
    store.delete_event(early.id or 0)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    listed = store.list_incidents(today=NOW.date())
    store.conn.set_trace_callback(None)
    assert len(statements) == 1
    assert len(listed) >= 10
    assert listed == one_by_one(store, today=NOW.date())
    assert listed[0].incident.mitigated_at == NOW - dt.timedelta(minutes=20)
    assert listed[0].incident.resolved_at != NOW - dt.timedelta(minutes=30)
    assert sum(x.overdue_actions for x in listed) > 0 and sum(x.events for x in listed) > 0
    opened = store.list_incidents(open_only=True, today=NOW.date())
    assert [x.incident.id for x in opened] == [x.incident.id for x in listed if x.incident.status in OPEN_STATUSES]
    store.close()


@run_async
async def test_list_rereads_only_when_the_file_changed(tmp_path: Path) -> None:
    """With nothing written the list is not read again; an incident started by another process appears."""
    app = library_app(tmp_path, incident_id=None)
    reads: list[Any] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        real = app.store.list_incidents

        def counted(**kw: Any) -> list[IncidentListing]:
            reads.append(kw)
            return real(**kw)

        app.store.list_incidents = counted  # type: ignore[method-assign]
        await pilot.pause(2.0)  # the app's own upkeep after start (merging the search index) is a write too
        reads.clear()
        await pilot.pause(2.5)
        assert reads == []
        other = Store(app.store.connection.path or "", clock=fixed_clock)
        other.create_incident("Started elsewhere", id="INC-ELSEWHERE")
        other.close()
        table = app.screen.query_one(RowTable)
        await wait_until(pilot, lambda: "INC-ELSEWHERE" in [str(k) for k in table.row_keys], "the new incident")
        assert len(reads) == 1


def live_count(store: Store, incident_id: str) -> int:
    """The live events counted the slow way, as a reader of the file would."""
    row = store.conn.execute(
        "SELECT COUNT(*) FROM events WHERE incident_id=? AND deleted_at IS NULL", (incident_id,)
    ).fetchone()
    return int(row[0])


def test_kept_count_follows_every_change_to_the_timeline(tmp_path: Path) -> None:
    """Logging (one and many), deleting, restoring, moving and removing events keep the count exact."""
    store = Store(tmp_path / "w.db", clock=fixed_clock)
    for incident_id in ("INC-A", "INC-B"):
        store.create_incident(incident_id, id=incident_id)
    first = store.log_event("INC-A", "one")
    store.log_events("INC-A", ["two", "three", "four"], source="pipe")
    store.log_event("INC-B", "elsewhere")
    checks = [
        lambda: store.delete_event(first.id or 0),
        lambda: store.delete_event(first.id or 0),  # deleting a deleted event changes nothing
        lambda: store.restore_event(first.id or 0),
        lambda: store.write(lambda: store.conn.execute("UPDATE events SET incident_id='INC-B' WHERE text='two'")),
        lambda: store.write(lambda: store.conn.execute("DELETE FROM events WHERE text='three'")),
        lambda: store.delete_event(first.id or 0),
        lambda: store.write(lambda: store.conn.execute("DELETE FROM events WHERE id=?", (first.id,))),
    ]
    for change in [lambda: None, *checks]:
        with contextlib.suppress(WarroomError):  # a refused change is fine: the count must still match
            change()
        for incident_id in ("INC-A", "INC-B"):
            assert store.count_events(incident_id) == live_count(store, incident_id)
    assert [x.events for x in store.list_incidents()] == [
        live_count(store, x.incident.id) for x in store.list_incidents()
    ]
    assert store.count_events("INC-NONE") == 0
    store.close()


def test_a_file_from_before_the_count_gets_it_counted(tmp_path: Path) -> None:
    """A file from before the count (schema 8) opened now has every incident's live events counted once."""
    db = tmp_path / "old.db"
    store = Store(db, clock=fixed_clock)
    store.create_incident("Old", id="INC-OLD")
    store.log_events("INC-OLD", ["a", "b", "c"])
    store.delete_event(store.events("INC-OLD")[0].id or 0)
    store.write(lambda: store.conn.execute("DROP TABLE live_event_counts"))
    for trigger in ("live_count_insert", "live_count_delete", "live_count_update"):
        store.write(lambda trigger=trigger: store.conn.execute(f"DROP TRIGGER {trigger}"))
    store.conn.execute("PRAGMA user_version=8")
    store.close()
    reopened = Store(db, clock=fixed_clock)
    assert reopened.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert reopened.count_events("INC-OLD") == 2
    reopened.log_event("INC-OLD", "d")
    assert reopened.count_events("INC-OLD") == 3 == live_count(reopened, "INC-OLD")
    reopened.close()
