"""A mistyped --db: a command that only reads refuses the missing file in one line (exit 2) and creates
nothing; a command that writes still starts a new database there.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.edge_support import INC, Done, rows, run, seeded
from tests.process_support import clean_env, script

READS = [
    ["list"],
    ["list", "--open"],
    ["show"],
    ["show", INC],
    ["export"],
    ["export", INC, "--format", "json"],
    ["search", "checkout"],
    ["stats"],
    ["related"],
    ["catchup"],
    ["update"],
    ["lint"],
    ["event", "list"],
    ["event", "history", "1"],
    ["action", "list"],
    ["cause", "list"],
    ["hypothesis", "list"],
]


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_read_only_command_refuses_a_missing_database_and_creates_nothing(tmp_path: Path, args: list[str]) -> None:
    for typo in (tmp_path / "typo.db", tmp_path / "no-such-folder" / "typo.db"):
        line = run(typo, *args).one_line(2)
        assert line == (
            f"warroom: no database at {typo}: check --db (or WARROOM_DB), or start one with `warroom new TITLE`"
        )
    assert list(tmp_path.iterdir()) == []  # no file, no -wal or -shm, no folder


def test_read_only_command_through_a_dangling_link_creates_nothing(tmp_path: Path) -> None:
    link = tmp_path / "w.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    run(link, "list").one_line(2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.db"] and not link.exists()


def test_read_only_commands_still_read_an_existing_database(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    assert "Checkout down" in run(db, "list").ok()
    assert "first" in run(db, "event", "list").ok()


@pytest.mark.parametrize(
    "args",
    [
        ["new", "Checkout down", "--id", INC],
        ["log", "first line"],
        ["set", "title", "x"],
        ["update", "--log"],
    ],
    ids=" ".join,
)
def test_writing_command_still_creates_the_database(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "folder" / "w.db"
    run(db, *args)
    assert db.exists() and rows(db, "PRAGMA user_version")[0][0] > 0


def test_import_starts_a_new_database(tmp_path: Path) -> None:
    exported = tmp_path / "a.json"
    run(seeded(tmp_path / "a.db"), "export", INC, "--format", "json", "-o", str(exported)).ok()
    fresh = tmp_path / "new" / "b.db"
    run(fresh, "import", str(exported)).ok()
    assert rows(fresh, "SELECT id FROM incidents") == [(INC,)]


def _no_db(home: Path, *args: str) -> Done:
    """`warroom ARGS...` without --db, on a user data folder under `home`."""
    done = subprocess.run(
        [script(), *args],
        capture_output=True,
        text=True,
        env=clean_env(XDG_DATA_HOME=str(home), WARROOM_TZ="UTC"),
        timeout=120,
    )
    return Done(done.returncode, done.stdout, done.stderr)


def test_first_start_without_a_database_says_how_to_begin(tmp_path: Path) -> None:
    default = tmp_path / "warroom" / "warroom.db"
    line = _no_db(tmp_path, "list").one_line(2)
    assert line == (
        f"warroom: no incidents yet (no database at {default}): start one with `warroom new TITLE` or `warroom`"
    )
    assert list(tmp_path.iterdir()) == []
    _no_db(tmp_path, "new", "Checkout down", "--id", INC).ok()
    assert "Checkout down" in _no_db(tmp_path, "list").ok()
    assert default.exists()


@pytest.mark.parametrize("args", [["list"], ["new", "Checkout down"]])
def test_a_named_pipe_as_database_is_refused_at_once(tmp_path: Path, args: list[str]) -> None:
    """`--db` naming a FIFO: reading its header waited for a writer for ever; now one line, nothing written."""
    import os

    fifo = tmp_path / "w.db"
    os.mkfifo(fifo)
    line = run(fifo, *args, timeout=20).one_line(1)
    assert line == f"warroom: {fifo} is not a regular file (a pipe, socket or device); not a database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.db"]
