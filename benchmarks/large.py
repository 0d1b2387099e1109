"""Ten times the load: a 1,000,000-event incident and a library of 10,000 incidents (the `--large` pass).

Each figure is a whole `warroom` process, start to exit (peak memory from the kernel's rusage),
against a baseline measured in the same run:

- first paint of the incident screen on 1M events vs a 10-event incident opened the same way
  (open_timeline.py's measurement): target <= 1.2x;
- `export` Markdown and JSON of 1M events: target >= 150,000 events/s and peak RSS < 150 MB;
  baseline: a plain Python process reading the same rows with sqlite3 and writing their text;
- `show` of 1M events: peak RSS < 150 MB (streamed);
- `search` with hostile queries on 1M events: <= 1 s and <= 100 MB each; baseline: a search that
  finds nothing (the process's own start);
- `list --json`, `action list --all-incidents --overdue --json`, `stats --json` on 10,000 incidents
  with 50,000 action items: < 0.5 s; baseline: the same on an empty library;
- the screens on the same databases (screens.py, headless): first paint of the incident list,
  follow-through and stats within 1.5x of the empty library's; a character in the list filter, and `G`,
  `n` and a review step on the 1M-event incident, each within one frame (16.7 ms); baselines: the empty
  library, the 10-event incident.

    python benchmarks/large.py [-n 1000000] [--incidents 10000] [--runs 3]
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from common import Result, clean_env, median, parser, report, scratch
from export import BASELINE_CODE
from open_timeline import measure as first_paint
from screens import incident_results, library_results
from seed import INCIDENT_ID, recent_start, seed

WARROOM = str(Path(sys.executable).parent / "warroom")
PAINT_RATIO = 1.2
EXPORT_RATE = 150_000
EXPORT_MB = 150
SEARCH_SECONDS = 1.0
SEARCH_MB = 100
LIBRARY_SECONDS = 0.5
QUERIES = {
    '"pool " x 400': "pool " * 400,
    '"pool " x 20,000': "pool " * 20_000,
    "5,000 distinct words": " ".join(f"w{n}" for n in range(5_000)),
    "one letter prefix": "c",
    "a common word": "checkout",
}


def run(argv: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MB of one whole process (its output discarded)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env())
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv[:6])} failed: {err.strip()}")
    return seconds, usage.ru_maxrss / 1024


def best(argv: list[str], runs: int) -> tuple[float, float]:
    """Median seconds and the largest peak MB over `runs` runs."""
    times, peaks = [], []
    for _ in range(runs):
        seconds, peak = run(argv)
        times.append(seconds)
        peaks.append(peak)
    return median(times), max(peaks)


def library(db: Path, incidents: int, actions: int) -> None:
    """`incidents` closed incidents over two years with `actions` action items between them, written directly."""
    from warroom.store.store import Store
    from warroom.store.timeparse import to_db

    store = Store(db)
    rng = random.Random(7)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    incident_rows, action_rows = [], []
    for n in range(incidents):
        began = start + dt.timedelta(hours=n * 1.7)
        stamp = to_db(began)
        incident_id = f"INC-L-{n:05d}"
        incident_rows.append(
            (incident_id, f"Incident {n}: {rng.choice(['checkout', 'db', 'dns'])} down", f"SEV{1 + n % 4}",
             "closed" if n % 10 else "investigating", "ops", "", "", "", stamp, stamp, stamp,
             to_db(began + dt.timedelta(hours=1)), "summary", "", "", "", "", "", "", "[]", stamp, stamp)
        )  # fmt: skip
    for n in range(actions):
        incident = n % incidents
        deadline = (start + dt.timedelta(days=rng.randint(0, 800))).date().isoformat()
        stamp = to_db(start)
        status = rng.choice(["open", "in progress", "done", "won't do"])
        action_rows.append(
            (f"INC-L-{incident:05d}", n // incidents + 1, f"Fix thing {n}", rng.choice(["ana", "bo", ""]), deadline,
             "P2", status, "prevent", "", None, stamp, stamp, None, None)
        )  # fmt: skip

    def write() -> None:
        store.conn.executemany(f"INSERT INTO incidents VALUES ({', '.join('?' * 22)})", incident_rows)
        store.conn.executemany(
            "INSERT INTO action_items (incident_id, number, title, owner, deadline, priority, status, type, ticket, "
            "event_id, created_at, updated_at, done_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            action_rows,
        )

    store.write(write)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def main() -> int:
    """Seed, measure, report."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--events", type=int, default=1_000_000)
    p.add_argument("--incidents", type=int, default=10_000)
    p.add_argument("--actions", type=int, default=50_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    results: list[Result] = []
    n = args.events
    with scratch() as folder:
        big, small = folder / "big.db", folder / "small.db"
        began = time.perf_counter()
        seed(big, n, start=recent_start(n))
        seed(small, 10, start=recent_start(10))
        print(f"seeded {n:,} events in {time.perf_counter() - began:.0f} s")

        ours, tiny = [], []
        for _ in range(args.runs):
            ours.append(first_paint(big, "warroom"))
            tiny.append(first_paint(small, "warroom"))
        ratio = median(ours) / median(tiny)
        print(f"  first paint: {n:,} events {median(ours) * 1000:.0f} ms, 10 events {median(tiny) * 1000:.0f} ms")
        results.append(
            Result(
                f"open a {n:,}-event incident to first paint",
                median(ours) * 1000,
                "ms",
                f"<= {PAINT_RATIO}x the 10-event incident",
                ratio <= PAINT_RATIO,
                ratio=ratio,
                baseline=f"10 events {median(tiny) * 1000:.0f} ms",
            )
        )

        floor, _ = best([sys.executable, "-c", BASELINE_CODE, str(big), str(folder / "plain.txt")], args.runs)
        for fmt in ("md", "json"):
            out = folder / f"out.{fmt}"
            argv = [WARROOM, "--db", str(big), "export", INCIDENT_ID, "--format", fmt, "-o", str(out), "--force"]
            seconds, peak = best(argv, args.runs)
            rate = n / seconds
            print(f"  export {fmt}: {seconds:.2f} s, {rate:,.0f} events/s, peak {peak:.0f} MB")
            results.append(
                Result(
                    f"export {fmt} of {n:,} events (whole process)",
                    rate,
                    "events/s",
                    f">= {EXPORT_RATE:,}/s and peak < {EXPORT_MB} MB",
                    rate >= EXPORT_RATE and peak < EXPORT_MB,
                    ratio=seconds / floor,
                    baseline=f"plain sqlite3 read as a process {floor:.2f} s",
                    note=f"{seconds:.2f} s, peak RSS {peak:.0f} MB",
                )
            )
        seconds, peak = best([WARROOM, "--db", str(big), "show", INCIDENT_ID], 1)
        print(f"  show: {seconds:.2f} s, peak {peak:.0f} MB")
        results.append(
            Result(
                f"show of {n:,} events (whole process)",
                peak,
                "MB",
                f"peak < {EXPORT_MB} MB",
                peak < EXPORT_MB,
                ratio=seconds / floor,
                baseline=f"plain sqlite3 read as a process {floor:.2f} s",
                note=f"{seconds:.1f} s",
            )
        )

        nothing, _ = best([WARROOM, "--db", str(big), "search", "zzzzzz"], args.runs)
        for label, query in QUERIES.items():
            seconds, peak = best([WARROOM, "--db", str(big), "search", query], args.runs)
            print(f"  search {label}: {seconds * 1000:.0f} ms, peak {peak:.0f} MB")
            results.append(
                Result(
                    f"search {label}, {n:,} events",
                    seconds * 1000,
                    "ms",
                    f"<= {SEARCH_SECONDS * 1000:.0f} ms and <= {SEARCH_MB} MB",
                    seconds <= SEARCH_SECONDS and peak <= SEARCH_MB,
                    ratio=seconds / nothing,
                    baseline=f"a search finding nothing {nothing * 1000:.0f} ms",
                    note=f"peak RSS {peak:.0f} MB",
                )
            )

        lib, empty = folder / "library.db", folder / "empty.db"
        library(lib, args.incidents, args.actions)
        library(empty, 0, 0)
        for label, command in (
            ("list --json", ["list", "--json"]),
            (
                "action list --all-incidents --overdue --json",
                ["action", "list", "--all-incidents", "--overdue", "--json"],
            ),
            ("stats --json", ["stats", "--json"]),
        ):
            seconds, _ = best([WARROOM, "--db", str(lib), *command], args.runs)
            base, _ = best([WARROOM, "--db", str(empty), *command], args.runs)
            print(f"  {label}: {seconds * 1000:.0f} ms (empty library {base * 1000:.0f} ms)")
            results.append(
                Result(
                    f"{label}, {args.incidents:,} incidents / {args.actions:,} action items",
                    seconds * 1000,
                    "ms",
                    f"< {LIBRARY_SECONDS * 1000:.0f} ms",
                    seconds < LIBRARY_SECONDS,
                    ratio=seconds / base,
                    baseline=f"empty library {base * 1000:.0f} ms",
                )
            )
        results += library_results(lib, empty, args.runs, args.incidents, args.actions)
        results += incident_results(big, small, INCIDENT_ID, n, args.runs)
    return report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
