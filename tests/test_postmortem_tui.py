"""The post-mortem's stage, owner and review due date from the TUI: slash commands, the export screen, undo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList, Static

from tests.postmortem_support import SIZE, demo_app, fixed_clock, run_async, status_text, wait_until
from warroom.store.config import Config
from warroom.store.demo import seed_demo
from warroom.store.demo_library import seed_library
from warroom.store.errors import InputError
from warroom.store.postmortem_flow import ReviewStatus
from warroom.store.quickentry import Command, parse_entry
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app
from warroom.tui.screens.export import ExportScreen
from warroom.tui.screens.form import FormScreen
from warroom.tui.screens.incident import IncidentScreen
from warroom.widgets.followup_list import FollowupList
from warroom.widgets.quick_entry import QuickEntry

NOW = dt.datetime(2026, 11, 27, 14, 45, tzinfo=dt.UTC)


def test_the_slash_commands_parse_what_people_type() -> None:
    """`/pm review` is in-review; `/pm-owner @sam` drops the @; `/pm-due` takes a date or auto; bad input says so."""
    assert parse_entry("/pm review", NOW) == Command("postmortem", "review", value="in-review")
    assert parse_entry("/pm-owner @sam", NOW) == Command("pm-owner", "@sam", value="sam")
    due = parse_entry("/pm-due 2026-12-04", NOW)
    assert isinstance(due, Command) and due.deadline == dt.date(2026, 12, 4)
    assert parse_entry("/pm-due auto", NOW) == Command("pm-due", "auto", value="auto")
    with pytest.raises(InputError, match="unknown post-mortem status 'finished'"):
        parse_entry("/postmortem finished", NOW)
    with pytest.raises(InputError, match="a date like 2026-12-04"):
        parse_entry("/pm-due friday", NOW)
    with pytest.raises(InputError, match="between 1970 and 9999"):
        parse_entry("/pm-due 0001-01-01", NOW)


def _pm(app: WarroomApp, incident_id: str) -> Any:
    return app.store.postmortem(incident_id, Config(), dt.UTC)


@run_async
async def test_slash_commands_move_the_post_mortem_and_ctrl_z_takes_each_back(tmp_path: Path) -> None:
    """Typed in one burst: stage, owner, due date are saved; ctrl+z undoes them one by one, newest first."""
    app, incident_id = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one(QuickEntry).focus()
        await pilot.press(*"/postmortem in-review", "enter", *"/pm-owner @sam", "enter", *"/pm-due 2026-11-20", "enter")
        await wait_until(pilot, lambda: _pm(app, incident_id).due == dt.date(2026, 11, 20), "the due date")
        pm = _pm(app, incident_id)
        assert (pm.status, pm.owner, pm.overdue(NOW.date())) == (ReviewStatus.IN_REVIEW, "sam", True)
        assert "review due 2026-11-20" in status_text(app)
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: not _pm(app, incident_id).due_is_set, "the due date to be undone")
        assert _pm(app, incident_id).owner == "sam"
        await pilot.press("ctrl+z", "ctrl+z")
        await wait_until(pilot, lambda: _pm(app, incident_id).status is ReviewStatus.DRAFT, "the stage undone")
        assert _pm(app, incident_id).owner != "sam"


@run_async
async def test_the_export_screen_shows_and_changes_the_post_mortem(tmp_path: Path) -> None:
    """The state line says stage, owner and due date; p opens a form; saving updates the line; ctrl+z undoes."""
    app, incident_id = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export screen")
        line = app.screen.query_one("#pm-state", Static)
        assert str(line.content).startswith(" Post-mortem: draft · owner ")
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the post-mortem form")
        await pilot.press("tab", "ctrl+u", *"Lee", "tab", "ctrl+u", *"2026-11-25", "enter")
        await wait_until(pilot, lambda: _pm(app, incident_id).owner == "Lee", "the owner to be saved")
        await wait_until(pilot, lambda: "2 d overdue" in str(line.content), "the state line to refresh")
        assert "owner Lee · review due 2026-11-25" in str(line.content)
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: _pm(app, incident_id).owner != "Lee", "the change to be undone")
        await wait_until(pilot, lambda: "overdue" not in str(line.content), "the state line after undo")


@run_async
async def test_follow_through_and_stats_show_reviews(tmp_path: Path) -> None:
    """An overdue review is its own block on ctrl+t (and counted); stats show the share reviewed on time."""
    app, incident_id = demo_app(tmp_path)
    app.store.set_postmortem(incident_id, review_due=dt.date(2026, 11, 20), owner="Lee")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: app.screen.query(FollowupList), "the follow-through screen")
        rows = app.screen.query_one(FollowupList)
        await wait_until(pilot, lambda: rows.option_count, "the rows")
        block = [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]
        assert block[0].strip() == "OVERDUE POST-MORTEM REVIEWS · 1"
        assert block[1].startswith(f" {incident_id}  review due 20 Nov · 7 d late · draft · Lee")
        assert "1 review overdue" in status_text(app)
        await pilot.press(*"/nobody")
        await wait_until(
            pilot,
            lambda: not any("review due" in str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)),
            "the owner filter",
        )
        app.show_stats()
        await wait_until(pilot, lambda: app.screen.query("#reviews-text"), "the stats screen")
        legend = str(app.screen.query_one("#reviews-text", Static).content)
        assert "░ overdue 1" in legend and "→ 0% of 1 on time" in legend


@run_async
async def test_the_export_screen_lists_related_incidents_and_enter_opens_one(tmp_path: Path) -> None:
    """Below the checklist: id, date, title and what is shared; Enter on one opens that incident."""
    path = tmp_path / "w.db"
    store = Store(path, clock=fixed_clock)
    incident_id = seed_demo(store)
    seed_library(store)
    expected = store.related(incident_id)
    store.close()
    assert expected
    app = create_app(path, clock=fixed_clock, incident_id=incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export screen")
        checklist = app.screen.query_one("#checklist", OptionList)
        await wait_until(pilot, lambda: checklist.get_option_index(f"related-{expected[0].incident_id}") >= 0)
        first = expected[0]
        shown = str(checklist.get_option(f"related-{first.incident_id}").prompt)
        assert shown.startswith(f"{first.incident_id} {first.started_at:%Y-%m-%d} {first.title} · shares ")
        checklist.focus()
        checklist.highlighted = checklist.get_option_index(f"related-{first.incident_id}")
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "incident_id", None) == first.incident_id, "it to open")
        assert isinstance(app.screen, IncidentScreen)
