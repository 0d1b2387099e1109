"""Converting between pydantic records and SQLite rows."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import sqlite3
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from store.schema import columns
from store.timeparse import check_range, from_db, to_db

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")


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
        # Every stored time passes here (commands, the TUI, imports): one range for all of them.
        return to_db(check_range(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return json.dumps(value)
    return value


def from_row(model: type[M], row: sqlite3.Row | dict[str, Any], **extra: Any) -> M:
    """A row this program wrote, read back as its record (with `extra` fields already in Python form).

    Like `from_rows(trusted=True)`, values are only converted to their field types: no validator, and
    no schema is built for the model until a record is dumped or validated. (That build is 10-20 ms a
    model; the first screen of the TUI reads records of three.)
    """
    data = dict(row)
    data.update(extra)
    build = _trusted_builder(model, tuple(data))
    if build is not None:
        return build(list(data.values()))
    for name, convert in _readers(model):
        value = data.get(name)
        if value is not None:
            data[name] = convert(value)
    data.update(extra)
    return model.model_validate(data)


def from_rows(model: type[M], rows: Iterable[sqlite3.Row], *, trusted: bool = False) -> list[M]:
    """Many rows of one query read back as records, e.g. a whole timeline for an export.

    With `trusted`, rows this program wrote (and so validated) skip validation: values are only
    converted to their field types, as `model_construct` would take them, about twice as fast.
    Models with a field type that needs more than that are validated anyway.
    """
    rows = list(rows)
    if not rows:
        return []
    names = list(rows[0].keys())
    build = _trusted_builder(model, tuple(names)) if trusted else None
    readers = [(names.index(name), convert) for name, convert in _readers(model) if name in names]
    validate = model.model_validate
    out: list[M] = []
    # The cyclic GC would rescan the growing list on every generation-0 overflow; records hold
    # no cycles, so pausing it makes 100k rows about twice as fast.
    with paused_gc():
        if build is not None:
            return [build(row) for row in rows]
        for row in rows:
            values = list(row)
            for index, convert in readers:
                value = values[index]
                if value is not None:
                    values[index] = convert(value)
            out.append(validate(dict(zip(names, values, strict=True))))
    return out


@functools.cache
def _trusted_builder(model: type[M], names: tuple[str, ...]) -> Callable[[Sequence[Any]], M] | None:
    """A function making a record from a row of `names` without validation, or None when that is not safe."""
    if set(names) != set(model.model_fields) or model.__pydantic_post_init__ or model.__pydantic_root_model__:
        return None
    converters: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(names):
        kind = _plain_type(model.model_fields[name].annotation)
        if kind is None:
            return None
        if kind is dt.datetime:
            converters.append((index, from_db))
        elif kind is dt.date:
            converters.append((index, dt.date.fromisoformat))
        elif kind is bool:
            converters.append((index, bool))
        elif kind is list:
            converters.append((index, _json_list))
        elif issubclass(kind, Enum):
            converters.append((index, {member.value: member for member in kind}.__getitem__))
    # A deferred schema is built when first needed (a dump, a copy, a validation), not here.
    new = model.__new__
    setattr_ = object.__setattr__

    def build(row: Sequence[Any]) -> M:
        values = list(row)
        for index, convert in converters:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        record = new(model)
        setattr_(record, "__dict__", dict(zip(names, values, strict=True)))
        setattr_(record, "__pydantic_fields_set__", set(names))
        setattr_(record, "__pydantic_extra__", None)
        setattr_(record, "__pydantic_private__", None)
        return record

    return build


def _plain_type(annotation: Any) -> type | None:
    """str, int, bool, datetime, date, an Enum or a list of str or int (optionally `| None`); None for anything else."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    if annotation in (str, int, bool, dt.datetime, dt.date):
        return annotation  # type: ignore[no-any-return]
    if typing.get_origin(annotation) is list and typing.get_args(annotation) in ((str,), (int,)):
        return list
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    return None


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


@functools.cache
def _readers(model: type[BaseModel]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """(field, converter) for the fields whose SQLite value needs converting; worked out once per model."""
    # A timeline of 100k rows is read through here, so the per-field decisions are not repeated per row.
    out: list[tuple[str, Callable[[Any], Any]]] = []
    for name, field in model.model_fields.items():
        ann = str(field.annotation)
        if "datetime" in ann:
            out.append((name, from_db))
        elif "list" in ann:
            out.append((name, _json_list))
        elif "bool" in ann:
            out.append((name, bool))
    return tuple(out)


def _json_list(value: Any) -> Any:
    """A list column: JSON text in the file, already a list when built in Python."""
    return json.loads(value) if isinstance(value, str) else value
