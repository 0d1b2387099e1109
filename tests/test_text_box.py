"""Multi-line fields stop at the store's limit while typed into, and say so once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.conftest import FakeClock
from tests.tui_helpers import run_async, submit, wait_until
from warroom.store.kinds import MAX_TEXT
from warroom.store.store import Store
from warroom.tui.app import create_app
from warroom.tui.screens.form import FormScreen
from warroom.tui.screens.update import UpdateDialog
from warroom.widgets.text_box import TextBox


class BoxApp(App[None]):
    """One TextBox holding at most ten characters."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text
        self.warnings: list[str] = []

    def compose(self) -> ComposeResult:
        yield TextBox(self.text, max_length=10)

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        self.warnings.append(message)
        super().notify(message, **kwargs)


def box(app: BoxApp) -> TextBox:
    return app.query_one(TextBox)


@run_async
async def test_typing_past_the_limit_keeps_the_first_characters_and_says_so_once() -> None:
    app = BoxApp()
    async with app.run_test() as pilot:
        await pilot.press(*"abcdefghijklmno")
        assert box(app).text == "abcdefghij"
        assert app.warnings == ["this field is at its limit of 10 characters; what did not fit was not added"]
        # Room again after a deletion: one more character fits, the next is refused with a new word.
        await pilot.press("backspace", *"xy")
        assert box(app).text == "abcdefghix"
        assert len(app.warnings) == 2


@run_async
async def test_line_breaks_count_and_a_paste_is_cut_to_the_room_left() -> None:
    app = BoxApp("ab")
    async with app.run_test() as pilot:
        box(app).focus()
        box(app).move_cursor(box(app).document.end)
        await pilot.press("enter")
        app.post_message(events.Paste("1234567890"))
        await pilot.pause()
        assert box(app).text == "ab\n1234567"
        assert len(app.warnings) == 1
        # Replacing a selection makes room for what replaces it.
        box(app).select_all()
        app.post_message(events.Paste("new text"))
        await pilot.pause()
        assert box(app).text == "new text"


@run_async
async def test_the_stakeholder_update_stops_at_the_stores_limit(db_path: Path, clock: FakeClock, store: Store) -> None:
    """A paste far past the limit leaves the update at the limit and sendable, not refused on send."""
    store.create_incident("Checkout failing", id="INC-1", severity="SEV1", started_at=clock())
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await submit(pilot, "/update")
        await wait_until(pilot, lambda: isinstance(app.screen, UpdateDialog), "the update dialog")
        area = app.screen.query_one("#update-text", TextBox)
        app.post_message(events.Paste("x" * (MAX_TEXT + 5_000)))
        await pilot.pause()
        assert len(area.text) == MAX_TEXT
        assert any("at its limit of 20,000 characters" in n.message for n in app._notifications)


async def restored_writeup(db_path: Path, clock: FakeClock, leave: str) -> None:
    """Open the write-up form on a draft with a summary past the limit, check what it shows and says, press `leave`."""
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the write-up form")
        await pilot.pause()
        assert app.screen.query_one("#f-summary", TextBox).text == "s" * MAX_TEXT
        said = str(app.screen.query_one(".form-error", Static).content)
        assert "cut to the limit of 20,000 characters" in said and "all 24,000" in said
        await pilot.press(leave)
        await wait_until(pilot, lambda: not app.is_running or not isinstance(app.screen, FormScreen), "the form shut")


@run_async
async def test_a_restored_draft_over_the_limit_shows_what_fits_says_so_and_keeps_the_rest(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """A write-up draft with a summary longer than the limit (left by an older version): the form holds the first
    20,000 characters and says it cut them; quitting untouched keeps the whole draft; ctrl+s saves what is shown."""
    store.create_incident("Checkout failing", id="INC-1", severity="SEV1", started_at=clock())
    long_summary = "s" * MAX_TEXT + "TAIL" * 1_000
    store.save_draft("INC-1", "form:writeup", json.dumps({"summary": long_summary}))
    await restored_writeup(db_path, clock, "ctrl+q")
    assert json.loads(store.draft("INC-1", "form:writeup"))["summary"] == long_summary
    assert store.incident("INC-1").summary == ""
    await restored_writeup(db_path, clock, "ctrl+s")
    assert store.incident("INC-1").summary == "s" * MAX_TEXT
    assert store.draft("INC-1", "form:writeup") == ""


@run_async
async def test_a_restored_draft_over_the_limit_stays_whole_whatever_marks_it_holds(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """A draft written while an edit form stored zero-width marks as text (⟨U+200B⟩) is still kept whole when the
    form is quit untouched: the field is left as restored, whatever characters it shows."""
    store.create_incident("Checkout failing", id="INC-1", severity="SEV1", started_at=clock())
    long_summary = "db\u27e8U+200B\u27e9pool " + "s" * MAX_TEXT + "TAIL" * 1_000
    store.save_draft("INC-1", "form:writeup", json.dumps({"summary": long_summary}))
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the write-up form")
        await pilot.pause()
        assert app.screen.query_one("#f-summary", TextBox).text == long_summary[:MAX_TEXT]
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, "the app to close")
    assert json.loads(store.draft("INC-1", "form:writeup"))["summary"] == long_summary
