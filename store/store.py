"""The Store: every read and write warroom makes, named for what it means to an incident.

Reads live in reads.py (the UI thread holds only those), the incident and event writes in writes.py,
and the writes of factors, action items, drafts, settings, imports and post-mortems here. The CLI
and the writer thread's jobs take a `Store`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from warroom.store.errors import InputError
from warroom.store.kinds import CLOSED_ACTION_STATUSES, MAX_LINE, MAX_TEXT, ActionStatus
from warroom.store.listing import IncidentListing
from warroom.store.reads import Reads
from warroom.store.reads_records import Clock, system_clock
from warroom.store.records import ActionItem, Factor
from warroom.store.rows import to_row, to_value
from warroom.store.search import merge_sql
from warroom.store.timeparse import to_db
from warroom.store.writes import INCIDENT_ID, Writes, input_models, insert_statement, record_fields

if TYPE_CHECKING:
    from warroom.store import models as inputs
    from warroom.store.settlements import Settlement

__all__ = ["TIDY_PAGES", "Clock", "IncidentListing", "Reads", "Store", "input_models", "system_clock"]

#: Pages of search-index merging per idle moment (a few ms).
TIDY_PAGES = 200


class Store(Writes):
    """All persistence for warroom. One instance per thread; it owns its connection."""

    # -- factors -----------------------------------------------------------------------------

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
            cur = self.conn.execute(*insert_statement("factors", row))
            for event_id in event_ids:
                self._link(int(cur.lastrowid or 0), event_id)
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

    def edit_factor(self, incident_id: str, number: int, **changes: Any) -> Factor:
        """Change a factor's text or kind (or delete it with deleted_at)."""
        inputs = input_models()

        def do() -> Factor:
            current = self.factor(incident_id, number)
            record = inputs.validated(inputs.Factor, **{**record_fields(current), **changes})
            values = {k: to_value(getattr(record, k)) for k in changes}
            values["updated_at"] = to_db(self.now())
            self._update("factors", "factor", {"id": current.id}, values)
            self._touch(incident_id)
            return self.factor(incident_id, number)

        return self.write(do)

    def link_factor(self, incident_id: str, number: int, event_id: int) -> Factor:
        """Point a factor at a timeline event."""

        def do() -> Factor:
            current = self.factor(incident_id, number)
            if self.event(event_id).incident_id != incident_id:
                raise InputError(f"event {event_id} belongs to another incident")
            self._link(current.id or 0, event_id)
            return self.factor(incident_id, number)

        return self.write(do)

    # -- action items ------------------------------------------------------------------------

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
            self.conn.execute(*insert_statement("action_items", row))
            self._touch(incident_id)
            return self.action(incident_id, number)

        return self.write(do)

    def edit_action(self, incident_id: str, number: int, **changes: Any) -> ActionItem:
        """Change an action item's fields; marking it done stamps when."""
        inputs = input_models()
        done: bool | None = None
        if "status" in changes:
            try:
                done = ActionStatus(changes["status"]) in CLOSED_ACTION_STATUSES
            except ValueError:
                allowed = ", ".join(s.value for s in ActionStatus)
                raise InputError(f"status must be one of {allowed}") from None

        def do() -> ActionItem:
            current = self.action(incident_id, number)
            new = dict(changes)
            if done is not None:  # a done stamp already there (from whoever closed it first) is kept
                new["done_at"] = (current.done_at or self.now()) if done else None
            record = inputs.validated(inputs.ActionItem, **{**record_fields(current), **new})
            values = {k: to_value(getattr(record, k)) for k in new}
            values["updated_at"] = to_db(self.now())
            self._update("action_items", "action", {"id": current.id}, values)
            self._touch(incident_id)
            return self.action(incident_id, number)

        return self.write(do)

    # -- drafts and settings -----------------------------------------------------------------

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

    def save_setting(self, name: str, value: str) -> None:
        """Keep a setting for the next start."""

        def do() -> None:
            self.conn.execute(
                "INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at",
                (name, value, to_db(self.now())),
            )

        self.write(do)

    def save_sections(self, incident_id: str, texts: Mapping[str, str]) -> None:
        """Set each of the config's extra sections (an empty text removes one), in one transaction."""
        for title, text in texts.items():
            if not title.strip() or len(title) > MAX_LINE:
                raise InputError(f"a section title must be 1 to {MAX_LINE} characters")
            if len(text) > MAX_TEXT:
                raise InputError(f"section {title!r} is {len(text):,} characters; the limit is {MAX_TEXT:,}")
        now = to_db(self.now())

        def do() -> None:
            for title, text in texts.items():
                if text.strip():
                    self.conn.execute(
                        "INSERT INTO sections (incident_id, title, text, updated_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (incident_id, title) DO UPDATE SET text=excluded.text, "
                        "updated_at=excluded.updated_at",
                        (incident_id, title, text.strip(), now),
                    )
                else:
                    self.conn.execute("DELETE FROM sections WHERE incident_id=? AND title=?", (incident_id, title))

        self.write(do)

    # -- hypotheses --------------------------------------------------------------------------

    def record_settlement(self, incident_id: str, settlement: Settlement) -> None:
        """Store that a hypothesis was ruled out or confirmed (store/hypotheses.py checks it may be)."""
        from warroom.store.settlements import record

        self.write(lambda: record(self.conn, incident_id, settlement))

    def forget_settlement(self, event_id: int) -> None:
        """Hypothesis `event_id` is open again: its settlement is removed."""
        from warroom.store.settlements import forget

        self.write(lambda: forget(self.conn, event_id))

    # -- import and lint allowlist -----------------------------------------------------------

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
        if not INCIDENT_ID.match(incident.id):
            raise InputError(f"incident id {incident.id!r}: use letters, digits, '.', '_' and '-' (pass --as ID)")

        def taken(table: str, record_id: int | None) -> bool:
            return record_id is None or self._one(f"SELECT 1 FROM {table} WHERE id=?", (record_id,)) is not None

        def put(table: str, record: Any, record_id: int | None, **changes: Any) -> int:
            row = {**to_row(table, record), **changes}
            if not keep_ids or taken(table, record_id):
                row.pop("id")
            return int(self.conn.execute(*insert_statement(table, row)).lastrowid or 0)

        def do() -> dict[int, int]:
            if self._one("SELECT 1 FROM incidents WHERE id=?", (incident.id,)):
                raise InputError(f"incident {incident.id} already exists")
            self.conn.execute(*insert_statement("incidents", to_row("incidents", incident)))
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

    # -- post-mortems and upkeep -------------------------------------------------------------

    def set_postmortem(self, incident_id: str, **changes: Any) -> None:
        """Change the post-mortem's status, owner or review_due (None: back to the severity's default)."""
        self.incident(incident_id)
        from warroom.store.postmortem_flow import save  # not on `warroom log`'s path

        self.write(lambda: save(self.conn, incident_id, self.now(), **changes))

    def postmortem_snapshot(self, incident_id: str) -> dict[str, Any] | None:
        """The post-mortem's stored row as it is now, for `put_back_postmortem` (None: nothing was ever set)."""
        from warroom.store.postmortem_undo import snapshot

        return self.write(lambda: snapshot(self.conn, incident_id))

    def put_back_postmortem(self, incident_id: str, saved: dict[str, Any] | None) -> None:
        """Restore a `postmortem_snapshot`; the row it replaces is kept as a revision."""
        from warroom.store.postmortem_undo import put_back

        self.write(lambda: put_back(self.conn, incident_id, saved, self.now()))

    def tidy(self) -> None:
        """Upkeep for idle moments, never waiting for a lock: merge the search index's new segments, checkpoint."""
        self.connection.upkeep(merge_sql(TIDY_PAGES))
        self.connection.checkpoint()
