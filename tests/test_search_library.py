"""Search across incidents: ranking and snippets on a small library, `warroom search`, and the search screen."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import FakeClock
from tests.library_support import library_app
from tests.test_cli import cli_env, fail, run
from tests.tui_helpers import run_async, screen_text, status_text, type_text, wait_until
from warroom.store.search_results import marked_parts
from warroom.store.store import Store
from warroom.tui.screens.incident import IncidentScreen
from warroom.tui.screens.incident_list import IncidentListScreen
from warroom.tui.screens.search import SearchScreen
from warroom.widgets.row_table import RowTable
from warroom.widgets.search_list import SearchList
from warroom.widgets.timeline import TimelineView

__all__ = ["cli_env"]  # the autouse fixture pointing the CLI at this test's file

T0 = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def library(store: Store, clock: FakeClock) -> Store:
    """Three incidents whose texts mention `database` more or less often, in longer or shorter entries."""
    store.create_incident("Failover", id="INC-A", started_at=T0)
    store.log_event("INC-A", "database failover", occurred_at=T0 + dt.timedelta(minutes=5))
    store.create_incident("Slow pages", id="INC-B", started_at=T0)
    long_text = "pages were slow for many customers in several regions while " * 3 + "the database was fine"
    store.log_event("INC-B", long_text, occurred_at=T0 + dt.timedelta(minutes=7))
    store.create_incident("Pool exhausted", id="INC-C", started_at=T0)
    store.add_factor("INC-C", "database database database pool", kind="root")
    store.add_action("INC-C", "Alert on database pool saturation", owner="dba")
    store.update_incident("INC-C", summary="Checkout failed while the primary was out of connections.")
    gone = store.log_event("INC-C", "database restarted (logged by mistake)")
    store.delete_event(gone.id or 0)
    return store


def test_ranked_by_bm25_with_the_match_marked(library: Store) -> None:
    """More mentions in a shorter text rank higher; each snippet marks the matching word."""
    found = library.search_results("database")
    assert [(r.incident_id, r.where) for r in found] == [
        ("INC-C", "root cause"),
        ("INC-A", "timeline"),
        ("INC-C", "action item 1"),
        ("INC-B", "timeline"),
    ]
    assert [r.rank for r in found] == [1, 2, 3, 4]
    assert found[1].snippet == "«database» failover"
    assert found[1].occurred_at == T0 + dt.timedelta(minutes=5) and found[1].event_id is not None
    assert all("«database»" in r.snippet.lower() for r in found)
    assert found[3].snippet.startswith("…") and found[3].snippet.endswith("«database» was fine")


def test_prefix_fields_limit_and_deleted_entries(library: Store) -> None:
    """The last word is a prefix; incident fields are named; the limit holds; deleted events are gone."""
    prefixed = library.search_results("failo")
    assert [(r.where, r.snippet) for r in prefixed] == [("title", "«Failover»"), ("timeline", "database «failover»")]
    summary = library.search_results("connections")
    assert [(r.incident_id, r.where, r.record_type) for r in summary] == [("INC-C", "summary", "incident")]
    assert len(library.search_results("database", limit=2)) == 2
    assert not [r for r in library.search_results("restarted")]
    assert library.search_results("   ") == [] and library.search_results('AND "') == []


def test_marked_parts() -> None:
    """A snippet splits into plain and matched pieces, in order."""
    assert marked_parts("a «db» and «pool»") == [("a ", False), ("db", True), (" and ", False), ("pool", True)]
    assert marked_parts("plain") == [("plain", False)]


def test_cli_search(library: Store) -> None:
    """Ranked lines with incident, where and the snippet; --json carries the same and the event's time."""
    lines = run("search", "database").stdout.splitlines()
    assert lines[0].split() == ["INC-C", "root", "cause", "«database»", "«database»", "«database»", "pool"]
    assert lines[1].startswith("INC-A            timeline 2026-11-27 14:05") and lines[1].endswith(
        "«database» failover"
    )
    data = json.loads(run("search", "database", "--json", "--limit", "2").stdout)
    assert [(d["rank"], d["incident_id"], d["record_type"]) for d in data] == [
        (1, "INC-C", "factor"),
        (2, "INC-A", "event"),
    ]
    assert data[1]["occurred_at"] == "2026-11-27T14:05:00+00:00" and data[1]["incident_title"] == "Failover"
    assert run("search", "kubernetes").stdout == "no matches\n"


def test_cli_search_needs_words(capsys: pytest.CaptureFixture[str], library: Store) -> None:
    """Only punctuation is a usage error, one line."""
    code, err = fail(capsys, "search", "--", "-- ''")
    assert code == 2 and "give some words" in err


@run_async
async def test_search_screen_opens_at_the_event(tmp_path: Path) -> None:
    """ctrl+f on the list, type, ↓ to a timeline match, Enter: the incident opens with that event selected."""
    app = library_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen))
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
        await type_text(pilot, "certif")
        await wait_until(pilot, lambda: getattr(app.screen, "searched", None) == "certif", "the results")
        assert "8 matches in 2 incidents" in status_text(app)
        assert "«" not in screen_text(app) and "Automate certificate renewal" in screen_text(app)
        results = app.screen.query_one(SearchList)
        assert results.highlighted == 0
        await pilot.press("down", "down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident")
        timeline = app.screen.query_one(TimelineView)
        await wait_until(pilot, lambda: timeline.current is not None and "logins failing" in timeline.current.text)
        assert app.screen.incident_id == "INC-2026-0034"  # type: ignore[attr-defined]


@run_async
async def test_search_from_the_table_and_the_palette(tmp_path: Path) -> None:
    """/ opens search when the table has focus; the palette offers it everywhere; no match says so."""
    app = library_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Search all incidents" in {c.title for c in app.get_system_commands(app.screen)}
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen))
        app.screen.query_one(RowTable).focus()
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await type_text(pilot, "zebra")
        await wait_until(pilot, lambda: status_text(app) == "No matches.")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen))
