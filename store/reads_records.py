"""The records an incident is made of, as the UI thread reads them: incidents, events, factors, action items.

`RecordReads` owns the connection and reads single records and their lists; `Reads` (store/reads.py)
adds the review, search, post-mortem and catch-up reads on top. Both only read.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warroom.store import milestones, timeline
from warroom.store.action_lists import action_rows, deadlines, followup_head
from warroom.store.db import Connection
from warroom.store.errors import NotFoundError
from warroom.store.kinds import CLOSED_ACTION_STATUSES, OPEN_STATUSES, FactorKind, Milestone, Status
from warroom.store.listing import (
    IncidentListing,
    followthrough_rows,
    followup_rows,
    incident_count,
    incident_listings,
    incident_listings_json,
    incident_time_rows,
    incident_titles,
)
from warroom.store.records import ActionItem, Event, Factor, Incident
from warroom.store.rows import (
    action_from_row,
    event_from_row,
    events_from_rows,
    factor_from_row,
    incident_from_row,
    paused_gc,
)
from warroom.store.timeparse import UTC, from_db

if TYPE_CHECKING:
    from warroom.store.config import Config

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """Now, in UTC."""
    return dt.datetime.now(UTC)


class RecordReads:
    """Incidents, events, factors, action items, drafts and settings, read; one per thread, owning its connection."""

    def __init__(self, path: Path | str, clock: Clock = system_clock, *, create: bool = True) -> None:
        self.connection = Connection(path, create=create)
        self.clock = clock
        #: Who logs through this store when a write names no author (a served browser tab's responder).
        self.author = ""

    @property
    def conn(self) -> sqlite3.Connection:
        """The open SQLite connection (a new one after the file was replaced and reopened)."""
        return self.connection.conn

    def close(self) -> None:
        """Close the database."""
        self.connection.close()

    def now(self) -> dt.datetime:
        """The injected clock's time, aware UTC."""
        return self.clock().astimezone(UTC)

    @property
    def path(self) -> Path | None:
        """The database file (None for an in-memory one)."""
        return self.connection.path

    @property
    def data_version(self) -> int:
        """Changes whenever anything (another process, the writer thread) committed: cheap enough to poll."""
        return self.connection.data_version

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that see one state of the file, whatever commits meanwhile."""
        with self.connection.reading():
            yield

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self.conn.execute(sql, tuple(params)).fetchone()

    def _all(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    # -- revisions and trash -----------------------------------------------------------------

    def revisions(self, record_type: str, record_id: str | int) -> list[dict[str, Any]]:
        """Earlier states of one record, oldest first."""
        rows = self._all(
            "SELECT data, replaced_at FROM revisions WHERE record_type=? AND record_id=? ORDER BY id",
            (record_type, str(record_id)),
        )
        return [dict(json.loads(r["data"]), replaced_at=r["replaced_at"]) for r in rows]

    def latest_revision_id(self, record_type: str, record_id: int | str) -> int | None:
        """The id of a record's newest revision (its state before the latest change), if it has one."""
        row = self._one(
            "SELECT id FROM revisions WHERE record_type=? AND record_id=? ORDER BY id DESC LIMIT 1",
            (record_type, str(record_id)),
        )
        return int(row["id"]) if row else None

    def trash(self, incident_id: str) -> list[tuple[str, Any]]:
        """Deleted events, factors and action items of an incident, most recently deleted first."""
        found: list[tuple[str, str, Any]] = []
        for row in self._all("SELECT * FROM events WHERE incident_id=? AND deleted_at IS NOT NULL", (incident_id,)):
            found.append((row["deleted_at"], "event", event_from_row(row)))
        for row in self._all("SELECT * FROM factors WHERE incident_id=? AND deleted_at IS NOT NULL", (incident_id,)):
            found.append((row["deleted_at"], "factor", self._factor(row)))
        sql = "SELECT * FROM action_items WHERE incident_id=? AND deleted_at IS NOT NULL"
        for row in self._all(sql, (incident_id,)):
            found.append((row["deleted_at"], "action", action_from_row(row)))
        found.sort(key=lambda f: (f[0], f[1]), reverse=True)
        return [(kind, record) for _, kind, record in found]

    # -- incidents ---------------------------------------------------------------------------

    def incident(self, incident_id: str) -> Incident:
        """One incident, its key times taken from milestone events where there are any."""
        row = self._one("SELECT * FROM incidents WHERE id=?", (incident_id,))
        if row is None:
            raise NotFoundError(f"no incident {incident_id!r} (see `warroom list`)")
        # The milestone events' times replace the stored ones in the row the record is made from.
        times = {f"{name}_at": at for name, at in milestones.earliest(self.conn, incident_id).items()}
        return incident_from_row(dict(row, **times))

    def milestone_times(self, incident_id: str) -> dict[Milestone, dt.datetime]:
        """The earliest live event of each milestone."""
        found = {Milestone(name): from_db(at) for name, at in milestones.earliest(self.conn, incident_id).items()}
        return {milestone: at for milestone, at in found.items() if at is not None}

    def default_incident_id(self) -> str:
        """The most recently active open incident, else the most recent not yet closed."""
        for statuses in (OPEN_STATUSES, (Status.RESOLVED,)):
            marks = ",".join("?" * len(statuses))
            row = self._one(
                f"SELECT id FROM incidents WHERE status IN ({marks}) ORDER BY updated_at DESC, id DESC LIMIT 1",
                [s.value for s in statuses],
            )
            if row:
                return str(row["id"])
        raise NotFoundError("no open incident: start one with `warroom new TITLE` or pass -i ID")

    def resolve_incident_id(self, incident_id: str | None) -> str:
        """The given id if it exists, else the default incident."""
        if incident_id is None:
            return self.default_incident_id()
        if self._one("SELECT 1 FROM incidents WHERE id=?", (incident_id,)) is None:
            raise NotFoundError(f"no incident {incident_id!r} (see `warroom list`)")
        return incident_id

    def list_incidents(
        self, *, open_only: bool = False, today: dt.date | None = None, limit: int | None = None
    ) -> list[IncidentListing]:
        """Every incident (only the first `limit`), most recently started first, with event and action counts,
        in one query."""
        return incident_listings(self.conn, today or self.now().date(), open_only=open_only, limit=limit)

    def incident_count(self) -> int:
        """How many incidents there are."""
        return incident_count(self.conn)

    def list_incidents_json(
        self,
        config: Config,
        tz: dt.tzinfo,
        *,
        today: dt.date,
        open_only: bool = False,
        keep: Callable[[Incident], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """`list_incidents` as `warroom list --json` writes it (each with its post-mortem), keys in sorted order;
        only the incidents `keep` accepts when given."""
        return incident_listings_json(self.conn, today, config, tz, open_only=open_only, keep=keep)

    def followup_rows(self, today: dt.date, *, owner: str | None = None, overdue: bool = False) -> list[Any]:
        """Every incident's live action items as the follow-through listing's JSON reads them (listing.py)."""
        return followup_rows(self.conn, today, owner=owner, overdue=overdue)

    def incident_titles(self, incident_ids: Iterable[str]) -> dict[str, str]:
        """The titles of these incidents, by id (an unknown id is left out)."""
        return incident_titles(self.conn, incident_ids)

    def open_actions(self) -> list[ActionItem]:
        """Every incident's live action items still open (not done, not won't do), by incident then number:
        the follow-through screen's, while it hides the closed ones."""
        closed = [s.value for s in CLOSED_ACTION_STATUSES]
        rows = self._all(
            f"SELECT * FROM action_items NOT INDEXED WHERE deleted_at IS NULL AND status NOT IN "
            f"({', '.join('?' * len(closed))}) ORDER BY incident_id, number",
            closed,
        )
        with paused_gc():
            return [action_from_row(r) for r in rows]

    def followup_head(self, today: dt.date, limit: int) -> tuple[list[int], list[ActionItem]]:
        """How many open action items each open follow-through group holds (overdue, due this week, later, no
        deadline), and the first `limit` of them: what the follow-through screen paints first (action_lists.py)."""
        found, rows = followup_head(self.conn, today, limit)
        return found, [action_from_row(r) for r in rows]

    def incident_time_rows(self) -> list[Any]:
        """Every incident's id, title, severity, status and key times as stored (listing.py), for metrics."""
        return incident_time_rows(self.conn)

    def followthrough_rows(self, today: dt.date) -> tuple[list[Any], list[Any]]:
        """The closed action items' deadlines and closing times, and the open overdue ones counted (listing.py)."""
        return followthrough_rows(self.conn, today)

    # -- events ------------------------------------------------------------------------------

    def event(self, event_id: int) -> Event:
        """One event, deleted or not."""
        row = self._one("SELECT * FROM events WHERE id=?", (event_id,))
        if row is None:
            raise NotFoundError(f"no event {event_id}")
        return event_from_row(row)

    def events(self, incident_id: str, *, include_deleted: bool = False) -> list[Event]:
        """The timeline in occurred-at order; ties in logged order (ids are given in logged order)."""
        live = "" if include_deleted else "AND deleted_at IS NULL"
        rows = self._all(f"SELECT * FROM events WHERE incident_id=? {live} ORDER BY occurred_at, id", (incident_id,))
        return events_from_rows(rows)

    def last_logged_event(self, incident_id: str) -> Event | None:
        """The live event logged most recently (not the latest in time: a backdated one counts)."""
        row = self._one(
            "SELECT * FROM events WHERE incident_id=? AND deleted_at IS NULL ORDER BY logged_at DESC, id DESC LIMIT 1",
            (incident_id,),
        )
        return None if row is None else event_from_row(row)

    def count_events(self, incident_id: str) -> int:
        """How many live events the timeline has."""
        return timeline.count(self.conn, incident_id)

    def events_page(self, incident_id: str, start: int, limit: int, *, total: int | None = None) -> list[Event]:
        """Live events at positions start..start+limit of the timeline (from the nearer end when `total` is known)."""
        return events_from_rows(timeline.rows_at(self.conn, incident_id, start, limit, total))

    def event_position(self, event_id: int) -> int | None:
        """Where a live event stands in its timeline (0 = first)."""
        row = self._one("SELECT incident_id, occurred_at, deleted_at FROM events WHERE id=?", (event_id,))
        if row is None or row["deleted_at"] is not None:
            return None
        return timeline.position(self.conn, row["incident_id"], (row["occurred_at"], event_id))

    # -- factors and action items ------------------------------------------------------------

    def factor(self, incident_id: str, number: int) -> Factor:
        """One factor by its number within the incident."""
        row = self._one("SELECT * FROM factors WHERE incident_id=? AND number=?", (incident_id, number))
        if row is None:
            raise NotFoundError(f"no factor {number} in {incident_id}")
        return self._factor(row)

    def _factor(self, row: Any) -> Factor:
        links = self._all("SELECT event_id FROM factor_events WHERE factor_id=? ORDER BY event_id", (row["id"],))
        return factor_from_row(row, [r["event_id"] for r in links])

    def factors(self, incident_id: str, kind: FactorKind | None = None) -> list[Factor]:
        """Live factors of an incident in the order they were added."""
        rows = self._all(
            "SELECT * FROM factors WHERE incident_id=? AND deleted_at IS NULL ORDER BY number", (incident_id,)
        )
        found = [self._factor(r) for r in rows]
        return [f for f in found if kind is None or f.kind == kind]

    def action(self, incident_id: str, number: int) -> ActionItem:
        """One action item by its number within the incident."""
        row = self._one("SELECT * FROM action_items WHERE incident_id=? AND number=?", (incident_id, number))
        if row is None:
            raise NotFoundError(f"no action item {number} in {incident_id} (see `warroom action list`)")
        return action_from_row(row)

    def actions(
        self, incident_id: str | None = None, *, owner: str | None = None, overdue_on: dt.date | None = None
    ) -> list[ActionItem]:
        """Live action items of one incident (or all), by incident then number; only `owner`'s; only those still
        open past their deadline on the day `overdue_on`.

        Only the items asked for are made records (store/action_lists.py): 20,000 of 50,000 in a large library.
        """
        rows = action_rows(self.conn, incident_id, owner, overdue_on)
        with paused_gc():
            return [action_from_row(r) for r in rows]

    def action_deadlines(self) -> list[tuple[str, str, str, str | None]]:
        """(incident id, deadline, status, done_at as stored) of every live action item that has a deadline:
        the columns follow-through metrics count, without making 50,000 records."""
        return deadlines(self.conn)

    # -- drafts and settings -----------------------------------------------------------------

    def draft(self, incident_id: str, field: str) -> str:
        """The saved draft, or empty text."""
        row = self._one("SELECT text FROM drafts WHERE incident_id=? AND field=?", (incident_id, field))
        return str(row["text"]) if row else ""

    def setting(self, name: str) -> str:
        """A setting's value (the TUI's theme), or empty text when never set."""
        row = self._one("SELECT value FROM settings WHERE name=?", (name,))
        return str(row["value"]) if row else ""
