"""Snapshots at 80x24 and 120x40: hypotheses marked open / ruled out / confirmed, links, and "N new ↓"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.test_snapshots import SIZES, fixed_clock
from warroom.store.demo import DEMO_ID, seed_demo
from warroom.store.hypotheses import HypothesisStatus, hypotheses, settle
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app
from warroom.widgets.timeline import TimelineView


def settled_app(folder: Path) -> WarroomApp:
    """The demo incident with one hypothesis ruled out, one confirmed, and an event carrying a link."""
    path = folder / "snap.db"
    store = Store(path, clock=fixed_clock)
    seed_demo(store)
    first, second = hypotheses(store, DEMO_ID)[:2]
    settle(store, DEMO_ID, first.number, HypothesisStatus.RULED_OUT, "rollback to v2.30 changed nothing")
    settle(store, DEMO_ID, second.number, HypothesisStatus.CONFIRMED, "pg_stat_activity: 400 batch connections")
    store.log_event(DEMO_ID, "Pool graph https://grafana.example/d/pool?var=orders", team="dba")
    store.close()
    return create_app(path, clock=fixed_clock, incident_id=DEMO_ID)


@pytest.mark.parametrize("size", SIZES)
def test_timeline_marks_hypotheses_and_links(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """`#N ruled out` (dimmed), `#N confirmed`, the notes that settled them, and an underlined link."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause(0.2)

    assert snap_compare(settled_app(tmp_path), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_new_events_out_of_sight(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """Cursor at the first event, three arrive from elsewhere: the last visible line says "3 new ↓ J"."""
    app = settled_app(tmp_path)

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        view = pilot.app.screen.query_one(TimelineView)
        view.focus()
        await pilot.press("home")
        other = Store(tmp_path / "snap.db", clock=fixed_clock)
        for n in range(3):
            other.log_event(DEMO_ID, f"Alert {n + 1} from the paging hook")
        other.close()
        for _ in range(40):
            await pilot.pause(0.05)
            if view.unseen == 3:
                break
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=size, run_before=run)
