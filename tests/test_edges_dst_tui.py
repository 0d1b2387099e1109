"""The TUI says which instant a typed local time was stored as around a DST change, as the CLI does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import FakeClock
from tests.edge_support import INC
from tests.tui_helpers import run_async, status_text, submit, wait_until
from warroom.store.store import Store
from warroom.store.timeparse import UTC
from warroom.tui.app import create_app


@pytest.mark.parametrize(
    ("zone", "now", "typed", "said"),
    [
        # 02:10 typed at 02:20 CET, after the clocks went back: it happened twice.
        ("Europe/Berlin", dt.datetime(2026, 10, 25, 1, 20, tzinfo=UTC), "02:10 pager fired", "happens twice"),
        # /started 02:30 on the night New York jumps from 02:00 to 03:00: moved forward by the jump.
        ("America/New_York", dt.datetime(2026, 3, 8, 8, 5, tzinfo=UTC), "/started 02:30", "03:30"),
    ],
)
@run_async
async def test_a_time_at_a_dst_change_gets_the_cli_note(
    db_path: Path, clock: FakeClock, zone: str, now: dt.datetime, typed: str, said: str
) -> None:
    """After logging, the status line carries the same `note:` the CLI prints on stderr."""
    clock.set(now - dt.timedelta(hours=3))
    Store(db_path, clock=clock).create_incident("Checkout failing", id=INC)
    clock.set(now)
    app = create_app(db_path, clock=clock, tz=ZoneInfo(zone), incident_id=INC)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await submit(pilot, typed)
        await wait_until(pilot, lambda: "note:" in status_text(app), "the note")
        assert said in status_text(app), status_text(app)
