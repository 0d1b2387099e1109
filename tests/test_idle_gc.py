"""Full garbage collections wait for a quiet keyboard, and Python gets its own thresholds back afterwards."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.tui_helpers import app_on_new_incident, run_async
from warroom.tui import idle_gc
from warroom.tui.idle_gc import IdleCollector
from warroom.widgets.quick_entry import QuickEntry


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """Generation-2 collections started while the test runs."""
    seen: list[int] = []

    def watch(phase: str, info: dict[str, Any]) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(1)

    gc.callbacks.append(watch)
    try:
        yield seen
    finally:
        gc.callbacks.remove(watch)


def age_objects() -> None:
    """As many middle-generation collections as make Python want a full one (objects reaching the old generation)."""
    for _ in range(idle_gc._PYTHON_THRESHOLDS[2]):
        gc.collect(1)


def test_a_full_collection_runs_only_once_the_keys_are_quiet(
    full_collections: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While keys keep coming no full collection runs (until 30 s have passed: then right after a key's frame); a
    quiet second lets one run."""
    now = [1000.0]
    monkeypatch.setattr(idle_gc.time, "monotonic", lambda: now[0])
    collector = IdleCollector()
    collector.start()
    try:
        assert gc.get_threshold()[2] >= 1_000_000  # Python's own full collections are off
        age_objects()
        for _ in range(10):
            now[0] += 0.5
            collector.key()
            collector.tick()
        assert full_collections == []
        now[0] += idle_gc.QUIET
        age_objects()
        collector.tick()
        assert len(full_collections) == 1
        age_objects()
        overdue = []
        for _ in range(int(idle_gc.AT_MOST / 0.5) + 1):  # typing without a pause for longer than AT_MOST
            now[0] += 0.5
            overdue.append(collector.key())
            collector.tick()
        assert len(full_collections) == 1  # never at a tick's own moment while keys come...
        assert overdue.count(True) == 1  # ...the first key after AT_MOST asks for one, once
        collector.collect()  # (the app runs it once that key's frame is drawn)
        assert len(full_collections) == 2
    finally:
        collector.stop()
    assert gc.get_threshold() == idle_gc._PYTHON_THRESHOLDS


def test_an_idle_tab_skips_full_collections_when_nothing_grew_old(
    full_collections: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quiet keys, nothing new in the old generation: no full collection however many ticks (an idle tab costs ~0)."""
    now = [1000.0]
    monkeypatch.setattr(idle_gc.time, "monotonic", lambda: now[0])
    collector = IdleCollector()
    collector.start()
    try:
        age_objects()
        now[0] += idle_gc.QUIET
        collector.tick()
        assert len(full_collections) == 1
        for _ in range(int(idle_gc.AT_MOST / 2.0) * 3):  # a minute and a half of quiet ticks
            now[0] += 2.0
            collector.tick()
        assert len(full_collections) == 1
        age_objects()
        collector.tick()
        assert len(full_collections) == 2
    finally:
        collector.stop()


@run_async
async def test_an_overdue_collection_runs_after_the_key_that_asked_is_drawn(
    tmp_path: Path, full_collections: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing for longer than AT_MOST: the full collection runs just after a key's frame, and the key is typed."""
    app, store, _ = app_on_new_incident(tmp_path)
    store.close()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = len(full_collections)
        monkeypatch.setattr(app.collector, "last_collection", time.monotonic() - idle_gc.AT_MOST - 1)
        monkeypatch.setattr(idle_gc, "_PYTHON_THRESHOLDS", (700, 10, 0))  # as if plenty had grown old
        await pilot.press("x")
        await pilot.pause()
        assert len(full_collections) == before + 1
        assert app.screen.query_one(QuickEntry).value.endswith("x")
