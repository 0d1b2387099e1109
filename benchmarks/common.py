"""What the benchmark scripts share: a result line, percentiles, fresh databases and headless app runs."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Marks the machine-readable line a script prints for benchmarks/run.
JSON_PREFIX = "BENCH-RESULT "
#: Help for options only the scripts themselves pass (to their child processes).
HIDDEN = argparse.SUPPRESS


@dataclass
class Result:
    """One figure, its target, and how it compares with a baseline measured in the same run."""

    name: str
    figure: float
    unit: str
    target: str
    passed: bool
    ratio: float | None = None
    baseline: str = ""
    note: str = ""

    def line(self) -> str:
        """The result as one human-readable line."""
        ratio = f"  ratio {self.ratio:.2f} vs {self.baseline}" if self.ratio is not None else ""
        note = f"  ({self.note})" if self.note else ""
        verdict = "PASS" if self.passed else "FAIL"
        return f"{self.name}: {self.figure:.1f} {self.unit} (target {self.target}){ratio}: {verdict}{note}"


def parser(doc: str) -> argparse.ArgumentParser:
    """An argument parser with the options every script takes."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--json", action="store_true", help="also print machine-readable result lines for benchmarks/run")
    return p


def report(results: list[Result], as_json: bool) -> int:
    """Print the results (and their JSON lines); exit status 0 either way, the verdict is in the text."""
    for result in results:
        print(result.line())
        if as_json:
            print(JSON_PREFIX + json.dumps(asdict(result)))
    sys.stdout.flush()
    return 0


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    """The median of values."""
    return statistics.median(values)


@contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="warroom-bench-") as folder:
        yield Path(folder)


def clean_env() -> dict[str, str]:
    """The environment without WARROOM_* settings, with this folder importable, writing bytecode.

    Python writes compiled bytecode by default and an installed program runs from it (Textual's and
    pydantic's were compiled when pip installed them). PYTHONDONTWRITEBYTECODE, which some machines set,
    is dropped so a process measured twice does not compile warroom's modules from source every time.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARROOM_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), env.get("PYTHONPATH", "")) if p)
    return env
