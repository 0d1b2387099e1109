"""Faults under a running warroom: full disk, read-only file, deleted folder, replaced file, unusable --db.

Each fault is tried twice where possible: injected as the SQLite error at the store boundary, and for real
on a small tmpfs or with the file system itself. In every case the entry being typed stays in the TUI's
entry line or the CLI exits 1 with one clear line; what was saved before is intact; and the same write
succeeds once the fault is cleared.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FakeClock
from tests.reliability_helpers import (
    REPO,
    entry,
    fill,
    final_error,
    integrity,
    is_root,
    one_line_error,
    remount,
    run_async,
    small_fs,
    snapshot,
    status,
    submit,
    texts,
    timeline,
    wait_for_status,
    wait_until,
    warroom,
)
from warroom.store import db as store_db
from warroom.store.db import Connection
from warroom.store.errors import WriteError
from warroom.store.store import Store
from warroom.tui.app import create_app

INC = "INC-1"
SIZE = (100, 30)


def seeded(db: Path) -> Path:
    """A database with one incident and one event, made through the CLI."""
    assert warroom(db, "new", "Checkout down", "--id", INC).code == 0
    assert warroom(db, "log", "first", "-i", INC).code == 0
    return db


# -- injected at the store boundary ----------------------------------------------------------------


class Fault:
    """Makes every write fail inside its transaction with one SQLite error (message and result code) until cleared."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.message: str | None = None
        self.code = 0
        real = Connection.write

        def write(conn: Connection, fn: Any) -> Any:
            def failing() -> Any:
                if self.message is not None:
                    error = sqlite3.OperationalError(self.message)
                    error.sqlite_errorcode = self.code  # as SQLite sets it: warroom decides by the code
                    raise error
                return fn()

            return real(conn, failing)

        monkeypatch.setattr(Connection, "write", write)
        # A lock that never clears is retried a couple of times, not the ten a real user waits out.
        monkeypatch.setattr(store_db, "WRITE_ATTEMPTS", 2)

    def set(self, message: str, code: int) -> None:
        """Fail every write from now on with this SQLite message and result code."""
        self.message, self.code = message, code

    def clear(self) -> None:
        """Let writes through again."""
        self.message = None


@pytest.fixture
def fault(monkeypatch: pytest.MonkeyPatch) -> Fault:
    """A write fault, off until set."""
    return Fault(monkeypatch)


FAULTS = [
    ("database or disk is full", 13, "could not save: the disk is full; nothing was written"),
    ("attempt to write a readonly database", 8, "could not save: the database is read-only; nothing was written"),
    (
        "disk I/O error",
        10,
        "could not save: the database file or its folder is gone or unreadable; nothing was written",
    ),
    ("database is locked", 5, "could not save: the database stayed locked by another process; nothing was written"),
]


@pytest.mark.parametrize(("sqlite_error", "code", "said"), FAULTS)
def test_cli_write_fault_is_one_line_and_retry_succeeds(
    tmp_path: Path, fault: Fault, sqlite_error: str, code: int, said: str
) -> None:
    """`log`, `log -`, `set` and `action add` fail in one line, exit 1, change nothing; all work once it clears."""
    db = seeded(tmp_path / "w.db")
    fault.set(sqlite_error, code)
    assert one_line_error(warroom(db, "log", "second", "-i", INC)) == f"warroom: {said}"
    piped = one_line_error(warroom(db, "log", "-", "-i", INC, stdin=b"a\nb\n"))
    assert piped == f"warroom: {said} (line 1; 0 events from the lines before it were logged)"
    one_line_error(warroom(db, "set", "title", "New title", "-i", INC))
    one_line_error(warroom(db, "action", "add", "Fix it", "-i", INC))
    assert integrity(db) == "ok"
    assert texts(db) == ["first"]
    fault.clear()
    assert warroom(db, "log", "second", "-i", INC).code == 0
    assert warroom(db, "log", "-", "-i", INC, stdin=b"a\nb\n").code == 0
    assert texts(db) == ["first", "second", "a", "b"]


def test_pipe_failure_says_how_far_it_got(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When line 3 of a pipe cannot be saved, the message says the two before it were, and they are."""
    db = seeded(tmp_path / "w.db")
    real = Store.log_event

    def third_fails(self: Store, incident_id: str, text: str, **kw: Any) -> Any:
        if text == "three":
            raise WriteError("could not save: the disk is full; nothing was written")
        return real(self, incident_id, text, **kw)

    real_many = Store.log_events

    def batch_with_third_fails(self: Store, incident_id: str, lines: list[str], **kw: Any) -> int:
        if "three" in lines:
            raise WriteError("could not save: the disk is full; nothing was written")
        return real_many(self, incident_id, lines, **kw)

    monkeypatch.setattr(Store, "log_event", third_fails)
    monkeypatch.setattr(Store, "log_events", batch_with_third_fails)
    ran = warroom(db, "log", "-", "-i", INC, stdin=b"one\n\ntwo\nthree\nfour\n")
    assert one_line_error(ran) == (
        "warroom: could not save: the disk is full; nothing was written "
        "(line 4; 2 events from the lines before it were logged)"
    )
    assert texts(db) == ["first", "one", "two"]


@run_async
async def test_tui_write_faults_keep_the_entry_and_retry_succeeds(tmp_path: Path, fault: Fault) -> None:
    """For each fault the status line says why, the typed text stays in the line, and Enter saves it later."""
    db = seeded(tmp_path / "w.db")
    app = create_app(db, clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        for number, (sqlite_error, code, said) in enumerate(FAULTS):
            fault.set(sqlite_error, code)
            typed = f"entry {number} [bold]kept[/]"
            await submit(pilot, typed, typed=number == 0)
            assert await wait_for_status(pilot, "nothing was written") == f"⚠ {said}"
            assert status(app).has_class("-error")
            assert entry(app).value == typed
            fault.clear()
            await pilot.press("enter")
            await wait_until(pilot, lambda t=typed: t in texts(db), "the retried entry to be saved")
            assert entry(app).value == ""
    assert texts(db) == ["first", *(f"entry {n} [bold]kept[/]" for n in range(len(FAULTS)))]
    assert integrity(db) == "ok"


@run_async
async def test_tui_typed_ahead_entry_is_never_merged_into_a_failed_one(tmp_path: Path, fault: Fault) -> None:
    """Enter, then typing on while the save fails: two entries stay two events once the fault clears."""
    db = seeded(tmp_path / "w.db")
    app = create_app(db, clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        fault.set("database is locked", 5)  # retried for a moment: time to type ahead
        await pilot.press(*"failed once", "enter", *"typed ahead")
        await wait_for_status(pilot, "nothing was written")
        await pilot.pause(0.5)
        assert entry(app).value == "failed once", entry(app).value
        fault.clear()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "failed once" in texts(db), "the failed entry to be saved")
        await wait_until(pilot, lambda: entry(app).value == "typed ahead", "the typed-ahead entry back in the line")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "typed ahead" in texts(db), "the typed-ahead entry to be saved")
    assert texts(db) == ["first", "failed once", "typed ahead"]
    assert integrity(db) == "ok"


@run_async
async def test_tui_draft_fault_is_reported(tmp_path: Path, fault: Fault) -> None:
    """A draft that cannot be saved is reported on the status line, not lost silently."""
    db = seeded(tmp_path / "w.db")
    app = create_app(db, clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        fault.set("database or disk is full", 13)
        await pilot.press(*"half typed")
        said = await wait_for_status(pilot, "draft not saved")
        assert "the disk is full" in said
        assert entry(app).value == "half typed"


@run_async
async def test_tui_command_refused_by_a_read_only_file_keeps_its_message(
    tmp_path: Path, fault: Fault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/status investigating` that a read-only file refuses says so, and the draft kept after it failing for the
    same reason does not replace that line with "draft not saved": the line still says what was not done."""
    db = seeded(tmp_path / "w.db")
    writes: list[int] = []
    faulty = Connection.write

    def counted(conn: Connection, fn: Any) -> Any:
        writes.append(1)
        return faulty(conn, fn)

    monkeypatch.setattr(Connection, "write", counted)
    app = create_app(db, clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        fault.set("attempt to write a readonly database", 8)
        entry(app).value = "/status investigating"
        await pilot.pause()
        await pilot.press("enter")
        said = await wait_for_status(pilot, "read-only")
        before = len(writes)
        await wait_until(pilot, lambda: len(writes) > before, "the draft to be saved after the command")
        for _ in range(5):
            await pilot.pause(0.05)
        after = str(status(app).content)
    assert "draft not saved" not in after, (said, after)
    assert "read-only" in after


# -- a real full disk ------------------------------------------------------------------------------


def test_full_disk_cli(tmp_path: Path) -> None:
    """On a full tmpfs `log` says the disk is full; earlier events are intact; it works once space is freed."""
    with small_fs("512k") as folder:
        db = seeded(folder / "w.db")
        filler = fill(folder)
        err = one_line_error(warroom(db, "log", "x" * 5000, "-i", INC))
        assert "the disk is full" in err
        err = one_line_error(warroom(db, "log", "-", "-i", INC, stdin=b"y\n" * 50))
        assert "the disk is full" in err
        filler.unlink()
        assert integrity(db) == "ok"
        assert texts(db) == ["first"]
        assert warroom(db, "log", "after", "-i", INC).code == 0
        assert texts(db)[-1] == "after"
        assert integrity(db) == "ok"


@run_async
async def test_full_disk_tui(tmp_path: Path) -> None:
    """The TUI on a disk that fills up keeps the entry and says why; Enter saves it after space is freed."""
    with small_fs("512k") as folder:
        db = seeded(folder / "w.db")
        app = create_app(db, clock=FakeClock())
        async with app.run_test(size=SIZE) as pilot:
            filler = fill(folder)
            typed = "DB pool exhausted " + "x" * 8000
            await submit(pilot, typed, typed=False)
            assert "the disk is full" in await wait_for_status(pilot, "nothing was written")
            assert entry(app).value == typed
            filler.unlink()
            await pilot.press("enter")
            await wait_until(pilot, lambda: typed in texts(db), "the entry to be saved after space was freed")
        assert integrity(db) == "ok"


# -- a real read-only database ---------------------------------------------------------------------


def test_read_only_file_system_cli(tmp_path: Path) -> None:
    """On a read-only mount, writes fail in one line, reading and exporting still work, remounting fixes it."""
    with small_fs("1m") as folder:
        db = seeded(folder / "w.db")
        before = snapshot(db)
        remount(folder, "ro")
        assert one_line_error(warroom(db, "log", "x", "-i", INC)) == (
            "warroom: could not save: the database is read-only; nothing was written"
        )
        shown = warroom(db, "show", INC)
        assert shown.code == 0 and "first" in shown.out
        exported = warroom(db, "export", INC, "--format", "json")
        assert exported.code == 0 and '"first"' in exported.out
        remount(folder, "rw")
        assert snapshot(db) == before
        assert warroom(db, "log", "after", "-i", INC).code == 0
        assert texts(db) == ["first", "after"]


@run_async
async def test_read_only_file_system_tui(tmp_path: Path) -> None:
    """The TUI opens a database on a read-only mount, refuses entries clearly, and saves them once writable."""
    with small_fs("1m") as folder:
        db = seeded(folder / "w.db")
        remount(folder, "ro")
        app = create_app(db, clock=FakeClock())
        async with app.run_test(size=SIZE) as pilot:
            assert timeline(app).count == 1
            await submit(pilot, "mitigated by failover")
            assert "read-only" in await wait_for_status(pilot, "nothing was written")
            assert entry(app).value == "mitigated by failover"
            remount(folder, "rw")
            await pilot.press("enter")
            await wait_until(pilot, lambda: timeline(app).count == 2, "the entry to be saved and shown")
        assert texts(db) == ["first", "mitigated by failover"]


def _as_nobody(argv: list[str]) -> tuple[int, str]:
    """Run `warroom ARGV` in a forked child that dropped root for nobody; its exit status and stderr."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.close(read)
            sys.stderr = os.fdopen(write, "w")
            os.setgid(65534)
            os.setuid(65534)
            from warroom.tui.cli import main

            code = main(argv)
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as fh:
        err = fh.read()
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to drop privileges")
def test_read_only_file_mode(tmp_path: Path) -> None:
    """A 0444 database (checked as an unprivileged user, since root ignores modes) refuses writes clearly."""
    if not is_root():
        pytest.skip("needs root to switch to an unprivileged user; a user's own 0444 file is the same case")
    # pytest's own temporary folders are 0700 root's: the unprivileged user needs a folder it can reach.
    folder = Path(tempfile.mkdtemp(prefix="warroom-nobody-"))
    try:
        folder.chmod(0o755)
        db = seeded(folder / "w.db")
        for path in (folder, db):
            os.chown(path, 65534, 65534)
        db.chmod(0o444)
        before = snapshot(db)
        code, err = _as_nobody(["--db", str(db), "log", "x", "-i", INC])
        assert (code, err) == (1, "warroom: could not save: the database is read-only; nothing was written\n")
        assert snapshot(db) == before
        # SQLite gave the -wal and -shm it made the database's mode, so all three are made writable again.
        for path in folder.glob("w.db*"):
            path.chmod(0o644)
        code, err = _as_nobody(["--db", str(db), "log", "after", "-i", INC])
        assert code == 0, err
        assert texts(db) == ["first", "after"]
    finally:
        shutil.rmtree(folder)


def test_immutable_file(tmp_path: Path) -> None:
    """`chattr +i` (which stops root too) makes writes fail in one line; clearing it lets them through."""
    db = seeded(tmp_path / "w.db")
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    done = subprocess.run(["chattr", "+i", str(db)], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        pytest.skip(f"this file system has no immutable flag: {done.stderr.strip()}")
    try:
        before = snapshot(db)
        assert "read-only" in one_line_error(warroom(db, "log", "x", "-i", INC))
        assert snapshot(db) == before
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True, timeout=30)
    assert warroom(db, "log", "after", "-i", INC).code == 0
    assert texts(db) == ["first", "after"]


# -- a folder deleted or a file replaced while open ------------------------------------------------


def backup(db: Path, to: Path) -> Path:
    """A consistent copy of a live database (what a user restores from)."""
    with closing(sqlite3.connect(db)) as src, closing(sqlite3.connect(to)) as dst:
        src.backup(dst)
    return to


class Streaming:
    """`warroom log -` as a real process, fed one line at a time."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "warroom.tui.cli", "--db", str(db), "log", "-", "-i", INC],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO,
        )

    def send(self, line: str, *, wait: bool = True) -> None:
        """Write one line; with `wait`, until it is in the file."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()
        deadline = time.monotonic() + 20
        while wait and line not in texts(self.db):
            assert time.monotonic() < deadline, f"{line!r} never arrived"
            time.sleep(0.02)

    def finish(self) -> tuple[int, str]:
        """Close standard input; the exit status and stderr."""
        _out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, err.decode()


@pytest.fixture
def streaming() -> Iterator[list[Streaming]]:
    """Streams started by a test, killed if the test fails half-way."""
    started: list[Streaming] = []
    yield started
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()


def test_folder_deleted_under_a_streaming_cli(tmp_path: Path, streaming: list[Streaming]) -> None:
    """Lines after `rm -rf` of the folder are refused (not written into the deleted file); restoring fixes it."""
    db = seeded(tmp_path / "data" / "w.db")
    stream = Streaming(db)
    streaming.append(stream)
    stream.send("one")
    stream.send("two")
    saved = backup(db, tmp_path / "backup.db")
    shutil.rmtree(db.parent)
    stream.send("three", wait=False)
    code, err = stream.finish()
    assert code == 1
    assert err == (
        f"warroom: could not save: {db} is gone (deleted or moved away); nothing was written "
        "(line 3; 2 events from the lines before it were logged)\n"
    )
    db.parent.mkdir()
    shutil.copy(saved, db)
    assert warroom(db, "log", "three", "-i", INC).code == 0
    assert texts(db) == ["first", "one", "two", "three"]
    assert integrity(db) == "ok"


def test_file_replaced_under_a_streaming_cli(tmp_path: Path, streaming: list[Streaming]) -> None:
    """A text file moved over the database mid-stream is refused and left as it is; the original is intact."""
    db = seeded(tmp_path / "w.db")
    stream = Streaming(db)
    streaming.append(stream)
    stream.send("one")
    os.replace(db, tmp_path / "moved.db")
    notes = tmp_path / "notes.txt"
    notes.write_text("someone's notes\n")
    os.replace(notes, db)
    stream.send("two", wait=False)
    code, err = stream.finish()
    assert code == 1
    assert err == (
        f"warroom: could not save: {db} was replaced, and the new file is not a warroom database (not an SQLite "
        "file); nothing was written (line 2; 1 event from the lines before it were logged)\n"
    )
    assert db.read_text() == "someone's notes\n"
    assert texts(tmp_path / "moved.db") == ["first", "one"]
    assert integrity(tmp_path / "moved.db") == "ok"


def test_store_never_writes_into_a_replaced_file(tmp_path: Path) -> None:
    """A database renamed over the open one is refused until a fresh start, which then uses it."""
    db = seeded(tmp_path / "w.db")
    saved = backup(db, tmp_path / "backup.db")
    store = Store(db)
    try:
        store.log_event(INC, "into the original")
        os.replace(db, tmp_path / "old.db")
        shutil.copy(saved, tmp_path / "restored.db")
        os.replace(tmp_path / "restored.db", db)
        with pytest.raises(WriteError) as refused:
            store.log_event(INC, "after the restore")
        assert str(refused.value) == (
            f"could not save: {db} was replaced while warroom had it open; start warroom again to use the new "
            "file; nothing was written"
        )
    finally:
        store.close()
    assert texts(tmp_path / "old.db") == ["first", "into the original"]
    assert texts(db) == ["first"]
    store = Store(db)
    try:
        store.log_event(INC, "after a fresh start")
    finally:
        store.close()
    assert texts(db) == ["first", "after a fresh start"]
    assert integrity(db) == integrity(tmp_path / "old.db") == "ok"


@run_async
async def test_folder_deleted_under_the_tui(tmp_path: Path) -> None:
    """After `rm -rf` of its folder the TUI keeps the entry and says so; restoring the folder lets Enter save."""
    db = seeded(tmp_path / "data" / "w.db")
    app = create_app(db, clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "before")
        await wait_until(pilot, lambda: timeline(app).count == 2, "the first entry")
        saved = backup(db, tmp_path / "backup.db")
        shutil.rmtree(db.parent)
        await submit(pilot, "while gone")
        said = await wait_for_status(pilot, "nothing was written")
        assert said == f"⚠ could not save: {db} is gone (deleted or moved away); nothing was written"
        assert entry(app).value == "while gone"
        db.parent.mkdir()
        shutil.copy(saved, db)
        await pilot.press("enter")
        await wait_until(pilot, lambda: timeline(app).count == 3, "the restored file's timeline with the entry")
    assert texts(db) == ["first", "before", "while gone"]
    assert integrity(db) == "ok"


@run_async
async def test_file_replaced_under_the_tui(tmp_path: Path) -> None:
    """Files moved over the open database are never written; the entry stays; a fresh start uses the new file."""
    db = seeded(tmp_path / "w.db")
    saved = backup(db, tmp_path / "backup.db")
    app = create_app(db, clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        os.replace(db, tmp_path / "moved.db")
        (tmp_path / "notes.txt").write_bytes(b"not a database\n")
        os.replace(tmp_path / "notes.txt", db)
        await submit(pilot, "while replaced")
        said = await wait_for_status(pilot, "nothing was written")
        assert said == (
            f"⚠ could not save: {db} was replaced, and the new file is not a warroom database "
            "(not an SQLite file); nothing was written"
        )
        assert entry(app).value == "while replaced"
        shutil.copy(saved, tmp_path / "restored.db")
        os.replace(tmp_path / "restored.db", db)
        await pilot.press("enter")
        said = await wait_for_status(pilot, "start warroom again")
        assert "was replaced while warroom had it open" in said
        assert entry(app).value == "while replaced"
        assert timeline(app).count == 1
    assert texts(tmp_path / "moved.db") == ["first"]
    app = create_app(db, clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "after a fresh start")
        await wait_until(pilot, lambda: timeline(app).count == 2, "the entry in the restored file")
    assert texts(db) == ["first", "after a fresh start"]


@run_async
async def test_damaged_file_under_the_tui_is_reported_not_fatal(tmp_path: Path) -> None:
    """A damaged file restored under the running TUI is reported; the app and the typed text survive it."""
    db = seeded(tmp_path / "data" / "w.db")
    good = backup(db, tmp_path / "good.db")
    bad = damaged(backup(db, tmp_path / "bad.db"), events_only=True)
    app = create_app(db, clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"kept entry")
        shutil.rmtree(db.parent)
        db.parent.mkdir()
        shutil.copy(bad, db)
        said = await wait_for_status(pilot, "cannot read the database")
        assert said == (
            "⚠ cannot read the database: the file is damaged or not an SQLite database; what you type is kept"
        )
        assert app.is_running and entry(app).value == "kept entry"
        shutil.rmtree(db.parent)
        db.parent.mkdir()
        shutil.copy(good, db)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "kept entry" in texts(db), "the entry in the good file")
    assert integrity(db) == "ok"


# -- --db pointing at something that is not a usable database ---------------------------------------


def damaged(db: Path, *, events_only: bool = False) -> Path:
    """Overwrite every page after the first (or only the events table's), as a bad disk or a stray `dd` would."""
    for n in range(40):
        assert warroom(db, "log", f"event {n} " + "b" * 2000, "-i", INC).code == 0
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [r for (r,) in conn.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name='events' AND rootpage")]
    data = bytearray(db.read_bytes())
    if events_only:
        # The schema still reads, so the file opens; any look at the timeline fails.
        for page in roots:
            data[(page - 1) * size : page * size] = b"\xff" * size
    else:
        data[size:] = b"\xff" * (len(data) - size)
    db.write_bytes(bytes(data))
    return db


@pytest.mark.parametrize("command", [["log", "x"], ["list"], ["show"], ["export"], ["event", "list"]])
def test_damaged_database_is_one_line(tmp_path: Path, command: list[str]) -> None:
    """A database damaged on disk gives one line and exit 1 for writes and reads alike, and stays as it was."""
    db = damaged(seeded(tmp_path / "w.db"))
    before = snapshot(db)
    err = final_error(warroom(db, *command))
    assert "damaged" in err
    assert snapshot(db) == before


@pytest.mark.parametrize("keep", [0, 50, 100, 4096])
def test_truncated_database_from_the_cli(tmp_path: Path, keep: int) -> None:
    """A database cut short by a failed copy is refused (or, cut to nothing, refused as not warroom's)."""
    full = seeded(tmp_path / "full.db")
    db = tmp_path / "cut.db"
    db.write_bytes(full.read_bytes()[:keep] if keep else b"SQLite")
    before = snapshot(db)
    err = one_line_error(warroom(db, "log", "x", "-i", INC))
    assert "left untouched" in err or "damaged" in err
    assert snapshot(db) == before


def test_directory_as_database_from_the_cli(tmp_path: Path) -> None:
    """--db naming a folder is one line, and nothing is created inside it."""
    err = one_line_error(warroom(tmp_path, "list"))
    assert err == f"warroom: {tmp_path} is a directory, not a database file"
    assert list(tmp_path.iterdir()) == []


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    """--db under something that is a file, not a folder, is one line and leaves that file alone."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    err = one_line_error(warroom(blocker / "w.db", "new", "x"))
    assert err == f"warroom: cannot create {blocker / 'w.db'}: Not a directory"
    assert blocker.read_text() == "x"


@pytest.mark.parametrize("bad", ["text", "newer", "directory"])
def test_tui_refuses_an_unusable_database_in_one_line(tmp_path: Path, bad: str) -> None:
    """`warroom open` on an unusable file says so in one line before any screen is drawn."""
    db = tmp_path / "w.db"
    if bad == "text":
        db.write_text("hello\n")
    elif bad == "directory":
        db.mkdir()
    else:
        seeded(db)
        with closing(sqlite3.connect(db)) as conn:
            conn.execute("PRAGMA user_version=999")
            conn.commit()
    before = snapshot(db) if db.is_file() else None
    err = one_line_error(warroom(db, "open", INC))
    assert "warroom" in err
    if before is not None:
        assert snapshot(db) == before


# -- file permissions and export files -------------------------------------------------------------


def test_database_wal_and_shm_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    """With umask 000 the database, its -wal and -shm files are 0600 and the new folder 0700."""
    db = tmp_path / "new" / "w.db"
    old = os.umask(0)
    try:
        store = Store(db)
        store.create_incident("x", id=INC)
        store.log_event(INC, "wal holds this")
        wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
        assert wal.exists() and shm.exists()
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (db, wal, shm)}
        store.close()
    finally:
        os.umask(old)
    assert modes == {"w.db": 0o600, "w.db-wal": 0o600, "w.db-shm": 0o600}
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_export_to_a_symlink_needs_force_and_never_replaces_it(tmp_path: Path) -> None:
    """`export -o LINK` refuses; with --force the file it points at is written and the link is kept."""
    db = seeded(tmp_path / "w.db")
    target = tmp_path / "precious.txt"
    target.write_text("do not overwrite\n")
    link = tmp_path / "pm.md"
    link.symlink_to(target)
    err = final_error(warroom(db, "export", INC, "-o", str(link)), code=2)
    assert "symbolic link" in err and "--force" in err
    assert link.is_symlink() and target.read_text() == "do not overwrite\n"
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere" / "x.md")
    final_error(warroom(db, "export", INC, "-o", str(dangling)), code=2)
    assert not (tmp_path / "nowhere").exists()
    assert warroom(db, "export", INC, "-o", str(link), "--force").code == 0
    assert link.is_symlink() and target.read_text().startswith("# Incident Post-Mortem: Checkout down")


def test_export_on_a_full_disk_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    """An export that cannot be written says so in one line; the previous post-mortem is byte for byte intact."""
    with small_fs("512k") as folder:
        db = seeded(tmp_path / "w.db")
        for n in range(30):
            warroom(db, "log", f"event {n} " + "z" * 3000, "-i", INC)
        out = folder / "pm.md"
        out.write_text("yesterday's post-mortem\n")
        filler = fill(folder)
        err = final_error(warroom(db, "export", INC, "-o", str(out)))
        assert "nothing was changed" in err or "cannot write" in err
        assert out.read_text() == "yesterday's post-mortem\n"
        assert sorted(p.name for p in folder.iterdir()) == ["filler", "pm.md"]
        filler.unlink()
        assert warroom(db, "export", INC, "-o", str(out)).code == 0
        assert "event 29" in out.read_text()


def test_export_keeps_a_private_files_mode(tmp_path: Path) -> None:
    """Re-exporting over a post-mortem the user made private (0600) does not make it world-readable."""
    db = seeded(tmp_path / "w.db")
    out = tmp_path / "pm.md"
    out.write_text("old\n")
    out.chmod(0o600)
    assert warroom(db, "export", INC, "-o", str(out)).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.md"
    assert warroom(db, "export", INC, "-o", str(fresh)).code == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644


def _sqlite_error(message: str, code: int) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


def test_errors_are_told_apart_by_result_code_not_wording() -> None:
    """Extended codes count as their primary code, and the wording (which varies by SQLite version) is not read."""
    from warroom.store.db import describe, is_busy, write_failure

    assert write_failure(_sqlite_error("disk I/O error", 13)) == "could not save: the disk is full; nothing was written"
    moved = _sqlite_error("attempt to write a readonly database", 1032)  # SQLITE_READONLY_DBMOVED
    assert write_failure(moved) == "could not save: the database is read-only; nothing was written"
    assert is_busy(_sqlite_error("database table is locked", 262))  # SQLITE_LOCKED_SHAREDCACHE
    assert not is_busy(_sqlite_error("database is locked", 1))  # a plain SQL error, whatever it says
    assert describe(_sqlite_error("file is not a database", 26)) == "the file is damaged or not an SQLite database"
    assert describe(_sqlite_error("database disk image is malformed", 11)).startswith("the file is damaged")
    assert describe(_sqlite_error("no such table: x", 1)) == "no such table: x"
