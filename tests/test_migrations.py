"""Migrations are frozen literal SQL: a file at every old version opens, migrated, with its rows kept."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from warroom.store.db import APPLICATION_ID
from warroom.store.migrations import SCHEMA_VERSION, STEPS
from warroom.store.store import Store

#: The text of every released step. A released step never changes: a file it migrated must mean the same
#: as one the new code migrates. Add a step instead (and its hash here once it is released).
RELEASED = {
    1: "07964fdde30fd90c",
    2: "f62865c908bb71f1",
    3: "bdf596921a37b54b",
    4: "467f531370ca59a2",
    5: "110dda9ecc384b59",
}
STAMP = "2026-11-27T14:00:00.000000Z"


def _digest(step: int) -> str:
    return hashlib.sha256("\n".join(STEPS[step]).encode()).hexdigest()[:16]


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return sorted((r[0], r[1]) for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))


def _file_at(path: Path, version: int) -> None:
    """A warroom file as that version of warroom left it, with one incident and one event."""
    with closing(sqlite3.connect(path)) as conn:
        for step in range(1, version + 1):
            for statement in STEPS[step]:
                conn.execute(statement)
        conn.execute(
            "INSERT INTO incidents (id, title, severity, status, owner, commander, scribe, comms, started_at, "
            "summary, customers_affected, business_impact, went_well, went_wrong, got_lucky, notes, tags, "
            "created_at, updated_at) VALUES ('INC-OLD', 'Old outage', 'SEV2', 'resolved', '', '', '', '', ?, "
            "'legacy summary', '', '', '', '', '', '', '[]', ?, ?)",
            (STAMP, STAMP, STAMP),
        )
        conn.execute(
            "INSERT INTO events (incident_id, occurred_at, logged_at, text, kind, team, author, starred, source) "
            "VALUES ('INC-OLD', ?, ?, 'legacy pager storm', 'note', '', '', 0, 'cli')",
            (STAMP, STAMP),
        )
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={version}")
        conn.commit()


def test_released_steps_are_unchanged() -> None:
    """Editing a released step is caught here; new steps come after the released ones."""
    assert {n: _digest(n) for n in RELEASED} == RELEASED
    assert sorted(STEPS) == list(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_a_file_at_every_old_version_is_migrated(tmp_path: Path, version: int) -> None:
    """The old file's incident and event are still there, findable, and the schema is today's."""
    old = tmp_path / f"v{version}.db"
    _file_at(old, version)
    store = Store(old)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.incident("INC-OLD").title == "Old outage"
        assert [e.text for e in store.events("INC-OLD")] == ["legacy pager storm"]
        assert [h.incident_id for h in store.search("pager")] == ["INC-OLD"]
        migrated = _schema(store.conn)
    finally:
        store.close()
    fresh = Store(tmp_path / "new.db")
    try:
        assert migrated == _schema(fresh.conn)
    finally:
        fresh.close()
