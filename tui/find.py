"""Find in the timeline: full-text matches in timeline order, and the helper behind the incident screen's find keys."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from textual.widget import Widget

from warroom.store.reads import Reads
from warroom.store.timeline import EventKey, Marker
from warroom.store.timeparse import to_db
from warroom.widgets.find_bar import FindBar
from warroom.widgets.timeline import TimelineView

if TYPE_CHECKING:
    from textual.timer import Timer

    from warroom.tui.screens.base import WarroomScreen

#: Pause in typing before the index is asked (a search of 100k events takes a few tens of ms at worst).
TYPING_PAUSE = 0.12


class Matches:
    """The events matching one query, as keys in timeline order, and which one was shown last."""

    def __init__(self) -> None:
        self.query = ""
        self.keys: list[EventKey] = []
        self.index: int | None = None
        self.marker: Marker | None = None

    def run(self, store: Reads, incident_id: str, query: str) -> None:
        """Ask the index again (every word quoted, so any text is a valid query)."""
        self.query = query
        self.marker = store.change_marker()
        self.keys = store.search_event_keys(incident_id, query) if query.strip() else []
        self.index = None

    def nearest(self, key: EventKey | None, direction: int, *, include_key: bool) -> int | None:
        """The match after (1) or before (-1) `key`, wrapping round at either end; None when there is none."""
        if not self.keys:
            return None
        if key is None:
            return 0 if direction > 0 else len(self.keys) - 1
        if direction > 0:
            i = bisect_left(self.keys, key) if include_key else bisect_right(self.keys, key)
            return i if i < len(self.keys) else 0
        i = (bisect_right(self.keys, key) if include_key else bisect_left(self.keys, key)) - 1
        return i if i >= 0 else len(self.keys) - 1


def event_key(view: TimelineView) -> EventKey | None:
    """The key of the event under the timeline's cursor."""
    event = view.current
    if event is None or event.id is None:
        return None
    return (to_db(event.occurred_at) or "", event.id)


class TimelineFind:
    """The incident screen's find: `/` or ctrl+f opens the find bar, n / N or F3 / shift+F3 step, Escape closes.

    Composed into `IncidentScreen` (`screen.find`); the screen's find actions and find-bar handlers call it.
    """

    def __init__(self, screen: WarroomScreen, incident_id: str) -> None:
        self.screen = screen
        self.incident_id = incident_id
        self.matches = Matches()
        #: Runs the search once typing pauses; None when nothing typed waits to be searched.
        self._timer: Timer | None = None
        #: The event under the cursor when the bar opened: the search starts there.
        self._origin: EventKey | None = None

    def _timeline(self) -> TimelineView:
        return self.screen.query_one(TimelineView)

    def _bar(self) -> FindBar | None:
        """The find bar, once opened: it is mounted the first time it is needed, not with the screen."""
        found = self.screen.query(FindBar)
        return found.first() if found else None

    def open(self) -> None:
        """Open the find bar (the search starts from the event under the cursor)."""
        timeline = self._timeline()
        self._origin = event_key(timeline)
        bar = self._bar()
        if bar is None:
            # Opens (takes the focus) once mounted, under the timeline; keys typed meanwhile wait for it
            # (tui/keygate.py).
            box = timeline.parent
            assert isinstance(box, Widget)
            box.mount(FindBar(id="find", open_now=True), after=timeline)
        else:
            bar.open()

    def text_changed(self) -> None:
        """Search again once typing pauses."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(TYPING_PAUSE, self._find_now)

    def _find_now(self) -> None:
        """Run the search for the bar's text and show the first match from where the find began."""
        self._timer = None
        bar = self._bar()
        self.matches.run(self.screen.wapp.store, self.incident_id, bar.text if bar else "")
        self._show_match(self.matches.nearest(self._origin, 1, include_key=True))

    def step(self, message: FindBar.Step) -> None:
        """Enter accepts the match (the timeline takes the keys); up / down in the bar step."""
        if message.accept:
            if self._timer is not None or self.matches.query != message.bar.text:
                self._find_now()
            self._timeline().focus()
            return
        self.next(message.direction)

    def closed(self) -> None:
        """Back to the timeline, the cursor where the find left it."""
        self._timeline().focus()

    def next(self, direction: int = 1) -> None:
        """Go to the next (1) or previous (-1) match of the last find."""
        bar = self._bar()
        if bar is None or not bar.text.strip():
            self.open()
            return
        matches, store = self.matches, self.screen.wapp.store
        if self._timer is not None or matches.query != bar.text or matches.marker != store.change_marker():
            # Typed but not yet searched, or the timeline changed since: ask the index again.
            matches.run(store, self.incident_id, bar.text)
        if not bar.is_open:
            bar.add_class("-open")
        self._show_match(matches.nearest(event_key(self._timeline()), direction, include_key=False))

    def _show_match(self, index: int | None) -> None:
        """Put the cursor on match `index` and show "k of n"."""
        matches = self.matches
        matches.index = index
        if index is not None:
            self._timeline().select_event(matches.keys[index][1])
        bar = self._bar()
        if bar is not None:
            bar.show_count(index, len(matches.keys))

    def close(self) -> bool:
        """Close the find bar if it is open (Escape in the timeline); False when it was not."""
        bar = self._bar()
        if bar is None or not bar.is_open:
            return False
        bar.close()
        return True
