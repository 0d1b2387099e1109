"""Turning what a person types as a time into an aware UTC datetime, and back for display."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from store.errors import InputError

UTC = dt.UTC

TIME_HELP = "use HH:MM[:SS], HH:MMZ, an ISO-8601 time with offset, or -5m / -2h / -1h30m"

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(Z)?$", re.IGNORECASE)
_RELATIVE = re.compile(r"^-(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$", re.IGNORECASE)
# A clock time this far ahead of now is taken to mean yesterday (logging 23:58 at 00:05).
_FUTURE_SLACK = dt.timedelta(minutes=5)


def zone(name: str | None) -> dt.tzinfo:
    """The display zone for an IANA name or UTC; a clear error for anything else."""
    if not name or name.upper() in ("UTC", "Z"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(f"unknown time zone {name!r}: use an IANA name such as Europe/Berlin, or UTC") from None


def zone_name(tz: dt.tzinfo) -> str:
    """The name a zone is shown by in headings (`UTC`, `Europe/Berlin`)."""
    return "UTC" if tz is UTC else str(tz)


def parse_time(text: str, now: dt.datetime, tz: dt.tzinfo = UTC) -> dt.datetime:
    """Parse TIME as the CLI contract describes; `now` is aware, `tz` the display zone."""
    raw = text.strip()
    if not raw:
        raise InputError(f"empty time: {TIME_HELP}")
    if raw.lower() == "now":
        return now.astimezone(UTC)
    try:
        return _parse(raw, now, tz)
    except OverflowError:
        raise InputError(f"{raw!r} is too far from now to be a time: {TIME_HELP}") from None


def _parse(raw: str, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    rel = _RELATIVE.match(raw)
    if rel and any(rel.groups()):
        d, h, m, s = (int(g) if g else 0 for g in rel.groups())
        return (now - dt.timedelta(days=d, hours=h, minutes=m, seconds=s)).astimezone(UTC)
    clock = _CLOCK.match(raw)
    if clock:
        return _clock_time(clock, now, tz, raw)
    try:
        parsed = dt.datetime.fromisoformat(raw.replace(" ", "T", 1) if " " in raw else raw)
    except ValueError:
        raise InputError(f"{raw!r} is not a time: {TIME_HELP}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def _clock_time(match: re.Match[str], now: dt.datetime, tz: dt.tzinfo, raw: str) -> dt.datetime:
    """HH:MM[:SS][Z] on today's date in the display zone (or UTC with Z)."""
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3]) if match[3] else 0
    if hour > 23 or minute > 59 or second > 59:
        raise InputError(f"{raw!r} is not a time of day: {TIME_HELP}")
    where = UTC if match[4] else tz
    today = now.astimezone(where).date()
    wall = dt.time(hour, minute, second)
    # Today's HH:MM, unless that is ahead of now (then yesterday's), or tomorrow's is only
    # moments ahead (00:01 typed at 23:58). Compared in UTC: wall clocks jump at DST changes.
    for day in (today + dt.timedelta(days=1), today, today - dt.timedelta(days=1)):
        candidate = dt.datetime.combine(day, wall, tzinfo=where).astimezone(UTC)
        if candidate - now.astimezone(UTC) <= _FUTURE_SLACK:
            return candidate
    return candidate


def parse_date(text: str) -> dt.date:
    """A deadline: YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2026-12-01") from None


def to_db(moment: dt.datetime | None) -> str | None:
    """Fixed-width UTC text, so string order is time order in SQLite."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_db(text: str | None) -> dt.datetime | None:
    """Inverse of `to_db`."""
    if not text:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_duration(delta: dt.timedelta | None) -> str:
    """`1 h 05 min`, `12 min`, `45 s`; an em dash when unknown."""
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days} d {hours} h {minutes:02d} min"
    if hours:
        return f"{sign}{hours} h {minutes:02d} min"
    if minutes:
        return f"{sign}{minutes} min"
    return f"{sign}{secs} s"
