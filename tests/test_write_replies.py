"""A write's result goes back to the screen that asked for it; a screen closed meanwhile never sees it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tests.postmortem_support import SIZE, demo_app, run_async, status_text, wait_until
from warroom.store.store import Store
from warroom.tui import jobs
from warroom.tui.screens import export
from warroom.tui.screens.export import ExportScreen
from warroom.tui.screens.incident import IncidentScreen
from warroom.tui.screens.review import ReviewScreen

#: Seconds a blocked job waits at most, so a broken test fails instead of hanging.
BLOCK = 5.0


@run_async
async def test_slow_write_finishing_after_its_screen_closed_is_kept_and_not_shown(tmp_path: Path) -> None:
    """Review screen asks for a write, the user goes back; the write lands later: no crash, no wrong status line."""
    app, _ = demo_app(tmp_path)
    release = threading.Event()
    shown: list[jobs.Outcome] = []

    def slow(store: Store) -> jobs.Outcome:
        release.wait(BLOCK)
        return jobs.Outcome("slow change saved", undo=lambda s: None)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        before = len(app.history.done)
        review.run_job(slow, then=shown.append)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "back on the incident screen")
        line = status_text(app)
        release.set()
        await wait_until(pilot, lambda: len(app.history.done) > before, "the write's undo to be remembered")
        await pilot.pause(0.1)
        assert shown == []  # the closed screen's follow-up never ran
        assert status_text(app) == line  # the new screen's status line was not touched
        assert "slow change saved" not in status_text(app)
        assert app.is_running


@run_async
async def test_write_on_an_open_screen_is_reported_there(tmp_path: Path) -> None:
    """The same write, the screen still open: its status line says so and ctrl+z is offered."""
    app, _ = demo_app(tmp_path)
    shown: list[jobs.Outcome] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        review.run_job(lambda store: jobs.Outcome("quick change saved", undo=lambda s: None), then=shown.append)
        await wait_until(pilot, lambda: shown, "the write to be reported")
        assert "quick change saved" in status_text(app) and "ctrl+z" in status_text(app)


@run_async
async def test_export_preview_renders_off_the_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the preview renders, writes still go through at once; closing the screen drops the late preview."""
    app, _ = demo_app(tmp_path)
    release = threading.Event()
    real = export._render

    def slow_render(incident_id: str, tz: Any, config: Any) -> Any:
        render = real(incident_id, tz, config)

        def blocked(store: Store) -> Any:
            release.wait(BLOCK)
            return render(store)

        return blocked

    monkeypatch.setattr(export, "_render", slow_render)
    written: list[object] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export screen")
        app.submit(lambda store: store.save_setting("probe", "1"), lambda result, error: written.append(error))
        await wait_until(pilot, lambda: written, "a write while the preview renders")
        assert written == [None]
        assert not release.is_set()  # the preview is still rendering: the write did not wait for it
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "back on the incident screen")
        line = status_text(app)
        release.set()
        await pilot.pause(0.3)
        assert status_text(app) == line
        assert app.is_running
