"""Turning what a person types as a time into an aware UTC datetime, and back for display."""

from __future__ import annotations

import datetime as dt
import re

from warroom.store.errors import InputError

UTC = dt.UTC

TIME_HELP = "use HH:MM[:SS], HH:MMZ, an ISO-8601 time with offset, or -5m / -2h / -1h30m"

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(Z)?$", re.IGNORECASE)
_RELATIVE = re.compile(r"^-(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$", re.IGNORECASE)
# A clock time this far ahead of now is taken to mean yesterday (logging 23:58 at 00:05).
_FUTURE_SLACK = dt.timedelta(minutes=5)
#: The instants warroom accepts and stores. The last day of year 9999 is left out so that every
#: display zone (up to UTC+14) can still show the latest one; earlier than 1970 is surely a typo.
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=UTC)
LATEST = dt.datetime(9999, 12, 31, tzinfo=UTC)
RANGE_HELP = "warroom keeps times from 1970-01-01 to 9999-12-30 UTC"
# What a reader shows for a stored time it cannot read at all (or one too far off to convert to a
# zone): a visibly wrong year-1 date, never a crash, so the event can still be seen and corrected.
_SHOWABLE_MIN = dt.datetime(1, 1, 2, tzinfo=UTC)
_SHOWABLE_MAX = LATEST - dt.timedelta(microseconds=1)
_LOOSE_YEAR = re.compile(r"^(\d{1,3})-")


def zone(name: str | None) -> dt.tzinfo:
    """The display zone for an IANA name or UTC; a clear error for anything else."""
    if not name or name.upper() in ("UTC", "Z"):
        return UTC
    # Imported here: loading zoneinfo costs every start a few ms, and most never name a zone.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
        moment = _parse(raw, now, tz)
    except OverflowError:
        raise InputError(f"{raw!r} is too far from now to be a time: {RANGE_HELP}") from None
    return check_range(moment, raw)


def check_range(moment: dt.datetime, raw: str | None = None) -> dt.datetime:
    """`moment` if warroom can store it (see EARLIEST and LATEST), else one clear InputError."""
    if EARLIEST <= (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) < LATEST:
        return moment
    shown = repr(raw) if raw is not None else moment.strftime("%Y-%m-%d %H:%M UTC").lstrip("0")
    raise InputError(f"{shown} is out of range: {RANGE_HELP}")


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
    """HH:MM[:SS][Z] on today's date in the display zone (or UTC with Z).

    Today's HH:MM, unless that is ahead of now (then yesterday's), or tomorrow's is only moments ahead
    (00:01 typed at 23:58). Compared in UTC: wall clocks jump at DST changes. A wall time that happens
    twice (clocks going back) is the later of the two unless that is ahead of now; one that never happens
    (clocks going forward) is moved forward by the jump, and refused if that puts it ahead of now.
    """
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3]) if match[3] else 0
    if hour > 23 or minute > 59 or second > 59:
        raise InputError(f"{raw!r} is not a time of day: {TIME_HELP}")
    where = UTC if match[4] else tz
    today = now.astimezone(where).date()
    wall = dt.time(hour, minute, second)
    latest_ok = now.astimezone(UTC) + _FUTURE_SLACK
    for day in (today + dt.timedelta(days=1), today, today - dt.timedelta(days=1)):
        instants = local_instants(dt.datetime.combine(day, wall), where)
        for candidate in sorted(instants, reverse=True):
            if candidate <= latest_ok:
                return candidate
        if day == today and len(instants) == 1 and skipped(dt.datetime.combine(day, wall), where):
            raise InputError(
                f"{raw!r} does not exist today in {zone_name(where)} (the clocks jumped past it) and the time "
                "it moves to is ahead of now: give the time with its UTC offset or as HH:MMZ"
            )
    return candidate


def local_instants(wall: dt.datetime, tz: dt.tzinfo) -> list[dt.datetime]:
    """The UTC instants a naive local wall time stands for: one, or two when clocks go back over it.

    A wall time the clocks jump over (going forward) is read with the offset before the jump, so it
    moves forward by the jump: 02:30 on a night that goes from 02:00 to 03:00 is 03:30.
    """
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if first == second or skipped(wall, tz):
        return [first]
    return sorted({first, second})


def skipped(wall: dt.datetime, tz: dt.tzinfo) -> bool:
    """Whether a naive local wall time never shows on the zone's clocks (the clocks jump over it)."""
    moment = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return moment != wall


def time_note(text: str, moment: dt.datetime, tz: dt.tzinfo) -> str | None:
    """What a person should be told about how a typed local time was read, at a DST change; else None."""
    raw = text.strip()
    clock = _CLOCK.match(raw)
    if clock is not None:
        if clock[4]:
            return None
        typed = (int(clock[1]), int(clock[2]), int(clock[3] or 0))
    else:
        try:
            parsed = dt.datetime.fromisoformat(raw.replace(" ", "T", 1) if " " in raw else raw)
        except ValueError:
            return None
        if parsed.tzinfo is not None:
            return None
        typed = (parsed.hour, parsed.minute, parsed.second)
    local = moment.astimezone(tz)
    shown = f"{local:%H:%M} {local.tzname()} (UTC{utc_offset(local)})"
    wall = f"{typed[0]:02d}:{typed[1]:02d}"
    if (local.hour, local.minute, local.second) != typed:
        return f"{wall} does not exist on {local:%Y-%m-%d} in {zone_name(tz)} (clocks jumped forward): read as {shown}"
    instants = local_instants(local.replace(tzinfo=None), tz)
    if len(instants) == 2:
        which = "later" if moment.astimezone(UTC) == instants[1] else "earlier"
        return f"{wall} happens twice on {local:%Y-%m-%d} in {zone_name(tz)}: read as the {which}, {shown}"
    return None


def typed_back(moment: dt.datetime, tz: dt.tzinfo, fmt: str = "%Y-%m-%dT%H:%M:%S") -> str:
    """`moment` as a TIME to type back into warroom: local `fmt`, or ISO-8601 with its UTC offset when the zone
    shows that wall time twice (as typed without one, it would be read as the earlier of the two)."""
    local = moment.astimezone(tz)
    if len(local_instants(local.replace(tzinfo=None), tz)) == 2:
        return f"{local:%Y-%m-%dT%H:%M:%S}{utc_offset(local)}"
    return local.strftime(fmt)


def utc_offset(local: dt.datetime) -> str:
    """`+01:00` for a local time's UTC offset."""
    total = int((local.utcoffset() or dt.timedelta()).total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


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
    # isoformat pads the year to four digits; strftime's %Y does not on every platform (year 226).
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def from_db(text: str | None) -> dt.datetime | None:
    """Inverse of `to_db`, and never a crash on what a file holds.

    Files written before times were range-checked may hold `226-11-27T...` (an unpadded year) or a
    time too far off to show in a zone: those are read as the nearest time that can be shown, so every
    screen and command still works and the event can be corrected.
    """
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, TypeError):
        return _salvage(text)
    if moment.tzinfo is None or _SHOWABLE_MIN <= moment <= _SHOWABLE_MAX:
        return moment  # (a time without a zone is as another program wrote it: shown in the machine's zone)
    return min(max(moment, _SHOWABLE_MIN), _SHOWABLE_MAX)


def _salvage(text: object) -> dt.datetime:
    """A stored time that is not ISO-8601 as such: its year padded if that is all, else the earliest showable."""
    if isinstance(text, str) and (loose := _LOOSE_YEAR.match(text)):
        padded = loose[1].zfill(4) + text[loose.end() - 1 :]
        try:
            moment = dt.datetime.fromisoformat(padded.replace("Z", "+00:00"))
        except ValueError:
            return _SHOWABLE_MIN
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return min(max(moment, _SHOWABLE_MIN), _SHOWABLE_MAX)
    return _SHOWABLE_MIN


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
