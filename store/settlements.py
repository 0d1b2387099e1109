"""Hypothesis rows: the hypothesis events of an incident and the `hypotheses` table that settles them.

A settlement says a hypothesis was ruled out or confirmed, why, and by which timeline note
(store/hypotheses.py has the rules; these are its records and queries, all the timeline needs to mark them).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from warroom.store.timeparse import from_db, to_db


class HypothesisStatus(StrEnum):
    """Where a hypothesis stands."""

    OPEN = "open"
    RULED_OUT = "ruled out"
    CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Settlement:
    """How a hypothesis was settled: ruled out or confirmed, why, by which note, when."""

    event_id: int
    status: HypothesisStatus
    reason: str
    settled_by: int | None
    settled_at: dt.datetime


def settlements(conn: sqlite3.Connection, incident_id: str) -> dict[int, Settlement]:
    """Every settlement of the incident's hypotheses, by hypothesis event id."""
    rows = conn.execute(
        "SELECT event_id, status, reason, settled_by, settled_at FROM hypotheses WHERE incident_id=?",
        (incident_id,),
    ).fetchall()
    return {int(r[0]): _settlement(r) for r in rows}


def _settlement(row: Any) -> Settlement:
    """A row of the hypotheses table as a record."""
    settled_at = from_db(row[4])
    assert settled_at is not None
    return Settlement(int(row[0]), HypothesisStatus(row[1]), str(row[2]), row[3], settled_at)


def statuses(conn: sqlite3.Connection, incident_id: str) -> dict[int, HypothesisStatus]:
    """Where each settled hypothesis stands, by event id; open ones are absent."""
    rows = conn.execute("SELECT event_id, status FROM hypotheses WHERE incident_id=?", (incident_id,))
    return {int(r[0]): HypothesisStatus(r[1]) for r in rows.fetchall()}


def hypothesis_rows(conn: sqlite3.Connection, incident_id: str) -> list[Any]:
    """The rows of the incident's live hypothesis events in timeline order (not the rest of the timeline)."""
    return conn.execute(
        # The literal kind lets SQLite use the partial index idx_events_hypotheses.
        "SELECT * FROM events WHERE incident_id=? AND kind = 'hypothesis' AND deleted_at IS NULL"
        " ORDER BY occurred_at, id",
        (incident_id,),
    ).fetchall()


def open_hypothesis_rows(conn: sqlite3.Connection, incident_id: str, limit: int) -> list[Any]:
    """The rows of the first `limit` live hypotheses nobody ruled out or confirmed, in timeline order."""
    return conn.execute(
        # idx_events_hypotheses in timeline order, each checked by its key in `hypotheses`: stops after `limit`.
        "SELECT * FROM events e WHERE incident_id=? AND kind = 'hypothesis' AND deleted_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM hypotheses h WHERE h.event_id = e.id) ORDER BY occurred_at, id LIMIT ?",
        (incident_id, limit),
    ).fetchall()


def is_settled(conn: sqlite3.Connection, event_id: int) -> bool:
    """Whether hypothesis `event_id` is ruled out or confirmed."""
    return conn.execute("SELECT 1 FROM hypotheses WHERE event_id=?", (event_id,)).fetchone() is not None


def record(conn: sqlite3.Connection, incident_id: str, settlement: Settlement) -> None:
    """Store a settlement (inside the caller's write transaction)."""
    conn.execute(
        "INSERT INTO hypotheses (event_id, incident_id, status, reason, settled_by, settled_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            settlement.event_id,
            incident_id,
            settlement.status.value,
            settlement.reason,
            settlement.settled_by,
            to_db(settlement.settled_at),
        ),
    )


def forget(conn: sqlite3.Connection, event_id: int) -> None:
    """Remove hypothesis `event_id`'s settlement (inside the caller's write transaction)."""
    conn.execute("DELETE FROM hypotheses WHERE event_id=?", (event_id,))
