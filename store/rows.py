"""Converting between records and SQLite rows, field by field: the columns of each table and their conversions.

Reading is `*_from_row`: a row this program wrote (and so validated on its way in) becomes a read record
of store/records.py with each value converted to its field's type and nothing checked again. Writing is
`to_row`: a record (read or input, anything with the table's attribute names) as SQLite values.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import Enum
from typing import Any

from warroom.store.kinds import (
    ActionStatus,
    ActionType,
    EventKind,
    FactorKind,
    Milestone,
    Priority,
    Source,
    Status,
)
from warroom.store.records import ActionItem, Event, Factor, Incident, _json_value
from warroom.store.timeparse import check_range, from_db, to_db

#: The columns of each table a record is written to, in the table's order (a factor's event_ids live in
#: factor_events).
INCIDENT_COLUMNS = (
    "id",
    "title",
    "severity",
    "status",
    "owner",
    "commander",
    "scribe",
    "comms",
    "started_at",
    "detected_at",
    "mitigated_at",
    "resolved_at",
    "summary",
    "customers_affected",
    "business_impact",
    "went_well",
    "went_wrong",
    "got_lucky",
    "notes",
    "tags",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = (
    "id",
    "incident_id",
    "occurred_at",
    "logged_at",
    "text",
    "kind",
    "team",
    "author",
    "milestone",
    "starred",
    "source",
    "deleted_at",
)
FACTOR_COLUMNS = ("id", "incident_id", "number", "kind", "text", "created_at", "updated_at", "deleted_at")
ACTION_COLUMNS = (
    "id",
    "incident_id",
    "number",
    "title",
    "owner",
    "deadline",
    "priority",
    "status",
    "type",
    "ticket",
    "event_id",
    "created_at",
    "updated_at",
    "done_at",
    "deleted_at",
)
#: Table name to the columns written from a record.
COLUMNS = {
    "incidents": INCIDENT_COLUMNS,
    "events": EVENT_COLUMNS,
    "factors": FACTOR_COLUMNS,
    "action_items": ACTION_COLUMNS,
}

Row = Mapping[str, Any]


def incident_from_row(row: Row) -> Incident:
    """An incidents row as its record."""
    return Incident(
        id=row["id"],
        title=row["title"],
        severity=row["severity"],
        status=Status(row["status"]),
        owner=row["owner"],
        commander=row["commander"],
        scribe=row["scribe"],
        comms=row["comms"],
        started_at=_time(row["started_at"]),
        detected_at=from_db(row["detected_at"]),
        mitigated_at=from_db(row["mitigated_at"]),
        resolved_at=from_db(row["resolved_at"]),
        summary=row["summary"],
        customers_affected=row["customers_affected"],
        business_impact=row["business_impact"],
        went_well=row["went_well"],
        went_wrong=row["went_wrong"],
        got_lucky=row["got_lucky"],
        notes=row["notes"],
        tags=json.loads(row["tags"]),
        created_at=_time(row["created_at"]),
        updated_at=_time(row["updated_at"]),
    )


def event_from_row(row: Row) -> Event:
    """An events row as its record."""
    milestone = row["milestone"]
    return Event(
        id=row["id"],
        incident_id=row["incident_id"],
        occurred_at=_time(row["occurred_at"]),
        logged_at=_time(row["logged_at"]),
        text=row["text"],
        kind=EventKind(row["kind"]),
        team=row["team"],
        author=row["author"],
        milestone=None if milestone is None else Milestone(milestone),
        starred=bool(row["starred"]),
        source=Source(row["source"]),
        deleted_at=from_db(row["deleted_at"]),
    )


def events_from_rows(rows: list[Any]) -> list[Event]:
    """Many events rows (a timeline page, a whole timeline) as records."""
    # The cyclic GC would rescan the growing list on every generation-0 overflow; records hold no cycles.
    with paused_gc():
        return [event_from_row(row) for row in rows]


def factor_from_row(row: Row, event_ids: list[int]) -> Factor:
    """A factors row and the ids of the events it links to (from factor_events) as its record."""
    return Factor(
        id=row["id"],
        incident_id=row["incident_id"],
        number=row["number"],
        kind=FactorKind(row["kind"]),
        text=row["text"],
        event_ids=event_ids,
        created_at=_time(row["created_at"]),
        updated_at=_time(row["updated_at"]),
        deleted_at=from_db(row["deleted_at"]),
    )


def action_from_row(row: Row) -> ActionItem:
    """An action_items row as its record."""
    deadline = row["deadline"]
    return ActionItem(
        id=row["id"],
        incident_id=row["incident_id"],
        number=row["number"],
        title=row["title"],
        owner=row["owner"],
        deadline=None if deadline is None else dt.date.fromisoformat(deadline),
        priority=Priority(row["priority"]),
        status=ActionStatus(row["status"]),
        type=ActionType(row["type"]),
        ticket=row["ticket"],
        event_id=row["event_id"],
        created_at=_time(row["created_at"]),
        updated_at=_time(row["updated_at"]),
        done_at=from_db(row["done_at"]),
        deleted_at=from_db(row["deleted_at"]),
    )


def _time(text: str) -> dt.datetime:
    """A NOT NULL time column (a damaged value is read as the nearest time that can be shown, never a crash)."""
    moment = from_db(text)
    assert moment is not None  # NOT NULL in the schema
    return moment


def to_row(table: str, record: Any) -> dict[str, Any]:
    """A record as a dict of SQLite values for `table`: the table's columns, taken from its attributes."""
    return {name: to_value(getattr(record, name)) for name in COLUMNS[table]}


def to_value(value: Any) -> Any:
    """One Python value as an SQLite value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        # Every stored time passes here (commands, the TUI, imports): one range for all of them.
        return to_db(check_range(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return json.dumps(value)
    return value


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off cyclic garbage collection while building many objects that form no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def time_json(text: str | None) -> str | None:
    """A stored time as the JSON export writes the time it is read as (`_json_value(from_db(text))`), without
    making the datetime in the usual case: the fixed-width UTC text `to_db` writes, which `Z` ends either way
    and which loses its fraction when that is zero (as isoformat does). Anything else takes the long way.
    """
    # The separators in place, every other character a digit of a real time (fromisoformat is strict about both):
    # then the text is the canonical form and isoformat would write it back.
    if text is None:
        return None
    if len(text) == 27 and text[26] == "Z" and text[4:20:3] == "--T::." and "0002" <= text[:4] <= "9998":
        try:
            dt.datetime.fromisoformat(text[:26])
        except ValueError:
            pass
        else:
            return text[:19] + "Z" if text[20:26] == "000000" else text
    return _json_value(from_db(text))  # type: ignore[no-any-return]
