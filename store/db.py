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
from urllib.parse import quote

from warroom.store.db_errors import FileReplaced, SidecarsLost, describe, is_busy, write_failure
from warroom.store.db_files import (
    OPEN_FILES,
    check_file,
    create_private,
    identity,
    owner_can_write_sidecars,
    release,
    sidecars_impossible,
)
from warroom.store.errors import DatabaseFileError, WriteError
from warroom.store.migrations import SCHEMA_VERSION, STEPS
from warroom.store.recognise import APPLICATION_ID, is_warroom_file

__all__ = ["Connection", "check_file", "create_private", "describe", "is_busy", "write_failure"]

T = TypeVar("T")

#: How long one attempt waits on another process's lock inside SQLite.
BUSY_TIMEOUT_MS = 2000
#: Attempts at a locked write before giving up with a clear message (about 20 s in all).
WRITE_ATTEMPTS = 10


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
        #: Added to data_version after a reopen, so pollers always see the change.
        self._epoch = 0
        #: Commits leave the WAL to `checkpoint()` (see `defer_checkpoints`).
        self._deferred_checkpoints = False
        self._open()
        self._migrate()

    def _open(self) -> None:
        """Connect to the file now at the path and remember which file (and which -wal and -shm) that is."""
        self._identity = identity(self.path)
        self._immutable = False
        # SQLite keeps -wal and -shm beside the file a symbolic link points at, not beside the link.
        self._real = self.path.resolve() if self.path is not None else None
        try:
            try:
                self.conn = self._connect()
            except sqlite3.OperationalError:
                if self.path is None or not sidecars_impossible(self.path):
                    raise
                # WAL needs its -shm file beside the database: on a read-only file system (or in a folder
                # we may not write) only an immutable read is possible; we could not write there anyway.
                self.conn = self._connect(f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1")
                self._immutable = True
            self._configure()
        except sqlite3.DatabaseError as exc:
            why = describe(exc, self.path)
            raise DatabaseFileError(f"cannot use {self.path}: {why}; it was left untouched") from None
        self._sidecars = self._sidecar_identities()
        if self._real is not None:
            owner_can_write_sidecars(self._real)
        if self._identity is not None:
            OPEN_FILES[self._identity] += 1

    def _connect(self, uri: str | None = None) -> sqlite3.Connection:
        """A new SQLite connection to the path (or the given URI); the schema is read at once."""
        conn = sqlite3.connect(
            uri or (str(self.path) if self.path else ":memory:"),
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            uri=uri is not None,
        )
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA user_version").fetchone()
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _sidecar_identities(self) -> dict[str, tuple[int, int] | None]:
        """The -wal and -shm files now beside the database."""
        if self._real is None:
            return {}
        return {suffix: identity(Path(f"{self._real}{suffix}")) for suffix in ("-wal", "-shm")}

    def follow_file(self) -> bool:
        """Reopen on the file now at the path when it is another one (restored after a delete); True if reopened.

        An open SQLite connection keeps writing to a deleted or replaced file, where nothing can be seen
        again: writes must go to the file at the path or nowhere. A file opened read-only because its
        file system was is reopened once that file system is writable again.
        """
        if self.path is None:
            return False
        remounted = self._immutable and not sidecars_impossible(self.path)
        if identity(self.path) in (self._identity, None) and not remounted:
            return False
        if not remounted:
            # Fold our WAL into the file we had open, wherever it went, and empty it: SQLite leaves the
            # WAL of a moved database where it was, and its frames must not be read as the new file's.
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            check_file(self.path)
            if self.path.stat().st_size == 0:
                raise DatabaseFileError(f"{self.path} is empty")
        except DatabaseFileError as exc:
            reason = str(exc).split(";")[0].removeprefix(f"{self.path} ")
            raise DatabaseFileError(f"{self.path} was replaced, and the new file {reason}") from None
        if not remounted and any(
            seen is not None and seen == now
            for seen, now in zip(self._sidecars.values(), self._sidecar_identities().values(), strict=True)
        ):
            # The old file was moved away but its -wal and -shm were not: a connection to the new file
            # would share them with ours and mix two databases' pages. Only a fresh start is safe.
            raise DatabaseFileError(
                f"{self.path} was replaced while warroom had it open; start warroom again to use the new file"
            )
        old, old_identity, old_sidecars, old_immutable = self.conn, self._identity, self._sidecars, self._immutable
        try:
            self._open()
            self._migrate()
        except BaseException:
            if self.conn is not old:
                self.conn.close()
            self.conn, self._identity, self._sidecars, self._immutable = old, old_identity, old_sidecars, old_immutable
            raise
        old.close()
        release(old_identity)
        self._epoch += 1 << 32
        return True

    def _check_file_in_place(self) -> None:
        """Refuse to write when the open file is no longer the one at the path (inside the write lock)."""
        now = identity(self.path)
        if self.path is None:
            return
        if now == self._identity:
            self._check_sidecars()
            return
        if now is None:
            raise WriteError(f"could not save: {self.path} is gone (deleted or moved away); nothing was written")
        raise FileReplaced

    def _check_sidecars(self) -> None:
        """Refuse to write when the -wal or -shm file open here was deleted or replaced, or the file got a second name.

        SQLite keeps writing into a deleted -wal, where no other process (and no later run) will ever read
        it, and its locks live in the -shm: a write now would be acknowledged and then lost.
        """
        assert self.path is not None
        try:
            links = os.stat(self.path).st_nlink
        except OSError:
            return  # gone: the write path says so (see _check_file_in_place)
        if links > 1:
            raise WriteError(
                f"could not save: {self.path} was given a second name (a hard link), which SQLite cannot lock; "
                "nothing was written"
            )
        now = self._sidecar_identities()
        for suffix, seen in self._sidecars.items():
            if seen is None:
                self._sidecars[suffix] = now[suffix]
            elif now[suffix] != seen:
                raise SidecarsLost(suffix)

    def _follow_sidecars(self) -> None:
        """Between writes: save what our WAL holds as soon as our -wal/-shm are found deleted (see below)."""
        if self.path is None or self._immutable or self.conn.in_transaction or identity(self.path) != self._identity:
            return  # a file moved or deleted is follow_file's business
        try:
            self._check_sidecars()
        except SidecarsLost as lost:
            self._recover_sidecars(str(lost))

    def _recover_sidecars(self, suffix: str) -> None:
        """After our -wal/-shm were deleted: fold our WAL into the file and reopen, or refuse if that is unsafe.

        Our WAL, unlinked, still holds what was acknowledged since the last checkpoint; it is copied into
        the database file at once (nobody else can have written since: a new process refuses to open the
        file while we hold it without a -shm). If new -wal/-shm files exist, another program wrote beside
        ours and the two cannot be merged: refuse rather than acknowledge a write that would be lost.
        """
        if any(found is not None for found in self._sidecar_identities().values()):
            raise WriteError(
                f"could not save: the database's {suffix} file was deleted or replaced while warroom had it "
                "open, and another program has made a new one; nothing was written. Close every program "
                "using the file and start again"
            )
        try:
            busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error as exc:
            raise WriteError(write_failure(exc, self.path)) from None
        if busy:
            raise WriteError(
                f"could not save: the database's {suffix} file was deleted while in use; nothing was written"
            )
        old, old_identity = self.conn, self._identity
        old.close()
        release(old_identity)
        self._open()
        self._epoch += 1 << 32

    def _configure(self) -> None:
        """WAL, full sync, foreign keys, busy timeout; the version check comes before any write."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        if version > SCHEMA_VERSION and app_id == APPLICATION_ID:
            raise DatabaseFileError(
                f"{self.path} was written by a newer warroom (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade warroom to open it. The file was left untouched"
            )
        if version > SCHEMA_VERSION or not is_warroom_file(app_id, version, self._table_names(), self._column_names):
            raise DatabaseFileError(f"{self.path} is an SQLite database but not a warroom one; it was left untouched")
        self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA synchronous=FULL")
        if self._deferred_checkpoints:
            self.conn.execute("PRAGMA wal_autocheckpoint=0")
        if self.path is not None:
            # A read-only file can still be read and exported; writes report clearly later.
            with contextlib.suppress(sqlite3.OperationalError):
                self.conn.execute("PRAGMA journal_mode=WAL")

    def _column_names(self, table: str) -> set[str]:
        """The columns of one table in the file."""
        return {r[1] for r in self.conn.execute("SELECT * FROM pragma_table_info(?)", (table,))}

    def _table_names(self) -> set[str]:
        """The tables in the file (SQLite's own excepted)."""
        rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        return {r[0] for r in rows}

    def _migrate(self) -> None:
        """Bring an older file up to SCHEMA_VERSION, one step at a time, each in a transaction."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return

        def step() -> None:
            current = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for target in range(current + 1, SCHEMA_VERSION + 1):
                for statement in STEPS[target]:
                    self.conn.execute(statement)
            self.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

        self.write(step)

    @property
    def data_version(self) -> int:
        """Changes when another connection commits; cheap to poll."""
        with contextlib.suppress(DatabaseFileError):
            self.follow_file()
        with contextlib.suppress(WriteError, SidecarsLost):
            self._follow_sidecars()
        return self._epoch + int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def write(self, fn: Callable[[], T]) -> T:
        """Run `fn` in one immediate transaction, retrying while another writer holds the lock.

        Called inside another write, `fn` joins that transaction: the outer write commits both or neither.
        """
        joining = self.conn.in_transaction  # (a local: mypy would take `in_transaction` as still false after `fn`)
        if joining:
            return fn()
        if self._immutable:
            self._follow_for_write()
        delay = 0.02
        followed = False
        for attempt in range(WRITE_ATTEMPTS):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if is_busy(exc) and attempt < WRITE_ATTEMPTS - 1:
                    time.sleep(delay * (1 + random.random()))
                    delay = min(delay * 2, 1.0)
                    continue
                raise WriteError(write_failure(exc, self.path)) from None
            try:
                self._check_file_in_place()
            except SidecarsLost as lost:
                self.conn.execute("ROLLBACK")
                if followed:
                    raise WriteError(
                        f"could not save: {self.path}'s {lost} file keeps disappearing; nothing was written"
                    ) from None
                followed = True
                self._recover_sidecars(str(lost))
                continue
            except FileReplaced:
                self.conn.execute("ROLLBACK")
                if followed:
                    raise WriteError(f"could not save: {self.path} keeps being replaced; nothing was written") from None
                followed = True
                self._follow_for_write()
                continue
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
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
                    raise WriteError(write_failure(exc, self.path)) from None
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

    def _follow_for_write(self) -> None:
        """Reopen on the file now at the path before writing, or say why that file cannot be used."""
        try:
            self.follow_file()
        except DatabaseFileError as exc:
            raise WriteError(f"could not save: {exc}; nothing was written") from None

    def defer_checkpoints(self) -> None:
        """Commit without folding the WAL into the file; the owner calls `checkpoint()` when it is idle.

        With SQLite's default, the commit that finds 1,000 pages in the WAL copies them into the file
        and syncs it: 10-20 ms on one commit in every sixty or so, the slowest quick entries of all.
        """
        self._deferred_checkpoints = True
        self.conn.execute("PRAGMA wal_autocheckpoint=0")

    def checkpoint(self) -> None:
        """Fold what the WAL holds into the file, as far as readers allow, without waiting for anyone."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def upkeep(self, sql: str) -> None:
        """Run one housekeeping statement in its own write, if the lock is free this instant.

        It never waits for another writer and reports nothing: it is redone at the next idle moment. It
        never writes into a file that was moved or deleted under us (the next real write follows the file).
        """
        if self._immutable or self.conn.in_transaction or identity(self.path) != self._identity:
            return
        self.conn.execute("PRAGMA busy_timeout=0")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.execute(sql)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            pass
        finally:
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
        release(self._identity)
