"""Filtering the incident library: the `sev:1-2 status:open tag:db since:2026-11-01` syntax, parsed and matched.

Tokens (case-insensitive, all must hold):

- `sev:1`, `sev:SEV2`, `sev:1-2`, `sev:1,3`  severity (a range or a list)
- `status:open` (investigating, identified or monitoring), `status:resolved`, `status:resolved,closed`
- `tag:database`                         the incident carries that tag (repeat for several)
- `since:2026-11-01`, `until:2026-11-30` started on or after / on or before that day in the display zone;
  `since:2026-11` and `until:2026-11` take the whole month
- any other word (or "quoted phrase")    found in the id, title, owner, roles, tags, severity or status
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from warroom.store.errors import InputError
from warroom.store.kinds import OPEN_STATUSES, SEVERITY_NAME, Status
from warroom.store.records import Incident

FILTER_HINT = "sev:1-2 · status:open · tag:db · since:2026-11-01 · until:2026-11-30 · words"

_TOKEN = re.compile(r'(?:(\w+):)?"([^"]*)"?|(\S+)')
_KEYS = {"sev": "sev", "severity": "sev", "status": "status", "tag": "tag", "since": "since", "until": "until"}
_SEV = re.compile(r"^(?:sev)?(\d{1,3})$", re.IGNORECASE)
_SEV_NAME = re.compile(SEVERITY_NAME)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class IncidentFilter:
    """What an incident must match; empty parts match everything."""

    #: Upper-case severity names (SEV0, SEV1, or a level of the config file's own).
    severities: frozenset[str] = frozenset()
    statuses: frozenset[Status] = frozenset()
    tags: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    words: tuple[str, ...] = ()
    #: Tokens that could not be understood, each with why (the rest of the filter still applies).
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        """True when the filter lets every incident through."""
        return not (self.severities or self.statuses or self.tags or self.since or self.until or self.words)

    def matches(self, incident: Incident, tz: dt.tzinfo) -> bool:
        """Whether `incident` passes every part of the filter (dates compared in zone `tz`)."""
        if self.severities and incident.severity.upper() not in self.severities:
            return False
        if self.statuses and incident.status not in self.statuses:
            return False
        tags = {t.lower() for t in incident.tags}
        if any(t not in tags for t in self.tags):
            return False
        if not self.started_within(incident.started_at, tz):
            return False
        if self.words:
            return self.words_in(haystack(incident))
        return True

    @property
    def words_only(self) -> bool:
        """True when only words are asked for (so `words_in` of each incident's `haystack` decides)."""
        return bool(self.words) and not (self.severities or self.statuses or self.tags or self.since or self.until)

    def words_in(self, text: str) -> bool:
        """Whether every word of the filter is in `text` (an incident's `haystack`)."""
        return all(w in text for w in self.words)

    @property
    def dates_only(self) -> bool:
        """True when only the start date is asked about (`warroom stats --since/--until`)."""
        return not (self.severities or self.statuses or self.tags or self.words)

    def started_within(self, started_at: dt.datetime, tz: dt.tzinfo) -> bool:
        """Whether a start time falls within --since and --until (dates in zone `tz`)."""
        if not (self.since or self.until):
            return True
        started = started_at.astimezone(tz).date()
        return not ((self.since and started < self.since) or (self.until and started > self.until))

    def select(self, incidents: Iterable[Incident], tz: dt.tzinfo) -> list[Incident]:
        """The incidents that match, in the order given."""
        return [i for i in incidents if self.matches(i, tz)]


def haystack(incident: Incident) -> str:
    """What the filter's words are looked for in: id, title, people, severity, status and tags, in lower case."""
    return " ".join(
        [
            incident.id,
            incident.title,
            incident.owner,
            incident.commander,
            incident.scribe,
            incident.comms,
            incident.severity,
            incident.status.value,
            *incident.tags,
        ]
    ).lower()


def parse_severities(text: str) -> frozenset[str]:
    """`1`, `SEV2`, `0-1`, `1,3` (and mixes such as `1-2,4`, or a level's name) as a set of severity names."""
    found: set[str] = set()
    for part in text.split(","):
        ends = [e.strip() for e in part.split("-")]
        numbers = [int(m[1]) for e in ends if (m := _SEV.match(e))]
        if len(numbers) != len(ends) and _SEV_NAME.match(part.strip()) and not part.strip()[:1].isdigit():
            found.add(part.strip().upper())  # a level of the config file's own, by name (P1-major)
            continue
        if len(numbers) != len(ends) or len(ends) > 2 or max(numbers) - min(numbers) > 100:
            raise InputError(f"severity {text!r}: use 1-4, SEV1-SEV4, a range such as 1-2 or a list such as 1,3")
        found.update(f"SEV{n}" for n in range(min(numbers), max(numbers) + 1))
    return frozenset(found)


def parse_statuses(text: str) -> frozenset[Status]:
    """`open` (every status still being worked on) or status names, comma-separated."""
    found: set[Status] = set()
    allowed = ["open", *(s.value for s in Status)]
    for part in (p.strip().lower() for p in text.split(",")):
        if part == "open":
            found.update(OPEN_STATUSES)
        elif part in {s.value for s in Status}:
            found.add(Status(part))
        else:
            raise InputError(f"status {part!r}: use one of {', '.join(allowed)}")
    return frozenset(found)


def parse_day(text: str, *, end: bool = False) -> dt.date:
    """YYYY-MM-DD, or YYYY-MM for the month's first day (its last day with `end`)."""
    raw = text.strip()
    month = _MONTH.match(raw)
    try:
        if month:
            year, number = int(month[1]), int(month[2])
            day = calendar.monthrange(year, number)[1] if end else 1
            return dt.date(year, number, day)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError(f"{raw!r} is not a date: use YYYY-MM-DD (or YYYY-MM for a whole month)") from None


def build_filter(
    *,
    severity: str | None = None,
    status: str | None = None,
    tags: Iterable[str] = (),
    since: str | None = None,
    until: str | None = None,
    words: Iterable[str] = (),
) -> IncidentFilter:
    """A filter from separate options (the CLI's); a bad value raises InputError."""
    return IncidentFilter(
        severities=parse_severities(severity) if severity else frozenset(),
        statuses=parse_statuses(status) if status else frozenset(),
        tags=tuple(t.strip().lower() for t in tags if t.strip()),
        since=parse_day(since) if since else None,
        until=parse_day(until, end=True) if until else None,
        words=tuple(w.lower() for w in words if w),
    )


def parse_filter(text: str) -> IncidentFilter:
    """The filter line's text as a filter; tokens that make no sense are listed in `problems`, never raised."""
    options: dict[str, str] = {}
    tags: list[str] = []
    words: list[str] = []
    problems: list[str] = []
    for match in _TOKEN.finditer(text):
        key, quoted, bare = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            value = quoted
        else:
            key, sep, value = bare.partition(":")
            if not sep or key.lower() not in _KEYS:
                words.append(bare)
                continue
        name = _KEYS.get(key.lower()) if key else None
        if name is None:
            words.append(value)
            continue
        if not value:
            continue  # `sev:` while still typing
        if name == "tag":
            tags.append(value)
            continue
        try:
            build_filter(**{name if name != "sev" else "severity": value})
        except InputError as exc:
            problems.append(str(exc))
            continue
        options[name if name != "sev" else "severity"] = value
    built = build_filter(**options, tags=tags, words=words)
    return IncidentFilter(
        severities=built.severities,
        statuses=built.statuses,
        tags=built.tags,
        since=built.since,
        until=built.until,
        words=built.words,
        problems=tuple(problems),
    )
