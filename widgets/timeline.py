"""The timeline: a line-API view that renders only the visible events, fetched lazily by position."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from warroom.store.kinds import EventKind
from warroom.store.links import links_in
from warroom.store.records import Event
from warroom.widgets.pages import EventPages
from warroom.widgets.textual_compat import SteadyScrollView, set_virtual_size_quietly
from warroom.widgets.timeline_line import event_segments
from warroom.widgets.timeline_source import TimelineSource

PAGE = 128
#: Pages of the timeline kept in memory (the least recently shown are read again when needed).
MAX_PAGES = 64


class TimelineView(SteadyScrollView, can_focus=True):
    """Every event of an incident, one per line; milestones and starred events stand out."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("J", "jump_new", "New events", show=False, tooltip="Jump to the first event that arrived out of sight"),
        Binding("e,enter", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete"),
        Binding("s", "star", "Star"),
        Binding("o", "open_link", "Open link", show=False, tooltip="Open the event's first link in the browser"),
        Binding("slash", "find", "Find", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--time",
        "timeline--kind",
        "timeline--milestone",
        "timeline--starred",
        "timeline--team",
        "timeline--cursor",
        "timeline--empty",
        "timeline--new",
        "timeline--link",
        "timeline--hyp-open",
        "timeline--hyp-ruled-out",
        "timeline--hyp-confirmed",
    }

    DEFAULT_CSS = """
    TimelineView {
        background: $surface;
        overflow-x: hidden;
    }
    TimelineView > .timeline--time { color: $text-muted; }
    TimelineView > .timeline--kind { color: $secondary; }
    TimelineView > .timeline--milestone { color: $warning; text-style: bold; }
    TimelineView > .timeline--starred { color: $accent; text-style: bold; }
    TimelineView > .timeline--team { color: $primary; }
    TimelineView > .timeline--cursor { background: $block-cursor-blurred-background; }
    TimelineView:focus > .timeline--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    TimelineView > .timeline--empty { color: $text-muted; text-style: italic; }
    TimelineView > .timeline--link { color: $text-primary; text-style: underline; }
    TimelineView > .timeline--hyp-open { color: $warning; }
    TimelineView > .timeline--hyp-ruled-out { color: $text-muted; }
    TimelineView > .timeline--hyp-confirmed { color: $success; text-style: bold; }
    TimelineView > .timeline--new { background: $accent; color: $text; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class EventMessage(Message):
        """Base of the timeline's messages about one event; never posted itself (as OptionList's OptionMessage)."""

        def __init__(self, view: TimelineView, event: Event | None) -> None:
            super().__init__()
            self.view = view
            self.event = event

        @property
        def control(self) -> TimelineView:
            """The timeline that sent it."""
            return self.view

    class Highlighted(EventMessage):
        """The cursor moved to an event. Handled by `on_timeline_view_highlighted`."""

    class EditRequested(EventMessage):
        """The user asked to edit an event. Handled by `on_timeline_view_edit_requested`."""

    class DeleteRequested(EventMessage):
        """The user asked to delete an event. Handled by `on_timeline_view_delete_requested`."""

    class StarRequested(EventMessage):
        """The user toggled an event's star. Handled by `on_timeline_view_star_requested`."""

    class FindRequested(EventMessage):
        """The user pressed `/` to find text. Handled by `on_timeline_view_find_requested`."""

    def __init__(
        self,
        source: TimelineSource,
        tz: dt.tzinfo,
        *,
        empty_text: str = "No events yet.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.source = source
        self.tz = tz
        self.empty_text = empty_text
        self._count = 0
        self._pages = EventPages(source.page, PAGE, MAX_PAGES)
        self._show_dates = False
        #: The widget's own style and its component styles, worked out once per style change, not per line.
        self._styles: dict[str, Style] = {}
        #: Each shown event's line: (the record as drawn, (cursor on it, width, dates shown), strip), by event id;
        #: reused while the record read again is equal (a reload reads the tail page anew).
        self._strips: dict[int | None, tuple[Event, tuple[bool, int, bool, str], Strip]] = {}
        #: Where each settled hypothesis stands ("ruled out", "confirmed"), by event id; others are open.
        self.hypotheses: dict[int, str] = {}
        #: Events that arrived below the visible rows while the cursor was not following the tail,
        #: and the position of the first of them (where `J` jumps).
        self.unseen = 0
        self._first_unseen = 0

    # -- data --------------------------------------------------------------------------------

    @property
    def count(self) -> int:
        """Rows currently known."""
        return self._count

    def reload(self, *, follow: bool | None = None, keep_before: int = 0) -> None:
        """Re-read the row count and drop cached rows; keep the user's place unless following the tail.

        `keep_before`: rows before this position are known to be unchanged (only appended after), so
        their cached pages stay.
        """
        was_at_end = self._count == 0 or self.cursor >= self._count - 1
        keep_id = self.current.id if self.current else None
        old_count = self._count
        self._pages.keep_before(keep_before)
        self._count = self.source.count()
        following = follow if follow is not None else was_at_end
        self._count_unseen(old_count, keep_before, following)
        first, last = self.row(0), self.row(self._count - 1)
        self._show_dates = bool(
            first
            and last
            and first.occurred_at.astimezone(self.tz).date() != last.occurred_at.astimezone(self.tz).date()
        )
        self._set_virtual_height(self._count)
        if following:
            if not self.size.height:
                # Not laid out yet: Textual's anchor makes the first layout scroll to the end, so the first frame
                # already shows the latest events (the cursor's own scroll needs the height, known only later).
                self.anchor()
            self.move_to(self._count - 1)
        elif keep_id is not None:
            pos = self.source.position_of(keep_id)
            self.cursor = min(pos if pos is not None else self.cursor, max(self._count - 1, 0))
        self.refresh()

    def _count_unseen(self, old_count: int, keep_before: int, following: bool) -> None:
        """Add events that arrived below the visible rows to `unseen`, so the reader knows they are there."""
        added = self._count - old_count
        if following or old_count == 0 or added <= 0:
            if following or self._count == 0:
                self.unseen = 0
            return
        bottom = int(self.scroll_offset.y) + max(self.scrollable_content_region.height, 1)
        first_new = max(keep_before, 0)
        if first_new < bottom:
            return  # at least the first of them is in sight (a backdated entry), or the rows are unknown
        if not self.unseen:
            self._first_unseen = first_new
        self._first_unseen = min(self._first_unseen, first_new)
        self.unseen += added

    def _see_unseen(self) -> None:
        """Forget the unseen count once the rows where they arrived are in sight."""
        if not self.unseen:
            return
        bottom = int(self.scroll_offset.y) + max(self.scrollable_content_region.height, 1)
        if bottom > self._first_unseen or self.cursor >= self._first_unseen:
            self.unseen = 0
            self.refresh()

    def _set_virtual_height(self, rows: int) -> None:
        """Make the scrollable height `rows`, without a screen layout when the scrollbar stays as it is."""
        size = Size(self.size.width, rows)
        if size == self.virtual_size:
            return
        height = self.scrollable_content_region.height
        # Assigning virtual_size lays out the whole screen (several ms), once per new event while events
        # stream in; with the scrollbar shown before and after, updating it is enough.
        steady = height and size.width == self.virtual_size.width and min(rows, self.virtual_size.height) > height
        if steady and set_virtual_size_quietly(self, size):
            self.refresh()
            return
        self.virtual_size = size

    def row(self, index: int) -> Event | None:
        """The event at a position, fetched a page at a time."""
        if index < 0 or index >= self._count:
            return None
        return self._pages.row(index)

    @property
    def current(self) -> Event | None:
        """The event under the cursor."""
        return self.row(self.cursor)

    def move_to(self, index: int) -> None:
        """Put the cursor on a row and scroll it into view."""
        self.cursor = max(0, min(index, self._count - 1))

    def select_event(self, event_id: int) -> None:
        """Put the cursor on an event by id."""
        pos = self.source.position_of(event_id)
        if pos is not None:
            self.move_to(pos)

    def watch_cursor(self, value: int) -> None:
        if value < self._count - 1:
            self.anchor(False)  # moved off the last row before the first layout (a search result opens here)
        self._scroll_to_cursor()
        self._see_unseen()
        # Before the first layout the height is unknown: scroll again once it is.
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            target = self.cursor
        elif self.cursor >= top + height:
            target = self.cursor - height + 1
        else:
            return
        self.scroll_to(y=target, animate=False, force=True, immediate=True)

    def on_resize(self) -> None:
        self.anchor(False)  # laid out: from now on the cursor decides what is in view
        size = Size(self.size.width, self._count)
        # The layout that resized it already counted the rows (only the width was unknown, and overflow-x is
        # hidden): the scrollbars are updated without laying out the whole screen a second time.
        if size != self.virtual_size and not (
            size.height == self.virtual_size.height and set_virtual_size_quietly(self, size)
        ):
            self.virtual_size = size
        self.call_after_refresh(self._scroll_to_cursor)

    # -- rendering ---------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles.clear()
        self._strips.clear()
        super().notify_style_update()

    def _style(self, name: str) -> Style:
        """A component's style combined with the widget's own ("" for the widget's own alone)."""
        styles = self._styles
        if not styles:
            # Working out the widget's style walks every ancestor: once here, not on each of 40 lines.
            base = styles[""] = self.rich_style
            for component in self.COMPONENT_CLASSES:
                styles[component] = base + self.get_component_rich_style(component)
        return styles[name]

    def render_line(self, y: int) -> Strip:
        strip = self._render_row(y)
        if self.unseen and y == self.scrollable_content_region.height - 1:
            # The last visible line carries the notice at its right end: "3 new ↓ J".
            badge = f" {self.unseen} new ↓ J "
            width = self.scrollable_content_region.width
            keep = max(width - cell_len(badge), 0)
            strip = Strip.join([strip.crop(0, keep), Strip([Segment(badge, self._style("timeline--new"))])])
            strip = strip.crop(0, width)
        return strip

    def _render_row(self, y: int) -> Strip:
        """One visible line: an event, the empty-timeline hint, or blank."""
        scroll_y = int(self.scroll_offset.y)
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self._style("")
        if self._count == 0:
            if y == 0:
                style = self._style("timeline--empty")
                return Strip([Segment(" " + self.empty_text, style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        event = self.row(index)
        if event is None:
            return Strip.blank(width, base)
        # Scrolling by one row (a new event at the tail) redraws every line: the other rows' strips are reused.
        shape = (index == self.cursor, width, self._show_dates, self._hypothesis_state(event))
        cached = self._strips.get(event.id)
        if cached is not None and cached[1] == shape and cached[0] == event:
            return cached[2]
        segments = event_segments(
            event, width, self.tz, self._style, show_dates=self._show_dates, state=self._hypothesis_state(event)
        )
        if index == self.cursor:
            cursor = self.get_component_rich_style("timeline--cursor")
            segments = [Segment(s.text, (s.style or base) + cursor) for s in segments]
            base = base + cursor
        strip = Strip(segments).adjust_cell_length(width, base)
        if len(self._strips) > 1024:
            self._strips.clear()
        self._strips[event.id] = (event, shape, strip)
        return strip

    def _hypothesis_state(self, event: Event) -> str:
        """Open, ruled out or confirmed for a hypothesis (as "open", "ruled out", "confirmed"); "" otherwise."""
        if event.kind is not EventKind.HYPOTHESIS:
            return ""
        return self.hypotheses.get(event.id or 0, "open")

    def show_hypotheses(self, states: dict[int, str]) -> None:
        """Mark settled hypotheses (event id -> "ruled out" / "confirmed"); the rest show as open."""
        if states != self.hypotheses:
            self.hypotheses = states
            self.refresh()

    # -- actions -----------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        """Move the cursor."""
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        """Move a screenful."""
        self.move_to(self.cursor + direction * max(self.size.height - 1, 1))

    def action_first(self) -> None:
        """Go to the first event."""
        self.move_to(0)

    def action_last(self) -> None:
        """Go to the newest event (and follow new ones)."""
        self.move_to(self._count - 1)

    def action_jump_new(self) -> None:
        """Go to the first event that arrived out of sight (the newest when none did)."""
        self.move_to(self._first_unseen if self.unseen else self._count - 1)

    def action_edit(self) -> None:
        """Ask to edit the current event."""
        if self.current:
            self.post_message(self.EditRequested(self, self.current))

    def action_delete(self) -> None:
        """Ask to delete the current event."""
        if self.current:
            self.post_message(self.DeleteRequested(self, self.current))

    def action_open_link(self) -> None:
        """Open the current event's first link in the browser (the terminal's own link handling aside)."""
        found = links_in(self.current.text) if self.current else []
        if found:
            self.app.open_url(found[0])
        else:
            self.app.bell()

    def action_star(self) -> None:
        """Ask to star or unstar the current event."""
        if self.current:
            self.post_message(self.StarRequested(self, self.current))

    def action_find(self) -> None:
        """Ask to find text in the timeline."""
        self.post_message(self.FindRequested(self, self.current))
