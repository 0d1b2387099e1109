"""The columns a record is written to, from its pydantic model (the tables themselves are in migrations.py)."""

from __future__ import annotations

import datetime as dt
import types
import typing
from enum import Enum

if typing.TYPE_CHECKING:
    from pydantic import BaseModel

from warroom.store.migrations import SCHEMA_VERSION, STEPS

__all__ = ["SCHEMA_VERSION", "STEPS", "columns"]

#: Model fields kept in a table of their own rather than a column, by model name.
_NOT_COLUMNS = {"Factor": {"event_ids"}}


def _sql_type(annotation: object) -> type:
    """The sqlite-utils column type for a model field's annotation."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    if annotation is bool or annotation is int:
        return int
    if isinstance(annotation, type) and issubclass(annotation, (str, Enum, dt.date)):
        return str
    return str  # lists are stored as JSON text


def columns(model: type[BaseModel]) -> dict[str, type]:
    """Column name to type, in the model's field order."""
    skip = _NOT_COLUMNS.get(model.__name__, set())
    return {name: _sql_type(f.annotation) for name, f in model.model_fields.items() if name not in skip}
