"""Helpers for the fault, hostile-input and concurrency tests: an in-process CLI, small file systems, checks."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from warroom.store.store import Store
from warroom.tui import cli_common
from warroom.tui.cli import main
from warroom.widgets.quick_entry import QuickEntry
from warroom.widgets.timeline import TimelineView

REPO = Path(__file__).resolve().parent.parent
#: What a terminal would act on: C0 controls other than tab and newline, DEL, C1 controls (CSI is 0x9b), and
#: bidi embeddings, overrides and isolates (they reorder what follows them on screen).
TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Ran:
    """What one `warroom` command did: its exit status and what it printed."""

    code: int
    out: str
    err: str


def warroom(db: Path, *args: str, stdin: bytes = b"") -> Ran:
    """Run `warroom --db DB ARGS...` in-process as the console script does, closing every store it opened."""
    opened: list[Store] = []
    real_store = cli_common.Store

    def tracked(path: Path, **kwargs: Any) -> Store:
        store = real_store(path, **kwargs)
        opened.append(store)
        return store

    out, err = io.StringIO(), io.StringIO()
    stdin_stream = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    saved_stdin = sys.stdin
    cli_common.Store = tracked  # type: ignore[misc]
    sys.stdin = stdin_stream
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--db", str(db), *args])
    finally:
        sys.stdin = saved_stdin
        cli_common.Store = real_store  # type: ignore[misc]
        for store in opened:
            with contextlib.suppress(sqlite3.Error):
                store.close()
    return Ran(code, out.getvalue(), err.getvalue())


def one_line_error(ran: Ran, code: int = 1) -> str:
    """Assert the command failed with `code` and exactly one `warroom:` line on stderr; return that line."""
    assert ran.code == code, (ran.code, ran.out, ran.err)
    assert ran.err.startswith("warroom: ") and ran.err.count("\n") == 1, ran.err
    assert "Traceback" not in ran.err
    return ran.err.strip()


def final_error(ran: Ran, code: int = 1) -> str:
    """Like `one_line_error`, but `warning:` lines (an export's gaps) may come first."""
    assert ran.code == code, (ran.code, ran.out, ran.err)
    *before, last = ran.err.splitlines()
    assert all(line.startswith("warning: ") for line in before), ran.err
    assert last.startswith("warroom: ") and "Traceback" not in ran.err, ran.err
    return last


def integrity(db: Path) -> str:
    """`PRAGMA integrity_check` of a database file, read-only."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return ", ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))


def texts(db: Path, incident: str | None = None) -> list[str]:
    """Event texts straight from the file in id order (deleted ones too), as another reader sees them."""
    where, params = ("WHERE incident_id=?", (incident,)) if incident else ("", ())
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return [row[0] for row in conn.execute(f"SELECT text FROM events {where} ORDER BY id", params)]


def snapshot(path: Path) -> tuple[bytes, int]:
    """A file's bytes and modification time, to show it was left untouched."""
    return path.read_bytes(), path.stat().st_mtime_ns


def is_root() -> bool:
    """Running as root, where file modes do not stop writes."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)


@contextlib.contextmanager
def small_fs(size: str = "256k") -> Iterator[Path]:
    """A fresh tmpfs of `size`, unmounted afterwards; skips the test where mounting is not permitted."""
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("needs Linux mount(8) for a small tmpfs")
    folder = Path(tempfile.mkdtemp(prefix="warroom-fs-"))
    done = _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder))
    if done.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield folder
    finally:
        _mount("-o", "remount,rw", str(folder))
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)
        folder.rmdir()


def remount(folder: Path, mode: str) -> None:
    """Remount a `small_fs` read-only ("ro") or read-write ("rw")."""
    done = _mount("-o", f"remount,{mode}", str(folder))
    assert done.returncode == 0, done.stderr


def fill(folder: Path) -> Path:
    """Fill the file system holding `folder` to the last byte; returns the filler file to delete later."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as fh, contextlib.suppress(OSError):
        while fh.write(b"\0" * 4096):
            pass
    assert os.statvfs(folder).f_bavail == 0
    return filler


# -- driving the TUI with Textual's pilot -----------------------------------------------------------

P = ParamSpec("P")
WAIT_SECONDS = 5.0


def run_async(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Let pytest run an async pilot test without an asyncio plugin (fixtures still resolve by signature)."""

    @functools.wraps(test)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


async def wait_until(pilot: Pilot[Any], condition: Callable[[], Any], what: str) -> None:
    """Let the app and its writer thread work until `condition()` holds; fail after a few seconds."""
    await pilot.pause()
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


def entry(app: App[Any]) -> QuickEntry:
    """The quick-entry line of the incident screen."""
    return app.screen.query_one(QuickEntry)


def timeline(app: App[Any]) -> TimelineView:
    """The timeline of the incident screen."""
    return app.screen.query_one(TimelineView)


def status(app: App[Any]) -> Static:
    """The one-line feedback under the entry."""
    return app.screen.query_one("#status", Static)


async def submit(pilot: Pilot[Any], text: str, *, typed: bool = True) -> None:
    """Type (or paste) text into the focused entry and press Enter."""
    if typed:
        await pilot.press(*text)
    else:
        pilot.app.post_message(events.Paste(text))
        await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def wait_for_status(pilot: Pilot[Any], fragment: str) -> str:
    """Wait until the status line mentions `fragment`; return the whole line."""
    app = pilot.app

    def said() -> str:
        return str(status(app).content)

    await wait_until(pilot, lambda: fragment in said(), f"status {fragment!r} (it says {said()!r})")
    return said()
