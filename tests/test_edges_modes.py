"""File modes: databases made through symbolic links, exports under a strict umask, read-only files and
folders read by an unprivileged user, and temporary files left by a killed export.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.edge_support import INC, as_nobody, integrity_ok, rows, run, seeded
from tests.process_support import clean_env as env
from tests.process_support import script


def mode(path: Path | str) -> int:
    """Permission bits of a file."""
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_made_through_a_dangling_symlink_is_private(tmp_path: Path) -> None:
    """`--db link` pointing nowhere: the file it points at is made 0600, and so are its -wal and -shm."""
    (tmp_path / "link.db").symlink_to(tmp_path / "target.db")
    run(tmp_path / "link.db", "new", "via a link", "--id", INC).ok()
    assert mode(tmp_path / "target.db") == 0o600
    proc = subprocess.Popen(
        [script(), "--db", str(tmp_path / "link.db"), "log", "-", "-i", INC],
        stdin=subprocess.PIPE,
        text=True,
        env=env(),
        preexec_fn=lambda: os.umask(0o022),  # the umask is the point of the test
    )
    assert proc.stdin is not None
    proc.stdin.write("one\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 30
    while rows(tmp_path / "target.db", "SELECT count(*) FROM events") != [(1,)] and time.monotonic() < deadline:
        time.sleep(0.05)
    for suffix in ("-wal", "-shm"):  # the pipe still has the file open
        assert mode(f"{tmp_path / 'target.db'}{suffix}") == 0o600
    proc.communicate("two\n", timeout=60)
    assert proc.returncode == 0
    integrity_ok(tmp_path / "target.db")


def test_new_export_follows_a_strict_umask(tmp_path: Path) -> None:
    """`umask 077; warroom export -o new.md`: the new post-mortem is 0600, not 0644."""
    db = seeded(tmp_path / "w.db")
    out = tmp_path / "pm.md"
    done = subprocess.run(
        [script(), "--db", str(db), "export", INC, "-o", str(out)],
        capture_output=True,
        env=env(),
        timeout=120,
        preexec_fn=lambda: os.umask(0o077),  # the umask is the point of the test
    )
    assert done.returncode == 0, done.stderr
    assert mode(out) == 0o600


def test_temporary_file_of_a_killed_export_is_cleaned_up(tmp_path: Path) -> None:
    """A SIGKILLed `export -o` leaves no hidden temporary file behind once the next export runs."""
    db = seeded(tmp_path / "w.db")
    run(db, "log", "-", "-i", INC, stdin="".join(f"event {n} " + "x" * 500 + "\n" for n in range(3000))).ok()
    out = tmp_path / "pm.md"
    killed = subprocess.Popen([script(), "--db", str(db), "export", INC, "-o", str(out)], env=env())
    dead = subprocess.Popen(["true"])
    dead.wait()
    # What a kill mid-write leaves: a temporary named for a process that is gone (the real kill may land before
    # or after its file exists, so one is made for certain too).
    (tmp_path / f".pm.md.{dead.pid}.abcd.tmp").write_text("half a post-mortem")
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    run(db, "export", INC, "-o", str(out)).ok()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".pm.md")) == []
    assert "event 2999" in out.read_text()


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder the unprivileged user can reach (pytest's are root's 0700)."""
    if os.geteuid() != 0 or not hasattr(os, "fork"):
        pytest.skip("needs root to switch to an unprivileged user")
    folder = Path(tempfile.mkdtemp(prefix="warroom-modes-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def test_reading_a_0444_database_leaves_it_writable_after_chmod(shared_folder: Path) -> None:
    """Reading a 0444 database leaves -wal/-shm its owner can write: after `chmod 600`, logging works."""
    db = seeded(shared_folder / "w.db")
    for path in (shared_folder, *shared_folder.iterdir()):
        os.chown(path, 65534, 65534)
    db.chmod(0o444)
    assert "first" in as_nobody(["--db", str(db), "event", "list", "-i", INC]).ok()
    db.chmod(0o600)
    as_nobody(["--db", str(db), "log", "after", "-i", INC]).ok()
    assert rows(db, "SELECT text FROM events ORDER BY id") == [("first",), ("after",)]
    integrity_ok(db)


def test_database_in_a_read_only_folder_can_be_read(shared_folder: Path) -> None:
    """In a 0555 folder, list/show/export work; a write is refused in one line and nothing changes."""
    db = seeded(shared_folder / "w.db")
    for path in (shared_folder, *shared_folder.iterdir()):
        os.chown(path, 65534, 65534)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shared_folder.chmod(0o555)
    before = db.read_bytes()
    assert INC in as_nobody(["--db", str(db), "list"]).ok()
    assert "first" in as_nobody(["--db", str(db), "show", INC]).ok()
    assert "first" in as_nobody(["--db", str(db), "export", INC]).ok()
    assert "read-only" in as_nobody(["--db", str(db), "log", "x", "-i", INC]).one_line(1)
    assert db.read_bytes() == before
    integrity_ok(db)


def test_export_into_a_named_pipe_writes_through_it(tmp_path: Path) -> None:
    """`export -o FIFO` (as `-o /dev/null` would be): the document goes into the pipe, which stays a pipe."""
    db = seeded(tmp_path / "w.db")
    fifo = tmp_path / "pager"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there, so the writer does not wait
    try:
        done = subprocess.run(
            [script(), "--db", str(db), "export", INC, "-o", str(fifo)],
            capture_output=True,
            text=True,
            env=env(),
            timeout=120,
        )
        received = b""
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(reader, 65536):
                received += chunk
    finally:
        os.close(reader)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received.decode().startswith("# Incident Post-Mortem: ")


def test_export_to_dash_is_standard_output(tmp_path: Path) -> None:
    """`export -o -` prints the document, as `import -` reads one; no file called '-' appears."""
    db = seeded(tmp_path / "w.db")
    done = subprocess.run(
        [script(), "--db", str(db), "export", INC, "-o", "-"],
        capture_output=True,
        text=True,
        env=env(),
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Incident Post-Mortem: ")
    assert not (tmp_path / "-").exists()
