"""Follow-through grouping with an injected clock: overdue, due this week, later, no deadline; by owner."""

from __future__ import annotations

import datetime as dt
import sqlite3
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import FakeClock
from warroom.store.action_lists import OWNER_ORDER_SQL, owner_order
from warroom.store.errors import InputError
from warroom.store.followup import (
    Group,
    counts,
    days_late,
    group_of,
    parse_deadline,
    plan,
    today_in,
)
from warroom.store.migrations import V14
from warroom.store.models import ActionItem
from warroom.store.store import Store

UTC = dt.UTC
TODAY = dt.date(2026, 11, 27)
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def item(
    number: int = 1,
    *,
    deadline: dt.date | None = None,
    owner: str = "",
    status: str = "open",
    incident: str = "INC-1",
    priority: str = "P2",
) -> ActionItem:
    """An action item built in memory."""
    return ActionItem(
        incident_id=incident,
        number=number,
        title=f"item {number}",
        owner=owner,
        deadline=deadline,
        status=status,
        priority=priority,
        created_at=T0,
        updated_at=T0,
    )


def days(n: int) -> dt.date:
    """TODAY plus n days."""
    return TODAY + dt.timedelta(days=n)


def test_deadline_today_is_not_overdue_yesterday_is() -> None:
    """The boundary: due today is due this week, due yesterday is overdue by one day."""
    assert group_of(item(deadline=days(0)), TODAY) is Group.THIS_WEEK
    assert group_of(item(deadline=days(-1)), TODAY) is Group.OVERDUE
    assert days_late(item(deadline=days(-3)), TODAY) == 3
    assert days_late(item(deadline=days(0)), TODAY) == 0


def test_this_week_reaches_seven_days_ahead() -> None:
    """Due within the next 7 days (today + 7 included) is this week; day 8 is later."""
    assert group_of(item(deadline=days(7)), TODAY) is Group.THIS_WEEK
    assert group_of(item(deadline=days(8)), TODAY) is Group.LATER


def test_closed_and_undated_items() -> None:
    """Done and won't-do items are closed whatever their deadline; open items without one are undated."""
    assert group_of(item(deadline=days(-9), status="done"), TODAY) is Group.CLOSED
    assert group_of(item(deadline=days(-9), status="won't do"), TODAY) is Group.CLOSED
    assert group_of(item(deadline=days(-9), status="in progress"), TODAY) is Group.OVERDUE
    assert group_of(item(), TODAY) is Group.NO_DEADLINE


def test_today_in_the_display_zone() -> None:
    """At 23:30 UTC on the 27th it is the 28th in Tokyo, so a deadline of the 27th is overdue there."""
    now = dt.datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    due_27 = item(deadline=dt.date(2026, 11, 27))
    assert today_in(now, UTC) == dt.date(2026, 11, 27)
    assert today_in(now, ZoneInfo("Asia/Tokyo")) == dt.date(2026, 11, 28)
    assert group_of(due_27, today_in(now, UTC)) is Group.THIS_WEEK
    assert group_of(due_27, today_in(now, ZoneInfo("Asia/Tokyo"))) is Group.OVERDUE
    # And behind UTC: 00:30 UTC on the 28th is still the 27th in New York.
    early = dt.datetime(2026, 11, 28, 0, 30, tzinfo=UTC)
    assert group_of(due_27, today_in(early, ZoneInfo("America/New_York"))) is Group.THIS_WEEK


def test_plan_orders_groups_owners_and_items() -> None:
    """Groups in order without empty ones; owners alphabetical (case-insensitive), unassigned last; earliest first."""
    items = [
        item(1, deadline=days(-2), owner="sre"),
        item(2, deadline=days(-5), owner="SRE"),
        item(3, deadline=days(-1), owner="dba"),
        item(4, deadline=days(3), owner=""),
        item(5, deadline=days(2), owner="web"),
        item(6, deadline=days(30), owner="dba"),
        item(7, status="done", deadline=days(-1), owner="dba"),
    ]
    groups = plan(items, TODAY)
    assert [g.group for g in groups] == [Group.OVERDUE, Group.THIS_WEEK, Group.LATER]
    overdue = groups[0]
    assert [o.owner for o in overdue.owners] == ["dba", "sre"]
    assert [i.number for i in overdue.owners[1].items] == [2, 1]
    assert [o.owner for o in groups[1].owners] == ["web", ""]
    assert [g.count for g in groups] == [3, 2, 1]
    assert [g.group for g in plan(items, TODAY, include_closed=True)][-1] is Group.CLOSED


def test_owner_filter() -> None:
    """Part of a name matches, case-insensitively; `-` asks for unassigned items."""
    items = [item(1, owner="Priya Shah", deadline=days(1)), item(2, owner="", deadline=days(1))]
    assert [i.number for g in plan(items, TODAY, owner="priya") for i in g.items] == [1]
    assert [i.number for g in plan(items, TODAY, owner="-") for i in g.items] == [2]


def test_counts_match_the_incident_list(store: Store, clock: FakeClock) -> None:
    """The list's overdue count and the header's use the same rule as the follow-through groups."""
    inc = store.create_incident("Outage").id
    store.add_action(inc, "late", deadline=dt.date(2026, 11, 26))
    store.add_action(inc, "due today", deadline=dt.date(2026, 11, 27))
    store.add_action(inc, "done late", deadline=dt.date(2026, 11, 20))
    store.edit_action(inc, 3, status="done")
    today = today_in(clock(), UTC)
    listing = store.list_incidents(today=today)[0]
    grouped = counts(store.actions(), today)
    assert listing.overdue_actions == grouped[Group.OVERDUE] == 1
    assert listing.open_actions == 2
    assert sum(1 for a in store.actions(inc) if a.is_overdue(today)) == 1


def test_parse_deadline() -> None:
    """A date, days or weeks from today, or empty for none; anything else is one clear error."""
    assert parse_deadline("2026-12-01", TODAY) == dt.date(2026, 12, 1)
    assert parse_deadline("+3d", TODAY) == days(3)
    assert parse_deadline("+2W", TODAY) == days(14)
    assert parse_deadline("  ", TODAY) is None
    with pytest.raises(InputError, match="not a deadline"):
        parse_deadline("next friday", TODAY)


def test_owner_order_is_sqlites_and_the_indexes() -> None:
    """Python's owner order is exactly the one SQLite reads the first screenful in, on names where Python's own
    strip() and lower() differ from SQLite's (accents, ß, İ, tabs, inner and outer spaces)."""
    owners = ["Zoë", "eve", "Émile", "émile", "Éva", "  Bob", "bob", "", "   ", "\tTab", "ß", "SS", "İ", "i", "a  b"]
    owners += ["a b", "Z", "ÆGIR", "ægir"]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE action_items (owner TEXT, n INTEGER)")
    conn.executemany("INSERT INTO action_items VALUES (?, ?)", [(o, n) for n, o in enumerate(owners)])
    in_sql = [r[0] for r in conn.execute(f"SELECT owner FROM action_items ORDER BY {OWNER_ORDER_SQL}, n")]
    assert sorted(owners, key=owner_order) == in_sql
    assert f"({OWNER_ORDER_SQL}, deadline" in " ".join(V14)  # the index the first screenful walks
