"""Enter shows the cleared entry line and the saved row in one frame, and a slow save never freezes the screen."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from tests.conftest import FakeClock
from tests.tui_helpers import app_of, entry, run_async, status_text, timeline, type_text, wait_until
from warroom.store.store import Store
from warroom.tui.app import create_app
from warroom.tui.jobs import Outcome

INC = "INC-1"
SIZE = (100, 30)


@pytest.fixture
def incident(store: Store) -> str:
    """An open incident with three events already logged."""
    incident_id = store.create_incident("Checkout failing", id=INC).id
    for n in range(3):
        store.log_event(incident_id, f"earlier {n}")
    return incident_id


@pytest.fixture
def frames(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """What the entry line held and how many rows the timeline had, at every frame painted."""
    seen: list[tuple[str, int]] = []
    paint = Screen._compositor_refresh

    def record(screen: Screen[Any]) -> None:
        if screen.query("#entry") and screen.query("TimelineView"):
            seen.append((entry(screen.app).value, timeline(screen.app).count))  # type: ignore[arg-type]
        paint(screen)

    monkeypatch.setattr(Screen, "_compositor_refresh", record)
    return seen


@run_async
async def test_cleared_line_and_new_row_arrive_in_the_same_frame(
    db_path: Path, clock: FakeClock, store: Store, incident: str, frames: list[tuple[str, int]]
) -> None:
    """No frame shows the line emptied while the row is still missing: both change together, once it is saved."""
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        for n in range(5):
            typed, rows = f"entry {n}", 3 + n
            await type_text(pilot, typed)
            await wait_until(pilot, lambda typed=typed: frames and frames[-1][0] == typed, "the typed text to show")
            first = len(frames)
            await pilot.press("enter")
            await wait_until(pilot, lambda rows=rows: frames[-1] == ("", rows + 1), "the saved row to show")
            # Every frame since Enter shows either the typed line with the old rows or the empty line with the new.
            assert set(frames[first:]) <= {(typed, rows), ("", rows + 1)}, frames[first:]
        assert store.count_events(INC) == 8


@run_async
async def test_a_stalled_save_still_clears_the_line_at_once(
    db_path: Path, clock: FakeClock, store: Store, incident: str, frames: list[tuple[str, int]]
) -> None:
    """With the writer stuck behind a slow write, the screen keeps painting and says it waits; the row follows."""
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        gate = threading.Event()

        def slow(_: Store) -> Outcome:
            gate.wait(10)
            return Outcome("")

        app_of(pilot).submit(slow, lambda *_: None)
        await type_text(pilot, "still typing")
        await pilot.press("enter")
        await wait_until(pilot, lambda: frames and frames[-1] == ("", 3), "the emptied line to be painted")
        assert store.count_events(INC) == 3  # the write really is still waiting
        await wait_until(pilot, lambda: status_text(app).startswith("… saving: the database is busy"), "a word")
        await type_text(pilot, "next")
        await wait_until(pilot, lambda: frames[-1] == ("next", 3), "typing to keep showing")
        gate.set()
        await wait_until(pilot, lambda: frames[-1] == ("next", 4), "the row, once saved")
        assert [e.text for e in store.events(INC)][-1] == "still typing"


@run_async
async def test_a_key_is_painted_without_waiting_for_a_frame_slot(
    db_path: Path, clock: FakeClock, store: Store, incident: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With Textual's frame timer slowed to one frame in 5 s, moving the cursor still shows at once."""
    import textual.screen

    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 5.0)
    cursors: list[int] = []
    paint = Screen._compositor_refresh

    def record(screen: Screen[Any]) -> None:
        if screen.query("TimelineView"):
            cursors.append(timeline(screen.app).cursor)  # type: ignore[arg-type]
        paint(screen)

    monkeypatch.setattr(Screen, "_compositor_refresh", record)
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # to the timeline, cursor on the newest of three events
        await pilot.pause()
        assert timeline(app).cursor == 2
        for expected in (1, 0, 1):
            await pilot.press("up" if expected < cursors[-1] else "down")
            for _ in range(100):  # asyncio.sleep, not pilot.pause: that paints by itself
                if cursors[-1] == expected:
                    break
                await asyncio.sleep(0.01)
            assert cursors[-1] == expected, f"the cursor move to row {expected} was not painted within 1 s"
