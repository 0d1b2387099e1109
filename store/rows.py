"""Converting between pydantic records and SQLite rows."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel

from store.schema import columns
from store.timeparse import from_db, to_db

M = TypeVar("M", bound=BaseModel)


def to_row(record: BaseModel) -> dict[str, Any]:
    """A record as a dict of SQLite values, only the table's columns."""
    out: dict[str, Any] = {}
    for name in columns(type(record)):
        out[name] = to_value(getattr(record, name))
    return out


def to_value(value: Any) -> Any:
    """One Python value as an SQLite value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return to_db(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return json.dumps(value)
    return value


def from_row(model: type[M], row: sqlite3.Row | dict[str, Any], **extra: Any) -> M:
    """A row read back as its record."""
    data = dict(row)
    for name, field in model.model_fields.items():
        if name not in data:
            continue
        value = data[name]
        ann = str(field.annotation)
        if value is not None and "datetime" in ann:
            data[name] = from_db(value)
        elif value is not None and "list" in ann and isinstance(value, str):
            data[name] = json.loads(value)
        elif value is not None and "bool" in ann:
            data[name] = bool(value)
    data.update(extra)
    return model.model_validate(data)
