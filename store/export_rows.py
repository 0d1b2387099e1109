"""The live timeline as the exports read it: plain tuples of the columns each writes, from one query, a batch at a time.

The render reads the events once (and feeds them to the gap check's lint); what it needs to know about
all of them before its first row (the clock's minutes) and the lint's team names are aggregate queries
over the timeline's index, and the hypotheses section reads only the hypothesis rows. 1M `Event`
records would cost more than everything else the export does; each column read costs too, so the
Markdown export reads the six it shows.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from warroom.store.records import HypothesisRow, TimelineRow
from warroom.store.rows import paused_gc
from warroom.store.store import Store

#: The events columns an export reads: a `TimelineRow`'s fields.
COLUMNS: tuple[str, ...] = TimelineRow._fields
#: The columns the Markdown timeline shows, in the order its rows (plain tuples) hold them.
MARKDOWN_COLUMNS: tuple[str, ...] = ("occurred_at", "text", "kind", "team", "milestone", "starred")
#: Where a Markdown row holds the stored time, the text and the team.
MARKDOWN_LINTED: tuple[int, int, int] = (0, 1, 3)


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


def without_gc(chunks: Generator[str, None, None]) -> Generator[str, None, None]:
    """An export's pieces, made with cyclic garbage collection held off: they and their rows form no cycles,
    and a million rows would otherwise set off the collector thousands of times between batches."""
    with paused_gc():
        yield from chunks


#: Bytes, roughly, of one piece an export yields for writing: a batch's text in pieces this small is allocated
#: from memory the process already has, where a piece of megabytes takes fresh pages (each a page fault) every time.
PIECE_SIZE = 64_000


def pieces(items: list[str], size: int) -> Iterator[list[str]]:
    """`items` in consecutive runs of about `size` characters between them (by the first item's length)."""
    step = max(1, size // max(1, len(items[0]) if items else 1))
    for start in range(0, len(items), step):
        yield items[start : start + step]


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
        while True:
            with paused_gc():  # 5,000 rows of new tuples would otherwise set off the cyclic collector a dozen times
                batch = cursor.fetchmany(size)
            if not batch:
                break
            yield batch
    finally:
        with contextlib.suppress(sqlite3.ProgrammingError):  # the store was closed before the reader let go
            cursor.close()


#: `HypothesisRow._make` without its length check (the query selects exactly its fields), called from C by map:
#: the row costs what the bare tuple did.
_hypothesis_row = partial(tuple.__new__, HypothesisRow)
#: The minute of a stored time in `to_db`'s form (export_clock.minute_of: 27 characters, the 17th `:`, the last `Z`),
#: else the time with `_APART` after it, so that it can never be taken for a minute (16 characters).
#: GLOB's `?` is one character, as Python counts them; unlike LIKE it tells `Z` from `z`.
_MINUTE_OR_STAMP = (
    "CASE WHEN occurred_at GLOB '????????????????:?????????Z' THEN substr(occurred_at, 1, 16)"
    " ELSE occurred_at || '{apart}' END"
)
_APART = "~" * 17
_MINUTE_LENGTH = 16


def stream_stamps(store: Store, incident_id: str, given: Timeline | None = None) -> Iterator[str]:
    """Stored times that make the timeline's `TimelineClock` (in no particular order): one per minute, and the rest.

    A minute of times in `to_db`'s form shows as one HH:MM, so one stamp at its start stands for all of
    them; a time in any other form comes as it is. Read with one aggregate query over the timeline's
    index: a million events are some 17,000 minutes, found without reading a row.
    """
    if given is not None:
        for batch in stream_timeline(store, incident_id, ("occurred_at",), given):
            for (stamp,) in batch:
                yield stamp
        return
    cursor = store.conn.cursor()
    cursor.row_factory = None
    minute_or_stamp = _MINUTE_OR_STAMP.format(apart=_APART)
    sql = f"SELECT DISTINCT {minute_or_stamp} FROM events WHERE incident_id=? AND deleted_at IS NULL"
    for (value,) in cursor.execute(sql, (incident_id,)).fetchall():
        # A minute stands for its times by the stamp at its start; any other time is given as it is.
        yield f"{value}:00.000000Z" if len(value) == _MINUTE_LENGTH else value[: -len(_APART)]


def live_teams(store: Store, incident_id: str) -> set[str]:
    """The teams named on the incident's live timeline (for the lint, which knows them as people's names)."""
    cursor = store.conn.cursor()
    cursor.row_factory = None
    sql = "SELECT DISTINCT team FROM events WHERE incident_id=? AND deleted_at IS NULL"
    return {str(team) for (team,) in cursor.execute(sql, (incident_id,)).fetchall()}


def stream_hypotheses(store: Store, incident_id: str, by_id: bool = False) -> Iterator[list[HypothesisRow]]:
    """The live hypotheses with their settlements, in timeline order (or by id), a batch at a time.

    Read without building their records: a timeline of a million events may hold 100k hypotheses.
    """
    order = "e.id" if by_id else "e.occurred_at, e.id"
    cursor = store.conn.cursor()
    cursor.row_factory = None
    cursor.execute(
        # The literal kind lets SQLite use the partial index idx_events_hypotheses.
        "SELECT e.id, e.occurred_at, e.text, h.status, h.reason, h.settled_at, s.id, s.occurred_at FROM events e"
        " LEFT JOIN hypotheses h ON h.event_id = e.id AND h.incident_id = e.incident_id"
        " LEFT JOIN events s ON s.id = h.settled_by AND s.incident_id = e.incident_id AND s.deleted_at IS NULL"
        f" WHERE e.incident_id=? AND e.kind = 'hypothesis' AND e.deleted_at IS NULL ORDER BY {order}",
        (incident_id,),
    )
    try:
        while True:
            with paused_gc():
                batch = list(map(_hypothesis_row, cursor.fetchmany(BATCH_ROWS)))
            if not batch:
                break
            yield batch
    finally:
        with contextlib.suppress(sqlite3.ProgrammingError):  # the store was closed before the reader let go
            cursor.close()


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
