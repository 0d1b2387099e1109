"""Keys typed in a burst, after a dialog closes, or right after Escape: they go where typing slowly would send them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual import events

from store.store import Store
from tests.conftest import FakeClock
from tests.tui_helpers import app_of, entry, run_async, timeline, wait_until
from tui.app import WarroomApp, create_app
from tui.screens.form import FormScreen
from widgets.timeline import TimelineView

INC = "INC-1"
SIZE = (100, 30)


@pytest.fixture
def incident(store: Store) -> str:
    """An open incident with four events."""
    created = store.create_incident("Checkout failing", id=INC).id
    for n in range(4):
        store.log_event(INC, f"event {n}")
    return created


def make_app(db_path: Path, clock: FakeClock) -> WarroomApp:
    """The app as the CLI builds it."""
    return create_app(db_path, clock=clock, tz=dt.UTC)


def burst(app: WarroomApp, *keys: str) -> None:
    """Keys arriving all at once, as over a laggy SSH link: all queued before the first is handled."""
    for key in keys:
        character = key if len(key) == 1 else ("\r" if key == "enter" else None)
        app.post_message(events.Key(key, character))


async def on_timeline(pilot: object) -> WarroomApp:
    """Wait for the events, then put the focus on the timeline (cursor on the last event)."""
    app = app_of(pilot)  # type: ignore[arg-type]
    await wait_until(pilot, lambda: timeline(app).count == 4, "the events")  # type: ignore[arg-type]
    await pilot.press("escape")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.focused, TimelineView), "the timeline to have focus")  # type: ignore[arg-type]
    return app


@run_async
async def test_a_key_typed_with_e_goes_to_the_edit_dialog_not_the_timeline(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """`ed` in one go on a timeline row: the dialog opens with "d" typed in it; the event is not deleted."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_timeline(pilot)
        burst(app, "e", "d", "j", "j")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the edit dialog")
        await pilot.pause(0.2)
        assert all(e.deleted_at is None for e in store.events(INC, include_deleted=True))
        assert app.screen.query_one("#f-text").value == "event 3djj"  # type: ignore[attr-defined]
        await pilot.press("escape")


@run_async
async def test_keys_after_e_never_move_the_timeline_behind_the_dialog(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """`ekk` on the last event: the timeline cursor stays on it while the dialog is open."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_timeline(pilot)
        view = timeline(app)
        before = view.cursor
        burst(app, "e", "k", "k")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the edit dialog")
        await pilot.pause(0.2)
        assert view.cursor == before


@run_async
async def test_saving_a_dialog_in_a_burst_saves_what_was_typed_before_it(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """`e`, " fixed", ctrl+s in one go: the edit is saved with every character typed."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_timeline(pilot)
        burst(app, "e", *" fixed", "ctrl+s")
        await wait_until(pilot, lambda: store.events(INC)[-1].text == "event 3 fixed", "the edit to be saved")
        assert not isinstance(app.screen, FormScreen)
        assert entry(app).value == ""
