"""Shared set-up for the review and export screen tests: the demo incident on a fixed clock, and waiting."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, ParamSpec

from textual.pilot import Pilot
from textual.widgets import Static

from warroom.store.demo import seed_demo
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app

P = ParamSpec("P")
#: The demo incident starts at 14:00 UTC on this clock; its events are at 14:00:10, 14:02:10, ...
NOW = dt.datetime(2026, 11, 27, 14, 45, tzinfo=dt.UTC)
SIZE = (100, 30)


def fixed_clock() -> dt.datetime:
    """Always 2026-11-27 14:45 UTC."""
    return NOW


def run_async(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an async pilot test with plain pytest (fixtures still resolve by signature)."""

    @functools.wraps(test)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


def demo_db(folder: Path) -> tuple[Path, str]:
    """A fresh database holding the demo incident; returns its path and the incident id."""
    path = folder / "w.db"
    store = Store(path, clock=fixed_clock)
    incident_id = seed_demo(store)
    store.close()
    return path, incident_id


def demo_app(folder: Path) -> tuple[WarroomApp, str]:
    """The app on the demo incident, opened on its incident screen."""
    path, incident_id = demo_db(folder)
    return create_app(path, clock=fixed_clock, incident_id=incident_id), incident_id


async def wait_until(pilot: Pilot[Any], condition: Callable[[], Any], what: str = "the condition") -> None:
    """Let the app and its writer thread work until `condition()` holds; fail after about two seconds."""
    await pilot.pause()
    for _ in range(40):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), f"timed out waiting for {what}"


def status_text(app: WarroomApp) -> str:
    """The status line of the current screen."""
    return str(app.screen.query_one("#status", Static).content)
