"""The live timeline as the exports read it: plain tuples from one query, no records built.

`warroom export` reads it once and hands it to both the gap check and the render; 100k Event
models (or even light named tuples) would cost more than everything else the export does.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from warroom.store.rows import paused_gc
from warroom.store.store import Store


@dataclass(frozen=True, eq=False)
class Timeline:
    """One incident's live events in time order, each a tuple of `columns` as stored."""

    incident_id: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def column(self, name: str) -> list[Any]:
        """Every row's value of one column."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def rows_of(self, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        """The rows as tuples of `columns` (the rows themselves when those are what was read)."""
        if tuple(columns) == self.columns:
            return self.rows
        indexes = [self.columns.index(name) for name in columns]
        return [tuple(row[i] for i in indexes) for row in self.rows]


def timeline_of(store: Store, incident_id: str, columns: Sequence[str], given: Timeline | None) -> Timeline:
    """`given` (read by the caller, which must have read it for this incident), else the timeline read now."""
    if given is None:
        return read_timeline(store, incident_id, columns)
    if given.incident_id != incident_id:
        raise ValueError(f"the timeline of {given.incident_id} given for {incident_id}")
    return given


def read_timeline(store: Store, incident_id: str, columns: Sequence[str]) -> Timeline:
    """The incident's live events (columns of the events table), ordered as the timeline is: occurred_at, id."""
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: sqlite3.Row costs a third more at 100k rows
    sql = f"SELECT {', '.join(columns)} FROM events WHERE incident_id=? AND deleted_at IS NULL ORDER BY occurred_at, id"
    with paused_gc():  # 100k new tuples would otherwise set off the cyclic collector hundreds of times
        rows = cursor.execute(sql, (incident_id,)).fetchall()
    return Timeline(incident_id, tuple(columns), rows)


#: Rows per batch when a timeline is streamed: a few MB at a time, whatever the incident's size.
BATCH_ROWS = 5_000


def stream_timeline(
    store: Store, incident_id: str, columns: Sequence[str], given: Timeline | None = None, size: int | None = None
) -> Iterator[list[tuple[Any, ...]]]:
    """The live timeline (rows of `columns`, in timeline order) in batches of at most `size` rows.

    From `given` when the caller has read it already, else from one query read a batch at a time, so
    an export of a million events holds one batch in memory, not the incident.
    """
    size = size or BATCH_ROWS
    if given is not None:
        rows = timeline_of(store, incident_id, columns, given).rows_of(columns)
        for start in range(0, len(rows), size):
            yield rows[start : start + size]
        return
    cursor = store.conn.cursor()
    cursor.row_factory = None
    sql = f"SELECT {', '.join(columns)} FROM events WHERE incident_id=? AND deleted_at IS NULL ORDER BY occurred_at, id"
    cursor.execute(sql, (incident_id,))
    try:
        while batch := cursor.fetchmany(size):
            yield batch
    finally:
        with contextlib.suppress(sqlite3.ProgrammingError):  # the store was closed before the reader let go
            cursor.close()


def stream_stamps(store: Store, incident_id: str, given: Timeline | None = None) -> Iterator[str]:
    """Every live event's occurred_at (in no particular order), read a batch at a time."""
    for batch in stream_timeline(store, incident_id, ("occurred_at",), given):
        for (stamp,) in batch:
            yield stamp


def live_linked(store: Store, incident_id: str, event_ids: Iterable[int]) -> list[tuple[int, str]]:
    """(id, occurred_at) of the given events that are live events of the incident, in timeline order."""
    wanted = sorted(set(event_ids))
    if not wanted:
        return []
    cursor = store.conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(
        "SELECT id, occurred_at FROM events WHERE incident_id=? AND deleted_at IS NULL "
        "AND id IN (SELECT value FROM json_each(?)) ORDER BY occurred_at, id",
        (incident_id, json.dumps(wanted)),
    ).fetchall()
    return [(int(event_id), str(stamp)) for event_id, stamp in rows]
