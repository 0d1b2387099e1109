"""Overdue post-mortem reviews on the follow-through screen (ctrl+t): rows the cursor reaches, Enter opens them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import OptionList, Static

from tests.library_support import library_app, open_followup
from tests.postmortem_support import run_async, status_text, wait_until
from warroom.tui.screens.export import ExportScreen
from warroom.tui.screens.followup import FollowupScreen
from warroom.tui.screens.form import FormScreen
from warroom.tui.screens.incident import IncidentScreen
from warroom.widgets.followup_list import REVIEWS_HEADING, FollowupList

DEMO = "INC-DEMO-0001"


def lines(app: object) -> list[str]:
    """The follow-through list's lines, as shown."""
    options = app.screen.query_one(FollowupList)  # type: ignore[attr-defined]
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@run_async
async def test_the_cursor_reaches_an_overdue_review_and_enter_opens_its_post_mortem(tmp_path: Path) -> None:
    """Up from the first action item lands on the last overdue review; Enter opens that incident's export screen."""
    app = library_app(tmp_path, incident_id=DEMO)
    app.store.set_postmortem(DEMO, review_due=dt.date(2026, 11, 20), owner="Lee")
    async with app.run_test(size=(100, 30)) as pilot:
        listed = await open_followup(pilot)
        await wait_until(pilot, lambda: listed.option_count, "the rows")
        shown = lines(app)
        count = sum("review due" in line for line in shown)
        assert count >= 2 and shown[0].strip() == f"{REVIEWS_HEADING} · {count}"
        demo_row = next(i for i, line in enumerate(shown) if line.startswith(f" {DEMO}  review due 20 Nov"))
        assert "7 d late · draft · Lee  Checkout failing" in shown[demo_row]
        assert f"{count} reviews overdue" in status_text(app)
        assert listed.current is not None  # the cursor starts on the first action item, as before
        await pilot.press("up")
        assert listed.highlighted == demo_row and listed.current_review == DEMO
        await pilot.press("j")  # down again, over the OVERDUE heading, to the first action item
        assert listed.current is not None and listed.current_review is None
        await pilot.press("k")
        assert listed.current_review == DEMO
        await pilot.press("x")  # not an action item: nothing is marked done, and the line says why
        await wait_until(pilot, lambda: "x acts on action items" in status_text(app), "the hint")
        assert "Enter opens this review's post-mortem" in " ".join(status_text(app).split())
        assert all(a.status.value == "open" for a in app.store.actions(DEMO) if a.number == 2)
        await pilot.press("e")
        await wait_until(pilot, lambda: "e acts on action items" in status_text(app), "the hint for e")
        assert isinstance(app.screen, FollowupScreen)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the post-mortem's export screen")
        screen = app.screen
        assert isinstance(screen, ExportScreen) and screen.incident_id == DEMO
        state = app.screen.query_one("#pm-state", Static)
        await wait_until(pilot, lambda: "overdue" in str(state.content), "the post-mortem state line")
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the stage/owner/due form")
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident screen below it")
        assert app.screen.incident_id == DEMO  # type: ignore[attr-defined]


@run_async
async def test_the_review_rows_go_with_the_owner_filter(tmp_path: Path) -> None:
    """Typing an owner keeps only their reviews (and no heading when none is theirs); j/k walk across both kinds."""
    app = library_app(tmp_path, incident_id=DEMO)
    async with app.run_test(size=(100, 30)) as pilot:
        listed = await open_followup(pilot)
        await wait_until(pilot, lambda: listed.option_count, "the rows")
        await pilot.press(*"/Priya", "enter")
        await wait_until(pilot, lambda: "for Priya" in status_text(app), "the filter")
        reviews = [line for line in lines(app) if "review due" in line]
        assert len(reviews) >= 1 and all("· Priya " in line for line in reviews)
        assert lines(app)[0].strip() == f"{REVIEWS_HEADING} · {len(reviews)}"
        await pilot.press("home")  # Enter in the owner line gave the list the focus
        assert listed.current_review == reviews[0].split()[0]
        owner_line = app.screen.query_one("#owner")
        owner_line.focus()
        await pilot.press("ctrl+u", *"nobody", "enter")
        await wait_until(pilot, lambda: not any("review due" in line for line in lines(app)), "no reviews")
        assert not any(REVIEWS_HEADING in line for line in lines(app))
        assert isinstance(listed, OptionList)
