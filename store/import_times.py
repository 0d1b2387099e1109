"""When things happened, rebuilt from a Markdown post-mortem that shows only minutes and durations.

Timeline rows show HH:MM (with the date only when the timeline spans days); the incident's start is
shown only through the date line and the times to detect, mitigate and resolve. These functions find
moments that reproduce every one of those, so that exporting the import gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from warroom.store.import_doc import lenient
from warroom.store.kinds import Milestone
from warroom.store.mdparse import Problem
from warroom.store.models import Event
from warroom.store.spans import BEFORE_START, format_span
from warroom.store.timeparse import EARLIEST, LATEST, RANGE_HELP, UTC, format_duration

NONE = "—"
_DURATION = re.compile(
    r"^(?P<neg>-)?(?:(?P<d>\d+) d (?P<dh>\d+) h (?P<dm>\d+) min"
    r"|(?P<h>\d+) h (?P<hm>\d+) min|(?P<m>\d+) min|(?P<s>\d+) s)$"
)
_FAR = 10**12
#: Stand-ins for a wall time whose UTC instant Python cannot hold (past year 9999): never kept.
_TOO_LATE = dt.datetime.max.replace(tzinfo=UTC)
_TOO_EARLY = dt.datetime.min.replace(tzinfo=UTC)

#: A shown duration: its text, its source line, and the whole seconds it can stand for (None: unknown).
Shown = tuple[str, int, tuple[int, int] | None]


@dataclass
class Row:
    """A timeline row read but not yet placed in time."""

    line: int
    date: dt.date | None
    clock: dt.time
    event: dict[str, object]
    shown: str = ""  # the time cell as written, to name the row in a problem


def duration_range(text: str) -> tuple[int, int] | None:
    """The whole seconds `format_duration` shows as `text`, as an inclusive range; None for unknown."""
    if text in (NONE, "ongoing"):
        return None
    if text == BEFORE_START:
        return (-_FAR, -1)  # any moment before the start (store/spans.py)
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(text)
    n = {k: int(v) for k, v in match.groupdict().items() if v and k != "neg"}
    if "s" in n:
        low, high = n["s"], n["s"]
    else:
        minutes = (n.get("d", 0) * 24 + n.get("dh", 0) + n.get("h", 0)) * 60 + n.get("dm", n.get("hm", n.get("m", 0)))
        low, high = minutes * 60, minutes * 60 + 59
    return (-high, -low) if match["neg"] else (low, high)


def place(
    rows: list[Row],
    ranges: dict[Milestone, Shown],
    days: list[dt.date],
    tz: dt.tzinfo,
    now: dt.datetime,
    problems: list[Problem],
    incident_id: str,
) -> tuple[list[Event], dt.datetime, dict[str, dt.datetime]]:
    """Timeline events in time, the incident's start, and key times the timeline does not mark."""
    first = days[0] if days else now.astimezone(tz).date()
    bases: list[dt.date | None] = [first]
    if any(r.date is None for r in rows):
        # A one-day timeline shows no date: try the start day, its neighbours, the end day, and the
        # days the shown durations point at.
        bases += [_shift(first, 1), _shift(first, -1), *days[1:]]
        for _, _, span in ranges.values():
            if span is not None and span[0] > -_FAR:  # "before start" points at no day in particular
                reach = range(max(span[0] // 86400 - 1, -400), min(span[1] // 86400 + 2, 400))
                bases += [_shift(first, k) for k in reach]
    solved = None
    for base in dict.fromkeys(b for b in bases if b is not None):
        moments = _moments(rows, base, tz)
        if all(kept(m) for m in moments):
            solved = _solve(rows, moments, ranges, days, tz, now)
            if solved is not None:
                break
    if solved is None:
        # A row outside the times warroom keeps is left out (named); the others are placed without it.
        moments = _moments(rows, first, tz)
        for row, moment in zip(rows, moments, strict=True):
            if not kept(moment):
                refused = f"time {row.shown!r} is out of range ({RANGE_HELP}); row not imported"
                problems.append(Problem(row.line, refused))
        rows = [row for row, moment in zip(rows, moments, strict=True) if kept(moment)]
        moments = [moment for moment in moments if kept(moment)]
        solved = _solve(rows, moments, ranges, days, tz, now)
    if solved is None:
        # The durations cannot all be right: keep the timeline as shown; _check names what differs.
        solved = _solve(rows, moments, {}, days[:1], tz, now) or (moments, _at(first, tz))
    moments, start = solved
    direct = _direct(rows, ranges, start, days, tz)
    events = []
    for number, (row, moment) in enumerate(zip(rows, moments, strict=True), start=1):
        data = {**row.event, "id": number, "incident_id": incident_id, "occurred_at": moment, "logged_at": now}
        event = lenient(Event, {**data, "source": "import"}, "event", problems, row.line, drop=False)
        if event is not None:
            events.append(event)
    _check(events, ranges, start, direct, problems)
    return events, start, direct


def kept(moment: dt.datetime) -> bool:
    """Whether warroom keeps this instant (store/timeparse.py: EARLIEST to LATEST)."""
    return EARLIEST <= moment < LATEST


def shows_kept(day: dt.date, tz: dt.tzinfo) -> bool:
    """Whether any moment of this local day in the zone is one warroom keeps."""
    return _epoch(_at(day, tz)) < _epoch(LATEST) and _day_after(day, tz) > _epoch(EARLIEST)


def _shift(day: dt.date, days: int) -> dt.date | None:
    """`day` moved by whole days; None past the calendar's ends (years 1 and 9999)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _at(day: dt.date, tz: dt.tzinfo, clock: dt.time = dt.time()) -> dt.datetime:
    """A wall-clock moment in the display zone, as UTC; a row that names its UTC offset is read by that offset.

    A wall time whose instant lies past what Python's datetime holds (9999-12-31 west of UTC) gives a
    stand-in outside the kept range, so it is refused like any other out-of-range time.
    """
    try:
        if clock.tzinfo is not None:
            # The export names the offset on rows whose wall time happens twice (clocks going back).
            return dt.datetime.combine(day, clock).astimezone(UTC)
        return dt.datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)
    except OverflowError:
        return _TOO_LATE if day.year > 1 else _TOO_EARLY


def _day_after(day: dt.date, tz: dt.tzinfo) -> int:
    """The epoch second the day after `day` starts in the zone (9999-12-31 included: a day later)."""
    after = _shift(day, 1)
    return _epoch(_at(after, tz)) if after is not None else _epoch(_at(day, tz)) + 86400


def _moments(rows: list[Row], base: dt.date, tz: dt.tzinfo) -> list[dt.datetime]:
    """Each row's moment; a row without a date takes the previous row's date (the base day for the first)."""
    moments, day = [], base
    for row in rows:
        day = row.date or day
        moments.append(_at(day, tz, row.clock))
    return moments


def _solve(
    rows: list[Row],
    moments: list[dt.datetime],
    ranges: dict[Milestone, Shown],
    days: list[dt.date],
    tz: dt.tzinfo,
    fallback: dt.datetime,
) -> tuple[list[dt.datetime], dt.datetime] | None:
    """A start (and seconds for milestone rows) that reproduce every shown duration, or None.

    Rows show whole minutes, so a milestone row may take any second of its minute; the start is
    then bounded by each duration and by the date line. A whole-minute start is preferred.
    """
    first, end = (days + [None, None])[:2]
    low, high = -_FAR, _FAR
    if first is not None:
        low, high = _epoch(_at(first, tz)), _day_after(first, tz) - 1
    marks = _milestone_rows(rows, moments)
    if first is not None and Milestone.RESOLVED in marks:
        # The date line shows the resolved day when it is later than the start day.
        day = moments[marks[Milestone.RESOLVED]].astimezone(tz).date()
        if day != end if end is not None else day > first:
            return None
    for milestone, (_, _, span) in ranges.items():
        if span is None:
            continue
        if milestone in marks:
            moment = _epoch(moments[marks[milestone]])
            low, high = max(low, moment - span[1]), min(high, moment + 59 - span[0])
        elif milestone is Milestone.RESOLVED and first is not None:
            # Resolved set directly: start + duration must land on the date line's end day.
            last = end or first
            if end is not None:
                low = max(low, _epoch(_at(end, tz)) - span[1])
            high = min(high, _day_after(last, tz) - 1 - span[0])
    on_day = [m for m in moments if first is None or m.astimezone(tz).date() == first]
    prefer = _epoch(min(on_day)) if on_day else (low if low > -_FAR else _epoch(fallback))
    # The start is a time warroom keeps, however far the shown durations reach.
    low, high = max(low, _epoch(EARLIEST)), min(high, _epoch(LATEST) - 1)
    if low > high:
        return None
    lo60, hi60 = -(-low // 60) * 60, high // 60 * 60
    start = min(max(round(prefer / 60) * 60, lo60), hi60) if lo60 <= hi60 else min(max(prefer, low), high)
    placed = list(moments)
    for milestone, (_, _, span) in ranges.items():
        if span is not None and milestone in marks:
            index = marks[milestone]
            second = max(0, start + span[0] - _epoch(moments[index]))
            minute = moments[index]
            for later in range(index, len(rows)):
                if moments[later] == minute:
                    placed[later] = max(placed[later], minute + dt.timedelta(seconds=second))
    return placed, dt.datetime.fromtimestamp(start, UTC)


def _milestone_rows(rows: list[Row], moments: list[dt.datetime]) -> dict[Milestone, int]:
    """The row that sets each milestone: the earliest one marked with it."""
    found: dict[Milestone, int] = {}
    for index in sorted(range(len(rows)), key=lambda i: moments[i]):
        milestone = rows[index].event["milestone"]
        if isinstance(milestone, Milestone):
            found.setdefault(milestone, index)
    return found


def _direct(
    rows: list[Row],
    ranges: dict[Milestone, Shown],
    start: dt.datetime,
    days: list[dt.date],
    tz: dt.tzinfo,
) -> dict[str, dt.datetime]:
    """Key times shown only as durations (no milestone row): start + the shortest fitting duration."""
    marked = {r.event["milestone"] for r in rows}
    direct = {}
    for milestone, (_, _, span) in ranges.items():
        if span is None or milestone in marked:
            continue
        # "Before start" did not show the exact time: a second before the start shows the same.
        shortest = span[1] if span[0] <= -_FAR else span[0]
        choices = [_later(start, shortest), _later(start, span[1])]
        if milestone is Milestone.RESOLVED and days:
            # The date line names the resolved day when it is later than the start day.
            end = days[1] if len(days) == 2 else None
            if end is not None and span[0] <= (_at(end, tz) - start).total_seconds() <= span[1]:
                choices.insert(1, _at(end, tz))

            def fits(moment: dt.datetime, end: dt.date | None = end) -> bool:
                day = moment.astimezone(tz).date()
                return day == end if end is not None else day <= days[0]

            choices = [c for c in choices if fits(c)] or choices
        direct[f"{milestone.value}_at"] = choices[0]
    return direct


def _check(
    events: list[Event],
    ranges: dict[Milestone, Shown],
    start: dt.datetime,
    direct: dict[str, dt.datetime],
    problems: list[Problem],
) -> None:
    """Report a shown duration the rebuilt times do not reproduce (it is not imported)."""
    for milestone, (text, line, span) in ranges.items():
        marked = [e.occurred_at for e in events if e.milestone is milestone]
        moment = min(marked) if marked else direct.get(f"{milestone.value}_at")
        shown = None if moment is None else (format_duration(moment - start), format_span(moment - start))
        if span is not None and shown is not None and text not in shown:
            problems.append(Problem(line, f"{text!r} does not fit the timeline's times; not imported"))


def _later(start: dt.datetime, seconds: int) -> dt.datetime:
    """`start` plus `seconds`; past the calendar's ends, a stand-in that is never kept."""
    try:
        return start + dt.timedelta(seconds=seconds)
    except OverflowError:
        return _TOO_LATE if seconds > 0 else _TOO_EARLY


def _epoch(moment: dt.datetime) -> int:
    """Whole seconds since the epoch."""
    return int(moment.timestamp())
