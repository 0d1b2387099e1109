"""The follow-through screen paints a screenful of action items first and the rest after it: once loaded, the
same screen as when everything is read at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FakeClock
from tests.library_support import library_app, open_followup
from tests.postmortem_support import run_async, status_text, wait_until
from tests.reliability_helpers import warroom
from warroom.store.store import Store
from warroom.tui.app import create_app
from warroom.tui.screens import followup
from warroom.widgets import followup_list
from warroom.widgets.followup_list import FollowupList

DEMO = "INC-DEMO-0001"


async def final_screen(tmp_path: Path, *, loading: list[str] | None = None) -> tuple[list[str], str, str | None]:
    """The follow-through list's lines, status line and highlighted row once every row is in; the status line
    and lines while the first screenful is up go to `loading` when given."""
    app = library_app(tmp_path, incident_id=DEMO)
    app.store.set_postmortem(DEMO, review_due=dt.date(2026, 11, 20), owner="Lee")
    async with app.run_test(size=(100, 30)) as pilot:
        listed = await open_followup(pilot)
        await wait_until(pilot, lambda: listed.option_count, "the rows")
        if loading is not None:
            loading.append(status_text(app))
            loading.extend(lines(listed))
        await wait_until(pilot, lambda: "reviews overdue" in status_text(app), "every row read")
        total = len(listed._entries)
        await wait_until(pilot, lambda: listed.option_count == total, "every row laid out")
        return lines(listed), status_text(app), listed.current_key


def lines(listed: FollowupList) -> list[str]:
    return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]


@run_async
async def test_the_first_screenful_then_the_rest_ends_as_reading_everything_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two items first and the rest two lines at a time: the same lines, counts, status and highlighted row."""
    monkeypatch.setattr(followup, "HEAD", 10**6)  # every library is small: all at once
    whole = await final_screen(tmp_path / "whole")
    assert whole[2] is not None and "#" in whole[2]  # the first action item is highlighted
    monkeypatch.setattr(followup, "HEAD", 2)
    monkeypatch.setattr(followup, "REST_AFTER", 0.3)
    monkeypatch.setattr(followup_list, "BATCH", 2)
    seen: list[str] = []
    batched = await final_screen(tmp_path / "batched", loading=seen)
    assert batched == whole
    status, *first = seen
    # While loading: two items under their group's heading, whose count is already the whole group's.
    assert status.endswith("overdue reviews …") and "reviews overdue" not in status
    assert status.split(" · ")[:3] == whole[1].split(" · ")[:3]
    assert len(first) == 3 and first[0] in whole[0] and first[1] in whole[0] and first[2] in whole[0]
    assert first[0].strip().startswith("OVERDUE · ")


@run_async
async def test_x_on_the_first_screenful_marks_that_item_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first screenful's rows are action items like any other: x marks the highlighted one done."""
    monkeypatch.setattr(followup, "HEAD", 2)
    monkeypatch.setattr(followup, "REST_AFTER", 5.0)
    app = library_app(tmp_path, incident_id=DEMO)
    async with app.run_test(size=(100, 30)) as pilot:
        listed = await open_followup(pilot)
        await wait_until(pilot, lambda: listed.current is not None, "the first item")
        item: Any = listed.current
        assert listed.option_count == 3
        await pilot.press("x")
        await wait_until(pilot, lambda: "done" in status_text(app), "the change")
        done = next(a for a in app.store.actions(item.incident_id) if a.number == item.number)
        assert done.status.value == "done"


#: Owners whose order Python's own lower() and SQLite's lower() disagree on (é vs É, "  Bob" vs "bob").
OWNERS = ["Zoë", "eve", "Émile", "émile", "Éva", "Ægir", "  Bob", "bob", ""]


@run_async
async def test_non_ascii_owners_keep_their_rows_when_the_full_list_arrives(
    db_path: Path, clock: FakeClock, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first screenful (read by SQLite) is the first lines of the full list (read after it): no row moves."""
    store.create_incident("Checkout failing", id="INC-1", started_at=clock())
    for owner in OWNERS:
        store.add_action("INC-1", f"task of {owner.strip() or 'nobody'}", owner=owner, deadline=clock().date())
    monkeypatch.setattr(followup, "HEAD", 7)
    monkeypatch.setattr(followup, "REST_AFTER", 1.0)
    app = create_app(db_path, clock=clock, incident_id="INC-1")
    async with app.run_test(size=(100, 30)) as pilot:
        listed = await open_followup(pilot)
        await wait_until(pilot, lambda: listed.option_count == 1 + 7, "the first screenful")
        first = lines(listed)
        await wait_until(pilot, lambda: listed.option_count == 1 + len(OWNERS), "the full list")
        whole = lines(listed)
    assert first == whole[: len(first)]
    titles = [line.split("task of ")[1].split()[0] for line in whole[1:]]
    assert titles == ["Bob", "bob", "eve", "Zoë", "Ægir", "Émile", "Éva", "émile", "nobody"]


@run_async
async def test_an_owner_of_only_spaces_is_shown_unassigned(db_path: Path, clock: FakeClock, store: Store) -> None:
    """An owner of spaces is listed with the unassigned items, last, and says so like them, on the follow-through
    screen and in `warroom show`: it showed a blank owner beside rows that said "unassigned"."""
    store.create_incident("Checkout failing", id="INC-1", started_at=clock())
    store.add_action("INC-1", "task of spaces", owner="   ", deadline=clock().date())
    store.add_action("INC-1", "task of nobody", owner="", deadline=clock().date())
    app = create_app(db_path, clock=clock, incident_id="INC-1")
    async with app.run_test(size=(100, 30)) as pilot:
        listed = await open_followup(pilot)
        await wait_until(pilot, lambda: listed.option_count == 3, "the list")
        rows = lines(listed)[1:]
    assert all(" unassigned " in row for row in rows), rows
    shown = [line for line in warroom(db_path, "show", "INC-1").out.splitlines() if "task of" in line]
    assert all(" unassigned " in line for line in shown), shown
