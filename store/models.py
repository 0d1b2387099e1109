"""The records warroom keeps: one pydantic model per table, the single definition of each."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

#: Longest text one field may hold; longer input is refused with a message, never cut silently.
MAX_TEXT = 20_000
#: Longest single-line value (titles, names, teams).
MAX_LINE = 500


class Severity(StrEnum):
    """How bad the incident is, SEV1 being the worst."""

    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"
    SEV4 = "SEV4"


class Status(StrEnum):
    """Where the incident is in its life."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    CLOSED = "closed"


OPEN_STATUSES = (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING)


class EventKind(StrEnum):
    """What sort of timeline entry an event is."""

    NOTE = "note"
    DETECTION = "detection"
    HYPOTHESIS = "hypothesis"
    DECISION = "decision"
    ACTION = "action"
    COMMS = "comms"
    MILESTONE = "milestone"


class Milestone(StrEnum):
    """Key moments that set the incident's detect / mitigate / resolve times."""

    DETECTED = "detected"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"


class Source(StrEnum):
    """How an event reached the database."""

    TUI = "tui"
    CLI = "cli"
    PIPE = "pipe"
    IMPORT = "import"


class FactorKind(StrEnum):
    """The part a factor played in the incident."""

    ROOT = "root"
    CONTRIBUTING = "contributing"
    TRIGGER = "trigger"


class Priority(StrEnum):
    """How urgent an action item is, P1 being the most."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class ActionStatus(StrEnum):
    """Progress of an action item."""

    OPEN = "open"
    IN_PROGRESS = "in progress"
    DONE = "done"
    WONT_DO = "won't do"


CLOSED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.WONT_DO)


class ActionType(StrEnum):
    """What an action item is for."""

    MITIGATE = "mitigate"
    PREVENT = "prevent"
    PROCESS = "process"


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
