"""`warroom log -` under a flood: group commit keeps every line, in order, and never holds one back.

Speed is measured by benchmarks/flood.py; these check what a user would notice at the code paths
group commit changed, with the installed `warroom` as a real process where it matters.
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

from tests.conftest import FakeClock
from tests.reliability_helpers import integrity, texts, warroom
from warroom.store.store import Store
from warroom.tui.cli_pipe import arrived_blocks

INC = "INC-1"
SCRIPT = Path(sys.executable).parent / "warroom"


def made(db: Path) -> Path:
    """A database with one empty incident."""
    assert warroom(db, "new", "Flood", "--id", INC).code == 0
    return db


def indexed(db: Path) -> int:
    """How many events the full-text index holds (search finds what was stored)."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM search_index WHERE record_type='event'").fetchone()[0])


def start(db: Path) -> subprocess.Popen[bytes]:
    """The installed `warroom log -` as a real process reading a pipe."""
    return subprocess.Popen(
        [str(SCRIPT), "--db", str(db), "log", "-", "-i", INC],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if not k.startswith("WARROOM_")},
    )


def wait_for(db: Path, count: int, proc: subprocess.Popen[bytes]) -> None:
    """Until `count` events are in the file while `proc` is still running."""
    deadline = time.monotonic() + 30
    while len(texts(db)) < count:
        assert proc.poll() is None, "the process ended"
        assert time.monotonic() < deadline, f"{count} events never arrived"
        time.sleep(0.01)


def feeding(proc: subprocess.Popen[bytes], lines: list[str]) -> threading.Thread:
    """A thread writing `lines` into the process's stdin a thousand at a time, until done or the pipe breaks."""

    def feed() -> None:
        assert proc.stdin is not None
        try:
            for n in range(0, len(lines), 1000):
                proc.stdin.write(("\n".join(lines[n : n + 1000]) + "\n").encode())
        except (BrokenPipeError, ValueError, OSError):
            pass

    feeder = threading.Thread(target=feed)
    feeder.start()
    return feeder


def test_reads_become_batches_and_a_split_line_is_joined() -> None:
    """Each read's complete lines form one batch; a line cut across reads is stored whole; no final newline needed."""

    class Reads(io.RawIOBase):
        def __init__(self, chunks: list[bytes]) -> None:
            self.chunks = chunks

        def read1(self, _size: int = -1) -> bytes:
            return self.chunks.pop(0) if self.chunks else b""

    stream = Reads([b"a\nb\nhal", b"f\n", b"c\r\n\nlast"])
    assert list(arrived_blocks(stream)) == [b"a\nb", b"half", b"c\r\n", b"last"]  # type: ignore[arg-type]
    across_three = Reads([b"lo", b"n", b"g\nnext\n", b"tail", b"end"])
    assert list(arrived_blocks(across_three)) == [b"long\nnext", b"tailend"]  # type: ignore[arg-type]


def test_a_flood_from_a_file_keeps_every_line_in_order(tmp_path: Path) -> None:
    """30,000 lines (blank ones, CRLF, bad UTF-8 among them) become 30,000 events in order, all searchable."""
    db = made(tmp_path / "w.db")
    lines = [f"alert {n}: pod checkout-{n % 7} restarted | `x` [b]" for n in range(30_000)]
    raw = "\n".join(lines).encode() + b"\n\n   \nwindows line\r\nbad \xff byte"
    feed = tmp_path / "lines.txt"
    feed.write_bytes(raw)
    with feed.open("rb") as stdin:
        done = subprocess.run([str(SCRIPT), "--db", str(db), "log", "-", "-i", INC], stdin=stdin, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.decode() == f"logged 30002 events in {INC}\n"
    assert texts(db) == [*lines, "windows line", "bad \ufffd byte"]
    assert indexed(db) == 30_002
    assert integrity(db) == "ok"


def test_batch_stores_the_same_rows_as_one_at_a_time(tmp_path: Path) -> None:
    """Storing lines together gives exactly the rows logging them one by one gives (ids apart)."""
    clock = FakeClock()
    rows = {}
    for how in ("one", "batch"):
        db = made(tmp_path / f"{how}.db")
        store = Store(db, clock=clock)
        lines = ["  first  ", "second | [b]", "nul\x00 bell\x07", "ünïcode ✓"]
        fields = dict(kind="action", team="SRE", author="ana", starred=True, source="pipe")
        if how == "one":
            for line in lines:
                store.log_event(INC, line, **fields)  # type: ignore[arg-type]
        else:
            assert store.log_events(INC, lines, **fields) == 4
        rows[how] = [tuple(r)[1:] for r in store.conn.execute("SELECT * FROM events ORDER BY id")]
        store.close()
    assert rows["batch"] == rows["one"]
    assert len(rows["batch"]) == 4


def test_a_line_arriving_alone_is_stored_before_the_next_arrives(tmp_path: Path) -> None:
    """A slow trickle: each line is in the file while the process still waits for more; the count is true."""
    db = made(tmp_path / "w.db")
    proc = start(db)
    assert proc.stdin is not None
    try:
        for n in range(1, 4):
            proc.stdin.write(f"line {n}\n".encode())
            proc.stdin.flush()
            wait_for(db, n, proc)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert err.decode() == f"logged 3 events in {INC}\n"
    assert texts(db) == ["line 1", "line 2", "line 3"]


def test_sigkill_during_a_flood_leaves_a_whole_prefix(tmp_path: Path) -> None:
    """Killed mid-flood, the file holds the first N lines exactly (none skipped, none torn), all indexed."""
    db = made(tmp_path / "w.db")
    lines = [f"flood line {n}" for n in range(200_000)]
    proc = start(db)
    assert proc.stdin is not None

    feeder = feeding(proc, lines)
    try:
        wait_for(db, 2_000, proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        feeder.join()
    stored = texts(db)
    assert 2_000 <= len(stored) < len(lines)
    assert stored == lines[: len(stored)]
    assert indexed(db) == len(stored)
    assert integrity(db) == "ok"


def test_ctrl_c_stores_what_arrived_and_says_how_many(tmp_path: Path) -> None:
    """SIGINT while the pipe stays open: the lines written before it, a last line without its newline too,
    are stored; the usual "logged N events" is said and the exit status is 130."""
    db = made(tmp_path / "w.db")
    proc = start(db)
    assert proc.stdin is not None
    try:
        proc.stdin.write(b"first\n")
        proc.stdin.flush()
        wait_for(db, 1, proc)  # it is reading: Ctrl+C now meets the pipe, not the start-up
        proc.stdin.write(b"second\nthird\nno newline yet")
        proc.stdin.flush()
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert err.decode() == f"logged 4 events in {INC}\n"
    assert texts(db) == ["first", "second", "third", "no newline yet"]
    assert indexed(db) == 4
    assert integrity(db) == "ok"


def test_ctrl_c_with_nothing_new_stores_nothing_more(tmp_path: Path) -> None:
    """SIGINT while waiting for a line that never came: the count is of the lines stored, exit 130."""
    db = made(tmp_path / "w.db")
    proc = start(db)
    assert proc.stdin is not None
    try:
        proc.stdin.write(b"only line\n")
        proc.stdin.flush()
        wait_for(db, 1, proc)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert err.decode() == f"logged 1 event in {INC}\n"
    assert texts(db) == ["only line"]


def test_ctrl_c_during_a_flood_reports_exactly_what_was_committed(tmp_path: Path) -> None:
    """SIGINT mid-flood: the file holds the first N lines in order, and "logged N events" says that N."""
    db = made(tmp_path / "w.db")
    lines = [f"flood line {n}" for n in range(200_000)]
    proc = start(db)
    assert proc.stdin is not None

    feeder = feeding(proc, lines)
    try:
        wait_for(db, 2_000, proc)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        feeder.join()
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    stored = texts(db)
    assert proc.returncode == 130
    assert err == f"logged {len(stored)} events in {INC}\n"
    assert 2_000 <= len(stored) < len(lines)
    # The pipe may end mid-line: as at the end of input, that start of a line is stored as it came.
    *whole, last = stored
    assert whole == lines[: len(whole)]
    assert lines[len(whole)].startswith(last)
    assert integrity(db) == "ok"
