"""`warroom serve` watches the database once for all its tabs and tells each tab's process when it changed.

One cheap question (`PRAGMA data_version`, which changes when another connection commits) every
CHECK seconds here replaces each tab asking twice a second. A tab is told at once after a quiet
spell, and at most every GAP seconds while writes stream in: under a flood of pipes each tab
redraws twice a second, not once per commit.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path

#: Seconds between two looks at the file.
CHECK = 0.1
#: Fewest seconds between two words to the tabs: what a tab spends redrawing is bounded under a flood.
GAP = 0.5

Tell = Callable[[], None]


class FileWatch:
    """The file's data_version, looked at every CHECK seconds; `tabs()` are told when it moved."""

    def __init__(self, db_path: Path, tabs: Callable[[], Iterable[Tell]]) -> None:
        self.db_path = db_path
        self.tabs = tabs
        self.conn: sqlite3.Connection | None = None
        self.identity: tuple[int, int] | None = None
        self.last: int | None = None
        self.told_at = -GAP
        self.pending = False

    def version(self) -> int | None:
        """The file's data_version now (None while it cannot be read: the tabs' own polls carry on)."""
        try:
            found = os.stat(self.db_path)
            if self.identity != (found.st_dev, found.st_ino):
                self.close()  # a new file at the path (restored, replaced): watch that one
                self.identity = (found.st_dev, found.st_ino)
            if self.conn is None:
                # Read-only, no sidecars created: the watcher never writes, never holds a lock past one pragma.
                self.conn = sqlite3.connect(f"{self.db_path.resolve().as_uri()}?mode=ro", uri=True)
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        except (OSError, sqlite3.Error):
            self.close()
            return None

    async def run(self) -> None:
        """Watch until cancelled."""
        self.last = self.version()
        try:
            while True:
                await asyncio.sleep(CHECK)
                self.step()
        finally:
            self.close()

    def step(self) -> bool:
        """One look at the file; tell the tabs if it changed and the last word was GAP ago. Whether they were told."""
        now = self.version()
        if now is not None and now != self.last:
            self.last = now
            self.pending = True
        if not self.pending or time.monotonic() - self.told_at < GAP:
            return False
        self.pending = False
        self.told_at = time.monotonic()
        self.tell()
        return True

    def tell(self) -> None:
        """Tell every tab (without waiting for any)."""
        for tell in list(self.tabs()):
            tell()

    def close(self) -> None:
        """Let go of the file."""
        self.identity = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None
