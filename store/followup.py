"""Follow-through on action items across incidents: which are overdue, due this week, later, or undated.

Every date here is a calendar day in the display zone: "today" is the clock's date there (at 23:30 UTC
on the 27th it is already the 28th in Asia/Tokyo).

- overdue: still open (open or in progress) and the deadline is before today. A deadline of today is
  not overdue; this is `ActionItem.is_overdue`, the same rule as the counts in the incident list and header.
- due this week: still open and due today or within the next 7 days (today <= deadline <= today + 7).
- later: still open and due more than 7 days from today.
- no deadline: still open, no deadline set.
- closed: done or won't do (listed only when asked for).

Within a group, items go by owner (see `owner_order`), unassigned last, then deadline, priority, incident
and number. The screen's first screenful is read in that order by SQLite and the whole list by Python,
so the order is defined here once, in both spellings, and tested to agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from warroom.store.action_lists import owner_order
from warroom.store.errors import InputError
from warroom.store.records import ActionItem
from warroom.store.rows import paused_gc, time_json

if TYPE_CHECKING:
    from warroom.store.reads import Reads

#: "Due this week" reaches this many days past today.
WEEK_DAYS = 7


class Group(StrEnum):
    """Where an action item stands against its deadline."""

    OVERDUE = "overdue"
    THIS_WEEK = "due this week"
    LATER = "later"
    NO_DEADLINE = "no deadline"
    CLOSED = "closed"


#: The order groups are shown in.
GROUP_ORDER = (Group.OVERDUE, Group.THIS_WEEK, Group.LATER, Group.NO_DEADLINE, Group.CLOSED)


def today_in(now: dt.datetime, tz: dt.tzinfo) -> dt.date:
    """The calendar day it is at `now` (aware) in the display zone."""
    return now.astimezone(tz).date()


def group_of(item: ActionItem, today: dt.date) -> Group:
    """The group an action item falls in on `today`."""
    if item.is_closed:
        return Group.CLOSED
    if item.deadline is None:
        return Group.NO_DEADLINE
    if item.is_overdue(today):
        return Group.OVERDUE
    if item.deadline <= today + dt.timedelta(days=WEEK_DAYS):
        return Group.THIS_WEEK
    return Group.LATER


def days_late(item: ActionItem, today: dt.date) -> int:
    """Whole days past the deadline (0 when not overdue)."""
    return (today - item.deadline).days if item.deadline and item.is_overdue(today) else 0


@dataclass(frozen=True)
class OwnerItems:
    """One owner's action items within a group ("" is unassigned)."""

    owner: str
    items: tuple[ActionItem, ...]


@dataclass(frozen=True)
class FollowupGroup:
    """The action items of one group, by owner."""

    group: Group
    owners: tuple[OwnerItems, ...]

    @property
    def count(self) -> int:
        """How many items the group holds."""
        return sum(len(o.items) for o in self.owners)

    @property
    def items(self) -> list[ActionItem]:
        """The group's items in display order."""
        return [item for o in self.owners for item in o.items]


def _item_key(item: ActionItem) -> tuple[dt.date, str, str, int]:
    """Earliest deadline first, then priority, then incident and number."""
    return (item.deadline or dt.date.max, item.priority.value, item.incident_id, item.number)


def matches_owner(item: ActionItem, owner: str | None) -> bool:
    """Whether the item's owner contains `owner` (case-insensitive); `-` asks for unassigned items."""
    if not owner:
        return True
    if owner.strip() == "-":
        return not item.owner.strip()
    return owner.strip().lower() in item.owner.lower()


def plan(
    items: Iterable[ActionItem], today: dt.date, *, owner: str | None = None, include_closed: bool = False
) -> list[FollowupGroup]:
    """Action items in their groups (in GROUP_ORDER, empty groups left out), by owner within each group."""
    buckets: dict[Group, dict[str, list[ActionItem]]] = {g: {} for g in GROUP_ORDER}
    # Each owner's name as first met, by its place in the order.
    names: dict[Group, dict[tuple[bool, str], str]] = {g: {} for g in GROUP_ORDER}
    for item in items:
        if item.deleted_at is not None or not matches_owner(item, owner):
            continue
        group = group_of(item, today)
        if group is Group.CLOSED and not include_closed:
            continue
        # Owners that differ only in the case of A-Z or surrounding spaces are one person, named as first met.
        name = names[group].setdefault(owner_order(item.owner), item.owner.strip(" "))
        buckets[group].setdefault(name, []).append(item)
    return [
        FollowupGroup(
            group,
            tuple(
                OwnerItems(name, tuple(sorted(found, key=_item_key)))
                for name, found in sorted(buckets[group].items(), key=lambda kv: owner_order(kv[0]))
            ),
        )
        for group in GROUP_ORDER
        if buckets[group]
    ]


def followup_json(
    store: Reads, today: dt.date, *, owner: str | None = None, overdue: bool = False, item: str | None = None
) -> list[Any]:
    """Every incident's live action items (only `owner`'s, only the overdue ones) in follow-through order, each as
    its JSON values with its `group` (and `item` when given), keys in sorted order: what
    `warroom action list --all-incidents --json` lists.

    Made from the rows, in the order `plan` gives: by group; by owner (`owner_order`), unassigned last; then by
    deadline, priority, incident and number.
    """
    from warroom.store.listing import ACTION_JSON_ORDER

    rows = store.followup_rows(today, owner=owner, overdue=overdue)
    names = [g.value for g in GROUP_ORDER]
    keys = [*ACTION_JSON_ORDER, "group"] + (["item"] if item is not None else [])
    order = sorted(keys)
    at = {name: n for n, name in enumerate(keys)}
    picks = [at[name] for name in order]
    times = [at[name] for name in ("created_at", "updated_at", "done_at", "deleted_at")]
    deadline, owner_at, priority, incident_id, number = (
        at[name] for name in ("deadline", "owner", "priority", "incident_id", "number")
    )
    keyed = []
    with paused_gc():
        for r in rows:
            values = list(r)
            values[-1] = names[r[-1]]
            if item is not None:
                values.append(item)
            for n in times:
                values[n] = time_json(values[n])
            due = values[deadline]
            if due is not None and len(due) != 10:
                values[deadline] = dt.date.fromisoformat(due).isoformat()
            key = (
                r[-1],
                *owner_order(values[owner_at]),
                values[deadline] or "9999-12-31",
                values[priority],
                values[incident_id],
                values[number],
            )
            keyed.append((key, dict(zip(order, [values[n] for n in picks], strict=True))))
        keyed.sort(key=lambda pair: pair[0])
        return [document for _, document in keyed]


def counts(items: Iterable[ActionItem], today: dt.date) -> dict[Group, int]:
    """How many live items fall in each group (every group present, zero when empty)."""
    found = dict.fromkeys(GROUP_ORDER, 0)
    for item in items:
        if item.deleted_at is None:
            found[group_of(item, today)] += 1
    return found


_RELATIVE = re.compile(r"^\+(\d{1,3})([dw])$", re.IGNORECASE)


def parse_deadline(text: str, today: dt.date) -> dt.date | None:
    """A new deadline: YYYY-MM-DD, `+3d` or `+2w` from today, or empty for none."""
    raw = text.strip()
    if not raw:
        return None
    relative = _RELATIVE.match(raw)
    if relative:
        days = int(relative[1]) * (7 if relative[2].lower() == "w" else 1)
        return today + dt.timedelta(days=days)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError(f"{raw!r} is not a deadline: use YYYY-MM-DD, +3d or +2w, or leave it empty") from None
