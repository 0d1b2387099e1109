"""`warroom export` of a 100k-event incident, Markdown and JSON.

The figure is the whole `warroom export` process, start to exit, writing the file with `-o` (as a
user waits for it), median of a few runs after one unmeasured warm-up. Baseline, same run: a plain
Python process that reads the same rows with sqlite3 and writes their text to a file, the floor
any export process sits on. The in-process render (store.export_md.render_markdown /
store.export_json.render_json on an open Store) is printed too, for reference, against the same
read done in-process. Target: <= 1 s each.

    python benchmarks/export.py [-n 100000] [--runs 3]
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import Result, clean_env, median, parser, report, scratch
from seed import INCIDENT_ID, recent_start, seed

TARGET_SECONDS = 1.0
_LIVE_TEXT = "SELECT * FROM events WHERE incident_id=? AND deleted_at IS NULL ORDER BY occurred_at, id"
#: The whole-process baseline: start Python, read every live row with plain sqlite3, write the text joined.
BASELINE_CODE = f"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute({_LIVE_TEXT!r}, ({INCIDENT_ID!r},)).fetchall()
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("\\n".join(str(r[4]) for r in rows))
"""


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def raw_read(db: Path) -> str:
    """The in-process baseline: every row of the timeline read with plain sqlite3, text joined."""
    conn = sqlite3.connect(db)
    rows = conn.execute(_LIVE_TEXT, (INCIDENT_ID,)).fetchall()
    conn.close()
    return "\n".join(str(r[4]) for r in rows)


def process(argv: list[str], runs: int) -> float:
    """Median seconds of a whole process, start to exit, after one unmeasured run."""

    def run() -> None:
        done = subprocess.run(argv, capture_output=True, env=clean_env())
        if done.returncode != 0:
            sys.exit(f"{argv[0]} failed: {done.stderr.decode(errors='replace').strip()}")

    run()
    return timed(run, runs)


def export_argv(db: Path, fmt: str) -> list[str]:
    """`warroom export` of the seeded incident to a file beside the database."""
    script = Path(sys.executable).parent / "warroom"
    out = db.parent / f"out.{fmt}"
    return [str(script), "--db", str(db), "export", INCIDENT_ID, "--format", fmt, "-o", str(out), "--force"]


def main() -> int:
    """Seed, time both exports and both baselines, report."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--events", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()

    from warroom.store.export_json import render_json
    from warroom.store.export_md import render_markdown
    from warroom.store.store import Store
    from warroom.store.timeparse import UTC

    results = []
    with scratch() as folder:
        db = folder / "export.db"
        seed(db, args.events, start=recent_start(args.events))
        store = Store(db)
        render_markdown(store, INCIDENT_ID, UTC)  # builds the models' schemas once, as any first use does
        base = timed(lambda: raw_read(db), args.runs)
        base_process = process([sys.executable, "-c", BASELINE_CODE, str(db), str(folder / "out.txt")], args.runs)
        print(
            f"{args.events} events, median of {args.runs}; baselines: plain sqlite3 read {base * 1000:.0f} ms, "
            f"as a whole process {base_process * 1000:.0f} ms"
        )
        for fmt, render in (("md", render_markdown), ("json", render_json)):
            seconds = timed(lambda render=render: render(store, INCIDENT_ID, UTC), args.runs)
            whole = process(export_argv(db, fmt), args.runs)
            size = (folder / f"out.{fmt}").stat().st_size
            print(f"  {fmt:4}  whole process {whole * 1000:6.0f} ms   render {seconds * 1000:6.0f} ms   {size:,} B")
            results.append(
                Result(
                    f"export {fmt} 100k (whole `warroom export` process)",
                    whole * 1000,
                    "ms",
                    f"<= {TARGET_SECONDS * 1000:.0f} ms",
                    whole <= TARGET_SECONDS,
                    ratio=whole / base_process,
                    baseline=f"plain sqlite3 read as a process {base_process * 1000:.0f} ms",
                    note=(
                        f"in-process render {seconds * 1000:.0f} ms, "
                        f"ratio {seconds / base:.2f} vs plain sqlite3 read {base * 1000:.0f} ms"
                    ),
                )
            )
        store.close()
    return report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
