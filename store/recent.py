"""The latest events of a kind: what the catch-up and a stakeholder update read of the timeline.

Each query walks one index from the newest end and stops after a few rows, however long the
timeline is (the catch-up of a 100k-event incident reads a handful of rows).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from warroom.store.kinds import EventKind

_OPEN = "AND NOT EXISTS (SELECT 1 FROM hypotheses h WHERE h.event_id = e.id) "


def last_update(conn: sqlite3.Connection, incident_id: str) -> Any:
    """The row of the latest live stakeholder update (by when it happened), or None."""
    # The WHERE is idx_events_updates' own (literal, so the planner can use it): one index step, however
    # long the timeline and however many other comms events it has.
    return conn.execute(
        "SELECT * FROM events WHERE incident_id=? AND kind = 'comms' AND deleted_at IS NULL "
        "AND lower(substr(text, 1, 18)) = 'stakeholder update' ORDER BY occurred_at DESC, id DESC LIMIT 1",
        (incident_id,),
    ).fetchone()


def latest(conn: sqlite3.Connection, incident_id: str, kind: EventKind, limit: int) -> list[Any]:
    """Rows of the latest `limit` live events of one kind, newest first; of hypotheses, only open ones."""
    settled = _OPEN if kind is EventKind.HYPOTHESIS else ""
    return conn.execute(
        f"SELECT * FROM events e WHERE incident_id=? AND deleted_at IS NULL AND kind=? {settled}"
        "ORDER BY occurred_at DESC, id DESC LIMIT ?",
        (incident_id, kind.value, limit),
    ).fetchall()


def being_done(conn: sqlite3.Connection, incident_id: str, limit: int) -> list[str]:
    """The texts of the latest `limit` live actions and decisions, oldest first."""
    rows = conn.execute(
        "SELECT text FROM events WHERE incident_id=? AND deleted_at IS NULL AND kind IN ('action', 'decision') "
        "ORDER BY occurred_at DESC, id DESC LIMIT ?",
        (incident_id, limit),
    ).fetchall()
    return [str(r["text"]) for r in reversed(rows)]
