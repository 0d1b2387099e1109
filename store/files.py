"""Writing files so that a crash or a full disk never leaves half a post-mortem behind."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from warroom.store.errors import InputError, WriteError


def write_atomic(
    path: Path,
    text: str | Iterable[str],
    *,
    follow_symlink: bool = False,
    overwrite: bool = True,
    database: Path | None = None,
) -> None:
    """Write `text` (or its pieces, as they come) to a temporary file beside `path`, fsync it, rename it into place.

    Standard output or error (`/dev/stdout`, `/dev/fd/2`, a link to one), a terminal, `/dev/null` or a
    named pipe is written into: there is no file to replace, and renaming one over it would destroy the
    device node. A symbolic link to a file is never replaced by a file: it is refused, or with
    `follow_symlink` the file it points at is written atomically and the link is kept. With `overwrite`
    false an existing file is refused. The `database` the text was read from (and its -wal, -shm and
    -journal files) is never written, whatever names it: an export over it would replace every incident.
    """
    stream = standard_stream(path)
    if stream is not None:
        _write_to_fd(stream, path, text)
        return
    try:
        found: os.stat_result | None = os.stat(path)  # through any link
    except OSError:
        found = None
    if found is not None and (stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode)):
        _write_into(path, text)
        return
    if found is not None and not stat.S_ISREG(found.st_mode) and not stat.S_ISDIR(found.st_mode):
        what = "a block device" if stat.S_ISBLK(found.st_mode) else "neither a file, a pipe nor a terminal"
        raise InputError(f"{path} is {what}; not writing there")
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if target.is_symlink():
            # Links in a loop: there is no file to write, and replacing the link with one is never done.
            raise InputError(f"{path} is a symbolic link that leads back to itself (a loop); not writing there")
        if not follow_symlink:
            raise InputError(
                f"{path} is a symbolic link to {target}; not following it: give -o {target},"
                " or --force to write that file (the link is kept)"
            )
        path = target
    if database is not None and is_database_file(path, database):
        raise InputError(f"{path} is warroom's database (or one of its files); not writing the export over it")
    if path.exists() and not overwrite:
        raise InputError(f"{path} already exists")
    if path.is_dir():
        raise InputError(f"{path} is a directory")
    folder = path.parent if str(path.parent) else Path(".")
    # Replacing a file keeps its permissions: a post-mortem made private stays private. A new one gets
    # what the umask allows, as any other program's new file would.
    mode = 0o666 & ~current_umask() if not path.exists() else path.stat().st_mode & 0o777
    remove_stale_temporaries(folder, path.name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines([text] if isinstance(text, str) else text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise WriteError(f"could not write {path}: {exc.strerror or exc}; nothing was changed") from None
    except BaseException:
        # Ctrl+C, or a failure reading what is written: the temporary file goes too, whatever stopped it.
        Path(tmp).unlink(missing_ok=True)
        raise


def is_database_file(path: Path, database: Path) -> bool:
    """Whether `path` is the database file or one of its companions, by name or as the same file."""
    real = os.path.realpath(database)
    names = {real, *(real + suffix for suffix in ("-wal", "-shm", "-journal"))}
    if os.path.realpath(path) in names:
        return True
    try:
        return os.path.samefile(path, real)
    except OSError:
        return False


_STREAM_NAMES = re.compile(
    r"^/(?:dev/(?P<name>stdout|stderr)|dev/fd/(?P<fd>\d+)|proc/(?P<pid>self|\d+)/fd/(?P<pfd>\d+))$"
)


def standard_stream(path: Path) -> int | None:
    """1 or 2 when `path` (or a symbolic link on the way to its target) names this process's standard output
    or error: written through the descriptor itself, so `>> file` appends and a pipe gets every byte."""
    at = os.path.abspath(path)
    for _ in range(40):  # as many links as the kernel follows
        match = _STREAM_NAMES.match(at)
        if match is not None:
            pid = match["pid"]
            if pid is None or pid == "self" or int(pid) == os.getpid():
                number = {"stdout": 1, "stderr": 2}.get(match["name"] or "") or int(match["fd"] or match["pfd"])
                return number if number in (1, 2) else None
            return None
        try:
            step = os.readlink(at)
        except OSError:
            return None
        at = os.path.normpath(os.path.join(os.path.dirname(at), step))
    return None


def _write_to_fd(number: int, path: Path, text: str | Iterable[str]) -> None:
    """Write `text` to standard output or error (flushed first, so nothing printed before comes after)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    try:
        with os.fdopen(os.dup(number), "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines([text] if isinstance(text, str) else text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise WriteError(f"could not write {path}: {exc.strerror or exc}") from None


def _write_into(path: Path, text: str | Iterable[str]) -> None:
    """Write `text` into an existing file that is not a regular one (never creating it)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines([text] if isinstance(text, str) else text)
    except OSError as exc:
        raise WriteError(f"could not write {path}: {exc.strerror or exc}") from None


def current_umask() -> int:
    """The process's umask (read without changing it where the system allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_temporaries(folder: Path, name: str) -> None:
    """Delete `.NAME.PID.*.tmp` files left by writers that were killed (their process is gone).

    A temporary file is named with its writer's process id; one whose process no longer exists can only
    be the remains of a killed export, and may be as large as the export itself.
    """
    try:
        candidates = list(folder.glob(f".{glob.escape(name)}.*.tmp"))
    except OSError:
        return
    for candidate in candidates:
        pid = candidate.name[len(name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                candidate.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    """Whether a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
