"""A flood of typed characters: every line stops at the store's limit, says so once, and the app keeps up."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import FakeClock
from tests.edge_support import INC, rows, seeded
from tests.soak.pty_app import PtyApp
from tests.tui_helpers import entry, paste, run_async, status_text, wait_for_status, wait_until
from warroom.store.kinds import MAX_TEXT
from warroom.store.store import Store
from warroom.tui.app import create_app
from warroom.widgets.line_input import LineInput


@run_async
async def test_typing_stops_at_the_limit_and_enter_logs_the_line(db_path: Path, clock: FakeClock) -> None:
    """Keys past the limit are not added, the line says it is full, and Enter logs the full line."""
    Store(db_path, clock=clock).create_incident("Checkout failing", id=INC)
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=(80, 24)) as pilot:
        line = entry(app)
        line.focus()
        line.value = "x" * (MAX_TEXT - 5)
        await pilot.press(*"abcdefghijkl")
        assert line.value == "x" * (MAX_TEXT - 5) + "abcde"
        said = await wait_for_status(pilot, "at its limit")
        assert f"{MAX_TEXT:,}" in said
        await pilot.press("enter")
        await wait_until(pilot, lambda: not line.value, "the line to empty")
        await wait_until(pilot, lambda: "at its limit" not in status_text(app), "the entry to be logged")
    texts = [t for (t,) in rows(db_path, "SELECT text FROM events")]
    assert texts == ["x" * (MAX_TEXT - 5) + "abcde"]


@run_async
async def test_a_full_filter_says_so_once(db_path: Path, clock: FakeClock) -> None:
    """The incident list's filter (any one-line field) stops at the limit with one notice, not one per key."""
    Store(db_path, clock=clock).create_incident("Checkout failing", id=INC)
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l")  # to the incident list
        await wait_until(pilot, lambda: app.screen.query("#filter"), "the incident list")
        field = app.screen.query_one("#filter", LineInput)
        field.focus()
        field.value = "x" * (MAX_TEXT - 2)
        await pilot.press(*"abcdefgh")
        await pilot.pause()
        assert len(field.value) == MAX_TEXT
        notices = [n.message for n in app._notifications]
        assert sum("at its limit" in n for n in notices) == 1, notices


@run_async
async def test_a_paste_too_long_for_a_field_says_so(db_path: Path, clock: FakeClock) -> None:
    """A paste that does not fit a one-line field (here the incident list's filter) is refused
    with a notice naming its size, as the entry line refuses one; before, it vanished without a word."""
    Store(db_path, clock=clock).create_incident("Checkout failing", id=INC)
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: app.screen.query("#filter"), "the incident list")
        field = app.screen.query_one("#filter", LineInput)
        field.focus()
        field.value = "sev:1 "
        await paste(pilot, "p" * MAX_TEXT)
        await wait_until(pilot, lambda: app._notifications, "the notice")
        notices = [n.message for n in app._notifications]
        assert notices == [
            f"the paste is {MAX_TEXT:,} characters and the line already holds 6; the line holds at most"
            f" {MAX_TEXT:,}; nothing was added"
        ]
        assert field.value == "sev:1 "


def test_45000_characters_in_bursts_keep_the_app_responsive(tmp_path: Path) -> None:
    """The real TUI fed 45,000 characters as a terminal delivers them: the line stops at the limit, the
    clock keeps ticking, and the Enter that follows logs the capped line (before: frozen for minutes)."""
    db = seeded(tmp_path / "w.db")
    app = PtyApp(db, INC, size=(80, 24))
    try:
        assert app.wait_for("Type what happened"), app.text()[-2000:]
        for _ in range(90):
            os.write(app.master, b"y" * 500)
            time.sleep(0.01)
        assert app.wait_for("at its limit", timeout=60), app.text()[-2000:]
        shown = len(app.output)
        assert wait(lambda: len(app.output) > shown)  # the clock still ticks: the screen is redrawn
        app.press_enter()
        wait(lambda: len(rows(db, "SELECT id FROM events")) > 1)
    finally:
        app.kill()
    assert rows(db, "SELECT length(text), substr(text, 1, 3) FROM events ORDER BY id")[1:] == [(MAX_TEXT, "yyy")]
    assert app.text().count("at its limit") >= 1


def wait(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Poll `condition()` until it holds or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
