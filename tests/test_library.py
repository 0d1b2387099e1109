"""The incident list's filter syntax: parsing each token, matching incidents, and bad input told not raised."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from warroom.store.errors import InputError
from warroom.store.kinds import Severity, Status
from warroom.store.library import build_filter, parse_day, parse_filter, parse_severities, parse_statuses
from warroom.store.models import Incident

UTC = dt.UTC
T0 = dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def incident(
    id: str = "INC-2026-0001",
    *,
    severity: str = "SEV2",
    status: str = "investigating",
    tags: tuple[str, ...] = (),
    started: dt.datetime = T0,
    title: str = "Checkout failing",
    owner: str = "alex",
) -> Incident:
    """An incident record built in memory."""
    return Incident(
        id=id,
        title=title,
        severity=severity,
        status=status,
        owner=owner,
        tags=list(tags),
        started_at=started,
        created_at=started,
        updated_at=started,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", {"SEV1"}),
        ("SEV2", {"SEV2"}),
        ("sev3", {"SEV3"}),
        ("1-2", {"SEV1", "SEV2"}),
        ("3-1", {"SEV1", "SEV2", "SEV3"}),
        ("1,3", {"SEV1", "SEV3"}),
        ("1-2,4", {"SEV1", "SEV2", "SEV4"}),
        ("SEV1-SEV3", {"SEV1", "SEV2", "SEV3"}),
        ("0-1", {"SEV0", "SEV1"}),
        ("critical,2", {"CRITICAL", "SEV2"}),
    ],
)
def test_severity_ranges_and_lists(text: str, expected: set[str]) -> None:
    """A severity, a range in either order, a list, or a mix."""
    assert set(parse_severities(text)) == expected


@pytest.mark.parametrize("text", ["1-", "1-2-3", "", "1-x", "sev 1", "0-999"])
def test_bad_severity_is_one_clear_error(text: str) -> None:
    """Garbled severities name the accepted forms (a number or a name may be a level of the config file's)."""
    with pytest.raises(InputError, match="use 1-4"):
        parse_severities(text)


def test_status_open_means_still_being_worked_on() -> None:
    """`open` is investigating, identified and monitoring; names and lists work too."""
    assert parse_statuses("open") == {Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING}
    assert parse_statuses("resolved,closed") == {Status.RESOLVED, Status.CLOSED}
    with pytest.raises(InputError, match="use one of open, investigating"):
        parse_statuses("done")


def test_dates_and_whole_months() -> None:
    """YYYY-MM-DD, or YYYY-MM meaning the month's first day (since) or last day (until)."""
    assert parse_day("2026-11-05") == dt.date(2026, 11, 5)
    assert parse_day("2026-02") == dt.date(2026, 2, 1)
    assert parse_day("2026-02", end=True) == dt.date(2026, 2, 28)
    with pytest.raises(InputError, match="is not a date"):
        parse_day("2026-13-01")


def test_filter_line_tokens() -> None:
    """Every token kind at once, keys case-insensitive, quoted phrases kept whole."""
    f = parse_filter('SEV:1-2 status:open tag:Database since:2026-11-01 until:2026-11 "connection pool" Pool')
    assert f.severities == {Severity.SEV1, Severity.SEV2}
    assert f.statuses == {Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING}
    assert f.tags == ("database",)
    assert (f.since, f.until) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert f.words == ("connection pool", "pool")
    assert f.problems == ()


def test_bad_tokens_are_reported_and_the_rest_still_applies() -> None:
    """A filter line being typed never raises: bad tokens become problems, unfinished ones are ignored."""
    f = parse_filter("sev:1-x status:open since:")
    assert f.statuses and not f.severities and f.since is None
    assert len(f.problems) == 1 and "severity '1-x'" in f.problems[0]
    assert parse_filter("").is_empty and parse_filter("   ").is_empty


def test_unknown_keys_are_plain_words() -> None:
    """`db:primary` is not a filter key, so it is searched for as text."""
    assert parse_filter("db:primary").words == ("db:primary",)


def test_matching_each_part() -> None:
    """Severity, status, every tag, the date range and all words must hold."""
    sev1 = incident(severity="SEV1", tags=("database", "payments"))
    sev3 = incident("INC-2026-0002", severity="SEV3", status="resolved", tags=("cdn",), title="Slow pages")
    both = [sev1, sev3]
    assert parse_filter("sev:1-2").select(both, UTC) == [sev1]
    assert parse_filter("status:resolved").select(both, UTC) == [sev3]
    assert parse_filter("status:open").select(both, UTC) == [sev1]
    assert parse_filter("tag:database tag:payments").select(both, UTC) == [sev1]
    assert parse_filter("tag:database tag:cdn").select(both, UTC) == []
    assert parse_filter("slow").select(both, UTC) == [sev3]
    assert parse_filter("0002").select(both, UTC) == [sev3]
    assert parse_filter("alex payments").select(both, UTC) == [sev1]
    assert parse_filter("").select(both, UTC) == both


def test_date_range_is_inclusive_and_in_the_display_zone() -> None:
    """An incident started 23:30 UTC on the 27th started on the 28th in Tokyo."""
    late = incident(started=dt.datetime(2026, 11, 27, 23, 30, tzinfo=UTC))
    tokyo = ZoneInfo("Asia/Tokyo")
    assert parse_filter("since:2026-11-27 until:2026-11-27").matches(late, UTC)
    assert not parse_filter("until:2026-11-27").matches(late, tokyo)
    assert parse_filter("since:2026-11-28").matches(late, tokyo)
    assert not parse_filter("since:2026-11-28").matches(late, UTC)


def test_build_filter_raises_for_the_cli() -> None:
    """The CLI's options go through the same parsers but a bad value is an error."""
    f = build_filter(severity="1-2", status="open", tags=["DB"], since="2026-11", until="2026-11")
    assert f.tags == ("db",) and f.until == dt.date(2026, 11, 30)
    with pytest.raises(InputError):
        build_filter(status="fixed")
