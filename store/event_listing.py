"""`warroom event list`'s read: the timeline a page at a time, deleted events included when asked for.

Pages follow the (occurred_at, id) key of the last row read, so each is one indexed range read and
memory holds one page, however long the timeline; the order is `Reads.events`'.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from warroom.store.reads import Reads
from warroom.store.records import Event
from warroom.store.rows import events_from_rows

_FIRST = "SELECT * FROM events WHERE incident_id=? {live} ORDER BY occurred_at, id LIMIT ?"
_AFTER = (
    "SELECT * FROM events WHERE incident_id=? {live} AND (occurred_at, id) > (?, ?) ORDER BY occurred_at, id LIMIT ?"
)


def event_pages(reads: Reads, incident_id: str, size: int, *, include_deleted: bool = False) -> Iterator[list[Event]]:
    """The timeline in time order (ties in logged order), `size` events at a time; never an empty page."""
    live = "" if include_deleted else "AND deleted_at IS NULL"
    first, after = _FIRST.format(live=live), _AFTER.format(live=live)
    params: tuple[Any, ...] = (incident_id, size)
    sql = first
    while rows := reads.conn.execute(sql, params).fetchall():
        yield events_from_rows(rows)
        # As stored, so the next page starts exactly after the last row.
        sql, params = after, (incident_id, rows[-1]["occurred_at"], rows[-1]["id"], size)
