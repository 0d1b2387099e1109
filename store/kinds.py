"""What a record's fields may hold: the enumerations and limits, without pydantic.

Shared by the read records (store/records.py) and the input models (store/models.py), and kept apart from
the latter so code that only needs a severity or a limit (the CLI's options, every screen) never loads pydantic.
"""

from __future__ import annotations

from enum import StrEnum

#: Longest text one field may hold; longer input is refused with a message, never cut silently.
MAX_TEXT = 20_000
#: Longest single-line value (titles, names, teams).
MAX_LINE = 500


class Severity(StrEnum):
    """The built-in severities, SEV1 being the worst.

    An incident's severity is a plain string: the config file may define levels of its own (SEV0), and a
    stored level the config no longer defines must still be read and shown, never refused.
    """

    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"
    SEV4 = "SEV4"


#: What a severity's name may be: a short word, such as SEV0 or P1-major (checked on the way in only).
SEVERITY_NAME = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$"
DEFAULT_SEVERITY = "SEV3"


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
