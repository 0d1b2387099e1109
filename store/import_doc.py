"""What an imported file describes, before it touches the database, and lenient record building."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from store.errors import WarroomError
from store.hypotheses import Settlement
from store.mdparse import Problem
from store.models import ActionItem, Event, Factor, Incident

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
