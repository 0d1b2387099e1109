"""Keys typed in a burst, after a dialog closes, or right after Escape: they go where typing slowly would send them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual import events

from tests.conftest import FakeClock
from tests.tui_helpers import app_of, entry, run_async, screen_text, status_text, timeline, wait_until
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app
from warroom.tui.screens.form import FormScreen
from warroom.widgets.timeline import TimelineView

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
async def test_keys_typed_with_the_first_slash_go_into_the_find_bar_not_the_timeline(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """`/dd` then Enter in one go on the timeline, the first find of the session: "dd" is searched, nothing deleted."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_timeline(pilot)
        burst(app, "slash", "d", "d", "enter")
        await wait_until(pilot, lambda: str(app.screen.query_one("#find-count").content) == "no matches", "the find")
        await pilot.pause(0.2)
        assert app.screen.query_one("#find-input").value == "dd"  # type: ignore[attr-defined]
        assert all(e.deleted_at is None and not e.starred for e in store.events(INC, include_deleted=True))


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
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DiscardScreen", "the question")
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
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DiscardScreen", "the question")
        burst(app, "n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form again")
        assert app.is_running
        assert app.screen.query_one("#f-title").value == "Checkout down"  # type: ignore[attr-defined]


# -- undo, redo and the trash ---------------------------------------------------------------------


def live_texts(store: Store) -> list[str]:
    """The texts of the live events, in time order."""
    return [e.text for e in store.events(INC)]


@run_async
async def test_undoing_a_delete_puts_the_cursor_on_the_restored_event(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """d on "event 1", ctrl+z: it is back and the cursor is on it, so the next d deletes it again, not its neighbour."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_timeline(pilot)
        view = timeline(app)
        burst(app, "k", "k", "d")
        await wait_until(pilot, lambda: live_texts(store) == ["event 0", "event 2", "event 3"], "the delete")
        assert "deleted event" in status_text(app) and "ctrl+z restores" in status_text(app)
        burst(app, "ctrl+z")
        await wait_until(pilot, lambda: len(live_texts(store)) == 4, "the undo")
        await wait_until(pilot, lambda: view.current is not None and view.current.text == "event 1", "the cursor")
        burst(app, "d")
        await wait_until(pilot, lambda: live_texts(store) == ["event 0", "event 2", "event 3"], "the same delete")


@run_async
async def test_undo_goes_back_step_by_step_and_redo_forward(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """Two entries and a delete, ctrl+z three times takes all three back; ctrl+g twice brings two back."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, *"alpha", "enter", *"beta", "enter")
        await wait_until(pilot, lambda: live_texts(store)[-2:] == ["alpha", "beta"], "two entries")
        burst(app, "escape", "d")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "alpha", "the delete")
        burst(app, "ctrl+z")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "beta", "beta back")
        burst(app, "ctrl+z")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "alpha", "beta's entry undone")
        burst(app, "ctrl+z")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "event 3", "alpha's entry undone")
        burst(app, "ctrl+g")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "alpha", "alpha redone")
        burst(app, "ctrl+g")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "beta", "beta redone")
        assert "redone" in status_text(app)


@run_async
async def test_two_edits_of_one_event_undo_one_at_a_time(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """An event edited twice: ctrl+z gives the first edit, ctrl+z again the original, ctrl+g the first edit again."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_timeline(pilot)
        burst(app, "e", *" B", "ctrl+s")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "event 3 B", "the first edit")
        burst(app, "escape", "e", *" C", "ctrl+s")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "event 3 B C", "the second edit")
        burst(app, "ctrl+z")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "event 3 B", "one step back")
        burst(app, "ctrl+z")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "event 3", "two steps back")
        burst(app, "ctrl+g")
        await wait_until(pilot, lambda: live_texts(store)[-1] == "event 3 B", "one step forward")
        # Every state is kept: before each edit, before each undo, before the redo.
        assert len(store.revisions("event", store.events(INC)[-1].id or 0)) == 5


@run_async
async def test_the_trash_lists_deleted_records_and_restores_one(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """A deleted event, factor and action item are listed in /trash; Enter restores the highlighted one."""
    store.add_factor(INC, "Pool too small", kind="root")
    store.add_action(INC, "Alert on pool saturation")
    events = store.events(INC)
    store.delete_event(events[1].id or 0)
    store.edit_factor(INC, 1, deleted_at=clock())
    clock.advance(seconds=5)
    store.edit_action(INC, 1, deleted_at=clock())
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 3, "the events")
        burst(app, *"/trash", "enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "TrashScreen", "the trash")
        shown = screen_text(app)
        assert "action item 1" in shown and "factor 1" in shown and "event 2" in shown
        assert "Alert on pool saturation" in shown and "Pool too small" in shown
        burst(app, "down", "enter")  # the factor: deleted second most recently
        await wait_until(pilot, lambda: [f.text for f in store.factors(INC)] == ["Pool too small"], "the factor")
        assert store.actions(INC) == []
        burst(app, "f9", "down", "enter")  # the action item is first now, then the event
        await wait_until(pilot, lambda: len(live_texts(store)) == 4, "the event")
        await wait_until(pilot, lambda: timeline(app).current is not None and timeline(app).current.text == "event 1")
        assert "restored event" in status_text(app)


@run_async
async def test_the_key_bar_names_the_dialogs_keys_while_it_is_open(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """With the edit dialog open, the bottom line offers Save and Cancel, not the incident screen's Export."""
    app = make_app(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_timeline(pilot)
        assert "Star" in screen_text(app).splitlines()[-1]
        burst(app, "e")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the edit dialog")
        await pilot.pause(0.1)
        bottom = screen_text(app).splitlines()[-1]
        assert "Save" in bottom and "Cancel" in bottom and "Star" not in bottom and "Export" not in bottom
        burst(app, "escape")
        await wait_until(pilot, lambda: "Export" in screen_text(app).splitlines()[-1], "the screen's keys again")


@run_async
async def test_tab_completes_a_slash_command(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """ "/stat", Tab, "mon", Tab, Enter: the status is set to monitoring; the cursor never leaves the entry line."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, *"/stat", "tab")
        await wait_until(pilot, lambda: entry(app).value == "/status ", "the command completed")
        burst(app, *"mon", "tab", "enter")
        await wait_until(pilot, lambda: store.incident(INC).status.value == "monitoring", "the status")
        assert entry(app).has_focus


@run_async
async def test_export_closed_before_its_preview_is_rendered_does_not_crash(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """ctrl+e and Escape in one burst, again and again: the app keeps running (the fuzz test found this)."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, *["ctrl+e", "alt+x", "ctrl+g"] * 3, "ctrl+r", "escape")
        await wait_until(pilot, lambda: not app.key_gate.held, "every key to be handled")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "IncidentScreen", "the incident screen")
        assert app.is_running
    assert app.return_code in (0, None)


@run_async
async def test_escape_from_find_goes_back_to_the_entry_line(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """ctrl+f, "event", Enter, n, Escape, then a log line and Enter: the line is logged, not taken by find or a pane."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, "ctrl+f", *"event", "enter", "n", "escape", *"db restarted", "enter")
        await wait_until(pilot, lambda: "db restarted" in live_texts(store), "the line to be logged")
        assert not app.screen.query_one("#find").has_class("-open")
        assert not isinstance(app.screen, FormScreen)
        assert all(e.deleted_at is None and not e.starred for e in store.events(INC, include_deleted=True))


@run_async
async def test_the_theme_is_kept_across_restarts(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """A theme chosen in one session is the theme of the next."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme != "nord"
        app.theme = "nord"
        await wait_until(pilot, lambda: store.setting("theme") == "nord", "the theme to be saved")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "nord"


# -- layout at 80x24 and 120x40 ---------------------------------------------------------------------


@run_async
async def test_long_action_titles_and_owners_end_in_an_ellipsis_at_80x24(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """A title and an owner too long for the pane are cut with "…", with a space before the next column."""
    store.add_action(INC, "Per-client connection limits on the payments pool", owner="platform-reliability-team")
    app = make_app(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "Per-client" in screen_text(app), "the action item")
        [row] = [line for line in screen_text(app).splitlines() if "Per-client" in line]
        pane = row.split("▏")[-1]
        assert "… platform-re…" in pane, pane


@run_async
async def test_the_timeline_is_not_narrower_at_120x40_than_at_80x24(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """From 110 columns the panes sit side by side, but the timeline keeps at least the width it has at 80."""
    widths = []
    for size in ((80, 24), (120, 40)):
        app = make_app(db_path, clock)
        async with app.run_test(size=size) as pilot:
            await wait_until(pilot, lambda a=app: timeline(a).count == 4, "the events")  # type: ignore[misc]
            widths.append(timeline(app).size.width)
    assert widths[1] >= widths[0], widths


@run_async
async def test_enter_right_after_escape_in_a_form_keeps_the_text(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """Write-up, "S1", Escape, Enter in one burst: asked, and Enter does not throw "S1" away (only y does)."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, "ctrl+y", *"S1", "escape", "enter")
        await wait_until(pilot, lambda: not app.key_gate.held, "every key to be handled")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form, still open")
        assert app.screen.query_one("#f-summary").text == "S1"  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@run_async
async def test_end_in_a_side_pane_shows_its_last_entry(
    db_path: Path, clock: FakeClock, store: Store, incident: str, size: tuple[int, int]
) -> None:
    """Forty action items and factors: End in either pane brings the last one into sight, not under the box's edge."""
    from warroom.widgets.factors import FactorsPane
    from warroom.widgets.row_table import RowTable

    for n in range(1, 41):
        store.add_action(INC, f"item number {n}", owner="bob")
        store.add_factor(INC, f"factor number {n}")
    app = make_app(db_path, clock)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: "item number 1 " in screen_text(app), "the action items")
        panes = (
            (app.screen.query_one(RowTable), "item number 40 "),
            (app.screen.query_one(FactorsPane), "factor number 40"),
        )
        for pane, last in panes:
            pane.focus()
            await pilot.press("end")
            await wait_until(pilot, lambda last=last: last in screen_text(app), f"{last!r} in sight")  # type: ignore[misc]
