"""The highlighted event in full: its whole text, and when it happened versus when it was logged."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from warroom.store.records import Event
from warroom.store.text import visible
from warroom.store.timeparse import format_duration


class EventDetail(Widget):
    """Shown under the timeline when the terminal is tall enough; long texts wrap here in full."""

    DEFAULT_CSS = """
    EventDetail {
        height: auto;
        max-height: 12;
        padding: 0 1;
        background: $boost;
        border-top: hkey $panel-lighten-2;
    }
    """

    event: reactive[Event | None] = reactive(None)

    def __init__(self, tz: dt.tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tz = tz

    def watch_event(self) -> None:
        # The pane grows and shrinks with the text; only a change of height needs the screen laid out again
        # (a few ms, and the cursor moves through events of the same height most of the time).
        if not self.display:
            return  # hidden on short terminals: laid out and drawn when shown
        width, height = self.content_size
        self.refresh(layout=not width or len(self.render().wrap(self.app.console, width)) != height)

    def render(self) -> Text:
        ev = self.event
        if ev is None:
            return Text("No event selected.", "dim italic")
        when = ev.occurred_at.astimezone(self.tz)
        head = Text()
        head.append(when.strftime("%Y-%m-%d %H:%M:%S"), "bold")
        head.append(f"  {ev.milestone.value.upper() if ev.milestone else ev.kind.value}", "bold")
        if ev.team:
            head.append(f"  @{visible(ev.team)}")
        if ev.starred:
            head.append("  ★ starred")
        late = ev.logged_at - ev.occurred_at
        if late >= dt.timedelta(minutes=1):
            head.append(f"  · logged {format_duration(late)} later", "italic")
        head.append(f"  · via {ev.source.value}", "dim")
        if ev.author:
            head.append(f" by {visible(ev.author)}", "dim")
        return Text("\n").join([head, Text(visible(ev.text))])
