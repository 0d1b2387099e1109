"""One line of the timeline: time, mark, kind, hypothesis state, text (its links openable) and team, as segments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from warroom.store.kinds import EventKind
from warroom.store.links import split_links
from warroom.store.records import Event
from warroom.store.text import visible_line

KIND_LABELS = {
    EventKind.NOTE: "note",
    EventKind.DETECTION: "detection",
    EventKind.HYPOTHESIS: "hypothesis",
    EventKind.DECISION: "decision",
    EventKind.ACTION: "action",
    EventKind.COMMS: "comms",
    EventKind.MILESTONE: "milestone",
}

#: A component class of the timeline ("timeline--kind", or "" for the widget's own) -> its style.
StyleOf = Callable[[str], Style]


def text_segments(text: str, room: int, text_style: Style, style: StyleOf) -> list[Segment]:
    """The event's text cut to `room` cells; its links carry a link style a terminal can open."""
    if cell_len(text) > room:
        text = set_cell_size(text, room - 1) + "…"
    if "://" not in text:
        return [Segment(set_cell_size(text, room), text_style)]
    link_style = text_style + style("timeline--link")
    segments = [
        Segment(p.text, link_style + Style(link=p.text) if p.is_link else text_style) for p in split_links(text)
    ]
    return list(Strip(segments).adjust_cell_length(room, text_style))


def event_segments(
    event: Event, width: int, tz: dt.tzinfo, style: StyleOf, *, show_dates: bool, state: str
) -> list[Segment]:
    """One event's line: time, mark, kind, text, team (`state`: a hypothesis's "open", "ruled out", ...)."""
    local = event.occurred_at.astimezone(tz)
    stamp = local.strftime("%m-%d %H:%M:%S" if show_dates else "%H:%M:%S")
    if event.milestone:
        label, label_style = event.milestone.value.upper(), style("timeline--milestone")
    else:
        label, label_style = KIND_LABELS[event.kind], style("timeline--kind")
    mark = "★" if event.starred else ("◆" if event.milestone else " ")
    mark_style = style("timeline--starred") if event.starred else label_style
    team = f" @{visible_line(event.team)}" if event.team else ""
    team = set_cell_size(team, min(cell_len(team), 16)) if team else ""
    fixed = len(stamp) + 1 + 2 + 11
    room = max(width - fixed - cell_len(team) - 1, 4)
    text = visible_line(event.text)
    text_style = style("timeline--starred" if event.starred else "")
    marker: list[Segment] = []
    if state:
        # "#12 open", "#12 ruled out", "#12 confirmed": the number is what /rule-out and /confirm take.
        badge = f"#{event.id} {state} "
        marker = [Segment(badge, style(f"timeline--hyp-{state.replace(' ', '-')}"))]
        room = max(room - cell_len(badge), 4)
        if state == "ruled out":
            text_style = style("timeline--hyp-ruled-out")
    return [
        Segment(" " + stamp, style("timeline--time")),
        Segment(f" {mark} ", mark_style),
        Segment(f"{label:<10} ", label_style),
        *marker,
        *text_segments(text, room, text_style, style),
        Segment(team, style("timeline--team")),
    ]
