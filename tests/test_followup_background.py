"""A long follow-through list is read in full off the UI thread: keys typed meanwhile act at once and stay put."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tests.library_support import library_app, open_followup
from tests.postmortem_support import run_async, status_text, wait_until
from warroom.tui.screens import followup

DEMO = "INC-DEMO-0001"


def _held_read(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[str]]:
    """Make the full read wait for the test's go-ahead; the threads it ran on are recorded."""
    go, threads = threading.Event(), []
    read_all = followup.read_all

    def held(*args: Any) -> followup.Found:
        threads.append(threading.current_thread().name)
        go.wait(10)
        return read_all(*args)

    monkeypatch.setattr(followup, "read_all", held)
    monkeypatch.setattr(followup, "HEAD", 3)
    monkeypatch.setattr(followup, "REST_AFTER", 0.01)
    return go, threads


@run_async
async def test_keys_move_the_highlight_while_the_rest_is_read_and_it_stays_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """j twice on the first screenful moves at once (the read is still out); once everything is in, the same
    item is highlighted, and the list holds every item."""
    go, threads = _held_read(monkeypatch)
    app = library_app(tmp_path, incident_id=DEMO)
    async with app.run_test(size=(100, 30)) as pilot:
        listed = await open_followup(pilot)
        await wait_until(pilot, lambda: listed.current is not None, "the first item")
        await wait_until(pilot, lambda: bool(threads), "the full read under way")
        first = listed.current_key
        await pilot.press("j", "j")
        await wait_until(pilot, lambda: listed.current_key not in (None, first), "the highlight moved")
        moved = listed.current_key
        assert "overdue reviews …" in status_text(app)  # still the first screenful
        assert listed.option_count == 4  # its heading and three items
        go.set()
        await wait_until(pilot, lambda: "reviews overdue" in status_text(app), "every row read")
        assert listed.current_key == moved
        assert len(listed._entries) > 4
    assert threads and threading.main_thread().name not in threads


@run_async
async def test_an_owner_typed_while_the_rest_is_read_filters_the_list_that_arrives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing an owner during the read: the list that arrives is that owner's, not everyone's."""
    go, _ = _held_read(monkeypatch)
    app = library_app(tmp_path, incident_id=DEMO)
    async with app.run_test(size=(100, 30)) as pilot:
        listed = await open_followup(pilot)
        await wait_until(pilot, lambda: listed.current is not None, "the first item")
        owner = listed.current.owner if listed.current is not None else ""
        assert owner
        await pilot.press("o", *owner)
        go.set()
        await wait_until(pilot, lambda: f"for {owner}" in status_text(app), "the owner's items")
        items = [e[2] for e in listed._entries if e[2] is not None]
        assert items and all(owner.lower() in item.owner.lower() for item in items)


@run_async
async def test_an_item_marked_done_while_the_rest_is_read_leaves_the_highlight_on_the_item_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """j then x on the first screenful while the rest is read: once everything is in, the highlight is on the item
    that came after the one marked done (where x leaves it on a short list), not back on the first item (the full
    list starts with the overdue reviews, so the old line number points above the items)."""
    go, _ = _held_read(monkeypatch)
    app = library_app(tmp_path, incident_id=DEMO)
    async with app.run_test(size=(80, 24)) as pilot:
        listed = await open_followup(pilot)
        await wait_until(pilot, lambda: listed.current is not None, "the first item")
        await pilot.press("j")
        await wait_until(pilot, lambda: listed.highlighted == 2, "the second item")
        marked = listed.current_key
        after = listed.get_option_at_index(3).id
        await pilot.press("x")
        await wait_until(pilot, lambda: f"{marked.replace('#', ' #')} done" in status_text(app), "marked done")
        go.set()
        await wait_until(pilot, lambda: len(listed._entries) > 4, "every row read")
        await pilot.pause(0.1)
        assert listed.get_option_at_index(0).id is None  # the overdue reviews' heading
        assert marked not in [listed.get_option_at_index(n).id for n in range(listed.option_count)]
        assert listed.current_key == after


@run_async
async def test_x_twice_before_the_list_catches_up_marks_the_item_once_and_one_undo_opens_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """x, then x again on the same line before the list shows the item done (its read is still out): the second x
    says the item is already closed and takes no undo step, so one ctrl+z opens the item again."""
    go, _ = _held_read(monkeypatch)
    app = library_app(tmp_path, incident_id=DEMO)
    async with app.run_test(size=(80, 24)) as pilot:
        listed = await open_followup(pilot)
        await wait_until(pilot, lambda: listed.current is not None, "the first item")
        item = listed.current
        assert item is not None
        name = f"{item.incident_id} #{item.number}"
        await pilot.press("x")
        await wait_until(pilot, lambda: f"{name} done" in status_text(app), "marked done")
        assert listed.current_key == f"{item.incident_id}#{item.number}"  # still listed: the read is held
        await pilot.press("x")
        await wait_until(pilot, lambda: f"{name} is already closed" in status_text(app), "the second x")
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: "undone" in status_text(app), "undone")
        assert app.store.action(item.incident_id, item.number).status.value == "open"
        go.set()
