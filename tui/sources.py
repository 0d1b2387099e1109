"""Adapters that let widgets read from the store without knowing it exists."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from warroom.store.reads import Reads
from warroom.store.records import Event
from warroom.store.timeline import EventKey, Marker, TimelineChanges
from warroom.store.timeparse import to_db
from warroom.widgets.pages import EventPages
from warroom.widgets.timeline_source import TimelineSource


class StoreTimelineSource:
    """An incident's live events by position, for TimelineView, kept current from what changed.

    The count and the places of rows already read are carried forward from the new rows and
    revisions since the last look rather than counted again, and a page next to one already read is
    fetched by key (keyset) instead of OFFSET, so a 100k timeline costs what a 100-row one does.
    """

    #: Rows whose place is remembered (the oldest are forgotten first; a place can always be counted again).
    MAX_KNOWN = 4096
    #: Events whose place was asked for (the cursor's), remembered apart so page reads never push them out.
    MAX_PINNED = 8

    def __init__(self, store: Reads, incident_id: str) -> None:
        self.store = store
        self.incident_id = incident_id
        self._marker: Marker | None = None
        self._count = 0
        self._last: EventKey | None = None
        self._known: dict[int, tuple[int, EventKey]] = {}
        self._keys: dict[int, EventKey] = {}
        self._pinned: dict[int, tuple[int, EventKey]] = {}
        #: Rows before this position were untouched by the last sync (their cached pages are still right).
        self.unchanged_before = 0

    def reset(self) -> None:
        """Forget everything; the next look counts afresh."""
        self._marker = None
        self._known.clear()
        self._keys.clear()
        self._pinned.clear()

    def sync(self) -> TimelineChanges | None:
        """Catch up with the file and say what changed (None after a fresh count)."""
        if self._marker is None:
            self._marker, self._count, self._last = self.store.timeline_state(self.incident_id)
            self.unchanged_before = 0
            return None
        changes = self.store.timeline_changes(self.incident_id, self._marker)
        self._marker = changes.marker
        last, old_count = self._last, self._count
        self.unchanged_before = old_count
        if changes.moves:
            self._count += changes.count_delta
            touched = [key for move in changes.moves for key in move if key is not None]
            if last is None or min(touched) <= last or any(before is not None for before, _ in changes.moves):
                # Not only new events at the end: what came before the earliest change is unchanged.
                lowest = min(touched)
                self.unchanged_before = max((pos + 1 for pos, key in self._known.values() if key < lowest), default=0)
                self._shift(changes)
            if last is not None:
                # Everything after the old last event is new, so the new tail's places are known too.
                tail = sorted(key for key in touched if key > last)
                self._remember_keys(self._count - len(tail), tail)
        self._last = changes.last
        return changes

    def _shift(self, changes: TimelineChanges) -> None:
        """Move remembered places by the events that entered or left before them."""
        left = sorted(before for before, after in changes.moves if before is not None and before != after)
        entered = sorted(after for before, after in changes.moves if after is not None and before != after)
        if not left and not entered:
            return  # edits in place: no event moved
        moved, lowest = set(left), min(left[:1] + entered[:1])

        def shifted(table: dict[int, tuple[int, EventKey]]) -> dict[int, tuple[int, EventKey]]:
            return {
                event_id: (pos if key < lowest else pos + bisect_left(entered, key) - bisect_left(left, key), key)
                for event_id, (pos, key) in table.items()
                if key not in moved
            }

        self._known, self._pinned = shifted(self._known), shifted(self._pinned)
        self._keys = {pos: key for pos, key in self._known.values()}

    def count(self) -> int:
        """How many live events there are now (a look at the marker when nothing changed)."""
        if self._marker is None or self.store.change_marker() != self._marker:
            self.sync()
        return self._count

    def page(self, start: int, limit: int) -> Sequence[Event]:
        """Events at positions start..start+limit: by key next to a page already read, else from the nearer end."""
        with self.store.snapshot():
            fresh = self._fresh()
            after, before = self._keys.get(start - 1), self._keys.get(start + limit)
            if fresh and after is not None:
                events = self.store.events_after(self.incident_id, after, limit)
            elif fresh and before is not None:
                events = self.store.events_before(self.incident_id, before, limit)
            else:
                events = self.store.events_page(self.incident_id, start, limit, total=self._count)
        if fresh:
            # Places are remembered only when they match the count the view was given.
            self._remember_keys(start, [_key(e) for e in events])
        return events

    def _fresh(self) -> bool:
        """Whether the file is as the last sync saw it (so places read now agree with the count)."""
        return self._marker is not None and self.store.change_marker() == self._marker

    def _remember_keys(self, start: int, keys: Sequence[EventKey]) -> None:
        known = self._known
        for pos, key in enumerate(keys, start):
            known.pop(key[1], None)  # re-inserted as the newest
            known[key[1]] = (pos, key)
            self._keys[pos] = key
        while len(known) > self.MAX_KNOWN:
            pos, key = known.pop(next(iter(known)))
            if self._keys.get(pos) == key:
                del self._keys[pos]

    def position_of(self, event_id: int) -> int | None:
        """Where an event stands in time order (remembered, or counted in the index and then remembered)."""
        found = self._pinned.pop(event_id, None) or self._known.get(event_id)
        if found is None:
            with self.store.snapshot():
                fresh = self._fresh()
                pos = self.store.event_position(event_id)
                event = self.store.event(event_id) if fresh and pos is not None else None
            if pos is None or event is None:
                return pos
            found = (pos, _key(event))
        self._pinned[event_id] = found
        while len(self._pinned) > self.MAX_PINNED:
            del self._pinned[next(iter(self._pinned))]
        return found[0]


def _key(event: Event) -> EventKey:
    """An event's place in time order, as the store compares it."""
    return (to_db(event.occurred_at) or "", event.id or 0)


class TimelineWindow:
    """Events by position from a TimelineSource, a page at a time, so a 100k timeline is never loaded whole."""

    PAGE = 64
    MAX_PAGES = 32

    def __init__(self, source: TimelineSource) -> None:
        self.source = source
        self.count = 0
        self._pages = EventPages(source.page, self.PAGE, self.MAX_PAGES)

    def reload(self) -> None:
        """Forget cached rows and re-count."""
        self._pages.clear()
        self.count = self.source.count()

    def row(self, index: int) -> Event | None:
        """The event at a position, or None outside the timeline."""
        if index < 0 or index >= self.count:
            return None
        return self._pages.row(index)

    def rows(self, start: int, stop: int) -> list[Event]:
        """The events at positions start..stop (clipped to the timeline)."""
        found = (self.row(i) for i in range(max(start, 0), min(stop, self.count)))
        return [e for e in found if e is not None]

    def position_of(self, event_id: int) -> int | None:
        """Where an event stands now, if it is live."""
        return self.source.position_of(event_id)
