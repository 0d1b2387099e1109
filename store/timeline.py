"""Reading a long timeline cheaply: keyset pages, positions, and what changed since the last look.

A timeline is the incident's live events in (occurred_at, id) order; idx_events_live covers exactly
that, so a count or an OFFSET walks the index without touching the table, and a keyset page (rows
after or before a known key) costs the same at row 100,000 as at row 1.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, NamedTuple

#: An event's place in time order: its occurred_at exactly as stored, then its id.
EventKey = tuple[str, int]

_LIVE = "FROM events WHERE incident_id=? AND deleted_at IS NULL"


class Marker(NamedTuple):
    """How far the file had got: the highest ids of the tables whose rows the screens show."""

    events: int
    revisions: int
    factors: int
    actions: int
    links: int


class TimelineChanges(NamedTuple):
    """What happened to one incident since a marker."""

    marker: Marker
    #: (key before, key after) of each event added, edited, deleted or restored; None = not in the timeline.
    moves: list[tuple[EventKey | None, EventKey | None]]
    #: Anything else on the incident (its fields, factors, action items or their links) may have changed.
    others: bool
    #: The key of the timeline's last live event now (None when it is empty).
    last: EventKey | None
    #: A milestone event was added, changed or removed (the incident's key times may have moved).
    milestones: bool = False

    @property
    def count_delta(self) -> int:
        """How many more live events there are now."""
        return sum((after is not None) - (before is not None) for before, after in self.moves)

    @property
    def reordered(self) -> bool:
        """Whether any event entered, left or moved within the timeline (not just edited in place)."""
        return any(before != after for before, after in self.moves)


def marker(conn: sqlite3.Connection) -> Marker:
    """The current marker: five rowid maxima, each a single b-tree descent."""
    row = conn.execute(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM events), (SELECT COALESCE(MAX(id), 0) FROM revisions), "
        "(SELECT COALESCE(MAX(id), 0) FROM factors), (SELECT COALESCE(MAX(id), 0) FROM action_items), "
        "(SELECT COALESCE(MAX(rowid), 0) FROM factor_events)"
    ).fetchone()
    return Marker(*(int(v) for v in row))


def changes_since(conn: sqlite3.Connection, incident_id: str, since: Marker) -> TimelineChanges:
    """What changed for one incident after `since` (call inside one read transaction with `marker`).

    New events are the rows above the old highest id. Every edit, deletion or restore of a row keeps
    its previous state as a revision, so the first revision after the marker tells where an edited
    event stood then; no table is scanned.
    """
    now = marker(conn)
    if now == since:
        return TimelineChanges(now, [], False, last_key(conn, incident_id))
    moves: list[tuple[EventKey | None, EventKey | None]] = []
    # `+incident_id` keeps the planner on the rowid range (a few new rows) instead of the incident's index.
    new_rows = conn.execute(
        "SELECT id, occurred_at, milestone FROM events WHERE id > ? AND +incident_id = ? AND deleted_at IS NULL",
        (since.events, incident_id),
    ).fetchall()
    moves += [(None, (str(r[1]), int(r[0]))) for r in new_rows]
    milestones = any(r[2] for r in new_rows)
    revised = conn.execute(
        "SELECT record_type, record_id, data FROM revisions WHERE id > ? ORDER BY id", (since.revisions,)
    ).fetchall()
    others = now[2:] != since[2:] or any(r[0] != "event" for r in revised)
    before: dict[int, EventKey | None] = {}
    for kind, record_id, data in revised:
        event_id = int(record_id) if kind == "event" else 0
        if kind != "event" or event_id in before or event_id > since.events:
            continue  # only the state at the marker matters; events added since are already counted
        old = json.loads(data)
        milestones = milestones or (bool(old.get("milestone")) and old.get("incident_id") == incident_id)
        live = old.get("deleted_at") is None and old.get("incident_id") == incident_id
        before[event_id] = (str(old["occurred_at"]), event_id) if live else None
    if before:
        marks = ",".join("?" * len(before))
        current = conn.execute(
            f"SELECT id, occurred_at, incident_id, deleted_at, milestone FROM events WHERE id IN ({marks})",
            list(before),
        ).fetchall()
        milestones = milestones or any(r[4] and r[2] == incident_id for r in current)
        after: dict[int, EventKey | None] = {
            int(r[0]): (str(r[1]), int(r[0])) if r[3] is None and r[2] == incident_id else None for r in current
        }
        for event_id, old_key in before.items():
            new_key = after.get(event_id)
            if old_key is not None or new_key is not None:
                moves.append((old_key, new_key))
    return TimelineChanges(now, moves, others, last_key(conn, incident_id), milestones)


def last_key(conn: sqlite3.Connection, incident_id: str) -> EventKey | None:
    """The key of the newest live event in time order."""
    row = conn.execute(f"SELECT occurred_at, id {_LIVE} ORDER BY occurred_at DESC, id DESC LIMIT 1", (incident_id,))
    found = row.fetchone()
    return None if found is None else (str(found[0]), int(found[1]))


def count(conn: sqlite3.Connection, incident_id: str) -> int:
    """Live events in the timeline: one row the triggers keep (schema 6), not a walk of a million index entries."""
    found = conn.execute("SELECT n FROM live_event_counts WHERE incident_id=?", (incident_id,)).fetchone()
    return 0 if found is None else int(found[0])


def position(conn: sqlite3.Connection, incident_id: str, key: EventKey) -> int:
    """How many live events come before `key` in time order."""
    occurred_at, event_id = key
    # Two range counts on the index are cheaper than one row-value comparison evaluated per entry.
    earlier = conn.execute(f"SELECT COUNT(*) {_LIVE} AND occurred_at < ?", (incident_id, occurred_at)).fetchone()[0]
    same = conn.execute(
        f"SELECT COUNT(*) {_LIVE} AND occurred_at = ? AND id < ?", (incident_id, occurred_at, event_id)
    ).fetchone()[0]
    return int(earlier) + int(same)


def rows_after(
    conn: sqlite3.Connection, incident_id: str, key: EventKey | None, limit: int, *, include_deleted: bool = False
) -> list[sqlite3.Row]:
    """Up to `limit` live events (deleted ones too, when asked) after `key` (from the first when None), in time
    order."""
    events = "FROM events WHERE incident_id=?" if include_deleted else _LIVE
    if key is None:
        return conn.execute(f"SELECT * {events} ORDER BY occurred_at, id LIMIT ?", (incident_id, limit)).fetchall()
    return conn.execute(
        f"SELECT * {events} AND (occurred_at, id) > (?, ?) ORDER BY occurred_at, id LIMIT ?",
        (incident_id, *key, limit),
    ).fetchall()


def rows_before(conn: sqlite3.Connection, incident_id: str, key: EventKey | None, limit: int) -> list[sqlite3.Row]:
    """Up to `limit` live events before `key` (up to the last when None), in time order."""
    if key is None:
        rows = conn.execute(
            f"SELECT * {_LIVE} ORDER BY occurred_at DESC, id DESC LIMIT ?", (incident_id, limit)
        ).fetchall()
    else:
        rows = conn.execute(
            f"SELECT * {_LIVE} AND (occurred_at, id) < (?, ?) ORDER BY occurred_at DESC, id DESC LIMIT ?",
            (incident_id, *key, limit),
        ).fetchall()
    rows.reverse()
    return rows


def key_of(conn: sqlite3.Connection, incident_id: str, event_id: int) -> EventKey | None:
    """The key of one event of the incident, deleted or not (None when the incident has no such event)."""
    row = conn.execute("SELECT occurred_at, id FROM events WHERE id=? AND incident_id=?", (event_id, incident_id))
    found = row.fetchone()
    return None if found is None else (found[0], int(found[1]))


def next_marked(conn: sqlite3.Connection, incident_id: str, key: EventKey, direction: int) -> Any:
    """The nearest live milestone or starred event after (direction > 0) or before `key`."""
    # A keyset walk along idx_events_timeline: cost grows with the distance to the mark, never with OFFSET.
    compare, order = (">", "") if direction > 0 else ("<", " DESC")
    return conn.execute(
        f"SELECT * {_LIVE} AND (starred = 1 OR milestone IS NOT NULL) AND (occurred_at, id) {compare} (?, ?) "
        f"ORDER BY occurred_at{order}, id{order} LIMIT 1",
        (incident_id, *key),
    ).fetchone()


def first_from(conn: sqlite3.Connection, incident_id: str, occurred_at: str | None) -> Any:
    """The row of the first live event at or after `occurred_at` (as stored), or None."""
    return conn.execute(
        f"SELECT * {_LIVE} AND occurred_at >= ? ORDER BY occurred_at, id LIMIT 1", (incident_id, occurred_at)
    ).fetchone()


def rows_at(
    conn: sqlite3.Connection, incident_id: str, start: int, limit: int, total: int | None = None
) -> list[sqlite3.Row]:
    """Live events at positions start..start+limit; knowing `total`, the walk starts from the nearer end."""
    if start < 0 or limit <= 0 or (total is not None and start >= total):
        return []
    stop = start + limit if total is None else min(start + limit, total)
    if total is None or start <= total - stop:
        return conn.execute(
            f"SELECT * {_LIVE} ORDER BY occurred_at, id LIMIT ? OFFSET ?", (incident_id, stop - start, start)
        ).fetchall()
    rows = conn.execute(
        f"SELECT * {_LIVE} ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?",
        (incident_id, stop - start, total - stop),
    ).fetchall()
    rows.reverse()
    return rows
