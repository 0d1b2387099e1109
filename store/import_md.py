"""A Markdown post-mortem turned back into records: times, dates and the incident's start reconstructed.

The Markdown shows less than the database holds: times as HH:MM in the display zone, the start only
through the date line and the times to detect, mitigate and resolve. Everything it shows is rebuilt
so that exporting the result gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re

from warroom.store.errors import WarroomError
from warroom.store.hypotheses import VERBS, HypothesisStatus, Settlement
from warroom.store.import_doc import Document, NothingImported, lenient, usable
from warroom.store.import_times import Row, Shown, duration_range, place, shows_kept
from warroom.store.kinds import SEVERITY_NAME, ActionStatus, EventKind, Milestone, Priority
from warroom.store.kinds import Status as IncidentStatus
from warroom.store.mdescape import clean_line
from warroom.store.mdparse import EXTRA, Entry, MarkdownPostmortem, Problem, unescape_cell, unescape_cell_links
from warroom.store.models import ActionItem, Event, Factor, Incident
from warroom.store.timeparse import EARLIEST, LATEST, RANGE_HELP, UTC, utc_offset, zone

NONE = "—"
_TIME = re.compile(
    r"^(?:(?P<date>\d{4}-\d{2}-\d{2}) )?(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"(?P<off>[+-]\d{2}:\d{2})?$"
)
_DATE_LINE = re.compile(r"^(?P<start>\d{4}-\d{2}-\d{2})(?: [–-] (?P<end>\d{4}-\d{2}-\d{2}))?$")
_STAMP = r"(?:\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}(?:[+-]\d{2}:\d{2})?"
_SEE = re.compile(rf"^(?P<text>.*) \(see (?P<times>{_STAMP}(?:, {_STAMP})*)\)$")
_LABELS = {
    "**Detected:**": Milestone.DETECTED,
    "**Mitigated:**": Milestone.MITIGATED,
    "**Resolved:**": Milestone.RESOLVED,
}
_KINDS = {f"_{k.value.capitalize()}:_": k for k in EventKind if k is not EventKind.NOTE}
_METRICS = {"time to detect": Milestone.DETECTED, "time to mitigate": Milestone.MITIGATED}
_HEADER_FIELDS = {"owner": "owner", "commander": "commander", "scribe": "scribe", "comms": "comms"}


def build_document(md: MarkdownPostmortem, now: dt.datetime, as_id: str | None) -> Document:
    """The records a Markdown post-mortem describes; what cannot be read is added to its problems."""
    if md.title is None:
        raise NothingImported("not a warroom post-mortem: no '# Incident Post-Mortem: TITLE' heading; nothing imported")
    problems = md.problems
    title = md.title.lines[0]
    title = title[len("Incident Post-Mortem:") :].strip() if title.startswith("Incident Post-Mortem:") else title
    title = title or NONE  # what the export shows for a title with nothing printable in it
    data: dict[str, object] = {"title": title, "created_at": now, "updated_at": now}
    stated = {"title"}
    days, date_line = _header(md.header, data, stated, problems)
    incident_id = as_id or str(data.pop("id", ""))
    if not incident_id:
        raise NothingImported("no '**Incident ID:**' line in the file: give one with --as ID; nothing imported")
    tz = _zone(md.zone, problems)
    if not all(shows_kept(day, tz) for day in days):
        shown = " – ".join(str(day) for day in days)
        problems.append(Problem(date_line, f"date {shown!r} is out of range ({RANGE_HELP}); ignored"))
        days = []
    sections: dict[str, str] = {}
    for name, entry in md.texts.items():
        if name.startswith(EXTRA):
            sections[name.removeprefix(EXTRA)] = "\n\n".join(entry.cells)
            continue
        data[name] = "\n\n".join(entry.cells)
        stated.add(name)
    ranges = _impact(md.impact, data, stated, problems)
    rows = [row for entry in md.timeline if (row := _row(entry, problems)) is not None]
    events, start, direct = place(rows, ranges, days, tz, now, problems, incident_id)
    data.update(direct, started_at=start, id=incident_id)
    incident = lenient(Incident, data, "incident", problems, md.title.line)
    if incident is None:
        raise NothingImported("the incident's title or id cannot be used; nothing imported")
    if not usable(incident, "incident", problems, md.title.line):
        raise NothingImported("the incident's times cannot be used; nothing imported")
    events = [e for e in events if usable(e, f"event at {e.occurred_at:%Y-%m-%d %H:%M}Z", problems)]
    factors = _factors(md, events, tz, incident_id, now, problems)
    actions = [a for entry in md.actions if (a := _action(entry, incident_id, now, problems)) is not None]
    doc = Document(incident, events, factors, actions, stated, exact=False, zone=tz, problems=problems)
    doc.settlements = _settlements(md, events, tz, problems)
    doc.sections = sections
    doc.related = md.related
    return doc


def _settlements(
    md: MarkdownPostmortem, events: list[Event], tz: dt.tzinfo, problems: list[Problem]
) -> list[Settlement]:
    """Hypotheses considered: `**Ruled out:** TEXT — REASON (see HYPOTHESIS, NOTE)` back to settlements.

    The first time names the hypothesis's row, the second the note that settled it; open ones need nothing.
    """
    if not md.hypotheses:
        return []
    multi_day = len({e.occurred_at.astimezone(tz).date() for e in events}) > 1
    pattern = "%Y-%m-%d %H:%M" if multi_day else "%H:%M"
    # Every row at a shown minute, in timeline order: several hypotheses (and their notes) often share one.
    hypotheses: dict[str, list[Event]] = {}
    others: dict[str, list[Event]] = {}
    for event in events:
        local = event.occurred_at.astimezone(tz)
        rows = hypotheses if event.kind is EventKind.HYPOTHESIS else others
        # Also under the stamp with its offset, as a row whose wall time happens twice is named (02:25+01:00).
        for shown in (local.strftime(pattern), local.strftime(pattern) + utc_offset(local)):
            rows.setdefault(shown, []).append(event)
    used: set[int] = set()
    found: list[Settlement] = []
    for entry in md.hypotheses:
        try:
            status = HypothesisStatus(entry.label.lower())
        except ValueError:
            problems.append(
                Problem(entry.line, f"a hypothesis marked {entry.label!r}: use Open, Ruled out or Confirmed")
            )
            continue
        text = " ".join(entry.lines)
        match = _SEE.match(text)
        times = match["times"].split(", ") if match else []
        said = match["text"] if match else ""
        hypothesis = _row_named(hypotheses.get(times[0], []) if times else [], said, status, used)
        if hypothesis is not None:
            used.add(id(hypothesis))
        if status is HypothesisStatus.OPEN:
            continue
        if match is None or hypothesis is None:
            problems.append(Problem(entry.line, "a settled hypothesis without the time of its row; not imported"))
            continue
        prefix = f"{clean_line(hypothesis.text) or NONE} — "
        reason = said[len(prefix) :] if said.startswith(prefix) else said.rpartition(" — ")[2]
        notes = [e for e in others.get(times[1], []) if id(e) not in used] if len(times) > 1 else []
        # The note that settled it says so and ends with the reason; any row at that minute is the fallback.
        verb = VERBS[status]
        note = next((e for e in notes if e.text.startswith(verb) and e.text.endswith(f": {reason}")), None)
        note = note or (notes[0] if notes else None)
        if note is not None:
            used.add(id(note))
        when = note.occurred_at if note is not None else hypothesis.occurred_at
        found.append(Settlement(hypothesis.id or 0, status, reason, note.id if note else None, when))
    return found


def _row_named(rows: list[Event], said: str, status: HypothesisStatus, used: set[int]) -> Event | None:
    """The hypothesis at a shown minute whose text the entry begins with; the first one not yet taken otherwise."""
    free = [e for e in rows if id(e) not in used]
    for event in free:
        shown = clean_line(event.text) or NONE
        if said == shown or said.startswith(f"{shown} — "):
            return event
    return free[0] if free else None


def in_range(day: dt.date) -> bool:
    """A day that some zone (UTC-12 to UTC+14) shows for a time warroom keeps.

    1969-12-31 is 1970-01-01 00:00 UTC west of UTC, and 9999-12-31 is 9999-12-30 UTC east of it; which
    of a boundary day's times are kept is decided per row once the zone is known (import_times.kept).
    """
    return EARLIEST.date() - dt.timedelta(days=1) <= day <= LATEST.date()


def _header(
    entries: list[Entry], data: dict[str, object], stated: set[str], problems: list[Problem]
) -> tuple[list[dt.date], int | None]:
    """The `**Label:** value` lines under the title; returns the date line's start (and end) day and its line."""
    days: list[dt.date] = []
    date_line = None
    for entry in entries:
        label, value = entry.label.lower(), " ".join(entry.lines).strip()
        if label == "date":
            match = _DATE_LINE.match(value)
            if match is None:
                problems.append(Problem(entry.line, f"date {value!r} is not YYYY-MM-DD (or two, with –)"))
                continue
            try:
                days = [dt.date.fromisoformat(d) for d in (match["start"], match["end"]) if d]
            except ValueError:
                problems.append(Problem(entry.line, f"date {value!r} is not a calendar date"))
                continue
            date_line = entry.line
            if not all(in_range(day) for day in days):
                problems.append(Problem(entry.line, f"date {value!r} is out of range ({RANGE_HELP}); ignored"))
                days = []
        elif label == "incident id":
            data["id"] = value
        elif label in _HEADER_FIELDS:
            data[_HEADER_FIELDS[label]] = "" if value == NONE else value
            stated.add(_HEADER_FIELDS[label])
        elif label == "severity":
            # Any level's name: the config file that defined it (SEV0) may not be the one reading it back.
            if not re.match(SEVERITY_NAME, value):
                problems.append(Problem(entry.line, f"severity {value!r} is not a severity name such as SEV1"))
                continue
            data[label] = value.upper()
            stated.add(label)
        elif label == "status":
            choices = [s.value for s in IncidentStatus]
            matched = [c for c in choices if c.lower() == value.lower()]
            if not matched:
                problems.append(Problem(entry.line, f"{label} {value!r} is not one of {', '.join(choices)}"))
                continue
            data[label] = matched[0]
            stated.add(label)
        elif label == "tags":
            data["tags"] = [t.strip() for t in value.split(", ") if t.strip()]
            stated.add("tags")
        else:
            problems.append(Problem(entry.line, f"unknown field {entry.label!r}"))
    return days, date_line


def _zone(entry: Entry | None, problems: list[Problem]) -> dt.tzinfo:
    """The display zone named in the timeline's `Time (ZONE)` header; UTC when absent or unknown."""
    if entry is None or not entry.lines:
        if entry is not None:
            problems.append(Problem(entry.line, "the timeline's first column is not 'Time (ZONE)'; read as UTC"))
        return UTC
    try:
        return zone(entry.lines[0])
    except WarroomError as exc:
        problems.append(Problem(entry.line, f"{exc}; times read as UTC"))
        return UTC


def _impact(
    entries: list[Entry], data: dict[str, object], stated: set[str], problems: list[Problem]
) -> dict[Milestone, Shown]:
    """Customers affected and business impact, and the shown times to detect/mitigate/resolve."""
    ranges: dict[Milestone, Shown] = {}
    for entry in entries:
        label, value = entry.label.lower(), " ".join(entry.lines).strip()
        if label in ("customers affected", "business impact"):
            name = label.replace(" ", "_")
            data[name] = "" if entry.cells[:1] == ["_Not recorded._"] else "\n".join(entry.lines)
            stated.add(name)
        elif label in _METRICS or label in ("time to resolve", "duration"):
            milestone = _METRICS.get(label, Milestone.RESOLVED)
            if label == "duration" and milestone in ranges:
                continue  # the same moment as "time to resolve", which is more exact
            try:
                ranges[milestone] = (value, entry.line, duration_range(value))
            except ValueError:
                problems.append(Problem(entry.line, f"{entry.label.lower()} {value!r} is not a duration"))
        else:
            problems.append(Problem(entry.line, f"unknown field {entry.label!r}"))
    return ranges


def _row(entry: Entry, problems: list[Problem]) -> Row | None:
    """One timeline row: time, then star / milestone / kind prefixes, text and team."""
    time_cell, description, team = entry.cells
    match = _TIME.match(unescape_cell(time_cell))
    try:
        if match is None:
            raise ValueError
        day = dt.date.fromisoformat(match["date"]) if match["date"] else None
        offset = None
        if match["off"]:
            sign = -1 if match["off"][0] == "-" else 1
            hours, minutes = int(match["off"][1:3]), int(match["off"][4:6])
            offset = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
        clock = dt.time(int(match["h"]), int(match["m"]), int(match["s"] or 0), tzinfo=offset)
    except ValueError:
        problems.append(Problem(entry.line, f"time {time_cell!r} is not HH:MM or YYYY-MM-DD HH:MM"))
        return None
    if day is not None and not in_range(day):
        problems.append(Problem(entry.line, f"time {time_cell!r} is out of range ({RANGE_HELP}); row not imported"))
        return None
    rest, fields = description, {"starred": False, "kind": EventKind.NOTE, "milestone": None}
    if rest.startswith("★ ") and rest[2:].strip():
        rest, fields["starred"] = rest[2:], True
    for prefix, value in [*_LABELS.items(), *_KINDS.items()]:
        if rest == prefix or rest.startswith(prefix + " "):
            rest = rest[len(prefix) + 1 :]
            fields["kind"] = EventKind.MILESTONE if isinstance(value, Milestone) else value
            fields["milestone"] = value if isinstance(value, Milestone) else None
            break
    text = unescape_cell_links(rest)
    if not text:
        problems.append(Problem(entry.line, "an event with no description"))
        return None
    team_text = unescape_cell(team)
    fields = {**fields, "text": text, "team": "" if team_text == NONE else team_text}
    return Row(entry.line, day, clock, fields, unescape_cell(time_cell))


def _factors(
    md: MarkdownPostmortem,
    events: list[Event],
    tz: dt.tzinfo,
    incident_id: str,
    now: dt.datetime,
    problems: list[Problem],
) -> list[Factor]:
    """Factors in template order; a trailing ` (see 14:02, ...)` becomes links to those rows."""
    multi_day = len({e.occurred_at.astimezone(tz).date() for e in events}) > 1
    pattern = "%Y-%m-%d %H:%M" if multi_day else "%H:%M"
    by_time: dict[str, int] = {}
    for event in events:
        local = event.occurred_at.astimezone(tz)
        by_time.setdefault(local.strftime(pattern), event.id or 0)
        by_time.setdefault(local.strftime(pattern) + utc_offset(local), event.id or 0)  # a row that named its offset
    factors = []
    for kind, entries in md.factors.items():
        for entry in entries:
            lines = list(entry.lines) or [NONE]
            links: list[int] = []
            match = _SEE.match(lines[-1])
            if match and all(t in by_time for t in match["times"].split(", ")):
                lines[-1] = match["text"]
                links = [by_time[t] for t in match["times"].split(", ")]
            data = {"incident_id": incident_id, "kind": kind, "text": "\n".join(lines), "event_ids": links}
            factor = lenient(Factor, {**data, "created_at": now, "updated_at": now}, "factor", problems, entry.line)
            if factor is not None:
                factors.append(factor)
    return factors


def _action(entry: Entry, incident_id: str, now: dt.datetime, problems: list[Problem]) -> ActionItem | None:
    """One action items row: title, owner, deadline, priority and status."""
    title, owner, deadline, priority, status = (unescape_cell(c) for c in entry.cells)
    if not title:
        problems.append(Problem(entry.line, "an action item with no title"))
        return None
    data: dict[str, object] = {"incident_id": incident_id, "title": title, "created_at": now, "updated_at": now}
    data["owner"] = "" if entry.cells[1].strip() == "_unassigned_" else owner
    if entry.cells[2].strip() != "_none_":
        try:
            data["deadline"] = dt.date.fromisoformat(deadline)
        except ValueError:
            problems.append(Problem(entry.line, f"deadline {deadline!r} is not YYYY-MM-DD; left empty"))
    if priority.upper() in Priority.__members__:
        data["priority"] = priority.upper()
    else:
        problems.append(Problem(entry.line, f"priority {priority!r} is not P1, P2 or P3; P2 used"))
    if status.lower() in {s.value for s in ActionStatus}:
        data["status"] = status.lower()
        data["done_at"] = now if ActionStatus(status.lower()) in (ActionStatus.DONE, ActionStatus.WONT_DO) else None
    else:
        problems.append(Problem(entry.line, f"status {status!r} is not one of open, in progress, done, won't do"))
    return lenient(ActionItem, data, "action item", problems, entry.line, drop=False)
