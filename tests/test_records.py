"""The read records and the input models describe the same fields, and the records' JSON is pydantic's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing

import pytest

from warroom.store import models, records
from warroom.store.records import json_values
from warroom.store.rows import COLUMNS
from warroom.store.schema import columns

PAIRS = [
    (records.Incident, models.Incident, "incidents"),
    (records.Event, models.Event, "events"),
    (records.Factor, models.Factor, "factors"),
    (records.ActionItem, models.ActionItem, "action_items"),
]


@pytest.mark.parametrize(("record", "model", "table"), PAIRS, ids=lambda x: getattr(x, "__name__", x))
def test_records_have_the_input_models_fields(record: type, model: type[models.Record], table: str) -> None:
    """Same names, same order, same types: a field added to one and not the other fails here."""
    hints = typing.get_type_hints(record)
    fields = {f.name: hints[f.name] for f in dataclasses.fields(record)}
    assert fields == {name: info.annotation for name, info in model.model_fields.items()}
    assert set(COLUMNS[table]) == set(columns(model))


def test_records_are_frozen() -> None:
    """A screen cannot change what it was given."""
    event = records.Event(incident_id="INC-1", occurred_at=T0, logged_at=T0, text="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.text = "y"  # type: ignore[misc]


T0 = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)
ODD_TIMES = [
    T0,
    T0.replace(microsecond=250_000),
    T0.replace(microsecond=1),
    T0.replace(tzinfo=None),
    T0.replace(tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=45))),
    T0.replace(tzinfo=dt.timezone(dt.timedelta(hours=-3))),
    T0.replace(tzinfo=dt.timezone(dt.timedelta(seconds=1172))),  # Amsterdam, 1937
    T0.replace(tzinfo=dt.timezone(-dt.timedelta(seconds=1172))),
    dt.datetime(5, 1, 1, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("moment", ODD_TIMES, ids=str)
def test_json_values_are_what_pydantic_writes(moment: dt.datetime) -> None:
    """Times in every form a file can hold, enums, dates and lists come out as the input model's JSON dump."""
    item = records.ActionItem(
        incident_id="INC-1",
        title="Split the pool",
        deadline=dt.date(2026, 12, 1),
        created_at=moment,
        updated_at=T0,
        done_at=moment,
    )
    incident = records.Incident(
        id="INC-1", title="t", tags=["db", "ü"], started_at=moment, created_at=T0, updated_at=T0
    )
    for record, model in ((item, models.ActionItem), (incident, models.Incident)):
        fields = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
        assert json_values(record) == model(**fields).model_dump(mode="json")
