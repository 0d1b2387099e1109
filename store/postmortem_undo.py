"""Taking back a change to a post-mortem's stage, owner or due date (ctrl+z in the TUI).

`save` keeps each replaced row in `revisions`; undo needs the exact row from before one change, so the
caller takes a `snapshot` before the change and `put_back` restores it (keeping the state it replaces
as a revision too, so nothing is lost). A snapshot of None means there was no row: a plain draft.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from warroom.store.timeparse import to_db

_COLUMNS = ("status", "owner", "review_due", "reviewed_at", "published_at", "updated_at")


def snapshot(conn: sqlite3.Connection, incident_id: str) -> dict[str, Any] | None:
    """The post-mortem's stored row as it is now (None: nothing was ever set)."""
    row = conn.execute("SELECT * FROM postmortems WHERE incident_id = ?", (incident_id,)).fetchone()
    return None if row is None else {name: row[name] for name in _COLUMNS}


def put_back(conn: sqlite3.Connection, incident_id: str, saved: dict[str, Any] | None, now: dt.datetime) -> None:
    """Restore a snapshot inside the caller's write transaction; the current row is kept as a revision."""
    current = conn.execute("SELECT * FROM postmortems WHERE incident_id = ?", (incident_id,)).fetchone()
    if current is not None:
        conn.execute(
            "INSERT INTO revisions (record_type, record_id, data, replaced_at) VALUES ('postmortem', ?, ?, ?)",
            (incident_id, json.dumps(dict(current), sort_keys=True), to_db(now)),
        )
    if saved is None:
        conn.execute("DELETE FROM postmortems WHERE incident_id = ?", (incident_id,))
        return
    conn.execute(
        "INSERT OR REPLACE INTO postmortems (incident_id, status, owner, review_due, reviewed_at, published_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (incident_id, *(saved[name] for name in _COLUMNS)),
    )
