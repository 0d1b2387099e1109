"""Learning across incidents: response times per incident, and what they add up to over many.

Definitions (the SQL views `incident_metrics` and `action_followthrough` compute the same numbers):

- Times are measured from `started_at`. Detected / mitigated / resolved come from the earliest live
  milestone event of that name, else the time set on the incident (as `Store.incident` merges them).
- Seconds between two times: each time is cut to its whole second (as SQLite's `strftime('%s', ...)` does), then
  subtracted. A milestone before the start is a mistake in the record, not a negative time (store/spans.py):
  its time is None here, the milestone is named in `before_start`, and medians leave it out.
- Time to detect / mitigate / resolve (TTD / TTM / TTR): seconds from the start to that milestone;
  unknown (None) until it is recorded. Duration: TTR, or the time since the start while unresolved.
- Median and p90 are percentiles by linear interpolation between closest ranks (numpy's default,
  Excel's PERCENTILE.INC): for sorted values x[0..n-1], position h = (n - 1) * p; the result is
  x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]), with p = 0.9 for p90. The median is
  p = 0.5, so an even count gives the mean of the two middle values. Incidents without that time are left out.
- Incidents per month: by the month the incident started in the display zone; months in between with
  no incident are shown as zero.
- Action items closed by their deadline: among live items that have a deadline and are either closed
  (done or won't do) or still open with the deadline passed (before today), the share that were closed
  on or before the deadline day (the day `done_at` falls on in the display zone). Items without a
  deadline, and open items whose deadline is today or later, are not yet decided and are not counted.
  A closed item with no recorded closing time is not counted either.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

from warroom.store.kinds import Severity
from warroom.store.library import IncidentFilter
from warroom.store.reads import Reads
from warroom.store.records import ActionItem, Incident
from warroom.store.spans import BEFORE_START
from warroom.store.timeparse import format_duration, from_db

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SECOND = dt.timedelta(seconds=1)


def epoch_seconds(moment: dt.datetime) -> int:
    """Whole seconds since 1970 (rounded down), exactly as SQLite's `strftime('%s', ...)` of the stored text."""
    return (moment - _EPOCH) // _SECOND


def seconds_between(start: dt.datetime, end: dt.datetime | None) -> int | None:
    """Whole seconds from `start` to `end` (each cut to its second); None when `end` is unknown."""
    return None if end is None else epoch_seconds(end) - epoch_seconds(start)


def percentile(values: Iterable[float], pct: float) -> float | None:
    """The pct-th percentile (0..100) by linear interpolation between closest ranks; None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 <= pct <= 100:
        raise ValueError("pct must be between 0 and 100")
    # Exact arithmetic, so p90 of whole seconds is 1890.0 and never 1889.9999999999998.
    h = (len(ordered) - 1) * Fraction(pct) / 100
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return float(Fraction(ordered[low]) + (h - low) * (Fraction(ordered[high]) - Fraction(ordered[low])))


def median(values: Iterable[float]) -> float | None:
    """The median (the 50th percentile); None for no values."""
    return percentile(values, 50)


@dataclass(frozen=True)
class IncidentTimes:
    """One incident's response times, in whole seconds from its start."""

    incident_id: str
    title: str
    severity: str
    status: str
    started_at: dt.datetime
    month: str
    seconds_to_detect: int | None
    seconds_to_mitigate: int | None
    seconds_to_resolve: int | None
    duration_seconds: int | None
    ongoing: bool
    before_start: tuple[str, ...] = ()

    def span_text(self, milestone: str) -> str:
        """TTD / TTM / TTR (`detected`, `mitigated`, `resolved`) as shown: a duration, `—` or `before start`."""
        if milestone in self.before_start:
            return BEFORE_START
        seconds = getattr(self, _SECONDS_OF[milestone])
        return format_duration(None if seconds is None else dt.timedelta(seconds=seconds))


#: IncidentTimes' fields in the order json.dumps sorts them.
_TIMES_ORDER = tuple(sorted(f.name for f in fields(IncidentTimes)))
_SECONDS_OF = {"detected": "seconds_to_detect", "mitigated": "seconds_to_mitigate", "resolved": "seconds_to_resolve"}


def incident_times(incident: Incident, now: dt.datetime, tz: dt.tzinfo) -> IncidentTimes:
    """TTD, TTM, TTR and duration of one incident (its milestone times already merged in)."""
    return _times(
        incident.id,
        incident.title,
        incident.severity,
        incident.status.value,
        incident.started_at,
        (incident.detected_at, incident.mitigated_at, incident.resolved_at),
        now,
        tz,
    )


def _times(
    incident_id: str,
    title: str,
    severity: str,
    status: str,
    start: dt.datetime,
    milestones: tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None],
    now: dt.datetime,
    tz: dt.tzinfo,
) -> IncidentTimes:
    """`incident_times` from the fields it reads (the milestones detected, mitigated, resolved)."""
    base = epoch_seconds(start)  # as seconds_between, the start's whole seconds taken once
    spans = {
        name: None if at is None else epoch_seconds(at) - base for name, at in zip(_SECONDS_OF, milestones, strict=True)
    }
    early = tuple(name for name, seconds in spans.items() if seconds is not None and seconds < 0)
    known = {name: None if name in early else seconds for name, seconds in spans.items()} if early else spans
    resolve = known["resolved"]
    since = epoch_seconds(now) - base
    return IncidentTimes(
        incident_id=incident_id,
        title=title,
        severity=severity,
        status=status,
        started_at=start,
        month=start.astimezone(tz).strftime("%Y-%m"),
        seconds_to_detect=known["detected"],
        seconds_to_mitigate=known["mitigated"],
        seconds_to_resolve=resolve,
        # Resolved before the start: no honest duration. A start still ahead of now: none yet.
        duration_seconds=resolve if resolve is not None else None if "resolved" in early else max(since, 0),
        ongoing=spans["resolved"] is None,
        before_start=early,
    )


@dataclass(frozen=True)
class TimeSummary:
    """Median and p90 of one response time over the incidents that have it."""

    count: int
    median_seconds: float | None
    p90_seconds: float | None
    before_start: int = 0

    @property
    def left_out(self) -> str:
        """What the count leaves out, for a note beside it: `1 before start`, or nothing."""
        return f"{self.before_start} before start" if self.before_start else ""


def summarize(values: Sequence[int | None], before_start: int = 0) -> TimeSummary:
    """Median and p90 of the known values; `before_start` counts the incidents left out for a milestone before it."""
    known = [v for v in values if v is not None]
    return TimeSummary(len(known), median(known), percentile(known, 90), before_start)


@dataclass(frozen=True)
class Followthrough:
    """Whether action items were closed by their deadlines."""

    closed_on_time: int = 0
    closed_late: int = 0
    open_overdue: int = 0

    @property
    def decided(self) -> int:
        """Items counted: closed (with a deadline) or open past the deadline."""
        return self.closed_on_time + self.closed_late + self.open_overdue

    @property
    def share(self) -> float | None:
        """Share closed by their deadline, 0..1; None when no item is decided yet."""
        return self.closed_on_time / self.decided if self.decided else None


def closed_by_deadline(item: ActionItem, today: dt.date, tz: dt.tzinfo) -> bool | None:
    """True closed on time, False closed late or open past its deadline, None not decided (see the module doc)."""
    if item.deadline is None or item.deleted_at is not None:
        return None
    if item.is_closed:
        if item.done_at is None:
            return None
        return item.done_at.astimezone(tz).date() <= item.deadline
    return False if item.deadline < today else None


def followthrough(items: Iterable[ActionItem], today: dt.date, tz: dt.tzinfo) -> Followthrough:
    """Count the decided items: closed on time, closed late, open past the deadline."""
    on_time = late = overdue = 0
    for item in items:
        verdict = closed_by_deadline(item, today, tz)
        if verdict is True:
            on_time += 1
        elif verdict is False and item.is_closed:
            late += 1
        elif verdict is False:
            overdue += 1
    return Followthrough(on_time, late, overdue)


def _months(first: str, last: str) -> list[str]:
    """Every YYYY-MM from `first` to `last`."""
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def severity_columns(times: Iterable[IncidentTimes], levels: Sequence[str] = tuple(Severity)) -> tuple[str, ...]:
    """The severities counted: the configured levels in order, then any other stored one (a level since removed)."""
    known = {s.lower() for s in levels}
    others = sorted({t.severity for t in times if t.severity.lower() not in known})
    return (*levels, *others)


def per_month(
    times: Sequence[IncidentTimes], levels: Sequence[str] = tuple(Severity)
) -> list[tuple[str, dict[str, int]]]:
    """Incidents started in each month by severity, gaps filled with zero months, oldest first."""
    columns = severity_columns(times, levels)
    by_lower = {c.lower(): c for c in columns}
    counted: dict[str, dict[str, int]] = {}
    for t in times:
        counted.setdefault(t.month, dict.fromkeys(columns, 0))[by_lower[t.severity.lower()]] += 1
    if not counted:
        return []
    return [(m, counted.get(m, dict.fromkeys(columns, 0))) for m in _months(min(counted), max(counted))]


@dataclass(frozen=True)
class LibraryMetrics:
    """Everything the stats screen and `warroom stats` show."""

    incidents: list[IncidentTimes]
    per_month: list[tuple[str, dict[str, int]]]
    detect: TimeSummary
    mitigate: TimeSummary
    resolve: TimeSummary
    actions: Followthrough
    today: dt.date

    def to_json(self) -> dict[str, Any]:
        """A plain dict for `--json` (seconds as numbers, times as UTC ISO-8601)."""
        return {
            "today": self.today.isoformat(),
            # vars(), not asdict(): asdict deep-copies every field of 10,000 records, all of them immutable here.
            # Keys in sorted order, so `warroom stats --json` need not sort 10,000 dicts again.
            "incidents": [
                {name: t.started_at.isoformat() if name == "started_at" else values[name] for name in _TIMES_ORDER}
                for t in self.incidents
                for values in (vars(t),)
            ],
            "per_month": [
                {"month": m, **{s: n for s, n in counts.items()}, "total": sum(counts.values())}
                for m, counts in self.per_month
            ],
            "times": {name: dict(vars(getattr(self, name))) for name in ("detect", "mitigate", "resolve")},
            "action_items": {
                **vars(self.actions),
                "decided": self.actions.decided,
                "share_closed_by_deadline": self.actions.share,
            },
        }


def compute(
    incidents: Sequence[Incident],
    actions: Iterable[ActionItem] | Followthrough,
    *,
    now: dt.datetime,
    tz: dt.tzinfo,
    levels: Sequence[str] = tuple(Severity),
) -> LibraryMetrics:
    """The metrics of these incidents and the action items among them (or their follow-through, counted already);
    `now` is aware, dates in `tz`."""
    today = now.astimezone(tz).date()
    ids = {i.id for i in incidents}
    if not isinstance(actions, Followthrough):
        actions = followthrough((a for a in actions if a.incident_id in ids), today, tz)
    return _metrics([incident_times(i, now, tz) for i in incidents], actions, today, levels)


def _metrics(
    times: list[IncidentTimes], actions: Followthrough, today: dt.date, levels: Sequence[str]
) -> LibraryMetrics:
    """The metrics of these incidents' times (in any order) and their action items' follow-through."""
    times.sort(key=lambda t: (t.started_at, t.incident_id))
    return LibraryMetrics(
        incidents=times,
        per_month=per_month(times, levels),
        detect=_summary(times, "detected"),
        mitigate=_summary(times, "mitigated"),
        resolve=_summary(times, "resolved"),
        actions=actions,
        today=today,
    )


def _summary(times: Sequence[IncidentTimes], milestone: str) -> TimeSummary:
    """Median and p90 of one milestone's times, counting the incidents where it is before the start."""
    early = sum(1 for t in times if milestone in t.before_start)
    return summarize([getattr(t, _SECONDS_OF[milestone]) for t in times], early)


def load(
    store: Reads, tz: dt.tzinfo, only: IncidentFilter | None = None, levels: Sequence[str] = tuple(Severity)
) -> LibraryMetrics:
    """The metrics of every incident in the store (or those matching `only`), counted by the `levels` in order.

    Without a filter, or with start dates only, the times come from the columns they are made of (no records).
    """
    now = store.now()
    today = now.astimezone(tz).date()
    if only is None or only.dates_only:
        times = []
        for incident_id, title, severity, status, started, *milestones in store.incident_time_rows():
            start = _stored_time(started)
            if only is None or only.started_within(start, tz):
                at = (from_db(milestones[0]), from_db(milestones[1]), from_db(milestones[2]))
                times.append(_times(incident_id, title, severity, status, start, at, now, tz))
    else:
        times = [incident_times(i.incident, now, tz) for i in store.list_incidents() if only.matches(i.incident, tz)]
    counted = stored_followthrough(store, {t.incident_id for t in times}, today, tz)
    return _metrics(times, counted, today, levels)


def _stored_time(text: str) -> dt.datetime:
    """A NOT NULL time column as its record reads it."""
    moment = from_db(text)
    assert moment is not None  # NOT NULL in the schema
    return moment


def stored_followthrough(store: Reads, incident_ids: set[str], today: dt.date, tz: dt.tzinfo) -> Followthrough:
    """`followthrough` of the live action items of these incidents, read as the columns it looks at.

    SQLite leaves out the items that cannot be decided and counts the open ones past their deadline; the day
    an item was closed depends on the display zone, so that comparison stays here (50,000 records would take
    longer than all of it).
    """
    done, late = store.followthrough_rows(today)
    on_time = closed_late = 0
    for incident_id, deadline_text, done_text in done:
        if incident_id not in incident_ids:
            continue
        done_at = from_db(done_text)
        if done_at is None:
            continue
        if done_at.astimezone(tz).date() <= dt.date.fromisoformat(deadline_text):
            on_time += 1
        else:
            closed_late += 1
    overdue = sum(count for incident_id, count in late if incident_id in incident_ids)
    return Followthrough(on_time, closed_late, overdue)
