"""Events written by other processes (a second terminal, an alert hook) keep appearing in the open TUI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.tui_helpers import run_async, wait_until
from warroom.store.store import Store
from warroom.tui.app import create_app
from warroom.widgets.timeline import TimelineView


def log_from_another_process(db: Path, text: str) -> None:
    """Run `warroom log` as its own process, as an alert hook would."""
    code = "import sys; from warroom.tui.cli import main; sys.exit(main(sys.argv[1:]))"
    subprocess.run([sys.executable, "-c", code, "--db", str(db), "log", text], check=True, capture_output=True)


@run_async
async def test_every_event_from_other_processes_appears(tmp_path: Path) -> None:
    """Several `warroom log` processes in a row: each event shows up, not just the first ones.

    Guards against the process dropping SQLite's file locks (by opening and closing the database
    file directly), after which the reading connection stays on an old snapshot forever.
    """
    db = tmp_path / "w.db"
    store = Store(db)
    incident_id = store.create_incident("Search latency").id
    store.close()
    app = create_app(db, incident_id=incident_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"half typed")
        for n in range(1, 5):
            log_from_another_process(db, f"alert {n}")
            await pilot.pause(0.1)
        timeline = app.screen.query_one(TimelineView)
        await wait_until(pilot, lambda: timeline.count == 4, "all four events in the timeline")
        assert timeline.current is not None and timeline.current.text == "alert 4"
        assert app.screen.query_one("#entry").value == "half typed"
