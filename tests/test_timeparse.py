"""store/timeparse.py: what a person types as a time, and how durations are shown."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from warroom.store.errors import InputError
from warroom.store.timeparse import UTC, format_duration, parse_time, zone, zone_name

NOW = dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
SLACK = dt.timedelta(minutes=5)


def at(*args: int) -> dt.datetime:
    """An aware UTC datetime."""
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13:50", at(2026, 11, 27, 13, 50)),
        ("9:05", at(2026, 11, 27, 9, 5)),
        ("13:50:30", at(2026, 11, 27, 13, 50, 30)),
        ("13:50Z", at(2026, 11, 27, 13, 50)),
        ("13:50z", at(2026, 11, 27, 13, 50)),
        ("14:04", at(2026, 11, 27, 14, 4)),  # a little ahead of now is still today
        ("2026-11-27T13:50:00+01:00", at(2026, 11, 27, 12, 50)),
        ("2026-11-27T13:50:00Z", at(2026, 11, 27, 13, 50)),
        ("2026-11-27T13:50:00", at(2026, 11, 27, 13, 50)),
        ("2026-11-27 13:50", at(2026, 11, 27, 13, 50)),
        ("-5m", at(2026, 11, 27, 13, 55)),
        ("-2h", at(2026, 11, 27, 12, 0)),
        ("-1h30m", at(2026, 11, 27, 12, 30)),
        ("-1d", at(2026, 11, 26, 14, 0)),
        ("now", NOW),
        ("  NOW ", NOW),
    ],
)
def test_parse_time_in_utc(text: str, expected: dt.datetime) -> None:
    """Every accepted form lands on the moment a user means, returned as aware UTC."""
    got = parse_time(text, NOW)
    assert got == expected
    assert got.utcoffset() == dt.timedelta(0)


def test_clock_time_ahead_of_now_means_yesterday() -> None:
    """Logging 23:58 at 00:05 means two minutes before midnight, not tonight."""
    now = at(2026, 11, 28, 0, 5)
    assert parse_time("23:58", now) == at(2026, 11, 27, 23, 58)


def test_clock_time_more_than_slack_ahead_is_yesterday() -> None:
    """Ten minutes ahead is too far to be a clock skew: it is yesterday's time."""
    assert parse_time("14:10", NOW) == at(2026, 11, 26, 14, 10)


def test_display_zone_applies_to_clock_times() -> None:
    """15:00 typed with Europe/Berlin is 14:00 UTC in winter (CET, +01:00)."""
    assert parse_time("15:00", NOW, BERLIN) == at(2026, 11, 27, 14, 0)


def test_display_zone_applies_on_summer_time() -> None:
    """In July Berlin is +02:00, so 14:00 local is 12:00 UTC."""
    assert parse_time("14:00", at(2026, 7, 1, 13, 0), BERLIN) == at(2026, 7, 1, 12, 0)


def test_display_zone_on_dst_change_day() -> None:
    """On 2026-03-29 Berlin moves to +02:00 at 02:00: 09:00 that day is 07:00 UTC, 01:30 is 00:30 UTC."""
    now = at(2026, 3, 29, 12, 0)
    assert parse_time("09:00", now, BERLIN) == at(2026, 3, 29, 7, 0)
    assert parse_time("01:30", now, BERLIN) == at(2026, 3, 29, 0, 30)
    assert parse_time("2026-03-29T09:00", now, BERLIN) == at(2026, 3, 29, 7, 0)


def test_yesterday_across_dst_keeps_wall_clock() -> None:
    """Yesterday's 10:10 in Berlin, the day after clocks went back, is still 10:10 on the wall."""
    now = at(2026, 10, 25, 9, 0)  # 10:00 CET, the day summer time ended
    got = parse_time("10:10", now, BERLIN)
    assert got.astimezone(BERLIN).replace(tzinfo=None) == dt.datetime(2026, 10, 24, 10, 10)


def test_iso_without_offset_uses_display_zone() -> None:
    """An ISO time without an offset is read in the display zone, not UTC."""
    assert parse_time("2026-11-27T15:00:00", NOW, BERLIN) == at(2026, 11, 27, 14, 0)


def test_iso_with_offset_ignores_display_zone() -> None:
    """An explicit offset wins over the display zone."""
    assert parse_time("2026-11-27T15:00:00+00:00", NOW, BERLIN) == at(2026, 11, 27, 15, 0)


def test_z_suffix_ignores_display_zone() -> None:
    """HH:MMZ is UTC even when the display zone is Berlin."""
    assert parse_time("13:00Z", NOW, BERLIN) == at(2026, 11, 27, 13, 0)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("25:99", ["25:99", "HH:MM"]),
        ("12:60", ["12:60", "HH:MM"]),
        ("24:00", ["24:00", "HH:MM"]),
        ("tomorrowish", ["tomorrowish", "HH:MM"]),
        ("", ["empty", "HH:MM"]),
        ("   ", ["empty", "HH:MM"]),
        ("-", ["HH:MM"]),
        ("+5m", ["HH:MM"]),
    ],
)
def test_bad_times_give_one_clear_line(text: str, words: list[str]) -> None:
    """Nonsense is refused with a one-line message that quotes it and says what would work."""
    with pytest.raises(InputError) as info:
        parse_time(text, NOW)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message
    assert info.value.exit_code == 2


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+01:00", "-1000000000d", "-99999999d"])
def test_out_of_range_times_are_input_errors(text: str) -> None:
    """A time outside what a datetime can hold is bad input, not a crash."""
    with pytest.raises(InputError):
        parse_time(text, NOW)


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (at(2026, 3, 29, 1, 10), "02:30"),  # 03:10 CEST; 02:30 never happened that day
        (at(2026, 10, 25, 0, 58), "03:02"),  # 02:58 CEST; 03:02 CET is an hour later
    ],
)
def test_clock_time_never_lands_in_the_future_on_dst_days(now: dt.datetime, text: str) -> None:
    """A clock time typed on a DST change day is never more than the slack ahead of now."""
    try:
        got = parse_time(text, now, BERLIN)
    except InputError:
        return  # refusing a time that does not exist is fine too
    assert got <= now + SLACK


def test_clock_time_within_slack_past_midnight() -> None:
    """At 23:57, "00:01" is four minutes ahead (a fast watch), like "14:04" at 14:00: not 24 hours ago."""
    assert parse_time("00:01", at(2026, 11, 27, 23, 57)) == at(2026, 11, 28, 0, 1)


def test_unknown_zone_is_refused_clearly() -> None:
    """A zone name that is not IANA is an InputError naming it."""
    with pytest.raises(InputError, match="Mars/Olympus"):
        zone("Mars/Olympus")


@pytest.mark.parametrize("name", [None, "", "UTC", "utc", "Z"])
def test_utc_names(name: str | None) -> None:
    """Empty, UTC and Z all mean UTC, shown as `UTC`."""
    assert zone(name) is UTC
    assert zone_name(zone(name)) == "UTC"


def test_named_zone_keeps_its_name() -> None:
    """An IANA zone is shown by its name in headings."""
    assert zone_name(zone("Europe/Berlin")) == "Europe/Berlin"


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (None, "—"),
        (dt.timedelta(0), "0 s"),
        (dt.timedelta(seconds=45), "45 s"),
        (dt.timedelta(minutes=12, seconds=59), "12 min"),
        (dt.timedelta(hours=1, minutes=5), "1 h 05 min"),
        (dt.timedelta(days=2, hours=3, minutes=7), "2 d 3 h 07 min"),
        (dt.timedelta(minutes=-12), "-12 min"),
    ],
)
def test_format_duration(delta: dt.timedelta | None, shown: str) -> None:
    """Durations read the way an incident report writes them."""
    assert format_duration(delta) == shown


# Fixed-offset display zones: in zones with DST a calendar day can be 23 or 25 hours long, so the
# strict 24-hour window below only holds where every day is 24 hours.
DISPLAY_ZONES = st.sampled_from(
    [
        UTC,
        dt.timezone(dt.timedelta(hours=1)),
        dt.timezone(dt.timedelta(hours=-8)),
        dt.timezone(dt.timedelta(hours=5, minutes=30)),
        dt.timezone(dt.timedelta(hours=14)),
    ]
)


@settings(deadline=None, max_examples=300)
@given(
    now=st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.timezones()),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    display=DISPLAY_ZONES,
)
def test_clock_time_is_the_latest_such_time_before_now(
    now: dt.datetime, hour: int, minute: int, display: dt.tzinfo
) -> None:
    """HH:MM is within the 24 hours before now+5min, and shows as that HH:MM in the display zone."""
    local_now = now.astimezone(display)
    tomorrow = dt.datetime.combine(local_now.date() + dt.timedelta(days=1), dt.time(hour, minute), tzinfo=display)
    assume(tomorrow - local_now > SLACK)  # just past midnight: see test_clock_time_within_slack_past_midnight
    got = parse_time(f"{hour:02d}:{minute:02d}", now, display)
    # Arithmetic in UTC: adding hours to a ZoneInfo datetime moves the wall clock, not real time.
    latest = now.astimezone(UTC) + SLACK
    assert latest - dt.timedelta(hours=24) < got <= latest
    local = got.astimezone(display)
    assert (local.hour, local.minute, local.second) == (hour, minute, 0)
