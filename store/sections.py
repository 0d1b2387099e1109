"""The config file's extra post-mortem sections (Detection, ...): each incident's text under each title.

Kept in a table of their own (migration 12), keyed by title, so a section the config no longer lists is
still exported and imported, never lost; the config only decides the order and which are required.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from warroom.store.errors import InputError
from warroom.store.kinds import MAX_LINE, MAX_TEXT
from warroom.store.reads import Reads
from warroom.store.store import Store
from warroom.store.timeparse import to_db


def read_sections(store: Reads, incident_id: str) -> dict[str, str]:
    """Title -> text of every section written for the incident (empty ones are not kept)."""
    rows = store.conn.execute("SELECT title, text FROM sections WHERE incident_id=?", (incident_id,)).fetchall()
    return {str(row[0]): str(row[1]) for row in rows}


def save_sections(store: Store, incident_id: str, texts: Mapping[str, str]) -> None:
    """Set each section's text (an empty text removes the section), in one transaction."""
    for title, text in texts.items():
        if not title.strip() or len(title) > MAX_LINE:
            raise InputError(f"a section title must be 1 to {MAX_LINE} characters")
        if len(text) > MAX_TEXT:
            raise InputError(f"section {title!r} is {len(text):,} characters; the limit is {MAX_TEXT:,}")
    now = to_db(store.now())

    def do() -> None:
        for title, text in texts.items():
            if text.strip():
                store.conn.execute(
                    "INSERT INTO sections (incident_id, title, text, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (incident_id, title) DO UPDATE SET text=excluded.text, updated_at=excluded.updated_at",
                    (incident_id, title, text.strip(), now),
                )
            else:
                store.conn.execute("DELETE FROM sections WHERE incident_id=? AND title=?", (incident_id, title))

    store.write(do)


def count_changes(before: Mapping[str, str], texts: Mapping[str, str]) -> tuple[int, int]:
    """How many of `texts` save_sections would add, and how many it would change or empty, given `before`."""
    added = updated = 0
    for title, text in texts.items():
        if title not in before:
            added += bool(text.strip())
        elif before[title] != text.strip():
            updated += 1
    return added, updated


def ordered(texts: Mapping[str, str], order: Iterable[str]) -> list[tuple[str, str]]:
    """The written sections in the config's order, then any the config does not list (by title)."""
    listed = [t for t in order if t in texts]
    rest = sorted(t for t in texts if t not in set(listed))
    return [(t, texts[t]) for t in (*listed, *rest)]


def missing(texts: Mapping[str, str], required: Sequence[str]) -> list[str]:
    """The required titles with nothing written under them."""
    return [t for t in required if not texts.get(t, "").strip()]
