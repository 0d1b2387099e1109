"""Tables derived from the pydantic models, and the numbered steps that migrate a file to them."""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from enum import Enum

if typing.TYPE_CHECKING:
    # Imported only for type hints: sqlite-utils itself loads only when a migration runs, and pydantic when
    # a record is first made (a file already at SCHEMA_VERSION needs neither to open).
    from pydantic import BaseModel
    from sqlite_utils import Database

from store.search import NO_MERGE_ON_WRITE, backfill_sql, index_ddl
from store.views import create_views

SCHEMA_VERSION = 6

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


def _not_null(model: type[BaseModel]) -> set[str]:
    """Fields that are required and not optional."""
    skip = _NOT_COLUMNS.get(model.__name__, set())
    out = set()
    for name, f in model.model_fields.items():
        if name in skip or name == "id":
            continue
        if type(None) not in typing.get_args(f.annotation) and f.annotation is not type(None):
            out.add(name)
    return out


def _create(db: Database, table: str, model: type[BaseModel], **kw: object) -> None:
    """Create one table from its model."""
    db[table].create(columns(model), not_null=_not_null(model), **kw)  # type: ignore[union-attr]


def _v1(db: Database) -> None:
    """The first schema: incidents, events, factors, action items, drafts and revisions."""
    from store.models import ActionItem, Draft, Event, Factor, Incident

    _create(db, "incidents", Incident, pk="id")
    _create(db, "events", Event, pk="id", foreign_keys=[("incident_id", "incidents", "id")])
    _create(db, "factors", Factor, pk="id", foreign_keys=[("incident_id", "incidents", "id")])
    db["factor_events"].create(  # type: ignore[union-attr]
        {"factor_id": int, "event_id": int},
        pk=("factor_id", "event_id"),
        foreign_keys=[("factor_id", "factors", "id"), ("event_id", "events", "id")],
    )
    _create(db, "action_items", ActionItem, pk="id", foreign_keys=[("incident_id", "incidents", "id")])
    _create(db, "drafts", Draft, pk=("incident_id", "field"), foreign_keys=[("incident_id", "incidents", "id")])
    db["revisions"].create(  # type: ignore[union-attr]
        {"id": int, "record_type": str, "record_id": str, "data": str, "replaced_at": str},
        pk="id",
        not_null={"record_type", "record_id", "data", "replaced_at"},
    )
    db.execute("CREATE INDEX idx_events_timeline ON events (incident_id, occurred_at, id)")
    db.execute("CREATE INDEX idx_factors_incident ON factors (incident_id, number)")
    db.execute("CREATE UNIQUE INDEX idx_actions_number ON action_items (incident_id, number)")
    db.execute("CREATE INDEX idx_actions_deadline ON action_items (deadline)")
    db.execute("CREATE INDEX idx_revisions_record ON revisions (record_type, record_id, id)")


def _v2(db: Database) -> None:
    """Phrases the blameless-language check is told to accept, per incident."""
    db["lint_allow"].create(  # type: ignore[union-attr]
        {"incident_id": str, "phrase": str},
        pk=("incident_id", "phrase"),
        not_null={"incident_id", "phrase"},
        foreign_keys=[("incident_id", "incidents", "id")],
    )


def _v3(db: Database) -> None:
    """Instant at any size: indexes for the live timeline and its milestones, and one full-text index."""
    # Covering the timeline's order for live events only: counts and OFFSETs walk the index, not the table.
    db.execute("CREATE INDEX idx_events_live ON events (incident_id, occurred_at, id) WHERE deleted_at IS NULL")
    db.execute(
        "CREATE INDEX idx_events_milestones ON events (incident_id, milestone, occurred_at) "
        "WHERE milestone IS NOT NULL AND deleted_at IS NULL"
    )
    for statement in [*index_ddl(), *backfill_sql()]:
        db.execute(statement)


def _v4(db: Database) -> None:
    """SQL views of the metrics (incident_metrics, action_followthrough, incidents_by_month) for SQL readers."""
    create_views(db)


def _v5(db: Database) -> None:
    """The full-text index merges its segments when a program is idle, not inside someone's write."""
    db.execute(NO_MERGE_ON_WRITE)


def _v6(db: Database) -> None:
    """Each incident's count of live events, kept by triggers: opening a million-event timeline reads one row."""
    # Safe to run again (a file whose version was set back): the counts are made afresh.
    for statement in (
        "CREATE TABLE IF NOT EXISTS live_event_counts (incident_id TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
        "DELETE FROM live_event_counts",
        "DROP TRIGGER IF EXISTS live_count_insert",
        "DROP TRIGGER IF EXISTS live_count_delete",
        "DROP TRIGGER IF EXISTS live_count_update",
        "INSERT INTO live_event_counts (incident_id, n) "
        "SELECT incident_id, COUNT(*) FROM events WHERE deleted_at IS NULL GROUP BY incident_id",
        "CREATE TRIGGER live_count_insert AFTER INSERT ON events WHEN NEW.deleted_at IS NULL BEGIN "
        "INSERT INTO live_event_counts (incident_id, n) VALUES (NEW.incident_id, 1) "
        "ON CONFLICT (incident_id) DO UPDATE SET n = n + 1; END",
        "CREATE TRIGGER live_count_delete AFTER DELETE ON events WHEN OLD.deleted_at IS NULL BEGIN "
        "UPDATE live_event_counts SET n = n - 1 WHERE incident_id = OLD.incident_id; END",
        "CREATE TRIGGER live_count_update AFTER UPDATE OF deleted_at, incident_id ON events BEGIN "
        "UPDATE live_event_counts SET n = n - 1 WHERE incident_id = OLD.incident_id AND OLD.deleted_at IS NULL; "
        "INSERT INTO live_event_counts (incident_id, n) SELECT NEW.incident_id, 1 WHERE NEW.deleted_at IS NULL "
        "ON CONFLICT (incident_id) DO UPDATE SET n = n + 1; END",
    ):
        db.execute(statement)


#: MIGRATIONS[n] takes a file at version n-1 to version n.
MIGRATIONS: dict[int, Callable[[Database], None]] = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6}
