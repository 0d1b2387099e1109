"""Events by position, fetched a page at a time: a 100k-event timeline is never loaded whole."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.cache import LRUCache

from warroom.store.records import Event

#: Reads `limit` events from position `start` in time order.
Fetch = Callable[[int, int], Sequence[Event]]


class EventPages:
    """The pages of events read so far, the least recently used dropped first once `max_pages` are kept."""

    def __init__(self, fetch: Fetch, page_size: int, max_pages: int) -> None:
        self._fetch = fetch
        self.page_size = page_size
        self._pages: LRUCache[int, Sequence[Event]] = LRUCache(max_pages)

    def row(self, index: int) -> Event | None:
        """The event at position `index` (the caller knows it is within the timeline)."""
        page_no, offset = divmod(index, self.page_size)
        page = self._pages.get(page_no)
        if page is None:
            page = self._fetch(page_no * self.page_size, self.page_size)
            self._pages.set(page_no, page)
        return page[offset] if offset < len(page) else None

    def clear(self) -> None:
        """Forget every page (the timeline changed)."""
        self._pages.clear()

    def keep_before(self, position: int) -> None:
        """Forget the pages not wholly before `position` (rows before it are known to be unchanged)."""
        for page_no in list(self._pages.keys()):
            if (page_no + 1) * self.page_size > position:
                self._pages.discard(page_no)
