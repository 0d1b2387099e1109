"""The TUI's writer thread: writes in order, and the WAL folded into the file only while it is idle."""

from __future__ import annotations

import queue
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.conftest import FakeClock
from warroom.store.store import Store
from warroom.tui import writer as writer_module
from warroom.tui.writer import StoreWriter

COUNT_IN_FILE_ALONE = """
import shutil, sqlite3, sys, tempfile, pathlib
folder = pathlib.Path(tempfile.mkdtemp())
shutil.copyfile(sys.argv[1], folder / "copy.db")  # the file alone: what the WAL holds is left behind
print(sqlite3.connect(folder / "copy.db").execute("SELECT COUNT(*) FROM events").fetchone()[0])
"""


def rows_in_file_alone(db_path: Path) -> int:
    """Events the database file holds without its WAL (read in another process: a copy here would drop locks)."""
    done = subprocess.run([sys.executable, "-c", COUNT_IN_FILE_ALONE, str(db_path)], capture_output=True, check=True)
    return int(done.stdout)


def test_entries_stay_in_the_wal_until_the_writer_is_idle(
    db_path: Path, clock: FakeClock, store: Store, monkeypatch: Any
) -> None:
    """No commit of an entry folds the WAL into the file (that made one entry in sixty slow); idleness does."""
    monkeypatch.setattr(writer_module, "IDLE_CHECKPOINT", 0.3)
    incident = store.create_incident("Checkout failing").id
    store.connection.checkpoint()
    results: queue.Queue[Any] = queue.Queue()
    writer = StoreWriter(db_path, clock, lambda callback: callback())
    try:
        for n in range(300):  # far past the 1,000 WAL pages at which SQLite would fold on commit
            writer.submit(lambda s, n=n: s.log_event(incident, f"entry {n} " + "x" * 200), lambda r, e: results.put(e))
        errors = [results.get(timeout=10) for _ in range(300)]
        assert errors == [None] * 300
        assert store.count_events(incident) == 300
        assert rows_in_file_alone(db_path) == 0
        deadline = time.monotonic() + 5
        while rows_in_file_alone(db_path) != 300:
            assert time.monotonic() < deadline, "the idle writer never folded the WAL into the file"
            time.sleep(0.1)
    finally:
        writer.close()
    with sqlite3.connect(db_path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_search_index_is_merged_in_idle_moments_never_inside_a_write(store: Store) -> None:
    """New and upgraded files leave merging to `tidy`; it never waits for a writer and loses nothing."""
    config = dict(store.conn.execute("SELECT k, v FROM search_index_config").fetchall())
    assert config.get("automerge") == 0
    incident = store.create_incident("Checkout failing").id
    for n in range(100):
        store.log_event(incident, f"replica lag {n}")
    other = sqlite3.connect(store.connection.path, isolation_level=None)  # type: ignore[arg-type]
    try:
        other.execute("BEGIN IMMEDIATE")  # another program is writing
        started = time.monotonic()
        store.tidy()
        assert time.monotonic() - started < 0.5  # it did not wait out the 2 s busy timeout
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.tidy()
    assert len(store.search_events(incident, "replica")) == 100
    store.conn.execute("INSERT INTO search_index(search_index) VALUES('integrity-check')")  # raises if damaged


def test_an_older_file_stops_merging_inside_writes_when_opened(db_path: Path, clock: FakeClock) -> None:
    """A file from before (merging on every 4th write, schema 4) is brought up to date on open."""
    Store(db_path, clock).close()
    with sqlite3.connect(db_path) as old:
        old.execute("INSERT INTO search_index(search_index, rank) VALUES('automerge', 4)")
        old.execute("PRAGMA user_version=4")
    reopened = Store(db_path, clock)
    try:
        assert reopened.conn.execute("SELECT v FROM search_index_config WHERE k='automerge'").fetchone()[0] == 0
    finally:
        reopened.close()
