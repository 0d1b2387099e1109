"""Daylight saving time: ambiguous and missing local times follow one rule, said to the user, and a
timeline across an offset change exports and imports back exactly. Real processes where users saw it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.edge_support import integrity_ok, rows, run
from warroom.store.errors import InputError
from warroom.store.timeparse import UTC, parse_time, time_note

BERLIN = "Europe/Berlin"


def at(text: str, now: dt.datetime, zone: str) -> dt.datetime:
    """A typed time read at `now` in `zone`."""
    return parse_time(text, now, ZoneInfo(zone))


@pytest.mark.parametrize(
    ("typed", "now", "zone", "expected"),
    [
        # 02:10 typed at 02:20 CET (after the clocks went back): ten minutes ago, not seventy.
        ("02:10", dt.datetime(2026, 10, 25, 1, 20, tzinfo=UTC), BERLIN, dt.datetime(2026, 10, 25, 1, 10, tzinfo=UTC)),
        # ... and at 02:20 CEST (before), the only 02:10 there has been so far.
        ("02:10", dt.datetime(2026, 10, 25, 0, 20, tzinfo=UTC), BERLIN, dt.datetime(2026, 10, 25, 0, 10, tzinfo=UTC)),
        # Lord Howe goes back half an hour: 01:40 typed at 01:50 (second time round) is ten minutes ago.
        (
            "01:40",
            dt.datetime(2026, 4, 4, 15, 20, tzinfo=UTC),
            "Australia/Lord_Howe",
            dt.datetime(2026, 4, 4, 15, 10, tzinfo=UTC),
        ),
        # 02:30 never happened in New York on 2026-03-08; at 04:05 EDT it moves forward to 03:30 EDT.
        (
            "02:30",
            dt.datetime(2026, 3, 8, 8, 5, tzinfo=UTC),
            "America/New_York",
            dt.datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
        ),
    ],
)
def test_clock_time_at_a_dst_change(typed: str, now: dt.datetime, zone: str, expected: dt.datetime) -> None:
    """A bare HH:MM is the latest instant showing that wall time that is not ahead of now."""
    assert at(typed, now, zone) == expected


def test_missing_time_ahead_of_now_is_refused_not_yesterday() -> None:
    """02:30 typed at 03:05 EDT (the night 02:00 became 03:00) is refused in one line, not moved to yesterday."""
    with pytest.raises(InputError, match="does not exist today in America/New_York"):
        at("02:30", dt.datetime(2026, 3, 8, 7, 5, tzinfo=UTC), "America/New_York")


#: Zones with one-hour, half-hour and southern-hemisphere changes, and instants around their changes.
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo", "Europe/Dublin"]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    now=st.datetimes(min_value=dt.datetime(2017, 1, 1), max_value=dt.datetime(2030, 12, 31)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
)
def test_any_clock_time_is_recent_and_shows_as_typed(zone: str, now: dt.datetime, hour: int, minute: int) -> None:
    """Any HH:MM, at any moment and zone: never more than five minutes ahead, within a day back, and it
    shows as typed (or, for a time the clocks skipped, the note says so); refused only when skipped."""
    typed = f"{hour:02d}:{minute:02d}"
    tz = ZoneInfo(zone)
    try:
        moment = parse_time(typed, now, tz)
    except InputError as exc:
        assert "does not exist" in str(exc)
        return
    assert now - dt.timedelta(hours=27) <= moment <= now + dt.timedelta(minutes=5)
    local = moment.astimezone(tz)
    note = time_note(typed, moment, tz)
    if (local.hour, local.minute) != (hour, minute):
        assert note is not None and "does not exist" in note
    # No later instant shows the same wall time without being ahead of now.
    later = moment + dt.timedelta(hours=1)
    while later <= now + dt.timedelta(minutes=5):
        shown = later.astimezone(tz)
        assert (shown.hour, shown.minute) != (hour, minute) or shown.second != local.second
        later += dt.timedelta(minutes=30)


def test_ambiguous_local_time_is_the_earlier_and_the_cli_says_so(tmp_path: Path) -> None:
    """`--at 2026-10-25T02:10` in Berlin: the earlier 02:10 (CEST), with a note naming the rule."""
    db = tmp_path / "w.db"
    run(db, "new", "DST", "--id", "D1", "--started", "2026-10-25T00:00Z").ok()
    done = run(db, "log", "ambiguous", "-i", "D1", "--at", "2026-10-25T02:10", tz=BERLIN)
    assert done.code == 0 and "note: 02:10 happens twice" in done.err and "earlier" in done.err, done
    missing = run(db, "log", "missing", "-i", "D1", "--at", "2026-03-29T02:30", tz=BERLIN)
    assert missing.code == 0 and "02:30 does not exist" in missing.err and "03:30 CEST" in missing.err
    assert rows(db, "SELECT occurred_at FROM events ORDER BY id") == [
        ("2026-10-25T00:10:00.000000Z",),
        ("2026-03-29T01:30:00.000000Z",),
    ]
    integrity_ok(db)


@pytest.mark.parametrize(
    ("zone", "stamps"),
    [
        (BERLIN, ["00:10", "00:50", "01:10", "01:50"]),
        ("Australia/Lord_Howe", ["14:40", "14:50", "15:05", "15:20", "15:35"]),
    ],
)
def test_timeline_across_a_change_exports_offsets_and_imports_back_exactly(
    tmp_path: Path, zone: str, stamps: list[str]
) -> None:
    """Rows whose wall time happens twice name their offset; the import restores every instant, in order."""
    day = "2026-10-25" if zone == BERLIN else "2026-04-04"
    db = tmp_path / "w.db"
    run(db, "new", "DST", "--id", "D1", "--started", f"{day}T{stamps[0]}Z").ok()
    for stamp in stamps:
        run(db, "log", f"at {stamp}Z", "-i", "D1", "--at", f"{day}T{stamp}Z").ok()
    exported = run(db, "export", "D1", tz=zone).ok()
    if zone == BERLIN:
        for row in ("| 02:10+02:00 | at 00:10Z", "| 02:10+01:00 | at 01:10Z", "| 02:50+01:00 | at 01:50Z"):
            assert row in exported
    (tmp_path / "pm.md").write_text(exported.replace("D1", "D2"))
    run(db, "import", str(tmp_path / "pm.md"), tz=zone).ok()
    back = rows(db, "SELECT occurred_at, text FROM events WHERE incident_id='D2' ORDER BY id")
    assert back == rows(db, "SELECT occurred_at, text FROM events WHERE incident_id='D1' ORDER BY id")
    assert run(db, "export", "D2", tz=zone).ok() == exported.replace("D1", "D2")
    integrity_ok(db)


def test_hypotheses_settled_on_a_repeated_hour_import_back_settled(tmp_path: Path) -> None:
    """`(see 02:25+01:00, 02:30+01:00)` names rows by their offset: the import finds them, the hypothesis stays
    confirmed and export -> import -> export is byte-identical."""
    db, copy = tmp_path / "w.db", tmp_path / "copy.db"
    run(db, "new", "DST", "--id", "D1", "--started", "2026-10-25T02:10+01:00", tz=BERLIN).ok()
    run(db, "log", "cache stampede?", "-i", "D1", "--at", "2026-10-25T02:25+01:00", "--kind", "hypothesis").ok()
    run(db, "hypothesis", "confirm", "1", "hit rate fell", "-i", "D1", "--at", "2026-10-25T02:30+01:00").ok()
    exported = run(db, "export", "D1", tz=BERLIN).ok()
    assert "- **Confirmed:** cache stampede? — hit rate fell (see 02:25+01:00, 02:30+01:00)" in exported
    (tmp_path / "pm.md").write_text(exported)
    done = run(copy, "import", str(tmp_path / "pm.md"), tz=BERLIN)
    assert done.ok() and "not imported" not in done.err, done.err
    assert run(copy, "export", "D1", tz=BERLIN).ok() == exported


def test_forms_show_a_repeated_wall_time_with_its_offset_so_an_edit_keeps_the_hour(tmp_path: Path) -> None:
    """The resolved time and an event at 02:10 CET (the second 02:10 that night) show as 02:10:00+01:00 in the
    write-up and event forms: a minute changed there stays in that hour, not an hour earlier in CEST."""
    from warroom.store.store import Store
    from warroom.tui.editors import event_form, writeup_form

    store = Store(tmp_path / "w.db")
    second = dt.datetime(2026, 10, 25, 1, 10, tzinfo=UTC)  # 02:10 CET
    store.create_incident("DST", id="D1", started_at=second - dt.timedelta(hours=2))
    event = store.log_event("D1", "rolled back", occurred_at=second, milestone="resolved")
    now, berlin = second + dt.timedelta(hours=1), ZoneInfo(BERLIN)
    writeup = writeup_form(store.incident("D1"), now=now, tz=berlin)
    values = {f.name: f.value for f in writeup.fields}
    assert values["resolved_at"] == "2026-10-25T02:10:00+01:00"
    changed = writeup.validate({**values, "resolved_at": "2026-10-25T02:12:00+01:00"})
    assert changed["resolved_at"] == second + dt.timedelta(minutes=2)
    form = event_form(event, now, berlin)
    shown = {f.name: f.value for f in form.fields}
    assert shown["time"] == "2026-10-25T02:10:00+01:00"
