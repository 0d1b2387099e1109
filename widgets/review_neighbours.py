"""The events either side of the one under discussion, dimmed, as many as fit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from warroom.store.records import Event
from warroom.store.text import visible_line


class NeighbourList(Widget):
    """A few events before or after the current one; the nearest always sits next to the panel."""

    DEFAULT_CSS = """
    NeighbourList { height: 1fr; min-height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, tz: dt.tzinfo, *, before: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tz = tz
        self.before = before
        self.events: Sequence[Event] = ()
        self.show_date = False

    def show(self, events: Sequence[Event], *, show_date: bool = False) -> None:
        """Replace the events, nearest to the current one last (before) or first (after)."""
        self.events = events
        self.show_date = show_date
        self.refresh()

    def render(self) -> Text:
        height, width = self.size.height, max(self.size.width, 10)
        if height <= 0:
            return Text("")
        events = list(self.events[-height:] if self.before else self.events[:height])
        lines = [self._line(e, width) for e in events]
        if not lines:
            lines = [Text("  (start of the timeline)" if self.before else "  (end of the timeline)", "italic")]
        if self.before:
            lines = [Text("")] * (height - len(lines)) + lines
        return Text("\n", no_wrap=True).join(lines)

    def _line(self, event: Event, width: int) -> Text:
        """One dim line: time, mark, milestone or kind, text, team."""
        local = event.occurred_at.astimezone(self.tz)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(local.strftime("%m-%d %H:%M" if self.show_date else "%H:%M:%S"))
        line.append(" ★ " if event.starred else (" ◆ " if event.milestone else "   "), "bold" if event.starred else "")
        label = event.milestone.value.upper() if event.milestone else event.kind.value
        line.append(f"{label:<10} ", "italic")
        line.append(visible_line(event.text))
        if event.team:
            line.append(f"  @{visible_line(event.team)}")
        line.truncate(width, overflow="ellipsis")
        return line
