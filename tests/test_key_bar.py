"""The key bar at the bottom of every screen: the keys that work here, fitted to the width, clickable."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text

from tests.conftest import FakeClock
from tests.tui_helpers import run_async, screen_text, wait_until
from warroom.store.store import Store
from warroom.tui.app import create_app
from warroom.tui.screens.review import ReviewScreen
from warroom.widgets.key_bar import KeyBar

INC = "INC-1"


@pytest.fixture
def incident(store: Store) -> str:
    """An open incident with one event."""
    incident_id = store.create_incident("Checkout failing", id=INC).id
    store.log_event(incident_id, "alerts firing")
    return incident_id


def bar_line(app: object) -> str:
    """The bottom line of the screen as the user reads it."""
    return screen_text(app).splitlines()[-1]  # type: ignore[arg-type]


@run_async
async def test_every_key_fits_at_80_columns_with_help_and_palette(
    db_path: Path, clock: FakeClock, incident: str
) -> None:
    """At 80x24 the incident screen's keys all show, none cut in half; Help and the palette are there."""
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = bar_line(app)
        for words in ("^e Export", "^z Undo", "^f Find", "^r Review", "^q Quit", "f1 Help"):
            assert words in line
        assert line.rstrip().endswith("^p palette")
        assert len(line) <= 80


@run_async
async def test_keys_follow_the_focus(db_path: Path, clock: FakeClock, incident: str) -> None:
    """Escape moves to the timeline: its keys (Edit, Delete, Star) appear; the entry line's come back after."""
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "e Edit" not in bar_line(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: "e Edit" in bar_line(app), "the timeline's keys")
        assert "d Delete" in bar_line(app) and "s Star" in bar_line(app)


@run_async
async def test_narrow_terminal_keeps_help(db_path: Path, clock: FakeClock, incident: str) -> None:
    """At 50 columns keys are left out from the end, but F1 Help and the palette stay and nothing spills."""
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(50, 24)) as pilot:
        await pilot.pause()
        line = bar_line(app)
        assert "f1 Help" in line and line.rstrip().endswith("^p palette")
        assert "^e Export" in line
        assert "^q Quit" not in line  # left out: no room


@run_async
async def test_clicking_a_key_runs_it(db_path: Path, clock: FakeClock, incident: str) -> None:
    """A click on "^r Review" opens review mode, as the key would."""
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        x = bar_line(app).index("^r Review") + 1
        await pilot.click(KeyBar, offset=(x, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")


@run_async
async def test_bar_repaints_only_when_its_keys_change(
    db_path: Path, clock: FakeClock, incident: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual signals binding updates many times (focus changes, screen start-up); the same keys are not redrawn."""
    drawn: list[str] = []
    render = KeyBar.render

    def counted(bar: KeyBar) -> Text:
        line = render(bar)
        drawn.append(line.plain)
        return line

    monkeypatch.setattr(KeyBar, "render", counted)
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = len(drawn)
        for _ in range(3):
            app.screen.refresh_bindings()
            await pilot.pause()
        assert len(drawn) == before
        await pilot.press("escape")
        await wait_until(pilot, lambda: "e Edit" in bar_line(app), "the timeline's keys")
        assert len(drawn) > before and "e Edit" in drawn[-1]
