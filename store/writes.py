"""The write side of the store: transactions, revisions, incidents and events (the writer thread only).

`Writes` adds to `Reads` what changes the file; `Store` (store/store.py) adds the remaining
record types. Each edit reads the row it validates inside the write transaction that changes it,
so a change committed meanwhile by another process is neither overwritten nor validated against.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from warroom.store.errors import InputError, NotFoundError
from warroom.store.reads import Reads
from warroom.store.records import Event, Incident
from warroom.store.rows import to_row, to_value
from warroom.store.timeparse import to_db

if TYPE_CHECKING:
    from pydantic import BaseModel

    from warroom.store import models as inputs

T = TypeVar("T")
INCIDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: The table behind each record type that keeps revisions.
REVISION_TABLES = {"event": "events", "factor": "factors", "action": "action_items", "incident": "incidents"}


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


def record_fields(record: Any) -> dict[str, Any]:
    """A record's fields by name, to validate it again with changes."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def insert_statement(table: str, row: dict[str, Any]) -> tuple[str, list[Any]]:
    """An INSERT statement and its parameters."""
    names = ", ".join(row)
    marks = ", ".join("?" * len(row))
    return f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values())


class Writes(Reads):
    """Reads, and the writes of incidents and events; only the writer thread (or the one-thread CLI) holds one."""

    def write(self, fn: Callable[[], T]) -> T:
        """Run `fn` as one transaction (retried while locked)."""
        return self.connection.write(fn)

    def defer_checkpoints(self) -> None:
        """Commit without folding the WAL into the file; `tidy()` folds it in idle moments (the writer thread)."""
        self.connection.defer_checkpoints()

    # -- revisions ---------------------------------------------------------------------------

    def _keep_revision(self, record_type: str, record_id: str | int, row: Any) -> None:
        """Save a row's previous state before it changes."""
        self.conn.execute(
            "INSERT INTO revisions (record_type, record_id, data, replaced_at) VALUES (?, ?, ?, ?)",
            (record_type, str(record_id), json.dumps(dict(row), sort_keys=True), to_db(self.now())),
        )

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

    def restore_revision(self, record_type: str, record_id: int | str, revision_id: int | None) -> int:
        """Put a record back as revision `revision_id` holds it (None: delete it, for undoing its creation).

        Nothing is thrown away: the state it had is kept as a new revision, whose id is returned, so
        restoring that one takes the step back again (redo). Several steps back on one record work
        because each names the exact revision, not "the latest".
        """
        table = REVISION_TABLES[record_type]

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

    # -- incidents ---------------------------------------------------------------------------

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
        if id is not None and not INCIDENT_ID.match(id):
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
            self.conn.execute(*insert_statement("incidents", to_row("incidents", record)))
            return inputs.as_record(Incident, record)

        return self.write(do)

    def _next_id(self, now: dt.datetime) -> str:
        """INC-<year>-<4 digits>, one more than the highest of the year."""
        prefix = f"INC-{now.year}-"
        rows = self._all("SELECT id FROM incidents WHERE id LIKE ?", (prefix + "%",))
        numbers = [int(r["id"][len(prefix) :]) for r in rows if r["id"][len(prefix) :].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1:04d}"

    def update_incident(self, incident_id: str, **changes: Any) -> Incident:
        """Change fields of an incident (by model attribute name), keeping the previous revision."""
        inputs = input_models()

        def do() -> Incident:
            record = inputs.validated(inputs.Incident, **{**record_fields(self.incident(incident_id)), **changes})
            values = {k: to_value(getattr(record, k)) for k in changes}
            values["updated_at"] = to_db(self.now())
            self._update("incidents", "incident", {"id": incident_id}, values)
            return self.incident(incident_id)

        return self.write(do)

    def _touch(self, incident_id: str) -> None:
        """Mark an incident as just active (inside a write)."""
        self.conn.execute("UPDATE incidents SET updated_at=? WHERE id=?", (to_db(self.now()), incident_id))

    # -- events ------------------------------------------------------------------------------

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
            cur = self.conn.execute(*insert_statement("events", row))
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

        stripped = list(map(str.strip, texts))
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
            self.conn.executemany("INSERT INTO temp.arriving (text) VALUES (?)", zip(stripped))
            self.conn.execute(
                f"INSERT INTO events ({names}) SELECT {picks} FROM temp.arriving t ORDER BY t.rowid", constants
            )
            self.conn.execute("DELETE FROM temp.arriving")
            self._touch(incident_id)
            return len(stripped)

        return int(self.write(do))

    def edit_event(self, event_id: int, **changes: Any) -> Event:
        """Change an event's fields; the previous revision is kept."""
        inputs = input_models()
        if "text" in changes and not str(changes["text"]).strip():
            raise InputError("an event needs some text")

        def do() -> Event:
            current = self.event(event_id)
            record = inputs.validated(inputs.Event, **{**record_fields(current), **changes})
            values = {k: to_value(getattr(record, k)) for k in changes}
            self._update("events", "event", {"id": event_id}, values)
            self._touch(current.incident_id)
            return self.event(event_id)

        return self.write(do)

    def delete_event(self, event_id: int) -> Event:
        """Soft-delete an event: it leaves the timeline but stays in the file."""
        return self.edit_event(event_id, deleted_at=self.now())

    def restore_event(self, event_id: int) -> Event:
        """Bring a soft-deleted event back."""
        return self.edit_event(event_id, deleted_at=None)

    # -- the review's presenter --------------------------------------------------------------

    def present(self, incident_id: str, event_id: int, presenter: str) -> None:
        """Say that the presenter of the incident's review now shows `event_id` (starts presenting if nobody was).

        Kept in the file rather than passed between programs, so every terminal and served browser tab on the
        host can follow it without knowing where the presenter runs. One presenter per incident: whoever
        starts presenting takes over.
        """
        self.write(
            lambda: self.conn.execute(
                "INSERT INTO presenting (incident_id, event_id, presenter, moved_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (incident_id) DO UPDATE SET event_id=excluded.event_id, presenter=excluded.presenter, "
                "moved_at=excluded.moved_at",
                (incident_id, event_id, presenter, to_db(self.now())),
            )
        )

    def stop_presenting(self, incident_id: str) -> None:
        """Nobody presents this incident's review any more."""
        self.write(lambda: self.conn.execute("DELETE FROM presenting WHERE incident_id=?", (incident_id,)))

    # -- export choices ----------------------------------------------------------------------

    def keep_related_section(self, incident_id: str, shown: bool) -> None:
        """Remember whether the incident's post-mortem includes "Related Incidents"."""
        now = to_db(self.now())
        self.write(
            lambda: self.conn.execute(
                "INSERT INTO export_choices (incident_id, related, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (incident_id) DO UPDATE SET related=excluded.related, updated_at=excluded.updated_at",
                (incident_id, int(shown), now),
            )
        )
