"""The config file's extra post-mortem sections (Detection, ...): each incident's text under each title.

Kept in a table of their own (migration 12), keyed by title, so a section the config no longer lists is
still exported and imported, never lost; the config only decides the order and which are required.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from warroom.store.reads import Reads
from warroom.store.store import Store


def read_sections(store: Reads, incident_id: str) -> dict[str, str]:
    """Title -> text of every section written for the incident (empty ones are not kept)."""
    return store.sections(incident_id)


def save_sections(store: Store, incident_id: str, texts: Mapping[str, str]) -> None:
    """Set each section's text (an empty text removes the section), in one transaction; InputError changes none."""
    store.save_sections(incident_id, texts)


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
