"""The Markdown post-mortem: one incident rendered to the classic template, byte for byte repeatable."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from warroom.store.export_clock import TimelineClock
from warroom.store.export_rows import (
    MARKDOWN_COLUMNS,
    MARKDOWN_LINTED,
    PIECE_SIZE,
    Timeline,
    live_linked,
    pieces,
    stream_hypotheses,
    stream_stamps,
    stream_timeline,
    without_gc,
)
from warroom.store.kinds import EventKind, FactorKind, Milestone
from warroom.store.mdescape import (
    clean_line,
    escape_cell,
    escape_cell_links,
    escape_heading,
    escape_line,
    escape_lines,
    escape_paragraphs,
)
from warroom.store.records import ActionItem, Factor, Incident
from warroom.store.rows import paused_gc
from warroom.store.sections import ordered, read_sections
from warroom.store.spans import format_span
from warroom.store.store import Store
from warroom.store.timeparse import zone_name

if TYPE_CHECKING:
    from warroom.store.lint_timeline import TimelineLint

NONE = "—"
HYPOTHESES_HEADING = "Hypotheses considered"
# A character that can start inline markup (store.mdinline.TRIGGERS) or a pipe: escape_cell_links and
# escape_line leave a printable text without one as it is, unless it has a run of spaces, a space at either
# end or a link. That is the usual timeline line, found by one scan instead of the escaping's several.
_MARKUP = re.compile(r"[`*_~\[<&\\|]")
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


def linked_event_ids(factor: Factor, live_ids: Iterable[int]) -> list[int]:
    """The factor's links to live events of its incident, in the order of `live_ids` (timeline order)."""
    linked = set(factor.event_ids)
    return [event_id for event_id in live_ids if event_id in linked]


def render_markdown(
    store: Store,
    incident_id: str,
    tz: dt.tzinfo,
    timeline: Timeline | None = None,
    order: Sequence[str] = (),
    related: bool = False,
) -> str:
    """The post-mortem of one incident as Markdown, times shown in `tz`; `timeline` saves reading the events again.

    `order` is the config file's extra sections by title: written ones follow the template's, in that order.
    `related` adds the Related Incidents section (store/related_section.py).
    """
    return "".join(markdown_chunks(store, incident_id, tz, timeline, order, related))


def markdown_chunks(
    store: Store,
    incident_id: str,
    tz: dt.tzinfo,
    timeline: Timeline | None = None,
    order: Sequence[str] = (),
    related: bool = False,
    lint: TimelineLint | None = None,
) -> Generator[str, None, None]:
    """The same post-mortem in pieces that join to it, the timeline read a batch at a time (memory stays flat).

    `lint`, when given, is fed each batch of the timeline as it is read (the gap check's, so it reads none).
    """
    return without_gc(_markdown_chunks(store, incident_id, tz, timeline, order, related, lint))


def _markdown_chunks(
    store: Store,
    incident_id: str,
    tz: dt.tzinfo,
    timeline: Timeline | None,
    order: Sequence[str],
    related: bool,
    lint: TimelineLint | None,
) -> Generator[str, None, None]:
    incident = store.incident(incident_id)
    clock = TimelineClock(stream_stamps(store, incident_id, timeline), tz)
    head: list[str] = [f"# Incident Post-Mortem: {escape_heading(incident.title) or NONE}", ""]
    head += _header(incident, tz)
    head += ["", "## Incident Summary", ""]
    head += _paragraphs(incident.summary, "_No summary yet._")
    head += ["", "## Incident Timeline", ""]
    yield "\n".join(line.rstrip() for line in head)
    # Only the columns the table shows, as plain tuples: a third of the reading a whole `TimelineRow` costs.
    rows: Iterable[list[tuple[Any, ...]]] = stream_timeline(store, incident_id, MARKDOWN_COLUMNS, timeline)
    if lint is not None:
        lint.share(clock)
        rows = lint.tap(rows, *MARKDOWN_LINTED)
    for lines in _timeline(rows, clock, zone_name(tz)):
        for run in pieces(lines, PIECE_SIZE):
            yield "\n" + "\n".join(run)
    tail = ["", "## Root Cause Analysis"]
    if escape_paragraphs(incident.notes):
        # The free-form analysis notes (and meeting notes) lead the section, before its fixed headings.
        tail += ["", *_paragraphs(incident.notes, "")]
    factors = store.factors(incident_id)
    tail += _factors(factors, live_linked(store, incident_id, (i for f in factors for i in f.event_ids)), clock)
    for lines in _hypotheses(store, incident_id, clock):  # a batch at a time: there may be 100k
        yield "\n" + "\n".join(line.rstrip() for line in tail)
        tail = lines
    tail += ["", "## Impact", ""]
    tail += _impact(incident)
    tail += ["", "## Lessons Learned"]
    for heading, text in (
        ("What Went Well", incident.went_well),
        ("What Went Wrong", incident.went_wrong),
        ("Where We Got Lucky", incident.got_lucky),
    ):
        tail += ["", f"### {heading}", ""]
        tail += _paragraphs(text, "_Not recorded._")
    if related:
        from warroom.store.related_section import markdown_lines

        tail += markdown_lines(store, incident_id, tz)
    tail += ["", "## Action Items", ""]
    tail += _actions(store.actions(incident_id))
    for title, text in ordered(read_sections(store, incident_id), order):
        tail += ["", f"## {escape_heading(title)}", "", *_paragraphs(text, "")]
    # Every timeline row ends in `|`: only the lines around the table can carry trailing spaces to strip.
    # The action items table ends the document, so its last line is never blank: one newline closes it.
    yield "\n" + "\n".join(line.rstrip() for line in tail) + "\n"


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
        f"- **Incident ID:** {escape_line(incident.id)}",
        f"- **Owner:** {escape_line(incident.owner) or NONE}",
        f"- **Severity:** {incident.severity}",
        f"- **Status:** {incident.status.value}",
    ]
    for label, value in (("Commander", incident.commander), ("Scribe", incident.scribe), ("Comms", incident.comms)):
        if escape_line(value):
            lines.append(f"- **{label}:** {escape_line(value)}")
    tags = [t for t in (clean_line(tag) for tag in incident.tags) if t]
    if tags:
        lines.append(f"- **Tags:** {escape_line(', '.join(tags))}")
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


def _bullet(text: str, suffix: str = "", labelled: bool = False) -> str:
    """Free text as one list item; extra lines are hard-break continuations inside the item."""
    lines = escape_lines(text, labelled) or [NONE]
    return "- " + "\\\n  ".join(lines) + suffix


def _row(cells: Iterable[str]) -> str:
    """One table row; cells are already escaped."""
    return "| " + " | ".join(cells) + " |"


def _prefix(kind: str, milestone: str | None, starred: int) -> str:
    """What leads the Event Description cell: star, then the milestone or (but for notes) the kind."""
    prefix = "★ " if starred else ""
    if milestone:
        return prefix + _MILESTONE_LABELS[Milestone(milestone)]
    if EventKind(kind) is not EventKind.NOTE:
        return prefix + f"_{kind.capitalize()}:_ "
    return prefix


def _plain(text: str) -> bool:
    """Whether escape_cell_links (and escape_line) would give the text as it is: the usual timeline line."""
    return (
        text.isprintable()
        and _MARKUP.search(text) is None
        and "  " not in text
        and "://" not in text
        and text[:1] != " "
        and text[-1:] != " "
    )


#: In an ASCII text, what `_plain` looks for but the runs of spaces, "://" and the edges: a control or markup.
_ASCII_NOT_PLAIN = re.compile(r"[\x00-\x1f\x7f`*_~\[<&\\|]")


def _all_plain(texts: list[str]) -> bool:
    """Whether `_plain` holds for every text, found with one scan of them all (False may be wrong: then ask each).

    Joined by spaces, a text's space at either edge is a run of two spaces or an edge of the whole.
    """
    joined = " ".join(texts)
    if joined.isascii():
        if _ASCII_NOT_PLAIN.search(joined) is not None:
            return False
    elif not joined.isprintable() or _MARKUP.search(joined) is not None:
        return False
    return "  " not in joined and "://" not in joined and joined[:1] != " " and joined[-1:] != " "


class _Prefixes(dict[tuple[str, str | None, int], str]):
    """The Event Description cell's lead for each (kind, milestone, star), made when first asked for."""

    def __missing__(self, shared: tuple[str, str | None, int]) -> str:
        prefix = self[shared] = _prefix(*shared)
        return prefix


class _Kinds(dict[str, str]):
    """The lead for each kind of an unstarred event that marks no milestone: the usual row's."""

    def __missing__(self, kind: str) -> str:
        prefix = self[kind] = _prefix(kind, None, 0)
        return prefix


def _timeline(batches: Iterable[list[tuple[Any, ...]]], clock: TimelineClock, zone: str) -> Iterator[list[str]]:
    """The timeline table, one row per live event, a batch of lines at a time.

    The rows hold MARKDOWN_COLUMNS. A handful of team names and (kind, milestone, star) combinations repeat
    over thousands of rows, so each is made once; a batch whose texts are all plain (one scan says so) is
    written without looking at each text.
    """
    yield [_row((f"Time ({zone})", "Event Description", "Responsible Team")), "|---|---|---|"]
    teams: dict[str, str] = {}
    prefixes, kinds = _Prefixes(), _Kinds()
    for rows in batches:
        with paused_gc():
            times = clock.column([row[0] for row in rows])
            for team in {row[3] for row in rows}.difference(teams):
                teams[team] = escape_cell(team) or NONE
            texts = [row[1] for row in rows]
            if not _all_plain(texts):
                texts = [text if _plain(text) else escape_cell_links(text) for text in texts]
            yield [
                f"| {time} | {kinds[kind] if milestone is None and not starred else prefixes[kind, milestone, starred]}"
                f"{text} | {teams[team]} |"
                for time, text, (_, _, kind, team, milestone, starred) in zip(times, texts, rows, strict=True)
            ]


def _factors(factors: list[Factor], linked: list[tuple[int, str]], clock: TimelineClock) -> list[str]:
    """Root cause, contributing factors and trigger, each a list (or a placeholder line).

    `linked` is (id, occurred_at) of the live events the factors point at, in timeline order.
    """
    shown = {event_id: clock(stamp) for event_id, stamp in linked}  # in timeline order
    lines: list[str] = []
    for kind, heading, placeholder in _FACTOR_SECTIONS:
        lines += ["", f"### {heading}", ""]
        chosen = [f for f in factors if f.kind is kind]
        if not chosen:
            lines.append(placeholder)
        for factor in chosen:
            times = list(dict.fromkeys(shown[i] for i in linked_event_ids(factor, shown)))
            lines.append(_bullet(factor.text, f" (see {', '.join(times)})" if times else ""))
    return lines


def _hypotheses(store: Store, incident_id: str, clock: TimelineClock) -> Iterator[list[str]]:
    """### Hypotheses considered: each with where it stands and why, and the rows it and its settling note are at.

    A batch of lines at a time; left out when the incident has no hypotheses, so post-mortems without any
    read as before.
    """
    lines = ["", f"### {HYPOTHESES_HEADING}", ""]
    for found in stream_hypotheses(store, incident_id):
        with paused_gc():
            for h in found:
                label = "Open" if h.status is None else h.status.capitalize()
                text = (h.text if _plain(h.text) else escape_line(h.text)) or NONE
                times = [clock(h.occurred_at)]
                if h.status is not None:
                    text += f" — {escape_line(h.reason or '') or NONE}"
                    if h.note_at is not None:
                        times.append(clock(h.note_at))
                lines.append(f"- **{label}:** {text} (see {', '.join(times)})")
        yield lines
        lines = []


def _impact(incident: Incident) -> list[str]:
    """Who was affected, for how long, and how fast each milestone came."""
    metrics = incident_metrics(incident)
    # A key time before the recorded start shows as "before start", never as a negative duration (store/spans.py).
    duration = format_span(metrics["duration"], unknown="ongoing")

    def field(label: str, text: str) -> str:
        item = _bullet(text, labelled=True) if escape_paragraphs(text) else "- _Not recorded._"
        return f"- **{label}:** {item[2:]}"

    return [
        field("Customers affected", incident.customers_affected),
        f"- **Duration:** {duration}",
        field("Business impact", incident.business_impact),
        f"- **Time to detect:** {format_span(metrics['time_to_detect'])}",
        f"- **Time to mitigate:** {format_span(metrics['time_to_mitigate'])}",
        f"- **Time to resolve:** {format_span(metrics['time_to_resolve'])}",
    ]


def _actions(items: list[ActionItem]) -> list[str]:
    """The action items table in number order."""
    lines = [_row(("Action Item", "Owner", "Deadline", "Priority", "Status")), "|---|---|---|---|---|"]
    for item in sorted(items, key=lambda a: a.number):
        deadline = item.deadline.isoformat() if item.deadline else "_none_"
        cells = (escape_cell(item.title) or NONE, escape_cell(item.owner) or "_unassigned_", deadline)
        lines.append(_row((*cells, item.priority.value, escape_cell(item.status.value))))
    return lines
