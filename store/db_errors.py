"""What an SQLite or OS error means to a person: told apart by SQLite's result code, never its wording."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

#: SQLite's primary result codes (https://sqlite.org/rescode.html) that warroom tells apart.
SQLITE_BUSY = 5

SQLITE_LOCKED = 6

SQLITE_READONLY = 8

SQLITE_IOERR = 10

SQLITE_CORRUPT = 11

SQLITE_FULL = 13

SQLITE_CANTOPEN = 14

SQLITE_NOTADB = 26


def primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of an error (extended codes carry it in the low byte), None for others.

    The code, not the message: messages differ between SQLite versions and may carry a file name.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_busy(exc: sqlite3.Error) -> bool:
    """A lock held by another process: worth retrying."""
    return primary_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED)


READ_ONLY_FS = "its file system is read-only"

DISK_FULL = "the disk is full"


def fs_problem(path: Path) -> str | None:
    """Why nothing can be written beside `path`: a read-only file system or a full disk (else None)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        fs = os.statvfs(folder)
    except OSError:
        return None
    if fs.f_flag & os.ST_RDONLY:
        return READ_ONLY_FS
    if fs.f_bavail == 0:
        return DISK_FULL
    return None


def describe(exc: BaseException, path: Path | None = None) -> str:
    """A short phrase for an SQLite or OS error; the file system is asked when SQLite's answer is vague."""
    code = primary_code(exc)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return "the file is damaged or not an SQLite database"
    vague = code in (SQLITE_CANTOPEN, SQLITE_IOERR)
    if vague and path is not None and (problem := fs_problem(path)):
        return problem
    if code == SQLITE_CANTOPEN:
        return "the file or its folder cannot be opened"
    return str(exc)


def write_failure(exc: BaseException, path: Path | None = None) -> str:
    """One sentence saying why a write failed and that nothing was changed."""
    code = primary_code(exc)
    vague = code in (SQLITE_CANTOPEN, SQLITE_IOERR)
    problem = fs_problem(path) if vague and path is not None else None
    if code == SQLITE_FULL or getattr(exc, "errno", None) == 28 or problem == DISK_FULL:
        why = DISK_FULL
    elif code == SQLITE_READONLY or getattr(exc, "errno", None) == 30 or problem == READ_ONLY_FS:
        why = "the database is read-only"
    elif vague:
        why = "the database file or its folder is gone or unreadable"
    elif code in (SQLITE_BUSY, SQLITE_LOCKED):
        why = "the database stayed locked by another process"
    else:
        why = describe(exc, path)
    return f"could not save: {why}; nothing was written"


class FileReplaced(Exception):
    """The path holds a different file from the one open (raised inside a write, handled by the connection)."""


class SidecarsLost(Exception):
    """The -wal or -shm file open here is no longer at its path (raised inside a write, handled by the connection)."""
