"""The incident header: who, how bad, where it stands, a live clock and the key durations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from warroom.store.kinds import Severity
from warroom.store.records import Incident
from warroom.store.spans import format_span, since_start
from warroom.store.text import one_line
from warroom.store.timeparse import zone_name

SEVERITY_STYLES: dict[str, str] = {
    Severity.SEV1: "bold white on red",
    Severity.SEV2: "bold black on dark_orange",
    Severity.SEV3: "bold black on yellow",
    Severity.SEV4: "bold black on grey70",
}
#: A level of the config file's own (SEV0), or one it no longer defines: still shown, never a crash.
OTHER_SEVERITY_STYLE = "bold white on magenta"


def severity_style(severity: str) -> str:
    """The colours a severity is shown in; a level outside SEV1-SEV4 gets one of its own."""
    return SEVERITY_STYLES.get(severity.upper(), OTHER_SEVERITY_STYLE)


class IncidentHeader(Widget):
    """Two lines at the top of the incident screen, refreshed every second."""

    DEFAULT_CSS = """
    IncidentHeader {
        height: 2;
        background: $panel;
        color: $foreground;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    incident: reactive[Incident | None] = reactive(None)

    def __init__(
        self,
        clock: Callable[[], dt.datetime],
        tz: dt.tzinfo,
        *,
        overdue: int = 0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.tz = tz
        self.overdue = overdue

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def render(self) -> Text:
        inc = self.incident
        if inc is None:
            return Text("")
        now = self.clock()
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append(f" {inc.severity} ", severity_style(inc.severity))
        top.append(f" {one_line(inc.id)} ", "bold")
        top.append(f"[{inc.status.value}] ", "italic")
        top.append(one_line(inc.title), "bold")
        end = inc.resolved_at or now
        parts = [
            (now.astimezone(self.tz).strftime("%H:%M:%S ") + zone_name(self.tz), "bold"),
            (f"elapsed {format_span(end - inc.started_at)}", ""),
        ]
        for label, when in (("TTD", inc.detected_at), ("TTM", inc.mitigated_at), ("TTR", inc.resolved_at)):
            # A key time before the recorded start says so in warning colours, never as a negative duration.
            early = when is not None and when < inc.started_at
            style = "bold yellow" if early else "" if when else "dim"
            parts.append((f"{label} {format_span(since_start(inc.started_at, when))}", style))
        if self.overdue:
            parts.append((f"{self.overdue} overdue action item{'s' if self.overdue != 1 else ''}", "bold red"))
        bottom = Text(no_wrap=True, overflow="ellipsis")
        for i, (part, style) in enumerate(parts):
            if i:
                bottom.append(" · ", "dim")
            bottom.append(part, style)
        both = Text("\n", no_wrap=True, overflow="ellipsis").join([top, bottom])
        both.no_wrap = True
        return both
