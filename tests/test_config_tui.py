"""The config file in the TUI: its severity levels, teams and lint phrases, through the pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.conftest import FakeClock
from tests.tui_helpers import entry, run_async, screen_text, submit, wait_for_status, wait_until
from warroom.store.config import parse
from warroom.store.export_md import render_markdown
from warroom.store.sections import read_sections
from warroom.store.store import Store
from warroom.store.timeparse import UTC
from warroom.tui.app import WarroomApp, create_app

INC = "INC-1"
SIZE = (100, 30)
CONFIG = parse(
    """\
teams = ["sre", "payments", "platform"]
lint_allow = ["human error"]
[severities.SEV0]
meaning = "Company-wide outage"
"""
)


@pytest.fixture
def incident(store: Store) -> str:
    """An open incident that started at the fake clock's 14:00 UTC."""
    return store.create_incident("Checkout failing", id=INC).id


@run_async
async def test_sev_takes_a_level_of_the_config_and_the_header_shows_it(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """/sev 0 sets the config's SEV0; the header shows it; without the config it is refused."""
    app = create_app(db_path, clock=clock, config=CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "/sev 0")
        await wait_for_status(pilot, "severity set to SEV0: Company-wide outage")
        await wait_until(pilot, lambda: "SEV0  INC-1 [investigating]" in screen_text(app), "the header")
    assert store.incident(INC).severity == "SEV0"
    plain = create_app(db_path, clock=clock)
    async with plain.run_test(size=SIZE) as pilot:
        assert "SEV0  INC-1" in screen_text(plain)  # a level the config no longer defines still shows
        await submit(pilot, "/sev 0")
        await wait_for_status(pilot, "severity must be one of SEV1, SEV2, SEV3, SEV4")


@run_async
async def test_tab_completes_a_team_after_an_at_sign(db_path: Path, clock: FakeClock, incident: str) -> None:
    """`@pay` then Tab becomes `@payments`, typed in one burst with the rest of the line."""
    app = create_app(db_path, clock=clock, config=CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"paged @pay", "tab")
        await wait_until(pilot, lambda: entry(app).value == "paged @payments", "the completed team")
        await pilot.press(*" for help")
        await wait_until(pilot, lambda: entry(app).value == "paged @payments for help", "the rest of the line")


@run_async
async def test_new_incident_form_shows_each_level_with_its_meaning(db_path: Path, clock: FakeClock) -> None:
    """The severity choice of the new-incident form lists SEV0 with what it means."""
    app = create_app(db_path, clock=clock, config=CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: "New incident" in screen_text(app), "the form")
        await pilot.press("tab", "enter")
        await wait_until(pilot, lambda: "SEV0  Company-wide outage" in screen_text(app), "the levels")


@run_async
async def test_export_checklist_accepts_the_organisations_lint_phrases(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """A phrase on the config's lint_allow is not listed as blaming language in the export checklist."""
    store.update_incident(INC, went_wrong="It was human error")
    for config, shown in ((None, True), (CONFIG, False)):
        assert await _checklist_names(create_app(db_path, clock=clock, config=config), "human error") is shown


async def _checklist_names(app: WarroomApp, phrase: str) -> bool:
    """Whether the export checklist (ctrl+e) mentions `phrase` once it is shown."""
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: "No owner" in screen_text(app), "the checklist")
        return phrase in screen_text(app)


SECTIONS = parse(
    """\
[[sections]]
title = "Detection"
prompt = "How did we find out?"
required = true
[[sections]]
title = "Customer comms"
prompt = "What did customers hear?"
"""
)


@run_async
async def test_a_required_section_is_a_gap_until_written_in_the_writeup_form(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """The checklist names the missing Detection; Enter on it opens the form there; what is typed is exported."""
    app = create_app(db_path, clock=clock, config=SECTIONS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: "Section 'Detection' is not written" in screen_text(app), "the gap")
        checklist = app.screen.query_one("#checklist", OptionList)
        gap = next(
            i for i in range(checklist.option_count) if "Detection" in str(checklist.get_option_at_index(i).prompt)
        )
        checklist.highlighted = gap
        await pilot.press("enter")
        await wait_until(pilot, lambda: "How did we find out?" in screen_text(app), "the prompt")
        await pilot.press(*"Paged by the alert", "ctrl+s")
        await wait_until(pilot, lambda: read_sections(store, INC) == {"Detection": "Paged by the alert"}, "saved")
        await wait_until(pilot, lambda: "Section 'Detection'" not in screen_text(app), "the gap to go")
    markdown = render_markdown(store, INC, UTC, order=SECTIONS.section_titles)
    assert markdown.endswith("\n## Detection\n\nPaged by the alert\n")
