"""`PRAGMA data_version` of a file someone else writes, asked read-only: has anyone committed?"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class VersionProbe:
    """Asks one file "has anyone committed?" (`PRAGMA data_version`) without ever writing to it.

    For a process that watches the file for others (`warroom serve` for its tabs): read-only, no sidecars
    created, no migration, no lock held past one pragma. Follows a new file put at the path (restored,
    replaced).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None

    def version(self) -> int | None:
        """The file's data_version now, or None while it cannot be read."""
        try:
            found = os.stat(self.path)
            if self._identity != (found.st_dev, found.st_ino):
                self.close()
                self._identity = (found.st_dev, found.st_ino)
            if self._conn is None:
                self._conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except (OSError, sqlite3.Error):
            self.close()
            return None

    def close(self) -> None:
        """Let go of the file."""
        self._identity = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
