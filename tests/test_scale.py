"""A 100,000-event incident behaves like a small one: correctness at size (speed is for benchmarks/).

One file is seeded per module with executemany (benchmarks/seed.py) and copied for each test.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.conftest import FakeClock
from warroom.store.store import Store
from warroom.store.timeline import EventKey
from warroom.store.timeparse import to_db
from warroom.tui.app import WarroomApp, create_app
from warroom.tui.screens.form import FormScreen
from warroom.widgets.incident_header import IncidentHeader
from warroom.widgets.timeline import TimelineView

N = 100_000
SIZE = (100, 30)

SEED_SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "seed.py"
_spec = importlib.util.spec_from_file_location("seed", SEED_SCRIPT)
assert _spec is not None and _spec.loader is not None
seed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(seed)
INC: str = seed.INCIDENT_ID
#: After the last seeded event (one a second from seed.START).
AFTER = seed.START + dt.timedelta(seconds=N + 60)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded 100k-event file for the module (its WAL is checkpointed, so the file alone is complete)."""
    path = tmp_path_factory.mktemp("scale") / "big.db"
    seed.seed(path, N)
    return path


@pytest.fixture
def big(big_file: Path, tmp_path: Path) -> Path:
    """A private copy of the 100k-event file."""
    copy = tmp_path / "big.db"
    shutil.copyfile(big_file, copy)
    return copy


def run(test: Callable[[Pilot[Any], WarroomApp], Any], path: Path) -> None:
    """Run the app on `path` headless and hand the pilot to `test`."""

    async def go() -> None:
        app = create_app(path, clock=FakeClock(AFTER), incident_id=INC)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await test(pilot, app)

    asyncio.run(go())


async def wait_until(pilot: Pilot[Any], condition: Callable[[], Any], what: str, seconds: float = 5.0) -> None:
    """Let the app, its writer and its poll work until `condition()` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def view(app: WarroomApp) -> TimelineView:
    """The incident screen's timeline."""
    return app.screen.query_one(TimelineView)


def painted_cursor_line(timeline: TimelineView) -> str:
    """The text of the cursor's line as rendered on screen."""
    y = timeline.cursor - int(timeline.scroll_offset.y)
    assert 0 <= y < timeline.scrollable_content_region.height, "the cursor is scrolled out of view"
    return timeline.render_line(y).text


# -- store: pages, positions and changes at 100k -----------------------------------------------


def key(event: Any) -> EventKey:
    """An event's place in time order."""
    return (to_db(event.occurred_at) or "", event.id)


def test_keyset_pages_agree_with_positions(big: Path) -> None:
    """A page fetched by key after / before a neighbour is the page at that position."""
    store = Store(big)
    try:
        total = store.count_events(INC)
        assert total == N
        for start in [0, 127, 50_000, N - 128, N - 1, *random.Random(7).sample(range(N), 5)]:
            page = store.events_page(INC, start, 128, total=total)
            assert page == store.events_page(INC, start, 128)
            if start > 0:
                before = store.events_page(INC, start - 1, 1)[0]
                assert store.events_after(INC, key(before), 128) == page
            if start + 128 < total:
                after = store.events_page(INC, start + 128, 1)[0]
                assert store.events_before(INC, key(after), 128) == page
            assert store.event_position(page[0].id or 0) == start
        assert store.events_before(INC, None, 1)[0].text.endswith(f"#{N - 1}")
    finally:
        store.close()


def test_changes_since_a_marker_are_read_from_new_rows_and_revisions(big: Path) -> None:
    """Appends, backdated entries, edits, deletions and restores are reported as moves in time order."""
    store, other = Store(big), Store(big)
    try:
        marker = store.change_marker()
        tail = other.log_event(INC, "appended", occurred_at=AFTER)
        early = other.log_event(INC, "backdated", occurred_at=seed.START + dt.timedelta(seconds=10.5))
        moved = other.event(99_990)
        other.edit_event(99_990, text="edited in place")
        other.delete_event(5)
        changes = store.timeline_changes(INC, marker)
        assert changes.count_delta == 1
        assert (None, key(tail)) in changes.moves and (None, key(early)) in changes.moves
        assert (key(moved), key(moved)) in changes.moves
        assert changes.last == key(tail)
        assert not changes.others
        assert store.timeline_changes(INC, changes.marker).moves == []
    finally:
        store.close()
        other.close()


# -- the TUI at 100k ----------------------------------------------------------------------------


def test_end_shows_the_newest_event_and_home_the_first(big: Path) -> None:
    """End in the timeline paints the newest event's line; Home the first."""

    async def test(pilot: Pilot[Any], app: WarroomApp) -> None:
        timeline = view(app)
        assert timeline.count == N
        timeline.focus()
        await pilot.press("home")
        await pilot.pause()
        assert timeline.cursor == 0
        assert "#0" in painted_cursor_line(timeline)
        await pilot.press("pagedown", "pagedown", "end")
        await pilot.pause()
        assert timeline.cursor == N - 1
        assert f"#{N - 1}" in painted_cursor_line(timeline)
        bottom = timeline.render_line(timeline.scrollable_content_region.height - 1).text
        assert f"#{N - 1}" in bottom

    run(test, big)


def test_find_jumps_to_a_match_near_the_end_and_counts_matches(big: Path) -> None:
    """`/` then text: the cursor lands on the match (3 of 41 style count); n and N step between matches."""

    async def test(pilot: Pilot[Any], app: WarroomApp) -> None:
        timeline = view(app)
        timeline.focus()
        await pilot.press("home", "slash")
        await pilot.press(*"#99990")
        await wait_until(pilot, lambda: timeline.cursor == 99_990, "the jump to the match")
        assert str(app.screen.query_one("#find-count", Static).content) == "1 of 1"
        assert "#99990" in painted_cursor_line(timeline)
        await pilot.press("enter")
        assert timeline.has_focus
        expected = app.store.search_events(INC, "dns cert")
        await pilot.press("ctrl+f", *"dns cert")
        await wait_until(pilot, lambda: timeline.current and timeline.current.id in expected, "a dns cert match")
        first = expected.index(timeline.current.id if timeline.current else 0)
        count = str(app.screen.query_one("#find-count", Static).content)
        assert count == f"{first + 1} of {len(expected)}"
        await pilot.press("enter", "n")
        await pilot.pause()
        assert timeline.current is not None
        assert timeline.current.id == expected[(first + 1) % len(expected)]
        await pilot.press("N", "N")
        await pilot.pause()
        assert timeline.current.id == expected[first - 1]
        await pilot.press("escape")
        assert not app.screen.query_one("#find").has_class("-open")

    run(test, big)


def test_star_and_edit_an_event_near_the_end(big: Path) -> None:
    """Starring and editing the event at position 99,990 saves it and repaints it; the cursor stays on it."""

    async def test(pilot: Pilot[Any], app: WarroomApp) -> None:
        timeline = view(app)
        timeline.focus()
        timeline.move_to(99_990)
        await pilot.pause()
        event = timeline.current
        assert event is not None and event.id is not None
        await pilot.press("s")
        await wait_until(pilot, lambda: timeline.current is not None and timeline.current.starred, "the star")
        assert app.store.event(event.id).starred
        assert "★" in painted_cursor_line(timeline)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the edit form")
        app.screen.query_one("#f-text", Input).value = "corrected far down the timeline"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.store.event(event.id or 0).text.startswith("corrected"), "the edit")
        await wait_until(pilot, lambda: "corrected far down" in painted_cursor_line(timeline), "the repaint")
        assert timeline.cursor == 99_990 and timeline.current is not None and timeline.current.id == event.id

    run(test, big)


def test_a_milestone_logged_at_100k_sets_the_incident_time(big: Path) -> None:
    """Quick entry with !mitigated appends a milestone; the header's key time follows it."""
    store = Store(big)
    store.edit_event(N // 2 + 1, milestone=None, kind="note")  # the seeded mitigation, so the new one counts
    store.close()

    async def test(pilot: Pilot[Any], app: WarroomApp) -> None:
        app.screen.query_one("#entry", Input).value = "error rate back to normal !mitigated"
        await pilot.press("enter")
        timeline = view(app)
        await wait_until(pilot, lambda: timeline.count == N + 1, "the new event")
        assert timeline.cursor == N
        assert "MITIGATED" in painted_cursor_line(timeline)
        header = app.screen.query_one(IncidentHeader)
        await wait_until(pilot, lambda: header.incident and header.incident.mitigated_at == AFTER, "the header time")

    run(test, big)


def test_another_writers_events_appear_while_the_cursor_stays_put(big: Path) -> None:
    """A second process logs at the end and backdates one; the user's event stays under the cursor."""

    async def test(pilot: Pilot[Any], app: WarroomApp) -> None:
        timeline = view(app)
        timeline.focus()
        timeline.move_to(500)
        await pilot.pause()
        held = timeline.current
        assert held is not None
        other = Store(big)
        try:
            other.log_event(INC, "from another terminal", occurred_at=AFTER)
            await wait_until(pilot, lambda: timeline.count == N + 1, "the other writer's event")
            assert timeline.cursor == 500 and timeline.current is not None and timeline.current.id == held.id
            newest = timeline.row(N)
            assert newest is not None and newest.text == "from another terminal"
            other.log_event(INC, "backdated from a script", occurred_at=seed.START + dt.timedelta(seconds=99.5))
            await wait_until(pilot, lambda: timeline.count == N + 2, "the backdated event")
            assert timeline.cursor == 501 and timeline.current is not None and timeline.current.id == held.id
            other.delete_event(3)
            await wait_until(pilot, lambda: timeline.count == N + 1, "the deletion")
            assert timeline.cursor == 500 and timeline.current is not None and timeline.current.id == held.id
            await pilot.press("end")
            await pilot.pause()
            assert "from another terminal" in painted_cursor_line(timeline)
        finally:
            other.close()

    run(test, big)


def test_remembered_places_follow_random_changes(tmp_path: Path) -> None:
    """The source's carried-forward count, places and keyset pages match a fresh count after every change."""
    from warroom.tui.sources import StoreTimelineSource

    path = tmp_path / "small.db"
    seed.seed(path, 300)
    store, other = Store(path), Store(path)
    rng = random.Random(11)
    source = StoreTimelineSource(store, INC)
    try:
        for _ in range(60):
            for _ in range(rng.randint(1, 4)):
                live = [e.id or 0 for e in other.events(INC)]
                action = rng.choice(["append", "backdate", "delete", "restore", "move", "edit"])
                at = seed.START + dt.timedelta(seconds=rng.uniform(-10, 400))
                if action == "append":
                    other.log_event(INC, "appended", occurred_at=AFTER + dt.timedelta(seconds=rng.random()))
                elif action == "backdate":
                    other.log_event(INC, "backdated", occurred_at=at)
                elif action == "delete" and live:
                    other.delete_event(rng.choice(live))
                elif action == "restore":
                    gone = [e.id or 0 for e in other.events(INC, include_deleted=True) if e.deleted_at]
                    if gone:
                        other.restore_event(rng.choice(gone))
                elif action == "move" and live:
                    other.edit_event(rng.choice(live), occurred_at=at)
                elif live:
                    other.edit_event(rng.choice(live), text=f"edited {rng.random()}")
            source.sync()
            total = store.count_events(INC)
            assert source.count() == total
            for start in rng.sample(range(0, total, 16), 4):
                assert list(source.page(start, 16)) == store.events_page(INC, start, 16)
            first = rng.randrange(0, total - 48, 16)
            for start in (first, first + 16, first + 32, first + 16, first):  # by key, forwards then back
                assert list(source.page(start, 16)) == store.events_page(INC, start, 16)
            for event in rng.sample(store.events(INC), 5):
                assert source.position_of(event.id or 0) == store.event_position(event.id or 0)
    finally:
        store.close()
        other.close()
