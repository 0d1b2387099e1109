"""Adapters that let widgets read from the store without knowing it exists."""

from __future__ import annotations

from collections.abc import Sequence

from store.models import Event
from store.store import Store


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
