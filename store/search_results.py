"""Search results made readable: which incident, where in it (timeline, cause, action item, write-up), a snippet.

A query module: `Reads.search_results` hands it its connection.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass

from warroom.store.search import HIGHLIGHT, INCIDENT_FIELDS, SearchHit, search_with_note
from warroom.store.text import visible_line
from warroom.store.timeparse import from_db

_MARKED = re.compile(re.escape(HIGHLIGHT[0]) + "(.*?)" + re.escape(HIGHLIGHT[1]))
_FACTOR_NAMES = {"root": "root cause", "contributing": "contributing factor", "trigger": "trigger"}
_FIELD_NAMES = {name: name.replace("_", " ") for name in INCIDENT_FIELDS}


@dataclass(frozen=True)
class SearchResult:
    """One match, ranked: the incident it is in, where, and the words around it with the match marked «so»."""

    rank: int
    incident_id: str
    incident_title: str
    record_type: str
    record_id: int | str
    where: str
    snippet: str
    event_id: int | None = None
    occurred_at: dt.datetime | None = None

    def to_json(self) -> dict[str, object]:
        """A plain dict for `--json`."""
        return {
            "rank": self.rank,
            "incident_id": self.incident_id,
            "incident_title": self.incident_title,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "where": self.where,
            "snippet": self.snippet,
            "event_id": self.event_id,
            "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None,
        }


def marked_parts(snippet: str) -> list[tuple[str, bool]]:
    """The snippet as (text, is_match) pieces, for showing the matches highlighted."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in _MARKED.finditer(snippet):
        if match.start() > last:
            parts.append((snippet[last : match.start()], False))
        parts.append((match.group(1), True))
        last = match.end()
    if last < len(snippet):
        parts.append((snippet[last:], False))
    return parts


def _first_match(snippet: str) -> str:
    """The first marked word of a snippet, lower-case ("" when none is marked)."""
    found = _MARKED.search(snippet)
    return found.group(1).lower() if found else ""


def _describe(conn: sqlite3.Connection, hit: SearchHit) -> tuple[str, int | None, dt.datetime | None]:
    """Where a hit is (as a person would say it), its event id and when the event happened."""
    if hit.record_type == "event":
        row = conn.execute("SELECT occurred_at FROM events WHERE id=?", (hit.record_id,)).fetchone()
        return "timeline", int(hit.record_id), from_db(row["occurred_at"]) if row else None
    if hit.record_type == "factor":
        row = conn.execute("SELECT kind, number FROM factors WHERE id=?", (hit.record_id,)).fetchone()
        return (_FACTOR_NAMES.get(row["kind"], "factor") if row else "factor"), None, None
    if hit.record_type == "action":
        row = conn.execute("SELECT number FROM action_items WHERE id=?", (hit.record_id,)).fetchone()
        return (f"action item {row['number']}" if row else "action item"), None, None
    word = _first_match(hit.snippet)
    row = conn.execute(f"SELECT {', '.join(INCIDENT_FIELDS)} FROM incidents WHERE id=?", (hit.incident_id,)).fetchone()
    field = next((f for f in INCIDENT_FIELDS if row and word and word in (row[f] or "").lower()), None)
    return (_FIELD_NAMES[field] if field else "write-up"), None, None


def search_results(
    conn: sqlite3.Connection, query: str, limit: int = 50, notes: list[str] | None = None
) -> list[SearchResult]:
    """The best matches across every incident (bm25 order), each described for a reader.

    `notes`, when given, receives a sentence if the query was shortened or had too many matches to rank.
    """
    hits, note = search_with_note(conn, query, limit)
    if note and notes is not None:
        notes.append(note)
    titles: dict[str, str] = {}
    results = []
    for rank, hit in enumerate(hits, start=1):
        if hit.incident_id not in titles:
            row = conn.execute("SELECT title FROM incidents WHERE id=?", (hit.incident_id,)).fetchone()
            titles[hit.incident_id] = row["title"] if row else ""
        where, event_id, occurred = _describe(conn, hit)
        results.append(
            SearchResult(
                rank=rank,
                incident_id=hit.incident_id,
                incident_title=titles[hit.incident_id],
                record_type=hit.record_type,
                record_id=hit.record_id,
                where=where,
                # An incident's fields are indexed joined by newlines: one line, single spaces.
                snippet=" ".join(visible_line(hit.snippet).split()),
                event_id=event_id,
                occurred_at=occurred,
            )
        )
    return results
