"""The database file on disk: created privately, known by device and inode, its -wal and -shm kept usable."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from warroom.store.db_errors import READ_ONLY_FS, fs_problem
from warroom.store.errors import DatabaseFileError
from warroom.store.sharing import refuse_hard_links, refuse_lost_sidecars

SQLITE_MAGIC = b"SQLite format 3\x00"

#: (device, inode) of the database files this process has open through SQLite, and how often.
#: Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
#: included, after which a reader keeps a stale snapshot: such files are never opened directly.
OPEN_FILES: Counter[tuple[int, int]] = Counter()


def check_file(path: Path) -> None:
    """Refuse a path that is not (and cannot become) a warroom database, touching nothing."""
    if path.is_dir():
        raise DatabaseFileError(f"{path} is a directory, not a database file")
    if not path.exists() or identity(path) in OPEN_FILES:
        # Absent, or already open here through SQLite (and checked when it was first opened).
        return
    if not path.is_file():
        # Reading a named pipe would wait for a writer for ever; a device is no place for a database.
        raise DatabaseFileError(f"{path} is not a regular file (a pipe, socket or device); not a database")
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise DatabaseFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head and not head.startswith(SQLITE_MAGIC):
        raise DatabaseFileError(f"{path} is not a warroom database (not an SQLite file); it was left untouched")
    if head and len(head) < 100:
        raise DatabaseFileError(f"{path} is truncated (shorter than an SQLite header); it was left untouched")
    refuse_hard_links(path)
    refuse_lost_sidecars(path)


def release(file_identity: tuple[int, int] | None) -> None:
    """Forget one SQLite connection to a file."""
    if file_identity is not None and OPEN_FILES[file_identity] > 0:
        OPEN_FILES[file_identity] -= 1
        if not OPEN_FILES[file_identity]:
            del OPEN_FILES[file_identity]


def create_private(path: Path) -> None:
    """Create the database file 0600 (and its folder 0700 when we make it).

    Through a dangling symbolic link, the file it points at is created, just as privately.
    """
    if path.is_symlink() and not path.exists():
        path = path.resolve()
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


def identity(path: Path | None) -> tuple[int, int] | None:
    """Device and inode of the file at `path` (None when nothing is there)."""
    if path is None:
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def owner_can_write_sidecars(real: Path) -> None:
    """Give our own -wal and -shm owner read and write if SQLite made them without.

    SQLite gives them the database's mode: reading a 0444 database would leave 0444 -wal and -shm behind,
    and every write would fail even after `chmod 600` on the database itself.
    """
    for suffix in ("-wal", "-shm"):
        try:
            found = os.stat(f"{real}{suffix}")
            if found.st_uid == os.geteuid() and found.st_mode & 0o600 != 0o600:
                os.chmod(f"{real}{suffix}", (found.st_mode & 0o777) | 0o600)
        except OSError:
            continue


def sidecars_impossible(path: Path) -> bool:
    """Whether SQLite cannot make a -shm beside `path`: a read-only file system, or a folder we may not write."""
    if fs_problem(path) == READ_ONLY_FS:
        return True
    shm = Path(f"{path.resolve()}-shm")
    return not shm.exists() and not os.access(shm.parent, os.W_OK)
