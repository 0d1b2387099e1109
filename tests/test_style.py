"""The code stays ruff-clean (lint and format) and in small modules, so the suite fails on a sloppy change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ruff from this interpreter's environment on the project."""
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint_is_clean() -> None:
    """No lint findings (E, F, I, B, UP, SIM as configured in pyproject.toml)."""
    result = ruff("check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    """Every file is formatted as `ruff format` would."""
    result = ruff("format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


#: The most lines a module of the package may have: past it, a module is doing more than one job.
MAX_MODULE_LINES = 400


def test_no_module_of_the_package_is_over_400_lines() -> None:
    """store/, widgets/ and tui/ are small files with one job each (a long one is split, not grown)."""
    long = {
        str(path.relative_to(ROOT)): count
        for layer in ("store", "widgets", "tui")
        for path in sorted((ROOT / layer).rglob("*.py"))
        if (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
