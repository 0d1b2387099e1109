"""The library's `--json` listings, built from rows, are what the record builders they replace gave.

Their speed at 10,000 incidents is measured by benchmarks/large.py; these check the output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.library_support import NOW, fixed_clock, library_db
from warroom.store import metrics
from warroom.store.config import Config
from warroom.store.followup import followup_json, plan
from warroom.store.postmortem_flow import ReviewStatus
from warroom.store.records import _json_value, json_values, record_json
from warroom.store.rows import time_json
from warroom.store.store import Store
from warroom.store.timeparse import from_db
from warroom.tui.cli_json import dumps, dumps_presorted, dumps_sorted, dumps_sorted_bytes


def old_followup_json(store: Store, today: dt.date, owner: str | None, overdue: bool) -> list[dict[str, Any]]:
    """The follow-through listing as it was built: every record read, filtered, then `json_values` each."""
    items = store.actions(None, owner=owner)
    if overdue:
        items = [a for a in items if a.is_overdue(today)]
    return [
        {**json_values(item), "group": group.group.value}
        for group in plan(items, today, include_closed=True)
        for item in group.items
    ]


def library(tmp_path: Path) -> Store:
    """The sample library with action items that are hard to group: owners differing in case and spacing,
    closed ones, deleted ones, one due today, a closing time with microseconds."""
    store = Store(library_db(tmp_path), clock=fixed_clock)
    inc = store.list_incidents()[0].incident.id
    today = NOW.date()
    for n, (owner, days, status) in enumerate(
        [("Ana", -3, "open"), ("ana ", -1, "in progress"), (" ANA", 0, "open"), ("bo  b", -9, "done"),
         ("", -2, "open"), ("bo b", 5, "won't do"), ("zed", None, "open"), ("Ana", -30, "open")]
    ):  # fmt: skip
        deadline = None if days is None else (today + dt.timedelta(days=days)).isoformat()
        item = store.add_action(inc, f"item {n}", owner=owner, deadline=deadline)
        if status != "open":
            store.edit_action(inc, item.number, status=status)
    gone = store.add_action(inc, "gone", owner="ana", deadline="2026-01-01")
    with store.conn:
        store.conn.execute("UPDATE action_items SET deleted_at = updated_at WHERE id = ?", (gone.id,))
        store.conn.execute("UPDATE action_items SET done_at = '2026-11-20T10:00:00.250000Z' WHERE status = 'done'")
    return store


def test_follow_through_json_is_what_the_records_gave(tmp_path: Path) -> None:
    """Every owner filter and --overdue: same items, same order, same values."""
    store = library(tmp_path)
    today = NOW.date()
    for owner in (None, "ana", "ANA", "", "nobody"):
        for overdue in (False, True):
            new = followup_json(store, today, owner=owner, overdue=overdue, item="action")
            old = [{**row, "item": "action"} for row in old_followup_json(store, today, owner, overdue)]
            assert dumps_sorted(new) == dumps(old)
    assert len(followup_json(store, today, overdue=True)) >= 4
    store.close()


def test_record_json_is_json_values(tmp_path: Path) -> None:
    """The faster builder gives what `json_values` gives for incidents, factors, events and action items."""
    store = library(tmp_path)
    records: list[Any] = [x.incident for x in store.list_incidents()] + store.actions()
    for listing in store.list_incidents()[:3]:
        records += store.events(listing.incident.id) + store.factors(listing.incident.id)
    assert {type(r).__name__ for r in records} >= {"Incident", "ActionItem", "Event", "Factor"}
    assert [record_json(r) for r in records] == [json_values(r) for r in records]
    store.close()


def test_stats_json_is_what_the_records_gave(tmp_path: Path) -> None:
    """The follow-through counted from four columns, and the document without asdict, are as before."""
    store = library(tmp_path)
    new = metrics.load(store, dt.UTC)
    old = metrics.compute([x.incident for x in store.list_incidents()], store.actions(), now=NOW, tz=dt.UTC)
    assert new == old and new.actions.decided > 0
    document = new.to_json()
    assert document["incidents"] == [
        {**dataclasses.asdict(t), "started_at": t.started_at.isoformat()} for t in old.incidents
    ]
    assert document["times"]["detect"] == dataclasses.asdict(old.detect)
    assert document["action_items"]["closed_on_time"] == old.actions.closed_on_time
    store.close()


def old_list_json(store: Store, config: Config, tz: dt.tzinfo, *, open_only: bool = False) -> list[dict[str, Any]]:
    """`warroom list --json`'s document as it was built: every listing's record, then its post-mortem state."""
    states = store.postmortems(config, tz)
    return [
        {**item.as_json(), "postmortem": states[item.incident.id].to_json(NOW.date())}
        for item in store.list_incidents(open_only=open_only, today=NOW.date())
    ]


def test_list_json_is_what_the_records_gave(tmp_path: Path) -> None:
    """Milestone times, post-mortems set and not, an odd stored time, a filter: the same text as before."""
    store = library(tmp_path)
    first, second, *_ = [x.incident.id for x in store.list_incidents()]
    store.set_postmortem(first, status=ReviewStatus.REVIEWED)
    store.update_incident(first, title="Caf\u00e9 \U0001f525 down")
    store.set_postmortem(second, owner="Ana", review_due=dt.date(2026, 11, 1))
    with store.conn:
        store.conn.execute("UPDATE incidents SET updated_at = '2026-11-20 10:00:00' WHERE id = ?", (second,))
    config, tz = Config(), ZoneInfo("America/New_York")
    for open_only in (False, True):
        new = store.list_incidents_json(config, tz, today=NOW.date(), open_only=open_only)
        assert dumps_sorted(new) == dumps(old_list_json(store, config, tz, open_only=open_only))
        assert dumps_sorted_bytes(new) == json.dumps(new, indent=2, sort_keys=True).encode()
    assert [d["postmortem"]["status"] for d in new if d["incident"]["id"] in (first, second)] != []
    kept = store.list_incidents_json(config, tz, today=NOW.date(), keep=lambda incident: incident.id == second)
    assert [d["incident"]["id"] for d in kept] == [second]
    assert kept[0]["incident"]["updated_at"] == "2026-11-20T10:00:00"
    assert kept[0]["postmortem"]["review_overdue"] is True
    store.close()


def test_stored_times_in_json_are_what_the_record_gave() -> None:
    """The usual stored time and every kind of odd one come out as the parsed time's JSON does."""
    texts = ["2025-01-01T00:00:00.000000Z", "2024-02-29T10:00:00.123456Z", "0001-01-01T00:00:00.000000Z",
             "9999-12-31T00:00:00.000000Z", "2025-13-01T00:00:00.000000Z", "226-11-27T00:00:00.000000Z",
             "2025-01-01 00:00:00.000000Z", "2025-W01-1T00:00:00.000000Z", "2025-01-01T00:00:00+02:00",
             "2025-01-01T24:00:00.000000Z", "2025-01-01T00:00:00.00000aZ", "", None]  # fmt: skip
    assert [time_json(t) for t in texts] == [_json_value(from_db(t)) for t in texts]
    assert time_json(texts[0]) == "2025-01-01T00:00:00Z"


def test_stats_json_text_is_what_sorting_every_key_gave(tmp_path: Path) -> None:
    """The incidents written already sorted, the rest by `dumps`: the text json.dumps(sort_keys=True) writes,
    a title that looks like the key it is put in place of included."""
    store = library(tmp_path)
    first = store.list_incidents()[0].incident.id
    store.update_incident(first, title='x\n  "incidents": []\u00e9')
    document = metrics.load(store, ZoneInfo("Asia/Kolkata")).to_json()
    text = dumps_presorted(document, "incidents")
    assert text == json.dumps(document, indent=2, sort_keys=True)
    assert '"title": "x\\n  \\"incidents\\": []\\u00e9"' in text
    store.close()


def test_open_actions_are_the_live_items_not_closed(tmp_path: Path) -> None:
    """What the follow-through screen reads while closed items are hidden: every live open item, in order."""
    store = library(tmp_path)
    everything = store.actions()
    assert any(a.is_closed for a in everything)
    assert store.open_actions() == [a for a in everything if not a.is_closed]
    store.close()


def test_the_first_listings_are_the_first_of_all(tmp_path: Path) -> None:
    """A screenful read first (the incident list's first paint) is the head of the whole listing, open or not."""
    store = library(tmp_path)
    for open_only in (False, True):
        every = store.list_incidents(open_only=open_only, today=NOW.date())
        assert len(every) > (0 if open_only else 2)
        for limit in (1, 2, len(every) + 5):
            assert store.list_incidents(open_only=open_only, today=NOW.date(), limit=limit) == every[:limit]
    assert store.incident_count() == len(store.list_incidents(today=NOW.date()))
    store.close()
