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


def followup_head(conn: sqlite3.Connection, today: dt.date, limit: int) -> tuple[list[int], list[Any]]:
    """What the follow-through screen shows first, while its open action items are read in full: how many live
    open items each open group holds (by `followup.GROUP_ORDER`'s first four: overdue, due this week, later, no
    deadline), and the first `limit` of them in its order, each row with its group's index last.

    The order is SQLite's: owners by trimmed lower case (ASCII only), unassigned last, then deadline, priority,
    incident and number; the screen's own order, read in full straight after, decides in the end.
    """
    closed = [s.value for s in CLOSED_ACTION_STATUSES]
    day, week = today.isoformat(), (today + dt.timedelta(days=7)).isoformat()
    group = "CASE WHEN deadline IS NULL THEN 3 WHEN deadline < ? THEN 0 WHEN deadline <= ? THEN 1 ELSE 2 END"
    live = f"deleted_at IS NULL AND status NOT IN ({', '.join('?' * len(closed))})"
    found = [0, 0, 0, 0]
    for n, count in conn.execute(
        f"SELECT {group}, count(*) FROM action_items NOT INDEXED WHERE {live} GROUP BY 1", [day, week, *closed]
    ):
        found[n] = count
    rows = conn.execute(
        f"SELECT *, {group} AS grp FROM action_items NOT INDEXED WHERE {live} ORDER BY grp,"
        " trim(owner) = '', lower(trim(owner)), deadline IS NULL, deadline, priority, incident_id, number LIMIT ?",
        [day, week, *closed, limit],
    ).fetchall()
    return found, rows
