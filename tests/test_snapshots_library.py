"""Snapshots of the follow-through, stats and search screens at 80x24 and 120x40, on the sample library, fixed clock.

After a deliberate visual change: `pytest tests/test_snapshots_library.py --snapshot-update`, then look at
the new SVGs (rsvg-convert to PNG) before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.library_support import library_app
from tests.tui_helpers import wait_until

SIZES = [(80, 24), (120, 40)]


def keys(*pressed: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before hook that presses keys and lets the screen settle."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        if pressed:
            await pilot.press(*pressed)
        await pilot.pause(0.3)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_followup(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """Every open action item: overdue in red first, then due this week, later, no deadline."""
    assert snap_compare(library_app(tmp_path), terminal_size=size, run_before=keys("ctrl+t"))


def test_followup_closed_one_owner(snap_compare: Any, tmp_path: Path) -> None:
    """One owner's items with the closed ones shown, struck through."""
    typed = ["ctrl+t", "slash", *"sre", "enter", "c"]
    assert snap_compare(library_app(tmp_path), terminal_size=(80, 24), run_before=keys(*typed))


@pytest.mark.parametrize("size", SIZES)
def test_stats(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """Incidents per month stacked by severity, median and p90 response times, action items on time."""
    assert snap_compare(library_app(tmp_path), terminal_size=size, run_before=keys("ctrl+l", "ctrl+g"))


def test_stats_filtered_per_incident(snap_compare: Any, tmp_path: Path) -> None:
    """Stats of SEV1-2 incidents with the per-incident table in view."""
    typed = ["ctrl+l", *"sev:1-2", "ctrl+g", "i"]
    assert snap_compare(library_app(tmp_path), terminal_size=(80, 24), run_before=keys(*typed))


@pytest.mark.parametrize("size", SIZES)
def test_incident_list_filtered(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The list with a filter typed: the syntax hint under the filter line, the matching incidents."""
    typed = ["ctrl+l", *"status:closed tag:queue"]
    assert snap_compare(library_app(tmp_path), terminal_size=size, run_before=keys(*typed))


@pytest.mark.parametrize("size", SIZES)
def test_search(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """Ranked matches across incidents, two lines each, the matching words highlighted."""

    async def run(pilot: Pilot[Any]) -> None:
        await keys("ctrl+l", "ctrl+f", *"certif")(pilot)
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "searched", None) == "certif", "the results")
        await pilot.pause(0.5)  # let the search-as-you-type settle before moving the highlight
        await keys("down")(pilot)
        await pilot.pause(0.5)

    assert snap_compare(library_app(tmp_path), terminal_size=size, run_before=run)
