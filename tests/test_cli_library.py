"""`warroom list` filters, `warroom stats` and `action list --all-incidents` grouping, through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FakeClock
from tests.test_cli import cli_env, fail, new_incident, run
from warroom.store.demo import seed_demo
from warroom.store.demo_library import seed_library
from warroom.store.store import Store

__all__ = ["cli_env"]  # the autouse fixture that points the CLI at this test's file and clock


@pytest.fixture
def library(db_path: Path, clock: FakeClock) -> None:
    """The demo incident and the sample library in this test's file (the clock at 2026-11-27 14:00 UTC)."""
    seeding = Store(db_path, clock=clock)
    seed_demo(seeding)
    seed_library(seeding)
    seeding.close()


def listed(*args: str) -> list[str]:
    """The ids `warroom list` prints with these options."""
    return [line.split()[0] for line in run("list", *args).stdout.splitlines()[1:]]


def test_list_filters(library: None) -> None:
    """Severity, status, tag and date options narrow the list, all of them at once."""
    assert listed("--severity", "1") == ["INC-2026-0044", "INC-2026-0034"]
    assert listed("--severity", "SEV1-SEV2", "--status", "open") == ["INC-2026-0044"]
    assert listed("--tag", "payments") == ["INC-DEMO-0001", "INC-2026-0044", "INC-2026-0036"]
    assert listed("--tag", "payments", "--tag", "network") == ["INC-2026-0044"]
    assert listed("--since", "2026-11-01", "--until", "2026-11-12") == ["INC-2026-0042", "INC-2026-0041"]
    assert listed("--since", "2026-09", "--until", "2026-09") == ["INC-2026-0034", "INC-2026-0031"]
    assert listed("--status", "resolved") == ["INC-DEMO-0001"]
    data = json.loads(run("list", "--json", "--severity", "4").stdout)
    assert [d["incident"]["id"] for d in data] == ["INC-2026-0043"]


def test_list_filter_dates_in_the_display_zone(clock: FakeClock) -> None:
    """Started 23:30 UTC on the 27th is the 28th in Tokyo."""
    new_incident("late", "--started", "2026-11-27T23:30Z")
    assert len(listed("--until", "2026-11-27")) == 1
    assert run("--tz", "Asia/Tokyo", "list", "--until", "2026-11-27").stdout.count("\n") == 1  # only the header


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--severity", "7-x", "severity '7-x'"),
        ("--status", "fixed", "status 'fixed'"),
        ("--since", "May", "not a date"),
    ],
)
def test_list_filter_errors(
    capsys: pytest.CaptureFixture[str], db_path: Path, option: str, value: str, message: str
) -> None:
    """A bad filter value is one line on stderr and exit status 2."""
    db_path.touch()  # `list` refuses a database that is not there before it reads its filters
    code, err = fail(capsys, "list", option, value)
    assert code == 2 and message in err


def test_action_list_all_incidents_groups(library: None) -> None:
    """Overdue reviews first, then items grouped overdue / due this week / later / ..., by owner."""
    out = run("action", "list", "--all-incidents").stdout
    headers = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert headers == [
        "OVERDUE POST-MORTEM REVIEWS (4)",
        "OVERDUE (3)",
        "DUE THIS WEEK (3)",
        "LATER (4)",
        "NO DEADLINE (2)",
        "CLOSED (6)",
    ]
    overdue = out.split("DUE THIS WEEK")[0]
    assert overdue.index("  sre\n") < overdue.index("  web\n")
    assert "INC-2026-0034 #2   P1  2026-11-07  20 d late" in overdue
    assert "2026-11-27  today" in out.split("DUE THIS WEEK")[1].split("LATER")[0]


def test_action_list_all_incidents_overdue_owner_json(library: None) -> None:
    """--overdue and --owner narrow the grouped list; --json carries each item's group."""
    out = run("action", "list", "--all-incidents", "--overdue", "--owner", "SRE").stdout.splitlines()
    assert out[:2] == ["OVERDUE (2)", "  sre"] and len(out) == 4
    data = json.loads(run("action", "list", "--all-incidents", "--json").stdout)
    items = [d for d in data if d["item"] == "action"]
    assert [d["group"] for d in items][:4] == ["overdue", "overdue", "overdue", "due this week"]
    assert {d["group"] for d in data} == {"overdue", "due this week", "later", "no deadline", "closed"}


def test_action_list_all_incidents_tokyo(clock: FakeClock) -> None:
    """At 23:30 UTC on the 27th a deadline of the 27th is overdue in Tokyo, due today in UTC."""
    new_incident()
    run("action", "add", "rotate keys", "--deadline", "2026-11-27")
    clock.set(clock.now.replace(hour=23, minute=30))
    assert run("action", "list", "--all-incidents").stdout.startswith("DUE THIS WEEK (1)")
    assert run("--tz", "Asia/Tokyo", "action", "list", "--all-incidents").stdout.startswith("OVERDUE (1)")


def test_stats_text(library: None) -> None:
    """Counts per month, median and p90, the follow-through share, and one line per incident."""
    out = run("stats").stdout
    assert out.startswith("10 incidents, started 2026-08-09 to 2026-11-27 (UTC)")
    assert "2026-11                  1     2     1     1      5" in out
    assert "Time to detect              10         7 min        31 min" in out
    assert "Action items closed by their deadline: 5 of 9 (56%)" in out
    assert "INC-2026-0044    SEV1 2026-11-24 09:30        3 min       22 min      ongoing" in out


def test_stats_json_and_period(library: None) -> None:
    """--since/--until limit the incidents; --json gives seconds."""
    data = json.loads(run("stats", "--json", "--since", "2026-09-01", "--until", "2026-09-30").stdout)
    assert [t["incident_id"] for t in data["incidents"]] == ["INC-2026-0031", "INC-2026-0034"]
    assert data["times"]["detect"] == {"count": 2, "median_seconds": 480.0, "p90_seconds": 672.0, "before_start": 0}
    assert data["per_month"] == [{"month": "2026-09", "SEV1": 1, "SEV2": 0, "SEV3": 1, "SEV4": 0, "total": 2}]
    assert data["action_items"]["share_closed_by_deadline"] == 0.5


def test_stats_when_nothing_matches(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """No incidents is a plain sentence; a bad date is a usage error."""
    db_path.touch()  # an empty library (`stats` refuses a database that is not there at all)
    assert run("stats").stdout == "no incidents yet: start one with `warroom new TITLE`\n"
    code, err = fail(capsys, "stats", "--since", "yesterday")
    assert code == 2 and "not a date" in err
