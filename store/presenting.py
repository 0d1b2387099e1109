"""Follow the presenter: which event a review screen that is presenting shows, kept in the database.

Kept in the file rather than passed between programs, so every terminal and served browser tab on the
host can follow it without knowing where the presenter runs. One presenter per incident: whoever starts
presenting takes over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from warroom.store.timeparse import from_db, to_db

if TYPE_CHECKING:
    from warroom.store.reads import Reads
    from warroom.store.store import Store


@dataclass(frozen=True)
class Presented:
    """Where the presenter of an incident's review is."""

    event_id: int
    presenter: str
    moved_at: dt.datetime


def present(store: Store, incident_id: str, event_id: int, presenter: str) -> None:
    """Say that the presenter now shows `event_id` (inside a write; starts presenting if nobody was)."""
    store.write(
        lambda: store.conn.execute(
            "INSERT INTO presenting (incident_id, event_id, presenter, moved_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (incident_id) DO UPDATE SET event_id=excluded.event_id, presenter=excluded.presenter, "
            "moved_at=excluded.moved_at",
            (incident_id, event_id, presenter, to_db(store.now())),
        )
    )


def stop_presenting(store: Store, incident_id: str) -> None:
    """Nobody presents this incident's review any more."""
    store.write(lambda: store.conn.execute("DELETE FROM presenting WHERE incident_id=?", (incident_id,)))


def presented(store: Reads, incident_id: str) -> Presented | None:
    """Where the presenter is, or None when nobody presents."""
    row = store.conn.execute(
        "SELECT event_id, presenter, moved_at FROM presenting WHERE incident_id=?", (incident_id,)
    ).fetchone()
    if row is None:
        return None
    moved = from_db(row[2])
    assert moved is not None
    return Presented(int(row[0]), str(row[1]), moved)
