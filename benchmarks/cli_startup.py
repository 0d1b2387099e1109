"""How long an alert hook waits for `warroom log`, against the bare cost of importing its libraries.

Runs the venv's `warroom` script as a whole process (start-up, open the database, one committed
write) and `python -c "import pydantic, sqlite_utils, click"`, and compares the medians. The
target: `warroom log` costs at most 1.5 times the imports alone.

    python benchmarks/cli_startup.py [-n 15] [--warmup 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.5
BASELINE_CODE = "import pydantic, sqlite_utils, click"


def warroom_script() -> Path:
    """The `warroom` console script installed beside this interpreter."""
    script = Path(sys.executable).parent / ("warroom.exe" if os.name == "nt" else "warroom")
    if not script.exists():
        sys.exit(f"no warroom script at {script}: install the project into this venv first")
    return script


def clean_env() -> dict[str, str]:
    """The environment without WARROOM_* settings that would change what is measured."""
    return {k: v for k, v in os.environ.items() if not k.startswith("WARROOM_")}


def wall_ms(argv: list[str], env: dict[str, str]) -> float:
    """Whole-process wall time of one run, in milliseconds; a failed run stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode(errors='replace').strip()}")
    return elapsed


def median_ms(argv: list[str], env: dict[str, str], runs: int, warmup: int) -> float:
    """Median wall time over `runs` runs after `warmup` unmeasured ones."""
    for _ in range(warmup):
        wall_ms(argv, env)
    return statistics.median(wall_ms(argv, env) for _ in range(runs))


def main() -> int:
    """Measure both commands, print the medians and the ratio, and PASS or FAIL against the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=15, help="measured runs per command")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured runs first")
    args = parser.parse_args()

    env = clean_env()
    script = str(warroom_script())
    with tempfile.TemporaryDirectory(prefix="warroom-bench-") as folder:
        db = str(Path(folder) / "bench.db")
        made = subprocess.run([script, "--db", db, "new", "Benchmark"], capture_output=True, text=True, env=env)
        if made.returncode != 0:
            sys.exit(f"could not create the benchmark incident: {made.stderr.strip()}")
        incident = made.stdout.strip()
        log_ms = median_ms([script, "--db", db, "log", "x", "-i", incident], env, args.runs, args.warmup)
        base_ms = median_ms([sys.executable, "-c", BASELINE_CODE], env, args.runs, args.warmup)

    ratio = log_ms / base_ms
    print(f"python {sys.version.split()[0]}, {args.runs} runs after {args.warmup} warm-ups, medians:")
    labels = ("warroom --db DB log x -i ID", f"python -c '{BASELINE_CODE}'")
    width = max(len(label) for label in labels)
    print(f"  {labels[0]:<{width}}  {log_ms:8.1f} ms")
    print(f"  {labels[1]:<{width}}  {base_ms:8.1f} ms")
    print(f"  ratio {ratio:.2f} (target <= {TARGET_RATIO}): {'PASS' if ratio <= TARGET_RATIO else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
