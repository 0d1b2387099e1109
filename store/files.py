"""Writing files so that a crash or a full disk never leaves half a post-mortem behind."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from warroom.store.errors import InputError, WriteError


def write_atomic(
    path: Path, text: str | Iterable[str], *, replace_symlink: bool = False, overwrite: bool = True
) -> None:
    """Write `text` (or its pieces, as they come) to a temporary file beside `path`, fsync it, rename it into place.

    A symbolic link at `path` is never followed; replacing it (the link itself) needs
    `replace_symlink`. With `overwrite` false an existing file is refused.
    """
    if path.is_symlink() and not replace_symlink:
        raise InputError(f"{path} is a symbolic link; not following it (use --force to replace the link)")
    if path.exists() and not overwrite:
        raise InputError(f"{path} already exists")
    if path.is_dir():
        raise InputError(f"{path} is a directory")
    if path.exists() and not path.is_file():
        # A device or a named pipe (/dev/null, a pipe to a pager) is written into: renaming a file over it
        # would destroy the device node itself, and nothing there can be half-replaced anyway.
        _write_into(path, text)
        return
    folder = path.parent if str(path.parent) else Path(".")
    # Replacing a file keeps its permissions: a post-mortem made private stays private. A new one gets
    # what the umask allows, as any other program's new file would.
    mode = 0o666 & ~current_umask() if path.is_symlink() or not path.exists() else path.stat().st_mode & 0o777
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
