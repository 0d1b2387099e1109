"""Snapshot tests of every screen at 80x24 and 120x40, on the demo incident and a fixed clock.

After a deliberate visual change: `pytest tests/test_snapshots.py --snapshot-update`, then look at
the new SVGs (snapshot_report.html or rsvg-convert) before committing them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from warroom.store.demo import seed_demo
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app

NOW = dt.datetime(2026, 11, 27, 14, 45, tzinfo=dt.UTC)
SIZES = [(80, 24), (120, 40)]


def fixed_clock() -> dt.datetime:
    """Always 2026-11-27 14:45 UTC, so clocks and durations on screen never change."""
    return NOW


def demo_app(folder: Path, *, with_incident: bool = True) -> WarroomApp:
    """The app on a fresh copy of the demo incident (or on an empty database)."""
    path = folder / "snap.db"
    store = Store(path, clock=fixed_clock)
    incident_id = seed_demo(store) if with_incident else None
    store.close()
    return create_app(path, clock=fixed_clock, incident_id=incident_id)


def keys(*pressed: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before hook that presses keys and lets the screen settle."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        if pressed:
            await pilot.press(*pressed)
        await pilot.pause(0.2)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_incident_screen(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The live-capture screen: header, timeline, root cause, action items, entry line, footer."""
    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=keys())


def test_incident_screen_wide(snap_compare: Any, tmp_path: Path) -> None:
    """At 200x60 the timeline and side panes share the width."""
    assert snap_compare(demo_app(tmp_path), terminal_size=(200, 60), run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_incident_screen_after_typing(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """A logged entry with markup in it shows literally and is selected."""
    typed = [*"? maybe [bold]the cache[/] @platform", "enter"]
    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=keys(*typed))


@pytest.mark.parametrize("size", SIZES)
def test_incident_list(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The incident list with its filter line."""
    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=keys("ctrl+l"))


def test_incident_list_empty(snap_compare: Any, tmp_path: Path) -> None:
    """A new database says how to start."""
    assert snap_compare(demo_app(tmp_path, with_incident=False), terminal_size=(80, 24), run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """F1 lists keys, quick-entry prefixes and slash commands."""
    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=keys("f1"))


@pytest.mark.parametrize("size", SIZES)
def test_edit_event_form(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """Editing an event from the timeline."""
    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=keys("escape", "k", "e"))


def test_edit_action_form(snap_compare: Any, tmp_path: Path) -> None:
    """Editing an action item from its pane."""
    assert snap_compare(demo_app(tmp_path), terminal_size=(80, 24), run_before=keys("tab", "tab", "tab", "e"))


def test_new_incident_form(snap_compare: Any, tmp_path: Path) -> None:
    """Starting a new incident from the list."""
    assert snap_compare(demo_app(tmp_path), terminal_size=(80, 24), run_before=keys("ctrl+l", "ctrl+n"))


def test_bad_entry_message(snap_compare: Any, tmp_path: Path) -> None:
    """A bad time gets one clear message and the text stays in the entry line."""
    typed = [*"25:99 db restarted", "enter"]
    assert snap_compare(demo_app(tmp_path), terminal_size=(80, 24), run_before=keys(*typed))


@pytest.mark.parametrize("size", SIZES)
def test_review_screen(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The meeting view on a starred event: the event large, its neighbours, context and prompts."""
    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=keys("ctrl+r", "n"))


@pytest.mark.parametrize("size", SIZES)
def test_export_screen(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The post-mortem preview beside the checklist of what is still missing."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("ctrl+e")
        # The preview is prepared off the UI thread; wait until it is on screen.
        for _ in range(100):
            await pilot.pause(0.05)
            if getattr(pilot.app.screen, "markdown", ""):
                break
        await pilot.pause(0.5)

    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=run)
