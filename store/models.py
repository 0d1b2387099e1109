"""The records warroom keeps: one pydantic model per table, the single definition of each (kinds: store/kinds.py)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from store.kinds import (
    CLOSED_ACTION_STATUSES,
    MAX_LINE,
    MAX_TEXT,
    ActionStatus,
    ActionType,
    EventKind,
    FactorKind,
    Milestone,
    Priority,
    Severity,
    Source,
    Status,
)


class Record(BaseModel):
    """Common configuration for every stored record."""

    # Schemas are built on first use, so `warroom log` does not pay for models it never touches.
    model_config = ConfigDict(use_enum_values=False, validate_assignment=True, defer_build=True)


class Incident(Record):
    """One incident: its identity, key times, impact and lessons."""

    id: str = Field(max_length=64)
    title: str = Field(min_length=1, max_length=MAX_LINE)
    severity: Severity = Severity.SEV3
    status: Status = Status.INVESTIGATING
    owner: str = Field(default="", max_length=MAX_LINE)
    commander: str = Field(default="", max_length=MAX_LINE)
    scribe: str = Field(default="", max_length=MAX_LINE)
    comms: str = Field(default="", max_length=MAX_LINE)
    started_at: dt.datetime
    # Set directly; a milestone event of the same name takes precedence (see Store).
    detected_at: dt.datetime | None = None
    mitigated_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    summary: str = Field(default="", max_length=MAX_TEXT)
    customers_affected: str = Field(default="", max_length=MAX_TEXT)
    business_impact: str = Field(default="", max_length=MAX_TEXT)
    went_well: str = Field(default="", max_length=MAX_TEXT)
    went_wrong: str = Field(default="", max_length=MAX_TEXT)
    got_lucky: str = Field(default="", max_length=MAX_TEXT)
    notes: str = Field(default="", max_length=MAX_TEXT)
    tags: list[str] = Field(default_factory=list)
    created_at: dt.datetime
    updated_at: dt.datetime


class Event(Record):
    """One timeline entry. Both when it happened and when it was logged are kept."""

    id: int | None = None
    incident_id: str
    occurred_at: dt.datetime
    logged_at: dt.datetime
    text: str = Field(max_length=MAX_TEXT)
    kind: EventKind = EventKind.NOTE
    team: str = Field(default="", max_length=MAX_LINE)
    author: str = Field(default="", max_length=MAX_LINE)
    milestone: Milestone | None = None
    starred: bool = False
    source: Source = Source.CLI
    deleted_at: dt.datetime | None = None


class Factor(Record):
    """A root cause, contributing factor or trigger; may point at timeline events."""

    id: int | None = None
    incident_id: str
    number: int = 0
    kind: FactorKind = FactorKind.CONTRIBUTING
    text: str = Field(max_length=MAX_TEXT)
    event_ids: list[int] = Field(default_factory=list)
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None


class ActionItem(Record):
    """Follow-up work with an owner and a deadline."""

    id: int | None = None
    incident_id: str
    number: int = 0
    title: str = Field(max_length=MAX_LINE)
    owner: str = Field(default="", max_length=MAX_LINE)
    deadline: dt.date | None = None
    priority: Priority = Priority.P2
    status: ActionStatus = ActionStatus.OPEN
    type: ActionType = ActionType.PREVENT
    ticket: str = Field(default="", max_length=MAX_LINE)
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


class Draft(Record):
    """Text typed but not yet entered, kept so a crash loses nothing."""

    incident_id: str
    field: str
    text: str
    updated_at: dt.datetime


def build_schemas() -> None:
    """Build the validators of the records the live screens write (deferred until now, 10-20 ms each).

    Reading records never needs them; the first write would otherwise pay for them.
    """
    for model in (Incident, Event, Factor, ActionItem, Draft):
        model.model_rebuild()
