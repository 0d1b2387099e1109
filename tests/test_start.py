"""What the TUI loads before its first screen: the start-up users wait for at every `warroom`."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from warroom.store.store import Store
from warroom.tui.app import create_app
from warroom.tui.screens.incident import IncidentScreen
from warroom.widgets.textual_compat import frame_lines

ROOT = Path(__file__).resolve().parent.parent

#: Starts `warroom --db DB` headless, prints what the first screen shows and which libraries were loaded.
_FIRST_SCREEN = """
import gc, json, sys
from textual.app import App
from textual.widgets import Static

seen = {}
async def first_paint(pilot):
    await pilot.pause()
    seen["status"] = str(pilot.app.screen.query_one("#status", Static).render())
    seen["screen"] = type(pilot.app.screen).__name__
    seen["loaded"] = sorted(m for m in ("pydantic", "sqlite_utils", "warroom.store.models") if m in sys.modules)
    seen["collecting garbage"] = gc.isenabled()  # off while starting, on again once the screen is up
    pilot.app.exit()

run = App.run
App.run = lambda self, *a, **k: run(self, headless=True, size=(80, 24), auto_pilot=first_paint)
from warroom.tui.cli import main
main(["--db", sys.argv[1]])
print(json.dumps(seen))
"""


def first_screen(db: Path) -> dict[str, object]:
    """What a fresh `warroom --db db` process showed and had loaded at its first paint."""
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_SCREEN, str(db)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_first_screen_on_an_empty_database_needs_no_pydantic(tmp_path: Path) -> None:
    """The incident list of an empty file is up before pydantic or sqlite-utils (~80 ms of imports) load."""
    db = tmp_path / "empty.db"
    Store(db).close()
    seen = first_screen(db)
    assert seen["status"] == "No incidents yet. Press ctrl+n to start one."
    assert seen["loaded"] == []


def test_garbage_is_collected_again_once_the_first_screen_is_up(tmp_path: Path) -> None:
    """Collection is off while the TUI starts (nothing built then is garbage), and on for the session after it."""
    db = tmp_path / "empty.db"
    Store(db).close()
    assert first_screen(db)["collecting garbage"] is True


def test_first_screen_with_incidents_lists_them(tmp_path: Path) -> None:
    """With only closed incidents the list is the first screen; reading their records loads no pydantic."""
    db = tmp_path / "one.db"
    store = Store(db)
    store.update_incident(store.create_incident("Checkout errors").id, status="closed")
    store.close()
    seen = first_screen(db)
    assert str(seen["status"]).startswith("1 of 1 incidents")
    assert seen["loaded"] == []


@pytest.mark.parametrize(
    ("size", "expected"),
    [((80, 24), {"-narrow", "-short"}), ((160, 50), {"-wide", "-tall"})],
)
def test_incident_screen_is_laid_out_for_the_terminal_from_its_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], expected: set[str]
) -> None:
    """The layout classes are there when the screen mounts, not only after its first resize (a second layout)."""
    db = tmp_path / "open.db"
    store = Store(db)
    store.create_incident("Checkout errors")
    store.close()
    at_mount: list[set[str]] = []
    mount = IncidentScreen.on_mount

    def recorded(screen: IncidentScreen) -> None:
        at_mount.append(set(screen.classes))
        mount(screen)

    monkeypatch.setattr(IncidentScreen, "on_mount", recorded)

    async def run() -> None:
        app = create_app(db)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()

    asyncio.run(run())
    assert at_mount and expected <= at_mount[0]
    assert not ({"-narrow", "-wide", "-short", "-tall"} - expected) & at_mount[0]


def test_first_frame_of_an_open_incident_loads_no_pydantic(tmp_path: Path) -> None:
    """Records are plain dataclasses read from rows: the first frame does not wait for pydantic to load."""
    db = tmp_path / "open.db"
    store = Store(db)
    incident = store.create_incident("Checkout errors").id
    event = store.log_event(incident, "alerts firing", milestone="detected")
    store.add_factor(incident, "pool shared", kind="root", event_ids=[event.id or 0])
    store.add_action(incident, "Split the pool", owner="dba", deadline="2026-12-01")
    store.close()
    seen = first_screen(db)
    assert seen["screen"] == "IncidentScreen"
    assert seen["loaded"] == []


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_first_frame_of_an_open_incident_shows_its_latest_events(tmp_path: Path, size: tuple[int, int]) -> None:
    """The timeline is at its end from the very first frame: no frame shows the oldest events, then a jump."""
    db = tmp_path / "open.db"
    store = Store(db)
    incident = store.create_incident("Checkout errors").id
    for n in range(80):
        store.log_event(incident, f"entry number {n:02}")
    store.add_factor(incident, "pool shared by batch and API " * 4, kind="root")
    store.close()
    frames: list[list[str]] = []

    def record(screen: Screen[Any]) -> None:
        if isinstance(screen, IncidentScreen) and not frames:
            lines = frame_lines(screen)
            assert lines is not None, "this Textual cannot say what a frame showed"
            frames.append(lines)

    async def run() -> None:
        app = create_app(db)
        app.frame_watchers.append(record)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()

    asyncio.run(run())
    assert frames, "no frame was painted"
    first = "\n".join(frames[0])
    assert "entry number 79" in first  # the newest event
    assert "entry number 00" not in first  # not the top of the timeline
    assert "pool shared by batch and API" in first  # the side panes are in that frame too
