"""The Markdown post-mortem: one incident rendered to the classic template, byte for byte repeatable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from store.mdescape import escape_cell, escape_heading, escape_paragraphs
from store.models import ActionItem, Event, EventKind, Factor, FactorKind, Incident, Milestone
from store.store import Store
from store.timeline import TimelineLine
from store.timeparse import format_duration, zone_name

NONE = "—"
_MILESTONE_LABELS = {
    Milestone.DETECTED: "**Detected:** ",
    Milestone.MITIGATED: "**Mitigated:** ",
    Milestone.RESOLVED: "**Resolved:** ",
}
_FACTOR_SECTIONS = (
    (FactorKind.ROOT, "Root Cause", "_Not yet identified._"),
    (FactorKind.CONTRIBUTING, "Contributing Factors", "_None recorded._"),
    (FactorKind.TRIGGER, "Trigger", "_None recorded._"),
)


def incident_metrics(incident: Incident) -> dict[str, dt.timedelta | None]:
    """Duration and the times to detect, mitigate and resolve, each from the start; None when unknown."""

    def since_start(moment: dt.datetime | None) -> dt.timedelta | None:
        return None if moment is None else moment - incident.started_at

    return {
        "duration": since_start(incident.resolved_at),
        "time_to_detect": since_start(incident.detected_at),
        "time_to_mitigate": since_start(incident.mitigated_at),
        "time_to_resolve": since_start(incident.resolved_at),
    }


def linked_event_ids(factor: Factor, events: Iterable[Event | TimelineLine]) -> list[int]:
    """The factor's links to live events of its incident, in timeline order."""
    linked = set(factor.event_ids)
    return [e.id for e in events if e.id is not None and e.id in linked]


def render_markdown(store: Store, incident_id: str, tz: dt.tzinfo) -> str:
    """The post-mortem of one incident as Markdown, times shown in `tz`."""
    incident = store.incident(incident_id)
    events = store.timeline_lines(incident_id)  # not Event models: 100k of those take longer than the render
    clock = _Clock(tz, multi_day=len({e.occurred_at.astimezone(tz).date() for e in events}) > 1)
    lines: list[str] = [f"# Incident Post-Mortem: {escape_heading(incident.title) or NONE}", ""]
    lines += _header(incident, tz)
    lines += ["", "## Incident Summary", ""]
    lines += _paragraphs(incident.summary, "_No summary yet._")
    lines += ["", "## Incident Timeline", ""]
    lines += _timeline(events, clock, zone_name(tz))
    lines += ["", "## Root Cause Analysis"]
    if escape_paragraphs(incident.notes):
        # The free-form analysis notes (and meeting notes) lead the section, before its fixed headings.
        lines += ["", *_paragraphs(incident.notes, "")]
    lines += _factors(store.factors(incident_id), events, clock)
    lines += ["", "## Impact", ""]
    lines += _impact(incident)
    lines += ["", "## Lessons Learned"]
    for heading, text in (
        ("What Went Well", incident.went_well),
        ("What Went Wrong", incident.went_wrong),
        ("Where We Got Lucky", incident.got_lucky),
    ):
        lines += ["", f"### {heading}", ""]
        lines += _paragraphs(text, "_Not recorded._")
    lines += ["", "## Action Items", ""]
    lines += _actions(store.actions(incident_id))
    return "\n".join(line.rstrip() for line in lines).rstrip("\n") + "\n"


class _Clock:
    """Formats moments for the timeline: HH:MM, or with the date when the timeline spans days."""

    def __init__(self, tz: dt.tzinfo, *, multi_day: bool) -> None:
        self.tz = tz
        self.multi_day = multi_day
        self.pattern = "%Y-%m-%d %H:%M" if multi_day else "%H:%M"

    def __call__(self, moment: dt.datetime) -> str:
        local = moment.astimezone(self.tz)
        # Formatting the fields directly is three times faster than strftime, which matters at 100k rows;
        # strftime stays for years before 1000, which it does not zero-pad on every platform.
        if local.year < 1000:
            return local.strftime(self.pattern)
        hh_mm = f"{local.hour:02d}:{local.minute:02d}"
        return f"{local.year}-{local.month:02d}-{local.day:02d} {hh_mm}" if self.multi_day else hh_mm


def _header(incident: Incident, tz: dt.tzinfo) -> list[str]:
    """The bullet list of facts under the title."""
    start = incident.started_at.astimezone(tz).date()
    date = start.isoformat()
    if incident.resolved_at is not None:
        end = incident.resolved_at.astimezone(tz).date()
        if end > start:
            date = f"{start.isoformat()} – {end.isoformat()}"
    lines = [
        f"- **Date:** {date}",
        f"- **Incident ID:** {escape_cell(incident.id)}",
        f"- **Owner:** {escape_cell(incident.owner) or NONE}",
        f"- **Severity:** {incident.severity.value}",
        f"- **Status:** {incident.status.value}",
    ]
    for label, value in (("Commander", incident.commander), ("Scribe", incident.scribe), ("Comms", incident.comms)):
        if escape_cell(value):
            lines.append(f"- **{label}:** {escape_cell(value)}")
    tags = [t for t in (escape_cell(tag) for tag in incident.tags) if t]
    if tags:
        lines.append(f"- **Tags:** {', '.join(tags)}")
    return lines


def _paragraphs(text: str, placeholder: str) -> list[str]:
    """Free text as paragraphs; its line breaks kept as hard breaks so lists typed by hand stay lines."""
    paragraphs = escape_paragraphs(text)
    if not paragraphs:
        return [placeholder]
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        lines.append("\\\n".join(paragraph))
    return lines


def _bullet(text: str, suffix: str = "") -> str:
    """Free text as one list item; extra lines are hard-break continuations inside the item."""
    lines = [line for paragraph in escape_paragraphs(text) for line in paragraph] or [NONE]
    return "- " + "\\\n  ".join(lines) + suffix


def _row(cells: Iterable[str]) -> str:
    """One table row; cells are already escaped."""
    return "| " + " | ".join(cells) + " |"


def _describe(event: Event | TimelineLine) -> str:
    """The Event Description cell: star, milestone or kind label, then the text."""
    prefix = "★ " if event.starred else ""
    if event.milestone is not None:
        prefix += _MILESTONE_LABELS[event.milestone]
    elif event.kind is not EventKind.NOTE:
        prefix += f"_{event.kind.value.capitalize()}:_ "
    return prefix + escape_cell(event.text)


def _timeline(events: Sequence[Event | TimelineLine], clock: _Clock, zone: str) -> list[str]:
    """The timeline table, one row per live event."""
    lines = [_row((f"Time ({zone})", "Event Description", "Responsible Team")), "|---|---|---|"]
    teams: dict[str, str] = {}  # a handful of team names repeat over thousands of rows
    for event in events:
        team = teams.get(event.team)
        if team is None:
            team = teams[event.team] = escape_cell(event.team) or NONE
        lines.append(f"| {clock(event.occurred_at)} | {_describe(event)} | {team} |")
    return lines


def _factors(factors: list[Factor], events: Sequence[Event | TimelineLine], clock: _Clock) -> list[str]:
    """Root cause, contributing factors and trigger, each a list (or a placeholder line)."""
    by_id = {e.id: e for e in events}
    lines: list[str] = []
    for kind, heading, placeholder in _FACTOR_SECTIONS:
        lines += ["", f"### {heading}", ""]
        chosen = [f for f in factors if f.kind is kind]
        if not chosen:
            lines.append(placeholder)
        for factor in chosen:
            times = list(dict.fromkeys(clock(by_id[i].occurred_at) for i in linked_event_ids(factor, events)))
            lines.append(_bullet(factor.text, f" (see {', '.join(times)})" if times else ""))
    return lines


def _impact(incident: Incident) -> list[str]:
    """Who was affected, for how long, and how fast each milestone came."""
    metrics = incident_metrics(incident)
    duration = "ongoing" if metrics["duration"] is None else format_duration(metrics["duration"])

    def field(label: str, text: str) -> str:
        item = _bullet(text) if escape_paragraphs(text) else "- _Not recorded._"
        return f"- **{label}:** {item[2:]}"

    return [
        field("Customers affected", incident.customers_affected),
        f"- **Duration:** {duration}",
        field("Business impact", incident.business_impact),
        f"- **Time to detect:** {format_duration(metrics['time_to_detect'])}",
        f"- **Time to mitigate:** {format_duration(metrics['time_to_mitigate'])}",
        f"- **Time to resolve:** {format_duration(metrics['time_to_resolve'])}",
    ]


def _actions(items: list[ActionItem]) -> list[str]:
    """The action items table in number order."""
    lines = [_row(("Action Item", "Owner", "Deadline", "Priority", "Status")), "|---|---|---|---|---|"]
    for item in sorted(items, key=lambda a: a.number):
        deadline = item.deadline.isoformat() if item.deadline else "_none_"
        cells = (escape_cell(item.title) or NONE, escape_cell(item.owner) or "_unassigned_", deadline)
        lines.append(_row((*cells, item.priority.value, escape_cell(item.status.value))))
    return lines
