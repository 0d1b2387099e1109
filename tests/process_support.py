"""The installed `warroom` run as a real process: the one helper for tests of exit statuses, output and files.

`warroom_on(db, ...)` runs a command on one database; `warroom_process(..., env=...)` runs one in an environment
a test built (its own config file, database by WARROOM_DB). Both start from `clean_env`, so the tester's own
WARROOM_* settings never leak into a test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def script() -> str:
    """The `warroom` console script of the interpreter running the tests."""
    beside = Path(sys.executable).parent / "warroom"
    if beside.exists():
        return str(beside)
    found = shutil.which("warroom")
    if found is None:
        pytest.skip("the warroom console script is not installed")
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the tester's WARROOM_* settings, plus `extra`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("WARROOM_")}
    return {**base, **extra}


def warroom_process(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """`warroom ARGS...` as a real process, text in and out (`env`: default `clean_env()`)."""
    return subprocess.run(
        [script(), *args],
        capture_output=True,
        text=True,
        env=clean_env() if env is None else env,
        timeout=timeout,
        **kw,
    )


def warroom_on(db: Path, *args: str, tz: str = "UTC", **kw: Any) -> subprocess.CompletedProcess[str]:
    """`warroom --db DB ARGS...` as a real process, displaying times in `tz`."""
    return warroom_process("--db", str(db), *args, env=clean_env(WARROOM_TZ=tz), **kw)
