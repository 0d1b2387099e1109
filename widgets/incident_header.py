"""The incident header: who, how bad, where it stands, a live clock and the key durations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from warroom.store.kinds import Severity
from warroom.store.records import Incident
from warroom.store.spans import format_span, next_update_text, since_start
from warroom.store.text import visible_line
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


#: The incident's role fields and their short labels, in the order the third line shows them.
ROLES = (("commander", "IC"), ("scribe", "scribe"), ("comms", "comms"))


class IncidentHeader(Widget):
    """Two lines at the top of the incident screen (three once a role is given), refreshed every second."""

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
        #: When the next stakeholder update is due (None: no cadence, or the incident is over).
        self.update_due: dt.datetime | None = None

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def watch_incident(self, incident: Incident | None) -> None:
        # A third line for the roles only once someone holds one: the timeline keeps its rows until then.
        has_roles = incident is not None and any(getattr(incident, field) for field, _ in ROLES)
        self.styles.height = 3 if has_roles else 2

    def render(self) -> Text:
        inc = self.incident
        if inc is None:
            return Text("")
        now = self.clock()
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append(f" {inc.severity} ", severity_style(inc.severity))
        top.append(f" {visible_line(inc.id)} ", "bold")
        top.append(f"[{inc.status.value}] ", "italic")
        top.append(visible_line(inc.title), "bold")
        end = inc.resolved_at or now
        parts = [
            (now.astimezone(self.tz).strftime("%H:%M:%S ") + zone_name(self.tz), "bold"),
            (f"elapsed {format_span(end - inc.started_at)}", ""),
        ]
        # Right after the elapsed time, so it is never the part cut off at 80 columns.
        update = next_update_text(self.update_due, now)
        if update:
            late = self.update_due is not None and now >= self.update_due
            parts.append((f"⚠ {update.upper()}" if late else update, "bold white on red" if late else ""))
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
        lines = [top, bottom]
        if any(getattr(inc, field) for field, _ in ROLES):
            roles = Text(no_wrap=True, overflow="ellipsis")
            for i, (field, label) in enumerate(ROLES):
                if i:
                    roles.append(" · ", "dim")
                roles.append(f"{label} ", "dim")
                roles.append(visible_line(getattr(inc, field)) or "—", "bold" if getattr(inc, field) else "dim")
            lines.append(roles)
        both = Text("\n", no_wrap=True, overflow="ellipsis").join(lines)
        both.no_wrap = True
        return both
