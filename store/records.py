"""The records warroom reads: plain frozen dataclasses, what every screen, widget, export and listing is given.

Reading builds them straight from rows (store/rows.py), with no validation: every row was validated on
its way in, by the input models of store/models.py (writes, import, `warroom schema`). The fields, their
names and types are those of the input models; tests/test_records.py keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any, NamedTuple

from warroom.store.kinds import (
    CLOSED_ACTION_STATUSES,
    DEFAULT_SEVERITY,
    ActionStatus,
    ActionType,
    EventKind,
    FactorKind,
    Milestone,
    Priority,
    Source,
    Status,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Incident:
    """One incident: its identity, key times, impact and lessons."""

    id: str
    title: str
    severity: str = DEFAULT_SEVERITY
    status: Status = Status.INVESTIGATING
    owner: str = ""
    commander: str = ""
    scribe: str = ""
    comms: str = ""
    started_at: dt.datetime
    # As stored; a milestone event of the same name takes precedence (see Store.incident).
    detected_at: dt.datetime | None = None
    mitigated_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    summary: str = ""
    customers_affected: str = ""
    business_impact: str = ""
    went_well: str = ""
    went_wrong: str = ""
    got_lucky: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One timeline entry. Both when it happened and when it was logged are kept."""

    id: int | None = None
    incident_id: str
    occurred_at: dt.datetime
    logged_at: dt.datetime
    text: str
    kind: EventKind = EventKind.NOTE
    team: str = ""
    author: str = ""
    milestone: Milestone | None = None
    starred: bool = False
    source: Source = Source.CLI
    deleted_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Factor:
    """A root cause, contributing factor or trigger; may point at timeline events."""

    id: int | None = None
    incident_id: str
    number: int = 0
    kind: FactorKind = FactorKind.CONTRIBUTING
    text: str
    event_ids: list[int] = field(default_factory=list)
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionItem:
    """Follow-up work with an owner and a deadline."""

    id: int | None = None
    incident_id: str
    number: int = 0
    title: str
    owner: str = ""
    deadline: dt.date | None = None
    priority: Priority = Priority.P2
    status: ActionStatus = ActionStatus.OPEN
    type: ActionType = ActionType.PREVENT
    ticket: str = ""
    event_id: int | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
    done_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None

    @property
    def is_closed(self) -> bool:
        """Done or won't do."""
        return self.status in CLOSED_ACTION_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        """Still open past its deadline; a deadline of today is not overdue."""
        return self.deadline is not None and self.deadline < today and not self.is_closed


class TimelineRow(NamedTuple):
    """One live event as the exports read it: its stored values, untouched (times as stored text, the flag 0/1).

    A named tuple built with `_make` straight from the row costs what the bare tuple does, where 1M
    `Event` records would cost more than the rest of an export; `incident_id` and `deleted_at` are
    left out because every row of an export has the same ones.
    """

    id: int
    occurred_at: str
    logged_at: str
    text: str
    kind: str
    team: str
    author: str
    milestone: str | None
    starred: int
    source: str


class HypothesisRow(NamedTuple):
    """One live hypothesis as the exports read it: the event's values and its settlement's, as stored.

    `status`, `reason` and `settled_at` are None while it is open; `note_id` and `note_at` (the settling
    note's id and time) are None unless that note is a live event of the incident.
    """

    id: int
    occurred_at: str
    text: str
    status: str | None
    reason: str | None
    settled_at: str | None
    note_id: int | None
    note_at: str | None


def json_values(record: Any) -> dict[str, Any]:
    """A record's fields as JSON values, exactly as pydantic writes them (the JSON export's format)."""
    return {f.name: _json_value(getattr(record, f.name)) for f in fields(record)}


#: The types json_values gives as they are (anything else goes through `_json_value`).
_AS_THEY_ARE = frozenset({str, int, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def record_json(record: Any) -> dict[str, Any]:
    """What `json_values` gives, several times faster: for listing 10,000 incidents or 50,000 action items.

    Most fields are plain strings, numbers or None, given as they are after one type lookup; the field
    names are looked up once per record type.
    """
    names = _FIELD_NAMES.get(type(record))
    if names is None:
        names = _FIELD_NAMES[type(record)] = tuple(f.name for f in fields(record))
    plain = _AS_THEY_ARE
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(record, name)
        out[name] = value if type(value) in plain else _json_value(value)
    return out


def _json_value(value: Any) -> Any:
    """One field's value as pydantic's JSON mode gives it: enums by value, times in ISO-8601 with `Z` for UTC."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        offset = value.utcoffset()
        if offset is not None and offset.seconds % 60:
            # An offset in seconds (only a hand-edited file holds one): pydantic shows it cut to the minute.
            from pydantic_core import to_jsonable_python

            return to_jsonable_python(value)
        text = value.isoformat()
        return text[:-6] + "Z" if offset is not None and not offset else text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(item) for item in value]
    return value


@dataclass(frozen=True, slots=True)
class Presented:
    """Where the presenter of an incident's review is (`Reads.presented`)."""

    event_id: int
    presenter: str
    moved_at: dt.datetime
