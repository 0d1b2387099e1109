"""Shared set-up for the follow-through, stats and search screen tests: a library of incidents on a fixed clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.tui_helpers import wait_until
from warroom.store.demo import seed_demo
from warroom.store.demo_library import seed_library
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app
from warroom.tui.screens.followup import FollowupScreen
from warroom.widgets.followup_list import FollowupList

#: The demo incident started 45 minutes before this; the sample incidents go back to August.
NOW = dt.datetime(2026, 11, 27, 14, 45, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    """Always 2026-11-27 14:45 UTC."""
    return NOW


def library_db(folder: Path) -> Path:
    """A fresh database holding the demo incident and the sample library."""
    path = folder / "library.db"
    store = Store(path, clock=fixed_clock)
    seed_demo(store)
    seed_library(store)
    store.close()
    return path


def library_app(folder: Path, *, tz: dt.tzinfo = dt.UTC, incident_id: str | None = None) -> WarroomApp:
    """The app on the library; without an incident id it opens on the most recent open incident."""
    return create_app(library_db(folder), clock=fixed_clock, tz=tz, incident_id=incident_id)


async def open_followup(pilot: Pilot[Any]) -> FollowupList:
    """From the start (the most recent open incident), open the follow-through screen with ctrl+t."""
    await pilot.pause()
    await pilot.press("ctrl+t")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FollowupScreen), "the follow-through screen")
    return pilot.app.screen.query_one(FollowupList)
