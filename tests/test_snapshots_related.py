"""Snapshots of the export screen with the Related Incidents section kept on, at 80x24 and 120x40.

After a deliberate visual change: `pytest tests/test_snapshots_related.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

from tests.library_support import library_app
from tests.test_snapshots import SIZES


@pytest.mark.parametrize("size", SIZES)
def test_export_screen_with_related_incidents(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """`r` on the export screen: the preview, scrolled to the section, lists the earlier incidents like this one."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("ctrl+e")
        for _ in range(100):  # the preview is rendered off the UI thread
            await pilot.pause(0.05)
            if getattr(pilot.app.screen, "markdown", ""):
                break
        await pilot.press("r")
        for _ in range(100):
            await pilot.pause(0.05)
            if "## Related Incidents" in getattr(pilot.app.screen, "markdown", ""):
                break
        await pilot.pause(0.3)
        preview = pilot.app.screen.query_one("#preview-md", Markdown)
        heading = next(
            b
            for b in preview.query(MarkdownBlock)
            if type(b).__name__ == "MarkdownH2" and "Related Incidents" in str(b.content)
        )
        pilot.app.screen.query_one("#preview").scroll_to_widget(heading, top=True, animate=False)
        await pilot.pause(0.3)

    assert snap_compare(library_app(tmp_path, incident_id="INC-DEMO-0001"), terminal_size=size, run_before=run)
