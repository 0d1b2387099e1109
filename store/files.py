"""Writing files so that a crash or a full disk never leaves half a post-mortem behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from store.errors import InputError, WriteError


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
    folder = path.parent if str(path.parent) else Path(".")
    # Replacing a file keeps its permissions: a post-mortem made private stays private.
    mode = 0o644 if path.is_symlink() or not path.exists() else path.stat().st_mode & 0o777
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
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
