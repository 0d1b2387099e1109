"""`warroom export` of a 100k-event incident, Markdown and JSON.

The figure is the in-process render (store.export_md.render_markdown / store.export_json.render_json
on an open Store, the function `warroom export` calls), median of a few runs; the whole `warroom
export` process is timed too, for reference. Baseline, same run: reading the same rows with plain
sqlite3 and joining their text, the floor any export of them sits on. Target: <= 1 s each.

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


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def raw_read(db: Path) -> str:
    """The baseline: every row of the timeline read with plain sqlite3, text joined."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT * FROM events WHERE incident_id=? AND deleted_at IS NULL ORDER BY occurred_at, id", (INCIDENT_ID,)
    ).fetchall()
    conn.close()
    return "\n".join(str(r[4]) for r in rows)


def whole_process(db: Path, fmt: str, runs: int) -> float:
    """Median seconds of the `warroom export` command, start to exit, output to a file."""
    script = Path(sys.executable).parent / "warroom"
    out = db.parent / f"out.{fmt}"
    argv = [str(script), "--db", str(db), "export", INCIDENT_ID, "--format", fmt, "-o", str(out), "--force"]

    def run() -> None:
        done = subprocess.run(argv, capture_output=True, env=clean_env())
        if done.returncode != 0:
            sys.exit(f"warroom export failed: {done.stderr.decode(errors='replace').strip()}")

    return timed(run, runs)


def main() -> int:
    """Seed, time both renders and the baseline, report."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--events", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()

    from store.export_json import render_json
    from store.export_md import render_markdown
    from store.store import Store
    from store.timeparse import UTC

    results = []
    with scratch() as folder:
        db = folder / "export.db"
        seed(db, args.events, start=recent_start(args.events))
        store = Store(db)
        render_markdown(store, INCIDENT_ID, UTC)  # builds the models' schemas once, as any first use does
        base = timed(lambda: raw_read(db), args.runs)
        print(f"{args.events} events, median of {args.runs}; baseline (plain sqlite3 read) {base * 1000:.0f} ms")
        for fmt, render in (("md", render_markdown), ("json", render_json)):
            seconds = timed(lambda render=render: render(store, INCIDENT_ID, UTC), args.runs)
            process = whole_process(db, fmt, args.runs)
            size = len(render(store, INCIDENT_ID, UTC).encode())
            print(f"  {fmt:4}  render {seconds * 1000:6.0f} ms   whole process {process * 1000:6.0f} ms   {size:,} B")
            results.append(
                Result(
                    f"export {fmt} 100k (in-process render)",
                    seconds * 1000,
                    "ms",
                    f"<= {TARGET_SECONDS * 1000:.0f} ms",
                    seconds <= TARGET_SECONDS,
                    ratio=seconds / base,
                    baseline=f"raw sqlite3 read {base * 1000:.0f} ms",
                    note=f"whole `warroom export` process {process * 1000:.0f} ms",
                )
            )
        store.close()
    return report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
