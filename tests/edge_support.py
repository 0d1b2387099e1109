"""The installed `warroom` run as a real process, for the edge-case regression tests."""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.process_support import warroom_on

INC = "INC-1"


@dataclass
class Done:
    """What one real `warroom` process did."""

    code: int
    out: str
    err: str

    def one_line(self, code: int) -> str:
        """Assert it failed with `code` and said why in exactly one `warroom:` line (warnings aside)."""
        assert self.code == code, (self.code, self.out, self.err)
        lines = [line for line in self.err.splitlines() if not line.startswith("warning: ")]
        assert len(lines) == 1 and lines[0].startswith("warroom: "), self.err
        return lines[0]

    def ok(self) -> str:
        """Assert it succeeded with no traceback; its standard output."""
        assert self.code == 0 and "Traceback" not in self.err, (self.code, self.err)
        return self.out


def run(db: Path, *args: str, stdin: str | None = None, tz: str = "UTC", **kw: Any) -> Done:
    """`warroom --db DB ARGS...` as a real process."""
    done = warroom_on(db, *args, input=stdin, tz=tz, **kw)
    return Done(done.returncode, done.stdout, done.stderr)


def seeded(db: Path) -> Path:
    """A database with incident INC-1 and one event, made by real processes."""
    run(db, "new", "Checkout down", "--id", INC, "--started", "2026-11-27T14:00Z").ok()
    run(db, "log", "first", "-i", INC, "--at", "2026-11-27T14:05Z").ok()
    return db


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows straight from the file, read-only, as another reader sees them."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return [tuple(r) for r in conn.execute(sql, params)]


def integrity_ok(db: Path) -> None:
    """Assert `PRAGMA integrity_check` of the file is ok."""
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def as_nobody(argv: list[str]) -> Done:
    """`warroom ARGV` in a forked process that dropped root for nobody (root ignores file modes)."""
    import importlib
    import pkgutil

    # The unprivileged user may not read this interpreter's library: load everything while still root.
    import warroom.store
    import warroom.tui

    for package in (warroom.store, warroom.tui):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            sys.stdout = os.fdopen(1, "w")
            sys.stderr = os.fdopen(2, "w")
            os.setgid(65534)
            os.setuid(65534)
            from warroom.tui.cli import main

            code = main(argv)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(out_w)
    os.close(err_w)
    with os.fdopen(out_r) as out, os.fdopen(err_r) as err:
        printed, said = out.read(), err.read()
    _pid, status = os.waitpid(pid, 0)
    return Done(os.waitstatus_to_exitcode(status), printed, said)
