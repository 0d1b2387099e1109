"""Where the timeline's rows come from: the count, a page by position, the position of an event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from warroom.store.records import Event


class TimelineSource(Protocol):
    """Where the timeline's rows come from (the app supplies one backed by the store)."""

    def count(self) -> int:
        """How many live events there are."""
        ...

    def page(self, start: int, limit: int) -> Sequence[Event]:
        """Events at positions start..start+limit in time order."""
        ...

    def position_of(self, event_id: int) -> int | None:
        """The position of an event in time order, if it is live."""
        ...
