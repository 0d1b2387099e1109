"""Full-text search over every incident: the one FTS5 index, the triggers that keep it, and safe queries.

The index holds one row per searchable record: live events (text), live factors (text), live action
items (title) and incidents (title, summary, impact, lessons and notes together). Its rowid is
derived from the record, `id * 4 + kind`, so a trigger finds the row to replace without a scan;
incidents, whose ids are text, use their table's rowid (warroom never runs VACUUM, which could
renumber it). Triggers, not Python, keep it in step, so the CLI, the TUI, imports and other
processes all update it the same way.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

#: Snippets mark each matching word with these.
HIGHLIGHT = ("«", "»")

#: An incident's searchable fields: title, summary, impact, lessons and notes.
INCIDENT_FIELDS = (
    "title",
    "summary",
    "customers_affected",
    "business_impact",
    "went_well",
    "went_wrong",
    "got_lucky",
    "notes",
)


def _incident_text(prefix: str) -> str:
    """SQL joining an incident's searchable fields with newlines."""
    return " || char(10) || ".join(f"COALESCE({prefix}.{name}, '')" for name in INCIDENT_FIELDS)


#: (record_type, table, rowid expression, text expression, incident id expression, condition), for OLD/NEW rows.
_SOURCES = (
    ("event", "events", "{p}.id * 4", "{p}.text", "{p}.incident_id", "{p}.deleted_at IS NULL"),
    ("factor", "factors", "{p}.id * 4 + 1", "{p}.text", "{p}.incident_id", "{p}.deleted_at IS NULL"),
    ("action", "action_items", "{p}.id * 4 + 2", "{p}.title", "{p}.incident_id", "{p}.deleted_at IS NULL"),
    ("incident", "incidents", "{p}.rowid * 4 + 3", "{text}", "{p}.id", "1"),
)
#: Columns whose change alters what is indexed (an incident's updated_at, touched by every entry, is not one).
_WATCHED = {
    "events": "text, deleted_at, incident_id",
    "factors": "text, deleted_at, incident_id",
    "action_items": "title, deleted_at, incident_id",
    "incidents": ", ".join(INCIDENT_FIELDS),
}


def _parts(source: tuple[str, ...], prefix: str) -> tuple[str, str, str, str, str, str]:
    """A source's expressions for the OLD or NEW row (or a table alias)."""
    kind, table, rowid, text, incident, live = source
    fmt = {"p": prefix, "text": _incident_text(prefix)}
    return kind, table, rowid.format(**fmt), text.format(**fmt), incident.format(**fmt), live.format(**fmt)


def _statements(source: tuple[str, ...]) -> dict[str, str]:
    """The insert, update and delete triggers of one source table, by event."""
    kind, table, new_rowid, new_text, new_incident, new_live = _parts(source, "NEW")
    old_rowid = _parts(source, "OLD")[2]
    insert = (
        "INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) "
        f"SELECT {new_rowid}, {new_text}, '{kind}', NEW.id, {new_incident} WHERE {new_live};"
    )
    delete = f"DELETE FROM search_index WHERE rowid = {old_rowid};"
    return {
        "insert": f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        "update": f"CREATE TRIGGER search_{table}_update AFTER UPDATE OF {_WATCHED[table]} ON {table} "
        f"BEGIN {delete} {insert} END",
        "delete": f"CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} BEGIN {delete} END",
    }


def _backfill(source: tuple[str, ...], where: str = "") -> str:
    """INSERT ... SELECT indexing the rows of one source table (those matching `where`, if given)."""
    kind, table, rowid, text, incident, live = _parts(source, "r")
    return (
        "INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) "
        f"SELECT {rowid}, {text}, '{kind}', r.id, {incident} FROM {table} AS r WHERE {live}{where}"
    )


#: Merging the index's segments is left to idle moments: SQLite's default merges inside every 4th write,
#: and inside one write in every 64 that took 10-15 ms, the slowest quick entries of all.
NO_MERGE_ON_WRITE = "INSERT INTO search_index(search_index, rank) VALUES('automerge', 0)"


def merge_sql(pages: int) -> str:
    """A statement doing up to `pages` pages of merging where four or more segments have piled up."""
    return f"INSERT INTO search_index(search_index, rank) VALUES('merge', {int(pages)})"


@contextmanager
def bulk_events(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside one write transaction: add many events, then index them with one statement.

    The row trigger makes FTS5 flush a segment per inserted event (about 40 µs each); with it off
    for the block, 100k events are indexed in well under a second. The trigger is back before the
    transaction commits, so no other connection ever sees it missing.
    """
    events = _SOURCES[0]
    first_new = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0])
    conn.execute("DROP TRIGGER search_events_insert")
    try:
        yield
    finally:
        conn.execute(_statements(events)["insert"])
    conn.execute(_backfill(events, f" AND r.id > {first_new}"))


#: Most distinct words (counting each part of a hyphenated or dotted word) a search uses; the rest are dropped.
MAX_TERMS = 12
#: Beyond this many matches, ranking every one by relevance takes seconds: the newest are shown first instead.
RANK_LIMIT = 20_000
_TOKEN = re.compile(r"\w+")


def match_expression(query: str) -> str | None:
    """A user's words as an FTS5 query that cannot be a syntax error; the last word matches as a prefix.

    Every word is quoted (inner double quotes doubled), so `AND`, `NEAR(`, `col:x`, `*` or a lone `"`
    are only text. Words with no letters or digits are dropped; None when nothing is left to find.
    """
    return bounded_expression(query)[0]


def bounded_expression(query: str) -> tuple[str | None, str]:
    """`match_expression`, kept to a size that answers in a fraction of a second, and a note when it was cut.

    A word typed twice finds nothing more, so repeats are dropped (the last word stays a prefix, as
    typed); beyond MAX_TERMS words (each part of `a.b-c` counts, as the index splits it) the rest are
    dropped and the note says so. The note is empty when the query is used as typed.
    """
    words = [w for w in query.replace("\x00", " ").split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None, ""
    firsts: dict[tuple[str, bool], tuple[str, bool]] = {}
    for index, word in enumerate(words):
        prefix = index == len(words) - 1
        firsts.setdefault((word.lower(), prefix), (word, prefix))  # the index folds case: Pool finds pool
    terms = list(firsts.values())
    kept: list[tuple[str, bool]] = []
    size = 0
    for word, prefix in terms:
        size += max(1, len(_TOKEN.findall(word)))
        if size > MAX_TERMS:
            break
        kept.append((word, prefix))
    if not kept:  # one word of many parts: its first parts, as a phrase
        kept = [(" ".join(_TOKEN.findall(terms[0][0])[:MAX_TERMS]), terms[0][1])]
    note = ""
    if len(kept) < len(terms) or " " in kept[0][0]:
        note = f"searched for the first {MAX_TERMS} words only; the rest of the query was left out"
    quoted = ['"' + word.replace('"', '""') + '"' + ("*" if prefix else "") for word, prefix in kept]
    return " ".join(quoted), note


class SearchHit(NamedTuple):
    """One record found by `search`: what it is, which one, in which incident, and the words around the match."""

    record_type: str
    record_id: int | str
    incident_id: str
    snippet: str


def search_event_keys(conn: sqlite3.Connection, incident_id: str, query: str) -> list[tuple[str, int]]:
    """(occurred_at, id) of the incident's live events matching `query`, in timeline order."""
    expression = match_expression(query)
    if expression is None:
        return []
    rows = conn.execute(
        "SELECT e.occurred_at, e.id FROM search_index AS s JOIN events AS e ON e.id = s.rowid / 4 "
        "WHERE search_index MATCH ? AND s.rowid % 4 = 0 AND e.incident_id = ? AND e.deleted_at IS NULL "
        "ORDER BY e.occurred_at, e.id",
        (expression, incident_id),
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


def search(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[SearchHit]:
    """Records of every incident matching `query`, best first (bm25), each with a snippet."""
    return search_with_note(conn, query, limit)[0]


def search_with_note(conn: sqlite3.Connection, query: str, limit: int = 50) -> tuple[list[SearchHit], str]:
    """`search`, and a note for the user when the query was cut or had too many matches to rank (else "").

    Ranking scores every match, so a word found in most of a million events would take seconds: past
    RANK_LIMIT matches (counting them takes a few hundredths of a second) the newest come first.
    """
    expression, note = bounded_expression(query)
    if expression is None or limit <= 0:
        return [], note
    found = conn.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ? LIMIT ?)",
        (expression, RANK_LIMIT + 1),
    ).fetchone()[0]
    order = "bm25(search_index)"
    if found > RANK_LIMIT:
        order = "rowid DESC"
        more = f"more than {RANK_LIMIT:,} matches: showing the newest, not the best; add words to narrow it"
        note = f"{note}; {more}" if note else more
    start, end = HIGHLIGHT
    rows = conn.execute(
        "SELECT record_type, record_id, incident_id, snippet(search_index, 0, ?, ?, '…', 12) "
        f"FROM search_index WHERE search_index MATCH ? ORDER BY {order} LIMIT ?",
        (start, end, expression, limit),
    ).fetchall()
    return [SearchHit(str(r[0]), r[1], str(r[2]), str(r[3])) for r in rows], note
