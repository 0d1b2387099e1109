"""Milestone events: the earliest live event of each milestone decides the incident's key time of that name."""

from __future__ import annotations

import datetime as dt
import sqlite3

from warroom.store.timeparse import from_db


def earliest(conn: sqlite3.Connection, incident_id: str) -> dict[str, str]:
    """Milestone name -> the time of its earliest live event, as stored."""
    rows = conn.execute(
        "SELECT milestone, MIN(occurred_at) AS at FROM events WHERE incident_id=? AND deleted_at IS NULL "
        "AND milestone IS NOT NULL GROUP BY milestone",
        (incident_id,),
    ).fetchall()
    return {str(r["milestone"]): r["at"] for r in rows}


def deciding(conn: sqlite3.Connection, incident_id: str) -> dict[str, tuple[int, dt.datetime]]:
    """Milestone name -> (id, time) of the earliest live event that decides it."""
    rows = conn.execute(
        "SELECT id, milestone, occurred_at FROM events WHERE incident_id=? AND deleted_at IS NULL "
        "AND milestone IS NOT NULL ORDER BY occurred_at DESC, id DESC",
        (incident_id,),
    ).fetchall()
    # Newest first, so the earliest of each milestone is the one left in the dict.
    found: dict[str, tuple[int, dt.datetime]] = {}
    for row in rows:
        moment = from_db(row["occurred_at"])
        assert moment is not None
        found[row["milestone"]] = (row["id"], moment)
    return found
