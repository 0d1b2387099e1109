"""The export screen: the preview, the checklist of what is missing and where each is fixed, writing the file."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from tests.postmortem_support import SIZE, demo_app, fixed_clock, run_async, status_text, wait_until
from warroom.store.export_md import render_markdown
from warroom.store.kinds import FactorKind
from warroom.store.quality import gaps
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app
from warroom.tui.screens.export import ExportScreen, preview_text
from warroom.tui.screens.form import ConfirmScreen, FormScreen
from warroom.tui.screens.incident import IncidentScreen
from warroom.tui.screens.review import ReviewScreen
from warroom.widgets.quick_entry import QuickEntry

T0 = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)


def fresh_app(tmp_path: Path, **writeup: str) -> WarroomApp:
    """The app on INC-1: detected at 14:05 and nothing else, so nearly everything is missing."""
    path = tmp_path / "w.db"
    store = Store(path, clock=fixed_clock)
    store.create_incident("Fresh [bold]title[/]", id="INC-1", owner="Sam", started_at=T0)
    store.log_event("INC-1", "alert fired", occurred_at=T0 + dt.timedelta(minutes=5), milestone="detected")
    if writeup:
        store.update_incident("INC-1", **writeup)
    store.close()
    return create_app(path, clock=fixed_clock, incident_id="INC-1")


# -- the preview -----------------------------------------------------------------------------


def test_preview_shortens_only_a_huge_timeline() -> None:
    """A timeline longer than the limit is cut in the middle; the rest of the document is kept whole."""
    rows = [f"| 14:{i:02d} | event {i} | sre |" for i in range(50)]
    doc = "\n".join(["# T", "", "## Incident Timeline", "", "| Time | E | T |", "|---|---|---|", *rows, "", "## Root"])
    assert preview_text(doc, max_rows=100) == doc
    short = preview_text(doc, max_rows=10)
    assert "| 14:04 | event 4 | sre |" in short and "| 14:45 | event 45 | sre |" in short
    assert "| 14:05 | event 5 | sre |" not in short and "_40 more rows in the file" in short
    assert short.startswith("# T") and short.endswith("## Root")


# -- the screen ------------------------------------------------------------------------------


def screen_of(app: WarroomApp) -> ExportScreen:
    """The export screen, which must be the current one."""
    assert isinstance(app.screen, ExportScreen)
    return app.screen


async def open_export(pilot: Pilot[Any]) -> ExportScreen:
    """ctrl+e on the incident screen; wait for the first render."""
    await pilot.pause()
    await pilot.press("ctrl+e")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), "the export screen")
    screen = screen_of(pilot.app)  # type: ignore[arg-type]
    await wait_until(pilot, lambda: screen.markdown, "the preview")
    return screen


def checklist(app: WarroomApp) -> list[str]:
    """The checklist lines, as shown."""
    options = app.screen.query_one("#checklist", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def choose(pilot: Pilot[Any], message: str) -> None:
    """Highlight a checklist item by its text and press Enter."""
    app: WarroomApp = pilot.app  # type: ignore[assignment]
    options = app.screen.query_one("#checklist", OptionList)
    options.focus()
    options.highlighted = [i for i, line in enumerate(checklist(app)) if message in line][0]
    await pilot.press("enter")


@run_async
async def test_preview_is_the_export_and_checklist_lists_gaps(tmp_path: Path) -> None:
    """The preview is render_markdown's output; the checklist is store.quality's list; palette and /export open it."""
    app, incident_id = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        assert screen.markdown == render_markdown(app.store, incident_id, app.tz)
        expected = [gap.message for gap in gaps(app.store, incident_id, app.tz)]
        assert expected and [line.removeprefix("☐ ") for line in checklist(app)] == expected
        await pilot.press("escape")
        assert isinstance(app.screen, IncidentScreen)
        assert "Export" in {command.title for command in app.get_system_commands(app.screen)}
        app.screen.query_one(QuickEntry).focus()
        await pilot.press(*"/export", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "/export to open the screen")


@run_async
async def test_summary_gap_opens_the_field_and_refreshes(tmp_path: Path) -> None:
    """Enter on the missing summary opens the write-up on that field; saving updates preview and checklist."""
    app = fresh_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        before = len(checklist(app))
        await choose(pilot, "No incident summary")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the write-up form")
        assert app.screen.focused is not None and app.screen.focused.id == "f-summary"
        await pilot.press(*"Checkout failed for 20 minutes", "ctrl+s")
        await wait_until(pilot, lambda: app.store.incident("INC-1").summary == "Checkout failed for 20 minutes")
        await wait_until(pilot, lambda: "Checkout failed for 20 minutes" in screen.markdown, "the preview to refresh")
        await wait_until(pilot, lambda: len(checklist(app)) == before - 1, "the checklist to refresh")
        assert not any("summary" in line for line in checklist(app))


@run_async
async def test_impact_gap_opens_customers_affected(tmp_path: Path) -> None:
    """Enter on the missing impact starts the write-up on "customers affected"."""
    app = fresh_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        await choose(pilot, "No impact")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the write-up form")
        assert app.screen.focused is not None and app.screen.focused.id == "f-customers_affected"


@run_async
async def test_action_gap_opens_its_edit_form(tmp_path: Path) -> None:
    """Enter on "action item 3 ... has no owner" edits that action with the owner field focused."""
    app, incident_id = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        await choose(pilot, "Action item 3")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the action form")
        assert app.screen.focused is not None and app.screen.focused.id == "f-owner"
        await pilot.press(*"sre", "tab", *"2026-12-20", "ctrl+s")
        await wait_until(pilot, lambda: app.store.action(incident_id, 3).owner == "sre", "the owner")
        await wait_until(pilot, lambda: not any("Action item 3" in line for line in checklist(app)))


@run_async
async def test_root_cause_and_resolved_gaps(tmp_path: Path) -> None:
    """The root-cause item opens a new-factor form; the resolved item returns to the entry line, prefilled."""
    app = fresh_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        assert "Fresh [bold]title[/]" in str(screen.query_one("#export-title", Static).content)
        await choose(pilot, "No root cause")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the factor form")
        await pilot.press(*"Shared connection pool", "enter")
        await wait_until(pilot, lambda: app.store.factors("INC-1", FactorKind.ROOT), "the root cause")
        await wait_until(pilot, lambda: not any("root cause" in line for line in checklist(app)))
        assert "### Root Cause\n\n- Shared connection pool" in screen.markdown
        await choose(pilot, "No resolved milestone")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident screen")
        entry = app.screen.query_one(QuickEntry)
        await wait_until(pilot, lambda: entry.has_focus, "the entry line to have focus")
        assert entry.value == "!resolved "


@run_async
async def test_blaming_language_goes_to_its_text(tmp_path: Path) -> None:
    """A finding in the lessons opens that field; one in the timeline opens the review on that event."""
    app = fresh_app(tmp_path, went_wrong="Human error by Sam")
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        await choose(pilot, "Blaming language in what went wrong")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the write-up form")
        assert app.screen.focused is not None and app.screen.focused.id == "f-went_wrong"
        await pilot.press("escape")
        other = Store(tmp_path / "w.db", clock=fixed_clock)  # another terminal logs an event; the screen notices
        other.log_event("INC-1", "Sam should have checked the dashboard", occurred_at=T0 + dt.timedelta(minutes=9))
        other.close()
        await wait_until(pilot, lambda: any("timeline 14:09" in line for line in checklist(app)), "the finding")
        await choose(pilot, "timeline 14:09")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.current is not None
        assert review.current.text == "Sam should have checked the dashboard"


# -- writing the file ------------------------------------------------------------------------


async def write(pilot: Pilot[Any], answer: str | None = None) -> None:
    """w, accept the default path, and answer the confirmation if one comes."""
    await pilot.press("w")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormScreen), "the path form")
    await pilot.press("enter")
    if answer is not None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen), "the confirmation")
        await pilot.press(answer)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), "the export screen")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in a scratch folder, where the default file name lands."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@run_async
async def test_write_new_file_equals_cli_export(tmp_path: Path, in_tmp: Path) -> None:
    """w writes <id>-postmortem.md in the current folder, byte for byte what `warroom export` prints."""
    app, incident_id = demo_app(tmp_path)
    target = in_tmp / f"{incident_id}-postmortem.md"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await write(pilot)
        await wait_until(pilot, lambda: screen.written == target, "the file to be written")
        assert f"wrote {target}" in status_text(app)
        assert target.read_text(encoding="utf-8") == render_markdown(app.store, incident_id, app.tz)
    warroom = Path(sys.executable).with_name("warroom")
    cli = subprocess.run(
        [str(warroom), "--db", str(tmp_path / "w.db"), "--tz", "UTC", "export", incident_id],
        capture_output=True,
        check=True,
    )
    assert target.read_bytes() == cli.stdout


@run_async
async def test_existing_file_is_kept_unless_confirmed(tmp_path: Path, in_tmp: Path) -> None:
    """An existing file is replaced only after "y"; "n" leaves it exactly as it was."""
    app, incident_id = demo_app(tmp_path)
    target = in_tmp / f"{incident_id}-postmortem.md"
    target.write_text("precious notes\n", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await write(pilot, "n")
        await wait_until(pilot, lambda: "nothing written" in status_text(app), "the refusal")
        assert target.read_text(encoding="utf-8") == "precious notes\n" and screen.written is None
        await write(pilot, "y")
        await wait_until(pilot, lambda: screen.written == target, "the confirmed write")
        assert target.read_text(encoding="utf-8") == render_markdown(app.store, incident_id, app.tz)


@run_async
async def test_symlink_is_followed_only_when_confirmed_and_never_replaced(tmp_path: Path, in_tmp: Path) -> None:
    """A symbolic link at the path: "n" leaves both alone; "y" writes the file it points at and keeps the link."""
    app, incident_id = demo_app(tmp_path)
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("someone else's file\n", encoding="utf-8")
    link = in_tmp / f"{incident_id}-postmortem.md"
    link.symlink_to(elsewhere)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await write(pilot, "n")
        await wait_until(pilot, lambda: "nothing written" in status_text(app), "the refusal")
        assert link.is_symlink() and elsewhere.read_text(encoding="utf-8") == "someone else's file\n"
        await write(pilot, "y")
        await wait_until(pilot, lambda: screen.written == link, "the confirmed write")
        assert link.is_symlink()
        assert elsewhere.read_text(encoding="utf-8") == render_markdown(app.store, incident_id, app.tz)


@run_async
async def test_export_at_80x24_shows_preview_and_checklist(tmp_path: Path) -> None:
    """At 80x24 both panes get room; at 120x40 they sit side by side."""
    app, _ = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(pilot)
        preview, box = screen.query_one("#preview"), screen.query_one("#checklist-box")
        assert preview.region.height >= 8 and box.region.height >= 1 + len(screen.gaps) >= 2
        assert preview.region.y < box.region.y
    app, _ = demo_app(tmp_path / "wide")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_export(pilot)
        preview, box = screen.query_one("#preview"), screen.query_one("#checklist-box")
        assert preview.region.x < box.region.x and preview.region.height >= 30


@run_async
async def test_fixing_the_titles_wording_keeps_its_zero_width_characters(tmp_path: Path) -> None:
    """Blaming language in a title that holds a zero-width space: the entry line gets `/title` and the title to fix;
    fixing the word and pressing Enter keeps the character as it was, not the ⟨U+200B⟩ mark the screens draw."""
    path = tmp_path / "w.db"
    store = Store(path, clock=fixed_clock)
    store.create_incident("Careless deploy of pay\u200bments", id="INC-1", started_at=T0)
    store.close()
    app = create_app(path, clock=fixed_clock, incident_id="INC-1")
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        await choose(pilot, "Careless")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident screen")
        entry = app.screen.query_one(QuickEntry)
        await wait_until(pilot, lambda: entry.value.startswith("/title "), "the title in the entry line")
        await pilot.press("home", *["right"] * len("/title "), *["delete"] * len("Careless "), "enter")
        await wait_until(pilot, lambda: app.store.incident("INC-1").title.startswith("deploy"), "the new title")
        assert app.store.incident("INC-1").title == "deploy of pay\u200bments"
