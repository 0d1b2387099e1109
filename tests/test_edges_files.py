"""One database under two names, or its -wal/-shm deleted under a running writer: nothing acknowledged is
lost. Real `warroom` processes; `PRAGMA integrity_check` ok after each test.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.edge_support import INC, integrity_ok, rows, run, seeded
from tests.process_support import clean_env as env
from tests.process_support import script


def count(db: Path) -> int:
    """Events in the file, read as another process would."""
    return int(rows(db, "SELECT count(*) FROM events")[0][0])


def pipe(db: Path) -> subprocess.Popen[str]:
    """A running `warroom log -` on the incident."""
    return subprocess.Popen(
        [script(), "--db", str(db), "log", "-", "-i", INC],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )


def feed(proc: subprocess.Popen[str], db: Path, lines: list[str], expect: int) -> None:
    """Send lines to a running pipe and wait until the file holds `expect` events."""
    assert proc.stdin is not None
    for line in lines:
        proc.stdin.write(line + "\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 30
    while count(db) < expect and time.monotonic() < deadline:
        time.sleep(0.05)
    assert count(db) == expect


def test_hard_linked_database_is_refused_by_both_names(tmp_path: Path) -> None:
    """`ln a.db b.db`: both names are refused in one line before anything is written."""
    db = seeded(tmp_path / "a.db")
    os.link(db, tmp_path / "b.db")
    before = db.read_bytes()
    for name in (db, tmp_path / "b.db"):
        assert "hard links" in run(name, "log", "lost?", "-i", INC).one_line(1)
        assert "hard links" in run(name, "list").one_line(1)
    assert db.read_bytes() == before
    os.unlink(tmp_path / "b.db")
    run(db, "log", "one name again", "-i", INC).ok()
    assert count(db) == 2
    integrity_ok(db)


def test_link_made_under_a_running_pipe_stops_its_acknowledgements(tmp_path: Path) -> None:
    """A second name given while `warroom log -` runs: its next line is refused, and what it counted is stored."""
    db = seeded(tmp_path / "a.db")
    proc = pipe(db)
    feed(proc, db, ["one", "two"], 3)
    os.link(db, tmp_path / "b.db")
    out, err = proc.communicate("three\nfour\n", timeout=60)
    assert proc.returncode == 1 and "hard link" in err and "Traceback" not in err, err
    assert "2 events" in err
    assert count(db) == 3
    integrity_ok(db)


def test_wal_and_shm_deleted_under_a_running_pipe_lose_nothing(tmp_path: Path) -> None:
    """-wal and -shm deleted while a pipe writes: another writer is refused, and every acknowledged line is kept."""
    db = seeded(tmp_path / "a.db")
    proc = pipe(db)
    feed(proc, db, [f"line {n}" for n in range(5)], 6)
    os.unlink(f"{db}-wal")
    os.unlink(f"{db}-shm")
    other = run(db, "log", "from another process", "-i", INC)
    assert "-shm file is gone" in other.one_line(1)
    out, err = proc.communicate("".join(f"line {n}\n" for n in range(5, 10)), timeout=60)
    assert proc.returncode == 0, err
    assert "logged 10 events" in out + err
    assert [t for (t,) in rows(db, "SELECT text FROM events ORDER BY id")] == ["first"] + [
        f"line {n}" for n in range(10)
    ]
    integrity_ok(db)
    run(db, "log", "after the pipe", "-i", INC).ok()
    assert count(db) == 12


@pytest.mark.parametrize(
    "ddl",
    [
        "PRAGMA user_version=1; CREATE TABLE incidents (id, name);",
        "PRAGMA user_version=3; CREATE TABLE incidents (id, title); CREATE TABLE events (id, text);",
        "PRAGMA user_version=99; CREATE TABLE t (x);",
        "PRAGMA application_id=1; CREATE TABLE incidents (id);",
    ],
)
def test_another_programs_sqlite_file_is_left_byte_for_byte(tmp_path: Path, ddl: str) -> None:
    """A file that merely looks a little like warroom's is refused in one line; not even its journal mode changes."""
    db = tmp_path / "other.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript(ddl)
    before = db.read_bytes()
    for argv in (["list"], ["new", "x"], ["log", "x"], ["import", str(db)]):
        assert "not a warroom one" in run(db, *argv).one_line(1)
    assert db.read_bytes() == before
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


def test_an_older_warroom_file_without_the_mark_is_still_opened(tmp_path: Path) -> None:
    """A schema-1 file from before files were marked is recognised by its tables and migrated."""
    from warroom.store.migrations import STEPS

    db = tmp_path / "old.db"
    with closing(sqlite3.connect(db)) as conn:
        for statement in STEPS[1]:
            conn.execute(statement)
        conn.execute("PRAGMA user_version=1")
        conn.commit()
    run(db, "new", "Old file", "--id", INC).ok()
    run(db, "log", "still works", "-i", INC).ok()
    assert rows(db, "PRAGMA application_id") == [(0x57524D31,)]
    assert count(db) == 1
    integrity_ok(db)
