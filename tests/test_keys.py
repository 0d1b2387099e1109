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


@run_async
async def test_typing_after_a_screen_closes_goes_to_the_entry_line(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """Review opened from the action items pane, Escape, then a sentence: it is logged; no item is done or deleted."""
    store.add_action(INC, "Alert on pool saturation")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        await pilot.press("tab", "tab", "tab")
        assert not isinstance(app.focused, type(entry(app)))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ReviewScreen", "the review")
        await pilot.press("escape")
        burst(app, *"fixed db index", "enter")
        await wait_until(pilot, lambda: store.count_events(INC) == 5, "the sentence to be logged")
        assert store.events(INC)[-1].text == "fixed db index"
        [item] = store.actions(INC)
        assert item.status.value == "open"
        assert item.deleted_at is None


@run_async
async def test_a_letter_glued_to_escape_is_typed_not_run_on_a_pane(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """On the timeline, Escape then "done" arrives as alt+d, "one": the entry line gets "done"; nothing is deleted."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_timeline(pilot)
        burst(app, "alt+d", *"one")
        await wait_until(pilot, lambda: entry(app).value == "done", "the word in the entry line")
        assert all(e.deleted_at is None for e in store.events(INC, include_deleted=True))
        assert isinstance(app.screen.focused, type(entry(app)))


@run_async
async def test_a_letter_glued_to_escape_from_the_entry_line_is_not_a_pane_command(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """In the entry line, Escape then "d" (alt+d): nothing is deleted; Escape then k (alt+k) still moves the cursor."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        view = timeline(app)
        burst(app, "alt+d")
        await wait_until(pilot, lambda: entry(app).value == "d", "the letter in the entry line")
        assert all(e.deleted_at is None for e in store.events(INC, include_deleted=True))
        burst(app, "backspace", "alt+k", "k")
        await wait_until(pilot, lambda: view.cursor == 1, "the cursor to move up twice")
        assert isinstance(app.screen.focused, TimelineView)


# -- nothing typed is lost by leaving -----------------------------------------------------------


@run_async
async def test_text_typed_right_before_ctrl_q_is_back_after_a_restart(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """Type, ctrl+q at once: the next start has the text in the entry line."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, *"DB pool", "ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, "the app to quit")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert entry(app).value == "DB pool"


@run_async
async def test_text_typed_right_before_ctrl_l_is_kept(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """Type, ctrl+l at once: the draft is saved as the list opens, and comes back with the incident."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, *"DB pool", "ctrl+l")
        await wait_until(pilot, lambda: "DB pool" in store.draft(INC, "entry"), "the draft")


@run_async
async def test_a_line_emptied_right_before_ctrl_l_stays_empty(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """ctrl+u then ctrl+l at once: the old draft does not come back."""
    store.save_draft(INC, "entry", '{"text": "old words", "started_at": null}')
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: entry(app).value == "old words", "the draft in the line")
        burst(app, "ctrl+u", "ctrl+l")
        await wait_until(pilot, lambda: store.draft(INC, "entry") == "", "the draft to be cleared")


@run_async
async def test_write_up_fields_typed_in_a_burst_are_all_saved(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """ctrl+y, "S1", Tab, "C1", ctrl+s in one go: summary and customers affected are both saved."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        for attempt in range(3):
            burst(app, "ctrl+y", *f"S{attempt}", "tab", *f"C{attempt}", "ctrl+s")
            await wait_until(pilot, lambda n=attempt: f"S{n}" in store.incident(INC).summary, "the summary")
            await wait_until(pilot, lambda: not isinstance(app.screen, FormScreen), "the form to close")
            await pilot.pause(0.1)
            assert f"C{attempt}" in store.incident(INC).customers_affected


@run_async
async def test_escape_in_a_form_with_typed_text_asks_before_throwing_it_away(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """Write-up, "S1", Escape: asked; n keeps editing with the text; Escape, y closes without saving."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, "ctrl+y", *"S1", "escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen", "the question")
        burst(app, "n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form again")
        assert app.screen.query_one("#f-summary").text == "S1"  # type: ignore[attr-defined]
        burst(app, "escape", "y")
        await wait_until(pilot, lambda: not isinstance(app.screen, FormScreen), "the form to close")
        assert store.incident(INC).summary == ""


@run_async
async def test_write_up_text_is_kept_as_a_draft_by_ctrl_q(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """Write-up fields typed, ctrl+q at once: after a restart ctrl+y shows them again, and ctrl+s saves them."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, "ctrl+y", *"S1", "tab", *"C1", "ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, "the app to quit")
    assert store.incident(INC).summary == ""
    assert "C1" in store.draft(INC, "form:writeup")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, "ctrl+y")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        await pilot.pause()
        assert app.screen.query_one("#f-customers_affected").text == "C1"  # type: ignore[attr-defined]
        burst(app, "ctrl+s")
        await wait_until(pilot, lambda: store.incident(INC).customers_affected == "C1", "the write-up")
        assert store.incident(INC).summary == "S1"
        assert store.draft(INC, "form:writeup") == ""


@run_async
async def test_ctrl_q_in_a_new_incident_form_with_text_asks(db_path: Path, clock: FakeClock, store: Store) -> None:
    """ctrl+n, a title, ctrl+q: asked first; n keeps the form and its text."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, "ctrl+n", *"Checkout down", "ctrl+q")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen", "the question")
        burst(app, "n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form again")
        assert app.is_running
        assert app.screen.query_one("#f-title").value == "Checkout down"  # type: ignore[attr-defined]
