"""Snapshots of the related-incidents list (review screen, r) and the export screen with related incidents.

At 80x24 and 120x40 on the sample library and a fixed clock. After a deliberate visual change:
`pytest tests/test_snapshots_postmortem.py --snapshot-update`, then look at the new SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.library_support import library_app

SIZES = [(80, 24), (120, 40)]
#: Its payments database incident shares tags and teams with earlier ones.
INCIDENT = "INC-2026-0041"


async def _settle(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.pause()
    await pilot.press(*keys)
    await pilot.pause(0.5)


@pytest.mark.parametrize("size", SIZES)
def test_related_from_the_review(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """r in the review: incidents like this one, with date, title and what they share."""

    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot, "ctrl+r", "r")

    assert snap_compare(library_app(tmp_path, incident_id=INCIDENT), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_export_with_related(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The export screen: the post-mortem's stage line, the checklist, related incidents at its end."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("ctrl+e")
        for _ in range(100):
            await pilot.pause(0.05)
            if getattr(pilot.app.screen, "markdown", ""):
                break
        await _settle(pilot, "end")

    assert snap_compare(library_app(tmp_path, incident_id=INCIDENT), terminal_size=size, run_before=run)
