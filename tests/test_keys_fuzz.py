"""Random bursts of keys on the incident, review and export screens: nothing raises, no committed event is lost."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events

from tests.conftest import FakeClock
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app

INC = "INC-1"

#: Every key the screens bind, the keys that move and edit text, and letters to type. Not ctrl+q (it quits).
KEYS = [
    *"edxsjkgGnN/?afmwyrq u1",
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "backspace",
    "delete",
    "space",
    "up",
    "down",
    "pageup",
    "pagedown",
    "home",
    "end",
    "ctrl+z",
    "ctrl+g",
    "ctrl+r",
    "ctrl+e",
    "ctrl+y",
    "ctrl+f",
    "ctrl+o",
    "ctrl+s",
    "ctrl+u",
    "f3",
    "f9",
    "alt+d",
    "alt+x",
]

START_KEYS = {"incident": [], "review": ["ctrl+r"], "export": ["ctrl+e"]}


def seeded(db_path: Path) -> list[int]:
    """An incident with events, a factor and an action item; the ids of its events."""
    store = Store(db_path, clock=FakeClock())
    try:
        store.create_incident("Checkout failing", id=INC)
        ids = [store.log_event(INC, f"event {n}").id or 0 for n in range(6)]
        store.add_factor(INC, "Pool too small", kind="root")
        store.add_action(INC, "Alert on pool saturation", owner="sre")
        return ids
    finally:
        store.close()


def burst(app: WarroomApp, keys: list[str]) -> None:
    """All keys queued at once, before the first is handled."""
    for key in keys:
        character = key if len(key) == 1 else {"enter": "\r", "space": " ", "tab": "\t"}.get(key)
        app.post_message(events.Key(key, character))


async def run_burst(db_path: Path, start: str, keys: list[str]) -> None:
    """Open the incident, go to the start screen, send the burst, let it settle."""
    app = create_app(db_path, clock=FakeClock(), tz=dt.UTC)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, START_KEYS[start])
        await pilot.pause(0.2)
        burst(app, keys)
        await pilot.pause(0.6)
        for _ in range(10):  # close whatever the burst left open, answering "keep editing" / "throw away"
            if len(app.screen_stack) <= 1:
                break
            burst(app, ["escape", "y"])
            await pilot.pause(0.2)
    # run_test re-raises what the app raised; a crash would also leave a non-zero return code.
    assert app.return_code in (0, None)


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.sampled_from(sorted(START_KEYS)), keys=st.lists(st.sampled_from(KEYS), min_size=5, max_size=40))
def test_random_bursts_never_raise_and_never_lose_an_event(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, start: str, keys: list[str]
) -> None:
    """Whatever the burst: every event committed before it is still in the file, a deleted one with a revision."""
    folder = tmp_path_factory.mktemp("fuzz")
    monkeypatch.chdir(folder)  # `w` on the export screen writes the post-mortem here
    db_path = folder / "w.db"
    ids = seeded(db_path)
    asyncio.run(run_burst(db_path, start, keys))
    store = Store(db_path)
    try:
        found = {e.id: e for e in store.events(INC, include_deleted=True)}
        for event_id in ids:
            assert event_id in found, f"event {event_id} is gone after {keys}"
            if found[event_id].deleted_at is not None:
                assert store.revisions("event", event_id), f"deleted event {event_id} has no revision"
                assert any(kind == "event" and r.id == event_id for kind, r in store.trash(INC))
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()
