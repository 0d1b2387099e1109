"""The timeline: a line-API view that renders only the visible events, fetched lazily by position."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from warroom.store.kinds import EventKind
from warroom.store.records import Event
from warroom.store.text import one_line
from warroom.widgets.pages import EventPages
from warroom.widgets.textual_compat import set_virtual_size_quietly

PAGE = 128
#: Pages of the timeline kept in memory (the least recently shown are read again when needed).
MAX_PAGES = 64

KIND_LABELS = {
    EventKind.NOTE: "note",
    EventKind.DETECTION: "detection",
    EventKind.HYPOTHESIS: "hypothesis",
    EventKind.DECISION: "decision",
    EventKind.ACTION: "action",
    EventKind.COMMS: "comms",
    EventKind.MILESTONE: "milestone",
}


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


class TimelineView(ScrollView, can_focus=True):
    """Every event of an incident, one per line; milestones and starred events stand out."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("e,enter", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete"),
        Binding("s", "star", "Star"),
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
        self._strips: dict[int | None, tuple[Event, tuple[bool, int, bool], Strip]] = {}

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
        self._pages.keep_before(keep_before)
        self._count = self.source.count()
        first, last = self.row(0), self.row(self._count - 1)
        self._show_dates = bool(
            first
            and last
            and first.occurred_at.astimezone(self.tz).date() != last.occurred_at.astimezone(self.tz).date()
        )
        self._set_virtual_height(self._count)
        if follow if follow is not None else was_at_end:
            self.move_to(self._count - 1)
        elif keep_id is not None:
            pos = self.source.position_of(keep_id)
            self.cursor = min(pos if pos is not None else self.cursor, max(self._count - 1, 0))
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
        self._scroll_to_cursor()
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
        self.virtual_size = Size(self.size.width, self._count)
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
        shape = (index == self.cursor, width, self._show_dates)
        cached = self._strips.get(event.id)
        if cached is not None and cached[1] == shape and cached[0] == event:
            return cached[2]
        segments = self._segments(event, width)
        if index == self.cursor:
            cursor = self.get_component_rich_style("timeline--cursor")
            segments = [Segment(s.text, (s.style or base) + cursor) for s in segments]
            base = base + cursor
        strip = Strip(segments).adjust_cell_length(width, base)
        if len(self._strips) > 1024:
            self._strips.clear()
        self._strips[event.id] = (event, shape, strip)
        return strip

    def _segments(self, event: Event, width: int) -> list[Segment]:
        """One event's line: time, mark, kind, text, team."""
        style = self._style
        local = event.occurred_at.astimezone(self.tz)
        stamp = local.strftime("%m-%d %H:%M:%S" if self._show_dates else "%H:%M:%S")
        if event.milestone:
            label, label_style = event.milestone.value.upper(), style("timeline--milestone")
        else:
            label, label_style = KIND_LABELS[event.kind], style("timeline--kind")
        mark = "★" if event.starred else ("◆" if event.milestone else " ")
        mark_style = style("timeline--starred") if event.starred else label_style
        team = f" @{one_line(event.team)}" if event.team else ""
        team = set_cell_size(team, min(cell_len(team), 16)) if team else ""
        fixed = len(stamp) + 1 + 2 + 11
        room = max(width - fixed - cell_len(team) - 1, 4)
        text = one_line(event.text)
        if cell_len(text) > room:
            text = set_cell_size(text, room - 1) + "…"
        text_style = style("timeline--starred" if event.starred else "")
        return [
            Segment(" " + stamp, style("timeline--time")),
            Segment(f" {mark} ", mark_style),
            Segment(f"{label:<10} ", label_style),
            Segment(set_cell_size(text, room), text_style),
            Segment(team, style("timeline--team")),
        ]

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

    def action_edit(self) -> None:
        """Ask to edit the current event."""
        if self.current:
            self.post_message(self.EditRequested(self, self.current))

    def action_delete(self) -> None:
        """Ask to delete the current event."""
        if self.current:
            self.post_message(self.DeleteRequested(self, self.current))

    def action_star(self) -> None:
        """Ask to star or unstar the current event."""
        if self.current:
            self.post_message(self.StarRequested(self, self.current))

    def action_find(self) -> None:
        """Ask to find text in the timeline."""
        self.post_message(self.FindRequested(self, self.current))
