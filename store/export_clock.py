"""The Time column of an exported timeline: stored UTC times as HH:MM in the display zone, dated when it spans days.

The zone is consulted once per minute of the timeline rather than once per event: every instant of
a minute shows the same HH:MM when the zone's offset is whole minutes and does not change inside it,
which holds everywhere but in a few zones' 19th- and early 20th-century local mean times. Those
minutes, and times not stored in `to_db`'s fixed-width form, are converted one by one as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from warroom.store.timeparse import from_db, local_instants, utc_offset

_MINUTE = dt.timedelta(minutes=1)
_LAST_INSTANT = dt.timedelta(seconds=59, microseconds=999_999)


def minute_of(stamp: str) -> str | None:
    """The minute of a time stored as `to_db` writes it, `2026-11-27T14:02:09.123456Z`: its first 16 characters."""
    return stamp[:16] if len(stamp) == 27 and stamp[16] == ":" and stamp[26] == "Z" else None


class TimelineClock:
    """Formats the stored times of one timeline; which form (with or without the date) depends on all of them."""

    def __init__(
        self, stamps: Iterable[str], tz: dt.tzinfo, *, again: Callable[[], Iterable[str]] | None = None
    ) -> None:
        """`again`, when given, reads the stamps once more (rarely needed): `stamps` is then only iterated, not kept."""
        self.tz = tz
        if again is None:
            stamps = list(stamps)
            again = lambda: stamps  # noqa: E731
        distinct = {minute_of(stamp) for stamp in stamps}
        minutes: dict[str | None, dt.datetime] = {}  # never None: a stamp's minute is None when it has none
        for minute in distinct:
            start = None if minute is None else _minute_start(minute, tz)
            if start is not None:
                minutes[minute] = start
        others: dict[str, dt.datetime] = {}
        if len(minutes) < len(distinct):
            # Times in no such minute (another form, or a zone change inside it) are converted one by one.
            others = {stamp: _local(stamp, tz) for stamp in again() if minute_of(stamp) not in minutes}
        self.multi_day = len({moment.date() for moment in [*minutes.values(), *others.values()]}) > 1
        self.pattern = "%Y-%m-%d %H:%M" if self.multi_day else "%H:%M"
        self._minutes = {minute: self._format(moment) for minute, moment in minutes.items()}
        self._others = {stamp: self._format(moment) for stamp, moment in others.items()}
        if crosses_offset_change([*minutes.values(), *others.values()], tz):
            # A wall time that happens twice (clocks going back) names its UTC offset, so the rows read
            # (and import) as the instants they are: `02:10+02:00` then `02:10+01:00`.
            self._minutes = {m: self._format(minutes[m]) + twice(minutes[m], tz) for m in self._minutes}
            self._others = {s: self._format(others[s]) + twice(others[s], tz) for s in self._others}

    def __call__(self, stamp: str) -> str:
        """One stored time as the timeline shows it (the stamp must be one the clock was made with)."""
        return self._minutes.get(minute_of(stamp)) or self._others[stamp]

    def column(self, stamps: Iterable[str]) -> list[str]:
        """Many stored times as the timeline shows them."""
        minutes, others = self._minutes, self._others
        # minute_of, inlined: this runs once per exported event.
        return [
            (minutes.get(s[:16]) if len(s) == 27 and s[16] == ":" and s[26] == "Z" else None) or others[s]
            for s in stamps
        ]

    def _format(self, local: dt.datetime) -> str:
        # Formatting the fields directly is three times faster than strftime; strftime stays for
        # years before 1000, which it does not zero-pad on every platform.
        if local.year < 1000:
            return local.strftime(self.pattern)
        hh_mm = f"{local.hour:02d}:{local.minute:02d}"
        return f"{local.year}-{local.month:02d}-{local.day:02d} {hh_mm}" if self.multi_day else hh_mm


#: Further apart than any zone's offsets change twice; closer than any offset change lasts (sampling step).
_STEP = dt.timedelta(hours=6)


def crosses_offset_change(moments: list[dt.datetime], tz: dt.tzinfo) -> bool:
    """Whether the zone's UTC offset changes anywhere around the span of these local times."""
    if not moments or tz is dt.UTC:
        return False
    first, last = _moved(min(moments), -_STEP), _moved(max(moments), _STEP)
    if (last - first).days > 800:
        return True  # long enough to cross a change in any zone that has them: check each row
    # Stepping by index never passes `last`, so a time at the calendar's end (9999-12-31 local) is sampled too.
    offsets = {(first + k * _STEP).astimezone(tz).utcoffset() for k in range(int((last - first) / _STEP) + 1)}
    offsets.add(last.astimezone(tz).utcoffset())
    return len(offsets) > 1


def _moved(moment: dt.datetime, step: dt.timedelta) -> dt.datetime:
    """`moment` moved by `step`, or left where it is when that would pass the calendar's end."""
    try:
        return moment + step
    except OverflowError:
        return moment


def twice(local: dt.datetime, tz: dt.tzinfo) -> str:
    """`+02:00` when the local wall time happens twice in the zone (so it needs its offset), else empty."""
    if len(local_instants(local.replace(tzinfo=None), tz)) < 2:
        return ""
    return utc_offset(local)


def _local(stamp: str, tz: dt.tzinfo) -> dt.datetime:
    """One stored time in the zone."""
    moment = from_db(stamp)
    if moment is None:
        raise ValueError(f"an event without a time: {stamp!r}")
    return moment.astimezone(tz)


def _minute_start(key: str, tz: dt.tzinfo) -> dt.datetime | None:
    """The local time at the start of a stored minute, or None unless every instant of it shows the same minute."""
    try:
        start = from_db(f"{key}:00Z")
        if start is None:
            return None
        local, last = start.astimezone(tz), (start + _LAST_INSTANT).astimezone(tz)
    except (ValueError, OverflowError):
        return None
    offset = local.utcoffset()
    if offset is None or offset != last.utcoffset() or offset % _MINUTE:
        return None
    return local
