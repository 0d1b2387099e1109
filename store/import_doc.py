"""What an imported file describes, before it touches the database, and lenient record building."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from warroom.store.errors import InputError, WarroomError
from warroom.store.hypotheses import Settlement
from warroom.store.mdparse import Problem
from warroom.store.models import ActionItem, Event, Factor, Incident
from warroom.store.timeparse import check_range

M = TypeVar("M", bound=BaseModel)


class NothingImported(WarroomError):
    """The file could not be read as a post-mortem at all; the database was not touched."""


@dataclass
class Document:
    """An incident as a file describes it; record ids are the file's own (factor links use them)."""

    incident: Incident
    events: list[Event]
    factors: list[Factor]
    actions: list[ActionItem]
    #: Incident fields the file states; only these are compared when updating an incident.
    stated: set[str]
    #: True for JSON: ids, numbers, timestamps and text are kept exactly. Markdown shows less.
    exact: bool
    #: The zone the file's times were shown in (Markdown times are whole minutes in it).
    zone: dt.tzinfo = dt.UTC
    problems: list[Problem] = field(default_factory=list)
    #: Settled hypotheses, by the file's event ids (store/hypotheses.py).
    settlements: list[Settlement] = field(default_factory=list)
    #: The config file's extra sections, title -> text (Markdown files that have them).
    sections: dict[str, str] = field(default_factory=dict)
    #: Whether the file includes the Related Incidents section (the choice is kept; the rows are derived).
    related: bool = False


def lenient(
    model: type[M],
    data: dict[str, Any],
    where: str,
    problems: list[Problem],
    line: int | None = None,
    *,
    drop: bool = True,
) -> M | None:
    """Build a record; a bad field with a default is dropped (and reported), any other error skips it.

    With drop=False nothing is dropped: the whole record is reported and skipped instead.
    """
    data = dict(data)
    while True:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            name = str(err["loc"][0]) if err["loc"] else ""
            path = ".".join(str(p) for p in err["loc"])
            message = f"{where} {path}: {err['msg'][:1].lower()}{err['msg'][1:]}".replace(" :", ":")
            info = model.model_fields.get(name)
            if not drop or info is None or info.is_required() or name not in data:
                problems.append(Problem(line, f"{message}; {where} not imported"))
                return None
            problems.append(Problem(line, f"{message}; left at its default"))
            data.pop(name)


SQLITE_INT_MIN, SQLITE_INT_MAX = -(2**63), 2**63 - 1
#: The field each kind of record cannot do without, and what a person is told when it is blank.
_NEEDS_TEXT: dict[type[BaseModel], tuple[str, str]] = {
    Event: ("text", "an event needs some text"),
    Factor: ("text", "a factor needs some text"),
    ActionItem: ("title", "an action item needs a title"),
    Incident: ("title", "an incident needs a title"),
}


def usable(record: Any, where: str, problems: list[Problem], line: int | None = None) -> bool:
    """Whether a record passes the checks a command would make (text present, times in range); else reported."""
    needed = _NEEDS_TEXT.get(type(record))
    if needed and not str(getattr(record, needed[0]) or "").strip():
        problems.append(Problem(line, f"{where}: {needed[1]}; {where} not imported"))
        return False
    for name, value in vars(record).items():
        numbers = value if isinstance(value, list) else [value]
        if any(isinstance(n, int) and not SQLITE_INT_MIN <= n <= SQLITE_INT_MAX for n in numbers):
            problems.append(Problem(line, f"{where} {name}: a number too large to store; {where} not imported"))
            return False
        if isinstance(value, dt.datetime):
            try:
                check_range(value)
            except InputError as exc:
                problems.append(Problem(line, f"{where} {name}: {exc}; {where} not imported"))
                return False
    return True
