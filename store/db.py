"""Opening the SQLite file safely, migrating its schema, and running writes with retry."""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from store.errors import DatabaseFileError, WriteError
from store.schema import MIGRATIONS, SCHEMA_VERSION

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
#: PRAGMA application_id of a warroom file ("WRM1"), so other programs' databases are told apart.
APPLICATION_ID = 0x57524D31
#: How long one attempt waits on another process's lock inside SQLite.
BUSY_TIMEOUT_MS = 2000
#: Attempts at a locked write before giving up with a clear message (about 20 s in all).
WRITE_ATTEMPTS = 10


def check_file(path: Path) -> None:
    """Refuse a path that is not (and cannot become) a warroom database, touching nothing."""
    if path.is_dir():
        raise DatabaseFileError(f"{path} is a directory, not a database file")
    if not path.exists():
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise DatabaseFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head and not head.startswith(SQLITE_MAGIC):
        raise DatabaseFileError(f"{path} is not a warroom database (not an SQLite file); it was left untouched")
    if head and len(head) < 100:
        raise DatabaseFileError(f"{path} is truncated (shorter than an SQLite header); it was left untouched")


def create_private(path: Path) -> None:
    """Create the database file 0600 (and its folder 0700 when we make it)."""
    if not path.parent.exists():
        try:
            path.parent.mkdir(mode=0o700, parents=True)
        except OSError as exc:
            raise DatabaseFileError(f"cannot create folder {path.parent}: {exc.strerror or exc}") from None
    if path.exists():
        return
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseFileError(f"cannot create {path}: {exc.strerror or exc}") from None


class Connection:
    """One SQLite connection with warroom's settings; belongs to the thread that made it."""

    def __init__(self, path: Path | str, *, create: bool = True) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        if self.path is not None:
            check_file(self.path)
            if create:
                create_private(self.path)
            elif not self.path.exists():
                raise DatabaseFileError(f"no database at {self.path}")
        try:
            self.conn = sqlite3.connect(
                str(self.path) if self.path else ":memory:",
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            self.conn.row_factory = sqlite3.Row
            self._configure()
        except sqlite3.DatabaseError as exc:
            raise DatabaseFileError(f"cannot use {self.path}: {describe(exc)}; it was left untouched") from None
        self._migrate()

    def _configure(self) -> None:
        """WAL, full sync, foreign keys, busy timeout; the version check comes before any write."""
        cur = self.conn.execute("PRAGMA user_version")
        version = cur.fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DatabaseFileError(
                f"{self.path} was written by a newer warroom (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade warroom to open it. The file was left untouched"
            )
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        tables = self._table_names()
        foreign = app_id not in (0, APPLICATION_ID) or (version == 0 and tables) or (version > 0 and "incidents" not in tables)
        if foreign:
            raise DatabaseFileError(f"{self.path} is an SQLite database but not a warroom one; it was left untouched")
        self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA synchronous=FULL")
        if self.path is not None:
            # A read-only file can still be read and exported; writes report clearly later.
            with contextlib.suppress(sqlite3.OperationalError):
                self.conn.execute("PRAGMA journal_mode=WAL")

    def _table_names(self) -> set[str]:
        """The tables in the file (SQLite's own excepted)."""
        rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        return {r[0] for r in rows}

    def _migrate(self) -> None:
        """Bring an older file up to SCHEMA_VERSION, one step at a time, each in a transaction."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return

        # sqlite-utils builds the tables; it is imported only here, so everyday commands start faster.
        from sqlite_utils import Database

        db = Database(self.conn, execute_plugins=False, recursive_triggers=False)

        def step() -> None:
            current = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for target in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](db)
            self.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

        self.write(step)

    @property
    def data_version(self) -> int:
        """Changes when another connection commits; cheap to poll."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def write(self, fn: Callable[[], T]) -> T:
        """Run `fn` in one immediate transaction, retrying while another writer holds the lock."""
        delay = 0.02
        for attempt in range(WRITE_ATTEMPTS):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if is_busy(exc) and attempt < WRITE_ATTEMPTS - 1:
                    time.sleep(delay * (1 + random.random()))
                    delay = min(delay * 2, 1.0)
                    continue
                raise WriteError(write_failure(exc)) from None
            try:
                result = fn()
                self.conn.execute("COMMIT")
                return result
            except BaseException as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and is_busy(exc) and attempt < WRITE_ATTEMPTS - 1:
                    time.sleep(delay * (1 + random.random()))
                    delay = min(delay * 2, 1.0)
                    continue
                if isinstance(exc, (sqlite3.Error, OSError)):
                    raise WriteError(write_failure(exc)) from None
                raise
        raise WriteError("the database stayed locked by another process; nothing was written, try again")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several reads."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def is_busy(exc: sqlite3.Error) -> bool:
    """A lock held by another process: worth retrying."""
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


def describe(exc: BaseException) -> str:
    """A short phrase for an SQLite or OS error."""
    msg = str(exc).lower()
    if "malformed" in msg or "not a database" in msg:
        return "the file is damaged or not an SQLite database"
    if "unable to open" in msg:
        return "the file or its folder cannot be opened"
    return str(exc)


def write_failure(exc: BaseException) -> str:
    """One sentence saying why a write failed and that nothing was changed."""
    msg = str(exc).lower()
    if "full" in msg or getattr(exc, "errno", None) == 28:
        why = "the disk is full"
    elif "readonly" in msg or "read-only" in msg:
        why = "the database is read-only"
    elif "unable to open" in msg or "disk i/o" in msg:
        why = "the database file or its folder is gone or unreadable"
    elif "locked" in msg or "busy" in msg:
        why = "the database stayed locked by another process"
    else:
        why = describe(exc)
    return f"could not save: {why}; nothing was written"
