"""Action items across incidents: one incident's or all, one owner's, those overdue on a day, and deadlines.

The overdue filter is SQLite's (a deadline is stored as YYYY-MM-DD, so text order is date order), so
only the rows asked for are read: 20,000 of 50,000 in a large library.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import string
from typing import Any

from warroom.store.kinds import CLOSED_ACTION_STATUSES

#: The owner order in SQL, as idx_actions_followup (migrations.py, V14) holds it, so that the first screenful
#: is read by walking that index: SQLite's trim() takes off spaces only and its lower() folds A-Z only.
OWNER_ORDER_SQL = "trim(owner) = '', lower(trim(owner))"

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def owner_order(owner: str) -> tuple[bool, str]:
    """Where an owner goes: unassigned (blank) last, then by name with surrounding spaces taken off and A-Z
    compared without case; any other character (É, ö, a tab) by its code point, as SQLite compares text.

    Exactly OWNER_ORDER_SQL: Python's own strip() and lower() (all whitespace, every script) would put "Éva"
    and "émile" in another order than the first screenful did, and rows jumped when the full list came in.
    Owners with the same key are one owner in the list.
    """
    trimmed = owner.strip(" ")
    return (not trimmed, trimmed.translate(_ASCII_LOWER))


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


#: The open live action items, as idx_actions_followup and idx_actions_open_deadline (migrations.py, V14) hold
#: them: the same literal terms, so SQLite knows the partial indexes have every row asked for.
_OPEN_LIVE = "deleted_at IS NULL AND status NOT IN ('done', 'won''t do')"
#: Each open group's deadlines (`followup.GROUP_ORDER`'s first four): overdue, due this week, later, no deadline.
_GROUP_DEADLINES = ("deadline < :day", "deadline >= :day AND deadline <= :week", "deadline > :week", "deadline IS NULL")
#: A group with at most this many items has its first ones sorted from the deadline index; a larger one is walked
#: in order, where its items are dense enough to fill a screenful after a short walk.
_SORTED_UP_TO = 1000


def followup_head(conn: sqlite3.Connection, today: dt.date, limit: int) -> tuple[list[int], list[Any]]:
    """What the follow-through screen shows first, while its open action items are read in full: how many live
    open items each open group holds (by `followup.GROUP_ORDER`'s first four: overdue, due this week, later, no
    deadline), and the first `limit` of them in its order, each row with its group's index last.

    The order is the screen's (`owner_order`, unassigned last, then deadline, priority, incident and
    number), so the full read straight after moves no row. Both reads stay on the open items' indexes: a few
    thousand index entries, not every action item twice.
    """
    assert {s.value for s in CLOSED_ACTION_STATUSES} == {"done", "won't do"}, "_OPEN_LIVE names the closed statuses"
    params = {"day": today.isoformat(), "week": (today + dt.timedelta(days=7)).isoformat()}
    found = [
        int(
            conn.execute(
                f"SELECT count(*) FROM action_items INDEXED BY idx_actions_open_deadline WHERE {_OPEN_LIVE} AND {cut}",
                params,
            ).fetchone()[0]
        )
        for cut in _GROUP_DEADLINES
    ]
    rows: list[Any] = []
    for n, cut in enumerate(_GROUP_DEADLINES):
        if len(rows) >= limit:
            break
        if not found[n]:
            continue
        index = "idx_actions_open_deadline" if found[n] <= _SORTED_UP_TO else "idx_actions_followup"
        rows += conn.execute(
            f"SELECT *, {n} AS grp FROM action_items INDEXED BY {index} WHERE {_OPEN_LIVE} AND {cut} ORDER BY"
            f" {OWNER_ORDER_SQL}, deadline, priority, incident_id, number LIMIT :limit",
            {**params, "limit": limit - len(rows)},
        ).fetchall()
    return found, rows
