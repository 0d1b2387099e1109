"""The incident list's filters, the follow-through screen and the stats screen, driven with keys."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.conftest import FakeClock
from tests.library_support import library_app, open_followup
from tests.tui_helpers import run_async, screen_text, status_text, type_text, wait_until
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app
from warroom.tui.screens.followup import FollowupScreen
from warroom.tui.screens.form import FormScreen
from warroom.tui.screens.incident import IncidentScreen
from warroom.tui.screens.incident_list import IncidentListScreen
from warroom.tui.screens.stats import StatsScreen
from warroom.widgets.bar_chart import BarChart
from warroom.widgets.row_table import RowTable
from warroom.widgets.timeline import TimelineView

SIZE = (100, 30)


def row(app: WarroomApp, incident_id: str, number: int) -> dict[str, Any]:
    """An action item as another reader of the file sees it."""
    path = app.store.connection.path
    assert path is not None
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        found = conn.execute(
            "SELECT * FROM action_items WHERE incident_id=? AND number=?", (incident_id, number)
        ).fetchone()
    return dict(found)


def listed_ids(app: WarroomApp) -> list[str]:
    """Incident ids the list shows, top to bottom."""
    table = app.screen.query_one(RowTable)
    return [str(key) for key in table.row_keys]


async def open_stats(pilot: Pilot[Any]) -> None:
    """From the start, the incident list (ctrl+l), then the stats screen over it (ctrl+g)."""
    await pilot.press("ctrl+l")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, IncidentListScreen), "the list")
    await pilot.press("ctrl+g")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen), "the stats screen")


@run_async
async def test_list_filter_tokens_and_hint(tmp_path: Path) -> None:
    """Typing sev:/status:/tag:/since: narrows the list; a bad token is named in the status line."""
    app = library_app(tmp_path, incident_id=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        assert "sev:1-2 · status:open · tag:db" in screen_text(app)
        await type_text(pilot, "sev:1-2 status:open")
        await wait_until(pilot, lambda: listed_ids(app) == ["INC-2026-0044"], "one open SEV1-2 incident")
        app.screen.query_one("#filter", Input).value = "tag:payments since:2026-10-01 until:2026-11-30"
        await wait_until(pilot, lambda: listed_ids(app) == ["INC-DEMO-0001", "INC-2026-0044", "INC-2026-0036"])
        app.screen.query_one("#filter", Input).value = "sev:7-x checkout"
        await wait_until(pilot, lambda: "⚠ severity '7-x'" in status_text(app), "the problem named")
        assert listed_ids(app) == ["INC-DEMO-0001", "INC-2026-0044"]


@run_async
async def test_followup_groups_and_marking_done(tmp_path: Path) -> None:
    """x on the most overdue item marks it done in the file; ctrl+z opens it again."""
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        followup = await open_followup(pilot)
        text = screen_text(app)
        assert text.index("OVERDUE · 3") < text.index("DUE THIS WEEK · 3") < text.index("LATER · 4")
        assert "NO DEADLINE · 2" in text and "CLOSED" not in text
        assert followup.current_key == "INC-2026-0034#2"
        assert "20 d late" in text
        await pilot.press("x")
        await wait_until(pilot, lambda: row(app, "INC-2026-0034", 2)["status"] == "done", "the item done")
        assert row(app, "INC-2026-0034", 2)["done_at"] is not None
        await wait_until(pilot, lambda: "INC-2026-0034 #2 done" in status_text(app))
        await wait_until(pilot, lambda: "OVERDUE · 2" in screen_text(app), "the overdue group shrunk")
        assert followup.current_key == "INC-DEMO-0001#2"  # the highlight stays in place
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: row(app, "INC-2026-0034", 2)["status"] == "open", "undone")


@run_async
async def test_followup_change_deadline(tmp_path: Path) -> None:
    """e opens a one-field form; a date or +3d moves the deadline; a bad one is explained in the form."""
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        followup = await open_followup(pilot)
        assert followup.current_key == "INC-2026-0034#2"
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the deadline form")
        field = app.screen.query_one("#f-deadline", Input)
        field.value = "next week"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "not a deadline" in str(app.screen.query_one(".form-error").content))
        field.value = "2026-12-04"
        await pilot.press("enter")
        await wait_until(pilot, lambda: row(app, "INC-2026-0034", 2)["deadline"] == "2026-12-04", "moved")
        await wait_until(pilot, lambda: "OVERDUE · 2" in screen_text(app))
        assert followup.current_key == "INC-2026-0034#2"  # followed into "due this week"
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen))
        app.screen.query_one("#f-deadline", Input).value = "+3d"
        await pilot.press("enter")
        await wait_until(pilot, lambda: row(app, "INC-2026-0034", 2)["deadline"] == "2026-11-30", "moved again")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, FollowupScreen))
        assert row(app, "INC-2026-0034", 2)["deadline"] == "2026-11-30"


@run_async
async def test_followup_owner_filter_closed_and_open(tmp_path: Path) -> None:
    """/ filters by owner, c shows closed items, Enter opens the item's incident."""
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        followup = await open_followup(pilot)
        await pilot.press("slash")
        await type_text(pilot, "DBA")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "3 open action items for DBA" in status_text(app))
        assert "sre " not in screen_text(app)
        await pilot.press("c")
        await wait_until(pilot, lambda: "CLOSED" not in screen_text(app) and "closed shown" in screen_text(app))
        app.screen.query_one("#owner", Input).value = "platform"
        await wait_until(pilot, lambda: "CLOSED · 2" in screen_text(app), "platform's closed items")
        followup.focus()
        # platform's overdue review is listed above its items now; the cursor stays on an action item
        chosen = followup.current
        assert (
            chosen is not None
            and chosen.owner == "platform"
            and chosen.incident_id in {"INC-2026-0034", "INC-2026-0042"}
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident")
        assert app.screen.incident_id == chosen.incident_id  # type: ignore[attr-defined]


@run_async
async def test_followup_from_the_list_and_the_palette(tmp_path: Path) -> None:
    """ctrl+t on the list; the palette offers Follow-through and Stats on every screen; escape goes back."""
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Follow-through", "Stats"} <= names
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen))
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, FollowupScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen))


@run_async
async def test_stats_screen_from_the_filtered_list(tmp_path: Path) -> None:
    """ctrl+g takes the list's filter along; the chart, times and share follow the filter line."""
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen))
        app.screen.query_one("#filter", Input).value = "sev:1"
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), "the stats screen")
        assert app.screen.query_one("#stats-filter", Input).value == "sev:1"
        assert "2 incidents (incidents matching the filter)" in status_text(app)
        chart = app.screen.query_one("#per-month", BarChart)
        assert [b.label for b in chart.bars] == ["2026-09", "2026-10", "2026-11"]
        assert [b.values for b in chart.bars] == [(1, 0, 0, 0), (0, 0, 0, 0), (1, 0, 0, 0)]
        text = screen_text(app)
        assert "Time to detect" in text and "→ 50% of 2 on time" in text
        app.screen.query_one("#stats-filter", Input).value = ""
        await wait_until(pilot, lambda: "10 incidents (every incident)" in status_text(app))
        await pilot.press("i")
        await wait_until(pilot, lambda: app.screen.query_one("#per-incident").has_focus, "the table")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "an incident")
        assert app.screen.incident_id == "INC-2026-0044"  # type: ignore[attr-defined]


@run_async
async def test_open_incident_at_an_event(tmp_path: Path) -> None:
    """open_incident(id, event_id) shows the incident with the timeline cursor on that event, focused."""
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        event = app.store.events("INC-2026-0031")[1]
        app.open_incident("INC-2026-0031", event.id)
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident")
        timeline = app.screen.query_one(TimelineView)
        await wait_until(pilot, lambda: timeline.current is not None and timeline.current.id == event.id)
        assert timeline.has_focus
        await pilot.pause(0.6)  # a poll later the cursor has not gone back to the tail
        assert timeline.current is not None and timeline.current.id == event.id


@pytest.mark.parametrize(("zone", "overdue"), [("UTC", False), ("Asia/Tokyo", True)])
@run_async
async def test_overdue_counts_agree_in_the_display_zone(tmp_path: Path, zone: str, overdue: bool) -> None:
    """At 23:30 UTC on the 27th a deadline of the 27th is overdue in Tokyo (list, header, follow-through), not UTC."""
    clock = FakeClock(dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC))
    store = Store(tmp_path / "w.db", clock=clock)
    store.create_incident("Outage", id="INC-1")
    store.add_action("INC-1", "rotate keys", deadline=dt.date(2026, 11, 27))
    store.close()
    tz = dt.UTC if zone == "UTC" else ZoneInfo(zone)
    app = create_app(tmp_path / "w.db", clock=clock, tz=tz, incident_id="INC-1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert ("1 overdue action item" in screen_text(app)) is overdue
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen))
        assert ("1 (1!)" in screen_text(app)) is overdue
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, FollowupScreen))
        assert ("OVERDUE · 1" in screen_text(app)) is overdue


@run_async
async def test_a_long_list_shows_a_batch_at_once_then_every_incident(tmp_path: Path, monkeypatch: Any) -> None:
    """More incidents than a batch: the first batch is listed at once, the rest follow, the count says all;
    typed words then narrow the whole list (not only the rows already in the table), the highlight kept."""
    from warroom.tui.screens import incident_list

    monkeypatch.setattr(incident_list, "BATCH", 3)
    app = library_app(tmp_path, incident_id=None)
    async with app.run_test(size=SIZE) as pilot:
        every = [item.incident.id for item in app.store.list_incidents()]
        assert len(every) > 2 * 3
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        assert f"{len(every)} of {len(every)} incidents" in status_text(app)
        await wait_until(pilot, lambda: listed_ids(app) == every, "every incident, in order")
        await type_text(pilot, "checkout")
        wanted = [i.incident.id for i in app.store.list_incidents() if "checkout" in i.incident.title.lower()]
        await wait_until(pilot, lambda: listed_ids(app) == wanted, "the incidents about checkout")
        assert f"{len(wanted)} of {len(every)} incidents" in status_text(app)


@run_async
async def test_the_stats_table_is_filled_a_batch_at_a_time_to_every_incident(tmp_path: Path, monkeypatch: Any) -> None:
    """More incidents than a batch: the per-incident table ends up with every one, most recent first."""
    from warroom.tui.screens import stats

    monkeypatch.setattr(stats, "TABLE_BATCH", 2)
    app = library_app(tmp_path, incident_id=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_stats(pilot)
        every = [item.incident.id for item in app.store.list_incidents()]  # most recently started first
        table = app.screen.query_one("#per-incident", RowTable)
        await wait_until(pilot, lambda: [str(k) for k in table.row_keys] == every, "every incident, in order")


@run_async
async def test_the_follow_through_list_is_filled_a_batch_at_a_time_to_every_item(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """More lines than a batch: the highlight starts on the first action item, and every line ends up listed."""
    from warroom.widgets import followup_list

    monkeypatch.setattr(followup_list, "BATCH", 2)
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        listed = await open_followup(pilot)
        wanted = len(listed._entries)
        assert wanted > 2 * 2
        await wait_until(pilot, lambda: listed.option_count == wanted, "every line")
        assert listed.current is not None


@run_async
async def test_the_list_adds_no_rows_under_another_screen_and_carries_on_when_shown(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """While stats is on top the list adds no rows (they would slow that screen down); back on the list it carries
    on and ends with every incident once, in order."""
    from warroom.tui.screens import incident_list

    monkeypatch.setattr(incident_list, "BATCH", 2)
    monkeypatch.setattr(incident_list, "PAUSE", 0.3)
    app = library_app(tmp_path, incident_id=None)
    async with app.run_test(size=(100, 8)) as pilot:  # a short screen: a screenful is a few rows
        every = [item.incident.id for item in app.store.list_incidents()]
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        listing = app.screen
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), "the stats screen")
        table = listing.query_one(RowTable)
        under = table.row_count
        assert under < len(every)
        await pilot.pause(1.0)  # batches would have come every 0.3 s
        assert table.row_count == under
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is listing, "the list again")
        await wait_until(pilot, lambda: listed_ids(app) == every, "every incident once, in order")
        assert f"{len(every)} of {len(every)} incidents" in status_text(app)


@run_async
async def test_stats_of_a_large_library_paint_first_then_the_same_figures(tmp_path: Path, monkeypatch: Any) -> None:
    """A large library: the stats screen shows "computing…" where the figures go, keys work meanwhile, and the
    figures that arrive are those of the filter as it is by then, the same as computed at once."""
    import threading

    from warroom.store.library import parse_filter
    from warroom.tui.screens import stats

    release = threading.Event()
    compute = stats.compute_figures

    def held(*args: Any) -> stats.Figures:
        release.wait(5)
        return compute(*args)

    monkeypatch.setattr(stats, "WORKER_FROM", 1)
    monkeypatch.setattr(stats, "compute_figures", held)
    app = library_app(tmp_path, incident_id=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_stats(pilot)
        screen = app.screen
        text = screen_text(app)
        assert "Response times, from the start" in text and "computing…" in text
        assert "No incidents match." not in text and "Time to detect" not in text
        await pilot.press("slash")
        await type_text(pilot, "sev:1")  # keys work while the figures are computed
        assert screen.query_one("#stats-filter", Input).value == "sev:1"
        assert "computing…" in status_text(app)
        release.set()
        await wait_until(pilot, lambda: "2 incidents (incidents matching the filter)" in status_text(app))
        expected = compute(app.store, app.config, app.tz, "sev:1", parse_filter("sev:1"))
        assert isinstance(screen, StatsScreen) and screen.result == expected.metrics
        chart = screen.query_one("#per-month", BarChart)
        assert [b.values for b in chart.bars] == [(1, 0, 0, 0), (0, 0, 0, 0), (1, 0, 0, 0)]
        text = screen_text(app)
        assert "Time to detect" in text and "→ 50% of 2 on time" in text and "computing…" not in text


@run_async
async def test_incidents_added_elsewhere_under_another_screen_leave_the_highlight_on_the_same_incident(
    tmp_path: Path,
) -> None:
    """The list's highlight on an incident, stats on top, two incidents started by another process meanwhile: back on
    the list both are listed above it and the highlight is still on the incident it was on (Enter opens that one)."""
    from tests.library_support import fixed_clock

    app = library_app(tmp_path, incident_id=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        listing = app.screen
        before = [item.incident.id for item in app.store.list_incidents()]
        await wait_until(pilot, lambda: listed_ids(app) == before, "every incident")
        await pilot.press("down", "down", "down")
        table = listing.query_one(RowTable)
        await wait_until(pilot, lambda: table.cursor_row == 3, "the fourth row")
        chosen = table.current_key
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), "the stats screen")
        other = Store(app.store.path, clock=fixed_clock)
        other.create_incident("Disk full on db-7", id="INC-ELSEWHERE-1", started_at=fixed_clock())
        other.create_incident("Queue backlog", id="INC-ELSEWHERE-2", started_at=fixed_clock())
        other.close()
        await pilot.pause(1.2)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is listing, "the list again")
        await wait_until(pilot, lambda: "INC-ELSEWHERE-2" in listed_ids(app), "the new incidents")
        assert sorted(listed_ids(app)) == sorted([*before, "INC-ELSEWHERE-1", "INC-ELSEWHERE-2"])
        assert f"{len(before) + 2} of {len(before) + 2} incidents" in status_text(app)
        assert table.current_key == chosen
        assert table.cursor_row == listed_ids(app).index(chosen)


@run_async
async def test_a_minute_later_the_open_incidents_duration_moves_without_reading_the_library_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing written for a minute: the open incident's duration goes on (the resolved one's stays), and the
    incidents are not read again for it (10,000 of them took 0.3 s); a write from elsewhere is still read."""
    clock = FakeClock()
    db = tmp_path / "w.db"
    seeding = Store(db, clock)
    seeding.create_incident("Checkout failing", id="INC-OPEN", started_at=clock() - dt.timedelta(minutes=30))
    seeding.create_incident("Old one", id="INC-DONE", started_at=clock() - dt.timedelta(hours=3))
    seeding.update_incident("INC-DONE", resolved_at=clock() - dt.timedelta(hours=1))
    reads: list[int] = []
    app = create_app(db, clock=clock, tz=dt.UTC)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.show_incident_list()  # it starts on the open incident
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        table = app.screen.query_one(RowTable)
        await wait_until(pilot, lambda: table.row_count == 2, "both incidents")
        cells = lambda key: [str(c).strip() for c in table.get_row(key)]  # noqa: E731
        assert cells("INC-OPEN")[5] == "30 min …" and cells("INC-DONE")[5] == "2 h 00 min"
        listing = app.store.list_incidents
        monkeypatch.setattr(app.store, "list_incidents", lambda *a, **k: reads.append(1) or listing(*a, **k))
        clock.advance(minutes=1)
        await wait_until(pilot, lambda: cells("INC-OPEN")[5] == "31 min …", "the duration to move")
        assert cells("INC-DONE")[5] == "2 h 00 min"
        assert reads == []
        seeding.create_incident("New one", id="INC-NEW", started_at=clock())
        await wait_until(pilot, lambda: table.row_count == 3, "the new incident")
        assert reads
    seeding.close()


@run_async
async def test_after_midnight_an_action_item_due_the_day_before_is_counted_overdue_without_a_write(
    tmp_path: Path,
) -> None:
    """Nothing written, the day turns: the list reads again, so an item due yesterday now shows as overdue, and
    the open incident's duration has moved on."""
    clock = FakeClock()
    clock.set(dt.datetime(2026, 3, 10, 23, 59, 30, tzinfo=dt.UTC))
    db = tmp_path / "w.db"
    seeding = Store(db, clock)
    seeding.create_incident("Checkout failing", id="INC-OPEN", started_at=clock() - dt.timedelta(minutes=30))
    seeding.add_action("INC-OPEN", "Roll back", deadline=dt.date(2026, 3, 10))
    app = create_app(db, clock=clock, tz=dt.UTC)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.show_incident_list()
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        table = app.screen.query_one(RowTable)
        await wait_until(pilot, lambda: table.row_count == 1, "the incident")
        cells = lambda: [str(c).strip() for c in table.get_row("INC-OPEN")]  # noqa: E731
        assert cells()[6] == "1" and cells()[5] == "30 min …"
        clock.advance(minutes=1)
        await wait_until(pilot, lambda: cells()[6] == "1 (1!)", "the item to be overdue")
        assert cells()[5] == "31 min …"
    seeding.close()


@run_async
async def test_end_pressed_before_the_rest_of_the_library_is_read_lands_on_the_oldest_incident(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Only the first screenful is read when End is pressed in the table: once every incident is in, the highlight
    is on the last one (the oldest), and Enter opens it, not the one that was last in the first screenful."""
    from warroom.tui.screens import incident_list

    monkeypatch.setattr(incident_list, "BATCH", 3)
    held: list[IncidentListScreen] = []
    read_rest = IncidentListScreen._read_rest
    monkeypatch.setattr(IncidentListScreen, "_read_rest", lambda screen: held.append(screen))
    app = library_app(tmp_path, incident_id=None)
    async with app.run_test(size=SIZE) as pilot:
        every = [item.incident.id for item in app.store.list_incidents()]
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: bool(held), "the first screenful")
        table = app.screen.query_one(RowTable)
        assert table.row_count == 3
        table.focus()
        await pilot.press("end")
        read_rest(held[0])
        await wait_until(pilot, lambda: listed_ids(app) == every, "every incident")
        await wait_until(pilot, lambda: table.current_key == every[-1], "the highlight on the oldest incident")
