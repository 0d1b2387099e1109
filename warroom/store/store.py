"""The Store: every read and write warroom makes, named for what it means to an incident."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from warroom.store import timeline
from warroom.store.db import Connection
from warroom.store.errors import InputError, NotFoundError
from warroom.store.kinds import CLOSED_ACTION_STATUSES, OPEN_STATUSES, ActionStatus, FactorKind, Milestone, Status
from warroom.store.postmortem_flow import PostmortemState, save, state, states
from warroom.store.records import ActionItem, Event, Factor, Incident, json_values
from warroom.store.related import RelatedIncident, related_incidents
from warroom.store.rows import (
    action_from_row,
    event_from_row,
    events_from_rows,
    factor_from_row,
    incident_from_row,
    to_row,
    to_value,
)
from warroom.store.search import SearchHit, merge_sql, search_event_keys
from warroom.store.search import search as search_index
from warroom.store.timeline import EventKey, Marker, TimelineChanges
from warroom.store.timeparse import UTC, from_db, to_db

if TYPE_CHECKING:
    from pydantic import BaseModel

    from warroom.store import models as inputs
    from warroom.store.config import Config

Clock = Callable[[], dt.datetime]
#: Pages of search-index merging per idle moment (a few ms).
TIDY_PAGES = 200
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def system_clock() -> dt.datetime:
    """Now, in UTC."""
    return dt.datetime.now(UTC)


T = TypeVar("T")
R = TypeVar("R")
M = TypeVar("M", bound="BaseModel")


class InputModels(Protocol):
    """The names of store/models.py that writes use, so that the module loaded late is still typed."""

    @property
    def Incident(self) -> type[inputs.Incident]: ...
    @property
    def Event(self) -> type[inputs.Event]: ...
    @property
    def Factor(self) -> type[inputs.Factor]: ...
    @property
    def ActionItem(self) -> type[inputs.ActionItem]: ...

    def validated(self, model: type[M], **data: Any) -> M: ...
    def as_record(self, record_type: type[R], model: BaseModel, **changes: Any) -> R: ...
    def build_schemas(self) -> None: ...


def input_models() -> InputModels:
    """The pydantic input models (store/models.py) that validate writes, loaded by the first write.

    Reads never validate, so a process that only reads (the TUI's UI thread, an export, a listing)
    never loads pydantic (50-150 ms).
    """
    from warroom.store import models

    return models


@dataclass(frozen=True)
class IncidentListing:
    """An incident with the counts an overview needs."""

    incident: Incident
    events: int
    open_actions: int
    overdue_actions: int

    def as_json(self) -> dict[str, Any]:
        """The listing as JSON values, the incident's fields as its JSON export writes them."""
        return {
            "incident": json_values(self.incident),
            "events": self.events,
            "open_actions": self.open_actions,
            "overdue_actions": self.overdue_actions,
        }


class Store:
    """All persistence for warroom. One instance per thread; it owns its connection."""

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

    def write(self, fn: Callable[[], T]) -> T:
        """Run `fn` as one transaction (retried while locked)."""
        return self.connection.write(fn)

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self.conn.execute(sql, tuple(params)).fetchone()

    def _all(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    # -- revisions -------------------------------------------------------------------------

    def _keep_revision(self, record_type: str, record_id: str | int, row: Any) -> None:
        """Save a row's previous state before it changes."""
        self.conn.execute(
            "INSERT INTO revisions (record_type, record_id, data, replaced_at) VALUES (?, ?, ?, ?)",
            (record_type, str(record_id), json.dumps(dict(row), sort_keys=True), to_db(self.now())),
        )

    def revisions(self, record_type: str, record_id: str | int) -> list[dict[str, Any]]:
        """Earlier states of one record, oldest first."""
        rows = self._all(
            "SELECT data, replaced_at FROM revisions WHERE record_type=? AND record_id=? ORDER BY id",
            (record_type, str(record_id)),
        )
        return [dict(json.loads(r["data"]), replaced_at=r["replaced_at"]) for r in rows]

    def _update(self, table: str, record_type: str, key: dict[str, Any], changes: dict[str, Any]) -> None:
        """Update one row, keeping its previous state as a revision."""
        where = " AND ".join(f"{k}=?" for k in key)
        old = self._one(f"SELECT * FROM {table} WHERE {where}", key.values())
        if old is None:
            raise NotFoundError(f"no such {record_type}")
        self._keep_revision(record_type, old["id"], old)
        sets = ", ".join(f"{k}=?" for k in changes)
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE {where}", [*changes.values(), *key.values()])

    def undo_last_change(self, record_type: str, record_id: int | str) -> None:
        """Put a record back as it was before its latest change (that change is kept as a revision)."""
        table = {"event": "events", "factor": "factors", "action": "action_items", "incident": "incidents"}[record_type]

        def do() -> None:
            last = self._one(
                "SELECT id, data FROM revisions WHERE record_type=? AND record_id=? ORDER BY id DESC LIMIT 1",
                (record_type, str(record_id)),
            )
            if last is None:
                raise NotFoundError(f"nothing to undo for this {record_type}")
            data = json.loads(last["data"])
            data.pop("id")
            self._update(table, record_type, {"id": record_id}, data)
            # The revision just restored is used up; what it replaced is now the latest.
            self.conn.execute("DELETE FROM revisions WHERE id=?", (last["id"],))

        self.write(do)

    def latest_revision_id(self, record_type: str, record_id: int | str) -> int | None:
        """The id of a record's newest revision (its state before the latest change), if it has one."""
        row = self._one(
            "SELECT id FROM revisions WHERE record_type=? AND record_id=? ORDER BY id DESC LIMIT 1",
            (record_type, str(record_id)),
        )
        return int(row["id"]) if row else None

    def restore_revision(self, record_type: str, record_id: int | str, revision_id: int | None) -> int:
        """Put a record back as revision `revision_id` holds it (None: delete it, for undoing its creation).

        Nothing is thrown away: the state it had is kept as a new revision, whose id is returned, so
        restoring that one takes the step back again (redo). Several steps back on one record work
        because each names the exact revision, not "the latest".
        """
        table = _REVISION_TABLES[record_type]

        def do() -> int:
            if revision_id is None:
                data: dict[str, Any] = {"deleted_at": to_db(self.now())}
            else:
                row = self._one(
                    "SELECT data FROM revisions WHERE id=? AND record_type=? AND record_id=?",
                    (revision_id, record_type, str(record_id)),
                )
                if row is None:
                    raise NotFoundError(f"that earlier version of {record_type} {record_id} is gone")
                data = json.loads(row["data"])
                data.pop("id")
            self._update(table, record_type, {"id": record_id}, data)
            kept = self.latest_revision_id(record_type, record_id)
            assert kept is not None
            return kept

        return self.write(do)

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

    # -- incidents -------------------------------------------------------------------------

    def create_incident(
        self,
        title: str,
        *,
        id: str | None = None,
        severity: str = "SEV3",
        owner: str = "",
        started_at: dt.datetime | None = None,
        status: str = "investigating",
    ) -> Incident:
        """Open a new incident and return it."""
        inputs = input_models()
        now = self.now()
        if id is not None and not _ID.match(id):
            raise InputError(f"incident id {id!r}: use letters, digits, '.', '_' and '-' (at most 64)")
        if not title.strip():
            raise InputError("an incident needs a title")

        def do() -> Incident:
            new_id = id or self._next_id(now)
            if self._one("SELECT 1 FROM incidents WHERE id=?", (new_id,)):
                raise InputError(f"incident {new_id} already exists")
            record = inputs.validated(
                inputs.Incident,
                id=new_id,
                title=title.strip(),
                severity=severity.upper(),
                status=status,
                owner=owner,
                started_at=started_at or now,
                created_at=now,
                updated_at=now,
            )
            self.conn.execute(*_insert("incidents", to_row("incidents", record)))
            return inputs.as_record(Incident, record)

        return self.write(do)

    def _next_id(self, now: dt.datetime) -> str:
        """INC-<year>-<4 digits>, one more than the highest of the year."""
        prefix = f"INC-{now.year}-"
        rows = self._all("SELECT id FROM incidents WHERE id LIKE ?", (prefix + "%",))
        numbers = [int(r["id"][len(prefix) :]) for r in rows if r["id"][len(prefix) :].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1:04d}"

    def incident(self, incident_id: str) -> Incident:
        """One incident, its key times taken from milestone events where there are any."""
        row = self._one("SELECT * FROM incidents WHERE id=?", (incident_id,))
        if row is None:
            raise NotFoundError(f"no incident {incident_id!r} (see `warroom list`)")
        # The milestone events' times replace the stored ones in the row the record is made from.
        times = {f"{r['milestone']}_at": r["at"] for r in self._milestone_rows(incident_id)}
        return incident_from_row(dict(row, **times))

    def milestone_times(self, incident_id: str) -> dict[Milestone, dt.datetime]:
        """The earliest live event of each milestone."""
        rows = self._milestone_rows(incident_id)
        return {Milestone(r["milestone"]): at for r in rows if (at := from_db(r["at"])) is not None}

    def _milestone_rows(self, incident_id: str) -> list[Any]:
        """(milestone, at) of the earliest live event of each milestone, as stored."""
        return self._all(
            "SELECT milestone, MIN(occurred_at) AS at FROM events WHERE incident_id=? AND deleted_at IS NULL "
            "AND milestone IS NOT NULL GROUP BY milestone",
            (incident_id,),
        )

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

    def list_incidents(self, *, open_only: bool = False, today: dt.date | None = None) -> list[IncidentListing]:
        """Every incident, most recently started first, with event and action counts.

        One query for the lot (counts and milestone times are subqueries on indexes), not two per incident.
        """
        today = today or self.now().date()
        closed = [s.value for s in CLOSED_ACTION_STATUSES]
        marks = ",".join("?" * len(closed))
        milestones = [m.value for m in Milestone]
        where, params = "", [*milestones, *closed, *closed, today.isoformat()]
        if open_only:
            where = f"WHERE i.status IN ({','.join('?' * len(OPEN_STATUSES))})"
            params += [s.value for s in OPEN_STATUSES]
        earliest = ",\n".join(
            f"(SELECT MIN(occurred_at) FROM events e WHERE e.incident_id=i.id AND e.milestone=? "
            f"AND e.deleted_at IS NULL) AS milestone_{n}"
            for n in range(len(milestones))
        )
        rows = self._all(
            f"""SELECT i.*, {earliest},
                COALESCE((SELECT n FROM live_event_counts c WHERE c.incident_id=i.id), 0) AS n_events,
                (SELECT COUNT(*) FROM action_items a WHERE a.incident_id=i.id AND a.deleted_at IS NULL
                    AND a.status NOT IN ({marks})) AS n_open,
                (SELECT COUNT(*) FROM action_items a WHERE a.incident_id=i.id AND a.deleted_at IS NULL
                    AND a.status NOT IN ({marks}) AND a.deadline < ?) AS n_overdue
            FROM incidents i {where} ORDER BY i.started_at DESC, i.id DESC""",
            params,
        )
        listings = []
        extra = {"n_events", "n_open", "n_overdue", *(f"milestone_{n}" for n in range(len(milestones)))}
        for r in rows:
            data = {key: r[key] for key in r.keys() if key not in extra}  # noqa: SIM118 (a Row iterates values)
            for n, name in enumerate(milestones):
                if r[f"milestone_{n}"] is not None:  # as `incident`: a milestone event's time comes first
                    data[f"{name}_at"] = r[f"milestone_{n}"]
            listings.append(
                IncidentListing(
                    incident=incident_from_row(data),
                    events=r["n_events"],
                    open_actions=r["n_open"],
                    overdue_actions=r["n_overdue"],
                )
            )
        return listings

    def update_incident(self, incident_id: str, **changes: Any) -> Incident:
        """Change fields of an incident (by model attribute name), keeping the previous revision."""
        inputs = input_models()
        current = self.incident(incident_id)
        merged = _fields(current)
        merged.update(changes)
        record = inputs.validated(inputs.Incident, **merged)
        values = {k: to_value(getattr(record, k)) for k in changes}
        values["updated_at"] = to_db(self.now())
        self.write(lambda: self._update("incidents", "incident", {"id": incident_id}, values))
        return self.incident(incident_id)

    def _touch(self, incident_id: str) -> None:
        """Mark an incident as just active (inside a write)."""
        self.conn.execute("UPDATE incidents SET updated_at=? WHERE id=?", (to_db(self.now()), incident_id))

    # -- events ----------------------------------------------------------------------------

    def log_event(
        self,
        incident_id: str,
        text: str,
        *,
        occurred_at: dt.datetime | None = None,
        logged_at: dt.datetime | None = None,
        kind: str = "note",
        team: str = "",
        author: str = "",
        milestone: str | None = None,
        starred: bool = False,
        source: str = "cli",
    ) -> Event:
        """Add one timeline event and return it with its id."""
        inputs = input_models()
        record = self.log_event_record(
            incident_id,
            text,
            occurred_at=occurred_at,
            logged_at=logged_at,
            kind=kind,
            team=team,
            author=author,
            milestone=milestone,
            starred=starred,
            source=source,
        )
        row = to_row("events", record)
        row.pop("id")

        def do() -> Event:
            if self._one("SELECT 1 FROM incidents WHERE id=?", (incident_id,)) is None:
                raise NotFoundError(f"no incident {incident_id!r} (see `warroom list`)")
            cur = self.conn.execute(*_insert("events", row))
            self._touch(incident_id)
            return inputs.as_record(Event, record, id=cur.lastrowid)

        return self.write(do)

    def log_event_record(
        self,
        incident_id: str,
        text: str,
        *,
        occurred_at: dt.datetime | None = None,
        logged_at: dt.datetime | None = None,
        kind: str = "note",
        team: str = "",
        author: str = "",
        milestone: str | None = None,
        starred: bool = False,
        source: str = "cli",
    ) -> inputs.Event:
        """The validated input `log_event` would store (no id yet), or one clear InputError."""
        models = input_models()
        if not text.strip():
            raise InputError("an event needs some text")
        now = self.now()
        return models.validated(
            models.Event,
            incident_id=incident_id,
            occurred_at=occurred_at or logged_at or now,
            logged_at=logged_at or now,
            text=text.strip(),
            kind="milestone" if milestone and kind == "note" else kind,
            team=team,
            author=author or self.author,
            milestone=milestone or None,
            starred=starred,
            source=source,
        )

    def log_events(self, incident_id: str, texts: Sequence[str], **fields: Any) -> int:
        """Add several events in one transaction (lines of a pipe that arrived together); how many were added.

        The fields other than the text are the same for every event, so one record is validated for
        them and each text is checked against the same limits: thousands of lines cost one commit, one
        fsync, instead of one each. All or none of them are stored.
        """
        from warroom.store.kinds import MAX_TEXT

        stripped = [text.strip() for text in texts]
        if not stripped:
            return 0
        if not all(stripped):
            raise InputError("an event needs some text")
        if max(map(len, stripped)) > MAX_TEXT:
            raise InputError(f"text: string should have at most {MAX_TEXT} characters")
        template = self.log_event_record(incident_id, stripped[0], **fields)
        row = to_row("events", template)
        row.pop("id")
        # One INSERT ... SELECT from a scratch table, not one INSERT per line: the full-text index's trigger
        # then adds every line in one statement, where per-statement inserts flush it once per line (~8x slower).
        names = ", ".join(row)
        picks = ", ".join("t.text" if name == "text" else "?" for name in row)
        constants = [value for name, value in row.items() if name != "text"]

        def do() -> int:
            if self._one("SELECT 1 FROM incidents WHERE id=?", (incident_id,)) is None:
                raise NotFoundError(f"no incident {incident_id!r} (see `warroom list`)")
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS arriving (text TEXT NOT NULL)")
            self.conn.execute("DELETE FROM temp.arriving")
            self.conn.executemany("INSERT INTO temp.arriving (text) VALUES (?)", [(text,) for text in stripped])
            self.conn.execute(
                f"INSERT INTO events ({names}) SELECT {picks} FROM temp.arriving t ORDER BY t.rowid", constants
            )
            self.conn.execute("DELETE FROM temp.arriving")
            self._touch(incident_id)
            return len(stripped)

        return int(self.write(do))

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

    def edit_event(self, event_id: int, **changes: Any) -> Event:
        """Change an event's fields; the previous revision is kept."""
        inputs = input_models()
        current = self.event(event_id)
        merged = _fields(current)
        merged.update(changes)
        if "text" in changes and not str(changes["text"]).strip():
            raise InputError("an event needs some text")
        record = inputs.validated(inputs.Event, **merged)
        values = {k: to_value(getattr(record, k)) for k in changes}

        def do() -> None:
            self._update("events", "event", {"id": event_id}, values)
            self._touch(current.incident_id)

        self.write(do)
        return self.event(event_id)

    def delete_event(self, event_id: int) -> Event:
        """Soft-delete an event: it leaves the timeline but stays in the file."""
        return self.edit_event(event_id, deleted_at=self.now())

    def restore_event(self, event_id: int) -> Event:
        """Bring a soft-deleted event back."""
        return self.edit_event(event_id, deleted_at=None)

    # -- factors ---------------------------------------------------------------------------

    def add_factor(
        self, incident_id: str, text: str, *, kind: str = "contributing", event_ids: Iterable[int] = ()
    ) -> Factor:
        """Record a root cause, contributing factor or trigger."""
        inputs = input_models()
        if not text.strip():
            raise InputError("a factor needs some text")
        now = self.now()
        record = inputs.validated(
            inputs.Factor, incident_id=incident_id, kind=kind, text=text.strip(), created_at=now, updated_at=now
        )

        def do() -> Factor:
            self.resolve_incident_id(incident_id)
            number = self._next_number("factors", incident_id)
            row = dict(to_row("factors", record), number=number)
            row.pop("id")
            for event_id in event_ids:
                owner = self._one("SELECT incident_id FROM events WHERE id=?", (event_id,))
                if owner is None or owner["incident_id"] != incident_id:
                    raise InputError(f"no event {event_id} in {incident_id} (see `warroom event list`)")
            factor_id = self.conn.execute(*_insert("factors", row)).lastrowid
            assert factor_id is not None  # (set by the INSERT just run)
            for event_id in event_ids:
                self._link(factor_id, event_id)
            self._touch(incident_id)
            return self.factor(incident_id, number)

        return self.write(do)

    def _next_number(self, table: str, incident_id: str) -> int:
        row = self._one(f"SELECT COALESCE(MAX(number), 0) + 1 AS n FROM {table} WHERE incident_id=?", (incident_id,))
        return int(row["n"])

    def _link(self, factor_id: int, event_id: int) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO factor_events (factor_id, event_id) VALUES (?, ?)", (factor_id, event_id)
        )

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

    def edit_factor(self, incident_id: str, number: int, **changes: Any) -> Factor:
        """Change a factor's text or kind (or delete it with deleted_at)."""
        inputs = input_models()
        current = self.factor(incident_id, number)
        record = inputs.validated(inputs.Factor, **{**_fields(current), **changes})
        values = {k: to_value(getattr(record, k)) for k in changes}
        values["updated_at"] = to_db(self.now())

        def do() -> None:
            self._update("factors", "factor", {"id": current.id}, values)
            self._touch(incident_id)

        self.write(do)
        return self.factor(incident_id, number)

    def link_factor(self, incident_id: str, number: int, event_id: int) -> Factor:
        """Point a factor at a timeline event."""
        current = self.factor(incident_id, number)
        if self.event(event_id).incident_id != incident_id:
            raise InputError(f"event {event_id} belongs to another incident")
        self.write(lambda: self._link(current.id or 0, event_id))
        return self.factor(incident_id, number)

    # -- action items ----------------------------------------------------------------------

    def add_action(self, incident_id: str, title: str, **fields: Any) -> ActionItem:
        """Add an action item; returns it with its number in the incident."""
        inputs = input_models()
        if not title.strip():
            raise InputError("an action item needs a title")
        now = self.now()
        record = inputs.validated(
            inputs.ActionItem, incident_id=incident_id, title=title.strip(), created_at=now, updated_at=now, **fields
        )

        def do() -> ActionItem:
            self.resolve_incident_id(incident_id)
            number = self._next_number("action_items", incident_id)
            row = dict(to_row("action_items", record), number=number)
            row.pop("id")
            self.conn.execute(*_insert("action_items", row))
            self._touch(incident_id)
            return self.action(incident_id, number)

        return self.write(do)

    def action(self, incident_id: str, number: int) -> ActionItem:
        """One action item by its number within the incident."""
        row = self._one("SELECT * FROM action_items WHERE incident_id=? AND number=?", (incident_id, number))
        if row is None:
            raise NotFoundError(f"no action item {number} in {incident_id} (see `warroom action list`)")
        return action_from_row(row)

    def actions(self, incident_id: str | None = None, *, owner: str | None = None) -> list[ActionItem]:
        """Live action items of one incident (or all), by incident then number."""
        where, params = ["deleted_at IS NULL"], []
        if incident_id is not None:
            where.append("incident_id=?")
            params.append(incident_id)
        if owner is not None:
            where.append("lower(owner)=lower(?)")
            params.append(owner)
        rows = self._all(f"SELECT * FROM action_items WHERE {' AND '.join(where)} ORDER BY incident_id, number", params)
        return [action_from_row(r) for r in rows]

    def edit_action(self, incident_id: str, number: int, **changes: Any) -> ActionItem:
        """Change an action item's fields; marking it done stamps when."""
        inputs = input_models()
        current = self.action(incident_id, number)
        if "status" in changes:
            try:
                done = ActionStatus(changes["status"]) in CLOSED_ACTION_STATUSES
            except ValueError:
                allowed = ", ".join(s.value for s in ActionStatus)
                raise InputError(f"status must be one of {allowed}") from None
            changes["done_at"] = (current.done_at or self.now()) if done else None
        record = inputs.validated(inputs.ActionItem, **{**_fields(current), **changes})
        values = {k: to_value(getattr(record, k)) for k in changes}
        values["updated_at"] = to_db(self.now())

        def do() -> None:
            self._update("action_items", "action", {"id": current.id}, values)
            self._touch(incident_id)

        self.write(do)
        return self.action(incident_id, number)

    # -- drafts ----------------------------------------------------------------------------

    def save_draft(self, incident_id: str, field: str, text: str) -> None:
        """Keep what is being typed, so a crash loses nothing; empty text clears it."""

        def do() -> None:
            if text:
                self.conn.execute(
                    "INSERT INTO drafts (incident_id, field, text, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (incident_id, field) DO UPDATE SET text=excluded.text, updated_at=excluded.updated_at",
                    (incident_id, field, text, to_db(self.now())),
                )
            else:
                self.conn.execute("DELETE FROM drafts WHERE incident_id=? AND field=?", (incident_id, field))

        self.write(do)

    def draft(self, incident_id: str, field: str) -> str:
        """The saved draft, or empty text."""
        row = self._one("SELECT text FROM drafts WHERE incident_id=? AND field=?", (incident_id, field))
        return str(row["text"]) if row else ""

    # -- settings --------------------------------------------------------------------------

    def setting(self, name: str) -> str:
        """A setting's value (the TUI's theme), or empty text when never set."""
        row = self._one("SELECT value FROM settings WHERE name=?", (name,))
        return str(row["value"]) if row else ""

    def save_setting(self, name: str, value: str) -> None:
        """Keep a setting for the next start."""

        def do() -> None:
            self.conn.execute(
                "INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at",
                (name, value, to_db(self.now())),
            )

        self.write(do)

    # -- review ----------------------------------------------------------------------------

    def next_marked_event(self, incident_id: str, event_id: int, direction: int) -> Event | None:
        """The nearest live milestone or starred event after (direction > 0) or before `event_id` in time order."""
        anchor = self._one("SELECT occurred_at, id FROM events WHERE id=? AND incident_id=?", (event_id, incident_id))
        if anchor is None:
            raise NotFoundError(f"no event {event_id} in {incident_id}")
        # A keyset walk along idx_events_timeline: cost grows with the distance to the mark, never with OFFSET.
        compare, order = (">", "") if direction > 0 else ("<", " DESC")
        row = self._one(
            "SELECT * FROM events WHERE incident_id=? AND deleted_at IS NULL "
            f"AND (starred = 1 OR milestone IS NOT NULL) AND (occurred_at, id) {compare} (?, ?) "
            f"ORDER BY occurred_at{order}, id{order} LIMIT 1",
            (incident_id, anchor["occurred_at"], anchor["id"]),
        )
        return None if row is None else event_from_row(row)

    def next_marked_position(self, incident_id: str, event_id: int, direction: int) -> int | None:
        """The timeline position of `next_marked_event`, or None when there is no such event."""
        found = self.next_marked_event(incident_id, event_id, direction)
        return None if found is None or found.id is None else self.event_position(found.id)

    def first_event_from(self, incident_id: str, moment: dt.datetime) -> Event | None:
        """The first live event at or after `moment` (a keyset search on the timeline index)."""
        row = self._one(
            "SELECT * FROM events WHERE incident_id=? AND deleted_at IS NULL AND occurred_at >= ? "
            "ORDER BY occurred_at, id LIMIT 1",
            (incident_id, to_db(moment)),
        )
        return None if row is None else event_from_row(row)

    # -- import and lint allowlist ---------------------------------------------------------

    def insert_incident(
        self,
        incident: inputs.Incident,
        events: list[inputs.Event],
        factors: list[inputs.Factor],
        actions: list[inputs.ActionItem],
        *,
        keep_ids: bool = False,
    ) -> dict[int, int]:
        """Create an incident with all its records in one transaction (an import); returns event id -> stored id.

        With keep_ids, record ids and numbers from the source are kept where free, so a JSON export
        imported into a fresh file exports byte for byte the same.
        """
        if not _ID.match(incident.id):
            raise InputError(f"incident id {incident.id!r}: use letters, digits, '.', '_' and '-' (pass --as ID)")

        def taken(table: str, record_id: int | None) -> bool:
            return record_id is None or self._one(f"SELECT 1 FROM {table} WHERE id=?", (record_id,)) is not None

        def put(table: str, record: Any, record_id: int | None, **changes: Any) -> int:
            row = {**to_row(table, record), **changes}
            if not keep_ids or taken(table, record_id):
                row.pop("id")
            return int(self.conn.execute(*_insert(table, row)).lastrowid or 0)

        def do() -> dict[int, int]:
            if self._one("SELECT 1 FROM incidents WHERE id=?", (incident.id,)):
                raise InputError(f"incident {incident.id} already exists")
            self.conn.execute(*_insert("incidents", to_row("incidents", incident)))
            ids: dict[int, int] = {}
            for event in events:
                stored_id = put("events", event, event.id)
                if event.id is not None:
                    ids[event.id] = stored_id
            for number, factor in enumerate(factors, start=1):
                stored_factor = put("factors", factor, factor.id, **({} if keep_ids else {"number": number}))
                for event_id in factor.event_ids:
                    if event_id in ids:
                        self._link(stored_factor, ids[event_id])
            numbers = [a.number for a in actions]
            renumber = not keep_ids or len(set(numbers)) != len(numbers) or 0 in numbers
            for number, item in enumerate(actions, start=1):
                put("action_items", item, item.id, **({"number": number} if renumber else {}))
            return ids

        return self.write(do)

    def lint_allowlist(self, incident_id: str) -> list[str]:
        """Phrases the blameless-language check accepts for this incident, sorted."""
        rows = self._all("SELECT phrase FROM lint_allow WHERE incident_id=? ORDER BY phrase", (incident_id,))
        return [str(r["phrase"]) for r in rows]

    def allow_lint_phrase(self, incident_id: str, phrase: str) -> str:
        """Accept a phrase (or `location:phrase`) for this incident from now on; returns it as kept."""
        kept = " ".join(phrase.split()).lower()
        if not kept:
            raise InputError("give a phrase to allow")

        def do() -> None:
            self.resolve_incident_id(incident_id)
            self.conn.execute(
                "INSERT OR IGNORE INTO lint_allow (incident_id, phrase) VALUES (?, ?)", (incident_id, kept)
            )

        self.write(do)
        return kept

    def disallow_lint_phrase(self, incident_id: str, phrase: str) -> bool:
        """Stop accepting a phrase; False when it was not on the list."""
        kept = " ".join(phrase.split()).lower()

        def do() -> bool:
            cur = self.conn.execute("DELETE FROM lint_allow WHERE incident_id=? AND phrase=?", (incident_id, kept))
            return cur.rowcount > 0

        return bool(self.write(do))

    # -- large timelines and search --------------------------------------------------------

    def events_after(self, incident_id: str, key: EventKey | None, limit: int) -> list[Event]:
        """Up to `limit` live events after `key` in time order: a keyset page, as cheap at the end as at the start."""
        return events_from_rows(timeline.rows_after(self.conn, incident_id, key, limit))

    def events_before(self, incident_id: str, key: EventKey | None, limit: int) -> list[Event]:
        """Up to `limit` live events before `key` (the last ones when None), in time order."""
        return events_from_rows(timeline.rows_before(self.conn, incident_id, key, limit))

    def change_marker(self) -> Marker:
        """How far the file has got; `timeline_changes` reports what happened after it."""
        return timeline.marker(self.conn)

    def timeline_state(self, incident_id: str) -> tuple[Marker, int, EventKey | None]:
        """The marker, the live event count and the last event's key, read in one snapshot."""
        with self.connection.reading() as conn:
            return timeline.marker(conn), timeline.count(conn, incident_id), timeline.last_key(conn, incident_id)

    def timeline_changes(self, incident_id: str, since: Marker) -> TimelineChanges:
        """What changed for one incident after `since`, from new rows and revisions only (no table scan)."""
        with self.connection.reading() as conn:
            return timeline.changes_since(conn, incident_id, since)

    def search_event_keys(self, incident_id: str, query: str) -> list[EventKey]:
        """(occurred_at, id) of the incident's live events matching `query`, in timeline order."""
        return search_event_keys(self.conn, incident_id, query)

    def search_events(self, incident_id: str, query: str) -> list[int]:
        """Ids of the incident's live events matching `query`, in timeline order; any text is a valid query."""
        return [event_id for _, event_id in self.search_event_keys(incident_id, query)]

    def tidy(self) -> None:
        """Upkeep for idle moments, never waiting for a lock: merge the search index's new segments, checkpoint."""
        self.connection.upkeep(merge_sql(TIDY_PAGES))
        self.connection.checkpoint()

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Events, factors, action items and incidents of every incident matching `query`, best (bm25) first."""
        return search_index(self.conn, query, limit)

    def postmortem(self, incident_id: str, config: Config, tz: dt.tzinfo) -> PostmortemState:
        """The incident's post-mortem stage, owner and review due date (by the config's severity levels)."""
        self.incident(incident_id)  # a clear error for an unknown id
        return state(self.conn, incident_id, config, tz)

    def postmortems(self, config: Config, tz: dt.tzinfo) -> dict[str, PostmortemState]:
        """Every incident's post-mortem, by incident id, in one query."""
        return states(self.conn, config, tz)

    def set_postmortem(self, incident_id: str, **changes: Any) -> None:
        """Change the post-mortem's status, owner or review_due (None: back to the severity's default)."""
        self.incident(incident_id)
        self.write(lambda: save(self.conn, incident_id, self.now(), **changes))

    def related(self, incident_id: str, limit: int = 5) -> list[RelatedIncident]:
        """Other incidents that share words of the title and causes, tags or teams with this one, best first."""
        self.incident(incident_id)  # a clear error for an unknown id
        return related_incidents(self.conn, incident_id, limit)


def _fields(record: Any) -> dict[str, Any]:
    """A record's fields by name, to validate it again with changes."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def _insert(table: str, row: dict[str, Any]) -> tuple[str, list[Any]]:
    """An INSERT statement and its parameters."""
    names = ", ".join(row)
    marks = ", ".join("?" * len(row))
    return f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values())


#: The table behind each record type that keeps revisions.
_REVISION_TABLES = {"event": "events", "factor": "factors", "action": "action_items", "incident": "incidents"}
