"""How many hypotheses of an incident are open: one row of open_hypothesis_counts, kept by triggers (V14).

The triggers on events and hypotheses (store/migrations.py) add one when a live hypothesis appears or its
settlement is undone and take one away when it is ruled out, confirmed, deleted or changes kind, so the review
screen of a million-event incident reads one row instead of counting 125,000 open hypotheses.
"""

from __future__ import annotations

import sqlite3


def open_total(conn: sqlite3.Connection, incident_id: str) -> int:
    """The incident's count of live hypotheses neither ruled out nor confirmed (0 when it never had one)."""
    try:
        row = conn.execute("SELECT n FROM open_hypothesis_counts WHERE incident_id=?", (incident_id,)).fetchone()
    except sqlite3.OperationalError:
        # A hand-edited file without the table: counted the long way instead of failing the review screen.
        row = conn.execute(
            "SELECT COUNT(*) FROM events e WHERE e.incident_id=? AND e.kind='hypothesis' AND e.deleted_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM hypotheses h WHERE h.event_id = e.id)",
            (incident_id,),
        ).fetchone()
    return max(int(row[0]), 0) if row is not None else 0
