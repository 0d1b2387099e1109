"""What comes in: one pydantic model per table, validating every write, every import and `warroom schema`.

Nothing reads through them: the database is read into the plain records of store/records.py (same
field names and types), so pydantic loads with the first write or import, never for a screen or an
export. Kinds and limits: store/kinds.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from warroom.store.errors import InputError
from warroom.store.kinds import (
    CLOSED_ACTION_STATUSES,
    DEFAULT_SEVERITY,
    MAX_LINE,
    MAX_TEXT,
    SEVERITY_NAME,
    ActionStatus,
    ActionType,
    EventKind,
    FactorKind,
    Milestone,
    Priority,
    Source,
    Status,
)

R = TypeVar("R")
M = TypeVar("M", bound="BaseModel")


class Record(BaseModel):
    """Common configuration for every input model."""

    # A validator is built when a model first validates (10-20 ms each): `warroom log` builds Event's only.
    model_config = ConfigDict(use_enum_values=False, validate_assignment=True, defer_build=True)


class Incident(Record):
    """One incident: its identity, key times, impact and lessons."""

    id: str = Field(max_length=64)
    title: str = Field(min_length=1, max_length=MAX_LINE)
    severity: str = Field(default=DEFAULT_SEVERITY, pattern=SEVERITY_NAME)
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


def validated(model: type[M], **data: Any) -> M:
    """Validate input as a model, turning pydantic's error into one line for a user."""
    try:
        return model(**data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or model.__name__.lower()
        raise InputError(f"{where}: {err['msg'].lower()}") from None


def as_record(record_type: type[R], model: BaseModel, **changes: Any) -> R:
    """A validated input model as the read record of the same fields (with `changes`)."""
    return record_type(**{**dict(model), **changes})


def build_schemas() -> None:
    """Build the validators of the models the live screens write, so the first write does not wait for them."""
    for model in (Incident, Event, Factor, ActionItem, Draft):
        model.model_rebuild()
