"""Database files SQLite cannot share safely: one file under two names, and a -shm deleted while in use.

SQLite's locks live on the file it opened by name and in the -shm beside that name. Two names for one
file (hard links), or a -shm deleted and made afresh under a running program, give two sets of locks on
one database: both writers are told "saved" and one of them is lost. These checks run before SQLite
opens the file, so nothing is created or changed when they refuse.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import struct
import time
from pathlib import Path

from warroom.store.errors import DatabaseFileError

#: How long a lock without a -shm may last before it is taken as a -shm deleted under a running program
#: (the last program to close a file holds its lock while it deletes the -shm).
_SETTLE_S = 0.5


def refuse_hard_links(path: Path) -> None:
    """Refuse a database file that has more than one name."""
    try:
        links = path.stat().st_nlink
    except OSError:
        return
    if links > 1:
        raise DatabaseFileError(
            f"{path} has {links} hard links: SQLite cannot lock a file shared under several names, "
            "so it was left untouched; give it one name (copy it with cp to keep two)"
        )


def refuse_lost_sidecars(path: Path) -> None:
    """Refuse a file another process holds open when its -shm is gone (deleted under that process).

    Opening it would make a second -wal and -shm: our writes and the other program's would each be
    acknowledged and one set lost. Must not be called for a file this process has open (see db.check_file).
    """
    deadline = time.monotonic() + _SETTLE_S
    shm = Path(f"{path.resolve()}-shm")
    while not shm.exists() and locked_elsewhere(path):
        if time.monotonic() >= deadline:
            raise DatabaseFileError(
                f"another program has {path} open but its -shm file is gone (deleted while in use); "
                "nothing was written. Close that program, then start warroom again"
            )
        time.sleep(0.05)


def locked_elsewhere(path: Path) -> bool:
    """Whether another process holds a POSIX lock on the file (SQLite's readers and writers do)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        # struct flock: l_type, l_whence, l_start, l_len (0: to the end), l_pid.
        probe = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        with contextlib.suppress(OSError):
            return bool(struct.unpack("hhqqi", fcntl.fcntl(fd, fcntl.F_GETLK, probe))[0] != fcntl.F_UNLCK)
        return False
    finally:
        os.close(fd)
