"""The read side of the store: what the UI thread may call, and every query behind it.

The TUI's screens hold a `Reads`, so a write on the UI thread is a type error: writes go to the
writer thread as jobs, which get the full `Store` (store/store.py). The CLI, one thread,
uses the full `Store`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warroom.store import milestones, recent, timeline
from warroom.store.action_lists import action_rows, deadlines, followup_head
from warroom.store.db import Connection
from warroom.store.errors import NotFoundError
from warroom.store.kinds import CLOSED_ACTION_STATUSES, OPEN_STATUSES, EventKind, FactorKind, Milestone, Status
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
from warroom.store.records import ActionItem, Event, Factor, Incident, Presented
from warroom.store.rows import (
    action_from_row,
    event_from_row,
    events_from_rows,
    factor_from_row,
    incident_from_row,
    paused_gc,
)
from warroom.store.search import SearchHit, search_event_keys
from warroom.store.search import search as search_index
from warroom.store.timeline import EventKey, Marker, TimelineChanges
from warroom.store.timeparse import UTC, from_db, to_db

if TYPE_CHECKING:
    from warroom.store.config import Config
    from warroom.store.postmortem_flow import PostmortemState
    from warroom.store.related import RelatedIncident
    from warroom.store.search_results import SearchResult
    from warroom.store.settlements import HypothesisStatus, Settlement

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """Now, in UTC."""
    return dt.datetime.now(UTC)


class Reads:
    """Every read warroom makes, named for what it means to an incident; one per thread, owning its connection."""

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

    # -- review ------------------------------------------------------------------------------

    def next_marked_event(self, incident_id: str, event_id: int, direction: int) -> Event | None:
        """The nearest live milestone or starred event after (direction > 0) or before `event_id` in time order."""
        key = timeline.key_of(self.conn, incident_id, event_id)
        if key is None:
            raise NotFoundError(f"no event {event_id} in {incident_id}")
        row = timeline.next_marked(self.conn, incident_id, key, direction)
        return None if row is None else event_from_row(row)

    def next_marked_position(self, incident_id: str, event_id: int, direction: int) -> int | None:
        """The timeline position of `next_marked_event`, or None when there is no such event."""
        found = self.next_marked_event(incident_id, event_id, direction)
        return None if found is None or found.id is None else self.event_position(found.id)

    def first_event_from(self, incident_id: str, moment: dt.datetime) -> Event | None:
        """The first live event at or after `moment` (a keyset search on the timeline index)."""
        row = timeline.first_from(self.conn, incident_id, to_db(moment))
        return None if row is None else event_from_row(row)

    # -- large timelines, search, post-mortems -----------------------------------------------

    def events_after(self, incident_id: str, key: EventKey | None, limit: int) -> list[Event]:
        """Up to `limit` live events after `key` in time order: a keyset page, as cheap at the end as at the start."""
        return events_from_rows(timeline.rows_after(self.conn, incident_id, key, limit))

    def events_before(self, incident_id: str, key: EventKey | None, limit: int) -> list[Event]:
        """Up to `limit` live events before `key` (the last ones when None), in time order."""
        return events_from_rows(timeline.rows_before(self.conn, incident_id, key, limit))

    def event_pages(self, incident_id: str, size: int) -> Iterator[list[Event]]:
        """The whole live timeline in time order, `size` events at a time: memory stays flat however long it is."""
        key: EventKey | None = None
        while rows := timeline.rows_after(self.conn, incident_id, key, size):
            yield events_from_rows(rows)
            key = (rows[-1]["occurred_at"], rows[-1]["id"])  # as stored, so the next page starts exactly after it

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

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Events, factors, action items and incidents of every incident matching `query`, best (bm25) first."""
        return search_index(self.conn, query, limit)

    def search_results(self, query: str, limit: int = 50, notes: list[str] | None = None) -> list[SearchResult]:
        """`search`, each hit described for a reader (which incident, where in it); `notes` gets what was cut."""
        from warroom.store.search_results import search_results

        return search_results(self.conn, query, limit, notes)

    def lint_allowlist(self, incident_id: str) -> list[str]:
        """Phrases the blameless-language check accepts for this incident, sorted."""
        rows = self._all("SELECT phrase FROM lint_allow WHERE incident_id=? ORDER BY phrase", (incident_id,))
        return [str(r["phrase"]) for r in rows]

    def postmortem(self, incident_id: str, config: Config, tz: dt.tzinfo) -> PostmortemState:
        """The incident's post-mortem stage, owner and review due date (by the config's severity levels)."""
        # Here, not at the top: `warroom log` from an alert hook never loads the post-mortem or related modules.
        from warroom.store.postmortem_flow import state

        self.incident(incident_id)  # a clear error for an unknown id
        return state(self.conn, incident_id, config, tz)

    def postmortems(self, config: Config, tz: dt.tzinfo) -> dict[str, PostmortemState]:
        """Every incident's post-mortem, by incident id, in one query."""
        from warroom.store.postmortem_flow import states

        return states(self.conn, config, tz)

    def related(self, incident_id: str, limit: int = 5) -> list[RelatedIncident]:
        """Other incidents that share words of the title and causes, tags or teams with this one, best first."""
        from warroom.store.related import related_incidents

        self.incident(incident_id)  # a clear error for an unknown id
        return related_incidents(self.conn, incident_id, limit)

    def milestone_events(self, incident_id: str) -> dict[str, tuple[int, dt.datetime]]:
        """Milestone name -> (id, time) of the earliest live event that decides it (store/key_times.py)."""
        return milestones.deciding(self.conn, incident_id)

    def sections(self, incident_id: str) -> dict[str, str]:
        """Title -> text of each of the config's extra post-mortem sections written for the incident."""
        rows = self._all("SELECT title, text FROM sections WHERE incident_id=?", (incident_id,))
        return {str(row[0]): str(row[1]) for row in rows}

    def shows_related_section(self, incident_id: str) -> bool:
        """Whether the incident's post-mortem includes "Related Incidents" (off until someone chooses it)."""
        row = self._one("SELECT related FROM export_choices WHERE incident_id=?", (incident_id,))
        return bool(row[0]) if row is not None else False

    def presented(self, incident_id: str) -> Presented | None:
        """Where the presenter of this incident's review is, or None when nobody presents (`Writes.present`)."""
        row = self._one("SELECT event_id, presenter, moved_at FROM presenting WHERE incident_id=?", (incident_id,))
        if row is None:
            return None
        moved = from_db(row["moved_at"])
        assert moved is not None
        return Presented(int(row["event_id"]), str(row["presenter"]), moved)

    # -- the catch-up, stakeholder updates and hypotheses ------------------------------------

    def last_stakeholder_update(self, incident_id: str) -> Event | None:
        """The latest live stakeholder update (by when it happened), if any was sent (store/comms.py)."""
        row = recent.last_update(self.conn, incident_id)
        return None if row is None else event_from_row(row)

    def latest_events(self, incident_id: str, kind: EventKind, limit: int) -> list[Event]:
        """The latest `limit` live events of one kind, newest first; of hypotheses, only the open ones."""
        return events_from_rows(recent.latest(self.conn, incident_id, kind, limit))

    def open_hypothesis_count(self, incident_id: str, cap: int) -> int:
        """How many hypotheses are neither ruled out nor confirmed, counted up to `cap`."""
        return recent.open_hypotheses(self.conn, incident_id, cap)

    def being_done(self, incident_id: str, limit: int) -> list[str]:
        """The texts of the latest `limit` live actions and decisions, oldest first."""
        return recent.being_done(self.conn, incident_id, limit)

    def hypothesis_events(self, incident_id: str) -> list[Event]:
        """The incident's live hypothesis events in timeline order (and none of its other events)."""
        from warroom.store.settlements import hypothesis_rows

        return events_from_rows(hypothesis_rows(self.conn, incident_id))

    def first_open_hypotheses(self, incident_id: str, limit: int) -> list[Event]:
        """The first `limit` hypotheses in timeline order that are neither ruled out nor confirmed."""
        from warroom.store.settlements import open_hypothesis_rows

        return events_from_rows(open_hypothesis_rows(self.conn, incident_id, limit))

    def hypothesis_settlements(self, incident_id: str) -> dict[int, Settlement]:
        """How each ruled-out or confirmed hypothesis of the incident was settled, by its event id."""
        from warroom.store.settlements import settlements

        return settlements(self.conn, incident_id)

    def hypothesis_statuses(self, incident_id: str) -> dict[int, HypothesisStatus]:
        """Where each settled hypothesis stands, by event id; open ones are absent."""
        from warroom.store.settlements import statuses

        return statuses(self.conn, incident_id)

    def is_settled(self, event_id: int) -> bool:
        """Whether hypothesis `event_id` is ruled out or confirmed."""
        from warroom.store.settlements import is_settled

        return is_settled(self.conn, event_id)

    def open_hypothesis_total(self, incident_id: str) -> int:
        """How many hypotheses are neither ruled out nor confirmed: one row kept by triggers (hypothesis_counts.py)."""
        from warroom.store.hypothesis_counts import open_total

        return open_total(self.conn, incident_id)
