"""Metrics against hand-computed values, and the SQL views agreeing with store/metrics.py."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import FakeClock
from warroom.store import metrics
from warroom.store.demo_library import seed_library
from warroom.store.kinds import Severity
from warroom.store.metrics import closed_by_deadline, followthrough, median, percentile, seconds_between
from warroom.store.store import Store

UTC = dt.UTC
T0 = dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def at(minutes: float) -> dt.datetime:
    """T0 plus some minutes."""
    return T0 + dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("values", "pct", "expected"),
    [
        ([1, 2, 3, 4, 10], 50, 3.0),
        ([1, 2, 3, 4, 10], 90, 7.6),  # h = 4 * 0.9 = 3.6: 4 + 0.6 * (10 - 4)
        ([4, 1, 3, 2], 50, 2.5),  # even count: the mean of the two middle values
        ([1, 2, 3, 4], 90, 3.7),  # h = 3 * 0.9 = 2.7: 3 + 0.7 * (4 - 3)
        ([60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 3600], 90, 600.0),  # h = 9 exactly
        ([5], 90, 5.0),
        ([3, 9], 0, 3.0),
        ([3, 9], 100, 9.0),
        ([], 50, None),
    ],
)
def test_percentile_linear_interpolation(values: list[int], pct: float, expected: float | None) -> None:
    """Linear interpolation between closest ranks, exact (no 7.6000000001)."""
    assert percentile(values, pct) == expected


def test_median_is_the_fiftieth_percentile() -> None:
    """median() is percentile(50), and an out-of-range percentile is a programming error."""
    assert median([10, 20, 30, 1000]) == 25.0
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_seconds_are_cut_to_the_second_before_subtracting() -> None:
    """14:00:00.9 to 14:00:10.1 is 10 s, as SQLite's strftime('%s') difference would say."""
    start = T0.replace(microsecond=900_000)
    assert seconds_between(start, at(10 / 60).replace(microsecond=100_000)) == 10
    assert seconds_between(start, None) is None
    assert seconds_between(at(5), at(2)) == -180


def test_incident_times_take_milestone_events_first(store: Store, clock: FakeClock) -> None:
    """The earliest live milestone event wins over the incident's own column; deleted events do not count."""
    inc = store.create_incident("Outage", started_at=T0).id
    store.update_incident(inc, detected_at=at(10), mitigated_at=at(40))
    store.log_event(inc, "alert", occurred_at=at(5), milestone="detected")
    store.log_event(inc, "later alert", occurred_at=at(7), milestone="detected")
    wrong = store.log_event(inc, "too early", occurred_at=at(20), milestone="mitigated")
    store.delete_event(wrong.id or 0)
    clock.set(at(90))
    m = metrics.load(store, UTC)
    (times,) = m.incidents
    assert (times.seconds_to_detect, times.seconds_to_mitigate, times.seconds_to_resolve) == (300, 2400, None)
    assert times.ongoing and times.duration_seconds == 90 * 60
    store.log_event(inc, "all clear", occurred_at=at(75), milestone="resolved")
    (times,) = metrics.load(store, UTC).incidents
    assert times.seconds_to_resolve == times.duration_seconds == 75 * 60 and not times.ongoing


def test_summary_over_incidents(store: Store, clock: FakeClock) -> None:
    """Median and p90 over the incidents that have the time; the others are left out."""
    for n, (detect, resolve) in enumerate([(2, 30), (4, 60), (6, None), (8, 90), (30, 600)], start=1):
        start = at(-1000 * n)
        inc = store.create_incident(f"Outage {n}", started_at=start).id
        store.log_event(inc, "alert", occurred_at=start + dt.timedelta(minutes=detect), milestone="detected")
        if resolve is not None:
            store.log_event(inc, "ok", occurred_at=start + dt.timedelta(minutes=resolve), milestone="resolved")
    m = metrics.load(store, UTC)
    assert m.detect.count == 5 and m.detect.median_seconds == 360.0
    assert m.detect.p90_seconds == pytest.approx(1272.0)  # h = 3.6: 480 + 0.6 * (1800 - 480)
    assert m.resolve.count == 4 and m.resolve.median_seconds == 4500.0  # (3600 + 5400) / 2
    assert m.resolve.p90_seconds == 26820.0  # h = 2.7: 5400 + 0.7 * (36000 - 5400)
    assert m.mitigate.count == 0 and m.mitigate.median_seconds is None


def test_incidents_per_month_by_severity_fill_gaps_in_the_display_zone(store: Store) -> None:
    """Months with no incident show as zero; the month is where the display zone says the start was."""
    store.create_incident("a", severity="SEV1", started_at=dt.datetime(2026, 8, 31, 23, 30, tzinfo=UTC))
    store.create_incident("b", severity="SEV2", started_at=dt.datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    store.create_incident("c", severity="SEV2", started_at=dt.datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    rows = metrics.load(store, UTC).per_month
    assert [m for m, _ in rows] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert rows[0][1][Severity.SEV1] == 1 and sum(rows[1][1].values()) == 0 and rows[3][1][Severity.SEV2] == 2
    tokyo = metrics.load(store, ZoneInfo("Asia/Tokyo")).per_month
    assert tokyo[0][0] == "2026-09"


def test_closed_by_deadline_definition(store: Store, clock: FakeClock) -> None:
    """Closed on or before the deadline day counts; late closes and open overdue items do not; the rest wait."""
    inc = store.create_incident("Outage", started_at=T0).id
    today = dt.date(2026, 11, 27)
    store.add_action(inc, "done on the day", deadline=today)
    store.add_action(inc, "done late", deadline=today - dt.timedelta(days=1))
    store.add_action(inc, "won't do, decided in time", deadline=today + dt.timedelta(days=3))
    store.add_action(inc, "open, overdue", deadline=today - dt.timedelta(days=2))
    store.add_action(inc, "open, due today", deadline=today)
    store.add_action(inc, "no deadline")
    for n in (1, 2):
        store.edit_action(inc, n, status="done")
    store.edit_action(inc, 3, status="won't do")
    verdicts = [closed_by_deadline(a, today, UTC) for a in store.actions(inc)]
    assert verdicts == [True, False, True, False, None, None]
    result = followthrough(store.actions(inc), today, UTC)
    assert (result.closed_on_time, result.closed_late, result.open_overdue, result.decided) == (2, 1, 1, 4)
    assert result.share == 0.5


def test_closing_day_is_in_the_display_zone(store: Store, clock: FakeClock) -> None:
    """Done at 23:30 UTC on the deadline day is on time in UTC but a day late in Tokyo."""
    inc = store.create_incident("Outage", started_at=T0).id
    store.add_action(inc, "fix", deadline=dt.date(2026, 11, 27))
    clock.set(dt.datetime(2026, 11, 27, 23, 30, tzinfo=UTC))
    (item,) = [store.edit_action(inc, 1, status="done")]
    assert closed_by_deadline(item, dt.date(2026, 11, 28), UTC) is True
    assert closed_by_deadline(item, dt.date(2026, 11, 28), ZoneInfo("Asia/Tokyo")) is False
    assert followthrough([item], dt.date(2026, 11, 28), UTC).share == 1.0
    assert followthrough([], dt.date(2026, 11, 28), UTC).share is None


def test_filter_limits_incidents_and_their_action_items(store: Store) -> None:
    """Stats of a filtered set count only those incidents and their items."""
    seed_library(store)
    from warroom.store.library import parse_filter

    only = metrics.load(store, UTC, parse_filter("sev:1"))
    assert {t.severity for t in only.incidents} == {Severity.SEV1}
    assert len(only.incidents) == 2
    # Renewal automated on time; the expiry alert is open past its deadline.
    assert (only.actions.closed_on_time, only.actions.open_overdue, only.actions.share) == (1, 1, 0.5)
