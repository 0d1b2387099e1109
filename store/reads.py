"""The read side of the store: what the UI thread may call, and every query behind it.

The TUI's screens hold a `Reads`, so a write on the UI thread is a type error: writes go to the
writer thread as jobs, which get the full `Store` (store/store.py). The CLI, one thread,
uses the full `Store`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from warroom.store import milestones, recent, timeline
from warroom.store.errors import NotFoundError
from warroom.store.kinds import EventKind
from warroom.store.records import Event, Presented
from warroom.store.rows import (
    event_from_row,
    events_from_rows,
)
from warroom.store.search import SearchHit, search_event_keys
from warroom.store.search import search as search_index
from warroom.store.timeline import EventKey, Marker, TimelineChanges
from warroom.store.timeparse import from_db, to_db

if TYPE_CHECKING:
    from warroom.store.config import Config
    from warroom.store.postmortem_flow import PostmortemState
    from warroom.store.related import RelatedIncident
    from warroom.store.search_results import SearchResult
    from warroom.store.settlements import HypothesisStatus, Settlement

from warroom.store.reads_records import RecordReads


class Reads(RecordReads):
    """Every read warroom makes, named for what it means to an incident: the records, and the review, search,
    post-mortem and catch-up reads built on them."""

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

    def event_pages(self, incident_id: str, size: int, *, include_deleted: bool = False) -> Iterator[list[Event]]:
        """The whole live timeline (deleted events too, when asked) in time order, `size` events at a time: memory
        stays flat however long it is."""
        key: EventKey | None = None
        while rows := timeline.rows_after(self.conn, incident_id, key, size, include_deleted=include_deleted):
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
