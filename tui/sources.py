"""Adapters that let widgets read from the store without knowing it exists."""

from __future__ import annotations

from collections.abc import Sequence

from store.models import Event
from store.store import Store
from widgets.timeline import TimelineSource


class StoreTimelineSource:
    """An incident's live events, by position, for TimelineView."""

    def __init__(self, store: Store, incident_id: str) -> None:
        self.store = store
        self.incident_id = incident_id

    def count(self) -> int:
        """How many live events there are."""
        return self.store.count_events(self.incident_id)

    def page(self, start: int, limit: int) -> Sequence[Event]:
        """Events at positions start..start+limit."""
        return self.store.events_page(self.incident_id, start, limit)

    def position_of(self, event_id: int) -> int | None:
        """Where an event stands in time order."""
        return self.store.event_position(event_id)


class TimelineWindow:
    """Events by position from a TimelineSource, a page at a time, so a 100k timeline is never loaded whole."""

    PAGE = 64
    MAX_PAGES = 32

    def __init__(self, source: TimelineSource) -> None:
        self.source = source
        self.count = 0
        self._pages: dict[int, Sequence[Event]] = {}

    def reload(self) -> None:
        """Forget cached rows and re-count."""
        self._pages.clear()
        self.count = self.source.count()

    def row(self, index: int) -> Event | None:
        """The event at a position, or None outside the timeline."""
        if index < 0 or index >= self.count:
            return None
        page_no = index // self.PAGE
        page = self._pages.get(page_no)
        if page is None:
            if len(self._pages) >= self.MAX_PAGES:
                self._pages.clear()
            page = self._pages[page_no] = self.source.page(page_no * self.PAGE, self.PAGE)
        offset = index - page_no * self.PAGE
        return page[offset] if offset < len(page) else None

    def rows(self, start: int, stop: int) -> list[Event]:
        """The events at positions start..stop (clipped to the timeline)."""
        found = (self.row(i) for i in range(max(start, 0), min(stop, self.count)))
        return [e for e in found if e is not None]

    def position_of(self, event_id: int) -> int | None:
        """Where an event stands now, if it is live."""
        return self.source.position_of(event_id)
