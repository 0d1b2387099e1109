"""New events out of sight: while the cursor is up the timeline, arrivals below are counted ("3 new ↓") and J jumps."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tests.tui_helpers import run_async, timeline, timeline_lines, wait_until
from warroom.store.store import Store
from warroom.tui.app import create_app

if TYPE_CHECKING:
    from tests.conftest import FakeClock

INC = "INC-1"
SIZE = (100, 24)


def fill(store: Store, count: int) -> None:
    """An incident with more events than the timeline shows at once."""
    store.create_incident("Checkout failing", id=INC)
    for n in range(count):
        store.log_event(INC, f"event {n}")


@run_async
async def test_arrivals_below_the_view_are_counted_and_j_jumps_to_the_first(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """Cursor at the top, three events arrive from another program: "3 new ↓" shows; J goes to the first of them."""
    fill(store, 40)
    other = Store(db_path, clock=clock)  # a second terminal or an alert hook
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = timeline(app)
        view.focus()
        await pilot.press("home")
        for n in range(3):
            other.log_event(INC, f"arrived {n}")
        await wait_until(pilot, lambda: view.count == 43, "the new events")
        await wait_until(pilot, lambda: "3 new ↓ J" in timeline_lines(app)[-1], "the notice")
        assert view.cursor == 0  # the reader's place is kept
        await pilot.press("J")
        await pilot.pause()
        assert view.current is not None and view.current.text == "arrived 0"
        assert not any("new ↓" in line for line in timeline_lines(app))
    other.close()


@run_async
async def test_following_the_tail_shows_no_notice(db_path: Path, clock: FakeClock, store: Store) -> None:
    """At the newest event the cursor follows arrivals, so nothing is out of sight."""
    fill(store, 40)
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        store.log_event(INC, "arrived")
        view = timeline(app)
        await wait_until(pilot, lambda: view.count == 41, "the new event")
        assert view.current is not None and view.current.text == "arrived"
        assert not any("new ↓" in line for line in timeline_lines(app))


@run_async
async def test_scrolling_down_to_them_clears_the_notice(db_path: Path, clock: FakeClock, store: Store) -> None:
    """Once the new rows are in sight (End, or moving down to them) the count goes."""
    fill(store, 40)
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = timeline(app)
        view.focus()
        await pilot.press("home")
        store.log_event(INC, "arrived")
        await wait_until(pilot, lambda: view.unseen == 1, "the count")
        await pilot.press("end")
        await pilot.pause()
        assert view.unseen == 0 and not any("new ↓" in line for line in timeline_lines(app))
