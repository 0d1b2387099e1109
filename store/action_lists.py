"""Action items across incidents: one incident's or all, one owner's, those overdue on a day, and deadlines.

The overdue filter is SQLite's (a deadline is stored as YYYY-MM-DD, so text order is date order), so
only the rows asked for are read: 20,000 of 50,000 in a large library.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from warroom.store.kinds import CLOSED_ACTION_STATUSES


def action_rows(
    conn: sqlite3.Connection, incident_id: str | None, owner: str | None, overdue_on: dt.date | None
) -> list[Any]:
    """Rows of the live action items asked for, by incident then number."""
    where, params = ["deleted_at IS NULL"], []
    if incident_id is not None:
        where.append("incident_id=?")
        params.append(incident_id)
    if owner is not None:
        where.append("lower(owner)=lower(?)")
        params.append(owner)
    if overdue_on is not None:
        closed = [s.value for s in CLOSED_ACTION_STATUSES]
        where.append(f"deadline IS NOT NULL AND deadline < ? AND status NOT IN ({', '.join('?' * len(closed))})")
        params += [overdue_on.isoformat(), *closed]
    sql = f"SELECT * FROM action_items WHERE {' AND '.join(where)} ORDER BY incident_id, number"
    return conn.execute(sql, params).fetchall()


def deadlines(conn: sqlite3.Connection) -> list[tuple[str, str, str, str | None]]:
    """(incident id, deadline, status, done_at as stored) of every live action item that has a deadline."""
    rows = conn.execute(
        "SELECT incident_id, deadline, status, done_at FROM action_items"
        " WHERE deleted_at IS NULL AND deadline IS NOT NULL"
    ).fetchall()
    return [tuple(row) for row in rows]
