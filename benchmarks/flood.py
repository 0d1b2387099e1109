"""Flood ingestion: `warroom log -` storing lines from a file and from a fast pipe, and a lone line's wait.

Figures, whole `warroom log -` process start to exit, median of a few runs on a fresh file each:
lines/s from a file (stdin redirected) and from a pipe (`cat FILE | warroom log -`), with the CPU
seconds of each run (the process and `cat`) and the load average: on shared cores the wall time
grows with the load, the CPU time much less. Baselines, same
run: plain sqlite3 inserting the same rows into a warroom file in one transaction with executemany
(the limit the brief names), and the path before group commit, one `Store.log_event` commit per
line (measured on fewer lines; it is ~50x slower). Target: >= 50,000 lines/s.

A trickle (one line every 50 ms) measures how long a lone line waits before it is in the file, seen
by another connection; it is compared with one `log_event` commit (one fsync) in the same run.

    python benchmarks/flood.py [-n 200000] [--runs 3]
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from common import Result, clean_env, median, parser, report, scratch

TARGET_RATE = 50_000
INCIDENT = "INC-FLOOD"
WARROOM = str(Path(sys.executable).parent / "warroom")


def lines(n: int) -> list[str]:
    """Alert-like lines, about 60 bytes each."""
    return [f"alert {i}: pod checkout-{i % 50} restarted OOMKilled in namespace prod" for i in range(n)]


def fresh(template: Path, folder: Path, name: str) -> Path:
    """A copy of the empty one-incident file."""
    db = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, db)
    return db


def children_cpu() -> float:
    """CPU seconds used so far by the child processes that have been waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_process(db: Path, feed: Path, *, pipe: bool, cpu: list[float]) -> float:
    """Seconds for `warroom log -` to store the lines, from a file or through `cat |`; its CPU seconds go in `cpu`."""
    argv = [WARROOM, "--db", str(db), "log", "-", "-i", INCIDENT]
    used = children_cpu()
    start = time.perf_counter()
    if pipe:
        cat = subprocess.Popen(["cat", str(feed)], stdout=subprocess.PIPE)
        done = subprocess.run(argv, stdin=cat.stdout, capture_output=True, env=clean_env())
        cat.wait()
    else:
        with feed.open("rb") as stdin:
            done = subprocess.run(argv, stdin=stdin, capture_output=True, env=clean_env())
    seconds = time.perf_counter() - start
    cpu.append(children_cpu() - used)
    if done.returncode != 0:
        sys.exit(f"warroom log - failed: {done.stderr.decode(errors='replace').strip()}")
    return seconds


def sqlite_limit(db: Path, texts: list[str]) -> float:
    """Seconds for plain sqlite3 to insert the same rows in one transaction (the index triggers fire per row)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    stamp = "2026-12-02T15:00:00.000000Z"
    rows = [(INCIDENT, stamp, stamp, text, "note", "", "", None, 0, "pipe", None) for text in texts]
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO events (incident_id, occurred_at, logged_at, text, kind, team, author, milestone, starred, "
        "source, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def one_commit_each(db: Path, texts: list[str]) -> tuple[float, float]:
    """The path before group commit, in-process: seconds for all lines, and the median seconds of one commit."""
    from warroom.store.store import Store

    store = Store(db)
    each = []
    start = time.perf_counter()
    for text in texts:
        began = time.perf_counter()
        store.log_event(INCIDENT, text, source="pipe")
        each.append(time.perf_counter() - began)
    seconds = time.perf_counter() - start
    store.close()
    return seconds, median(each)


def trickle(db: Path, count: int = 20, gap: float = 0.05) -> list[float]:
    """Seconds from writing each lone line to seeing it in the file from another connection."""
    proc = subprocess.Popen(
        [WARROOM, "--db", str(db), "log", "-", "-i", INCIDENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=clean_env(),
    )
    assert proc.stdin is not None
    reader = sqlite3.connect(db)
    waits = []
    for n in range(-1, count):  # line -1 waits for the process to start: not counted
        sent = time.perf_counter()
        proc.stdin.write(f"lone line {n}\n".encode())
        proc.stdin.flush()
        while reader.execute("SELECT COUNT(*) FROM events WHERE text=?", (f"lone line {n}",)).fetchone()[0] == 0:
            if time.perf_counter() - sent > 10:
                sys.exit("a lone line never arrived")
            time.sleep(0.0005)
        if n >= 0:
            waits.append(time.perf_counter() - sent)
        time.sleep(gap)
    proc.stdin.close()
    proc.wait()
    reader.close()
    return waits


def main() -> int:
    """Make the files, time every path, report."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--lines", type=int, default=200_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--before", type=int, default=3_000, help="lines for the one-commit-per-line baseline")
    args = p.parse_args()

    from warroom.store.store import Store

    texts = lines(args.lines)
    with scratch() as folder:
        template = folder / "empty.db"
        store = Store(template)
        store.create_incident("Flood", id=INCIDENT)
        store.close()
        feed = folder / "lines.txt"
        feed.write_text("\n".join(texts) + "\n")
        from_file, from_pipe, limit = [], [], []
        cpu_file: list[float] = []
        cpu_pipe: list[float] = []
        load_before = os.getloadavg()[0]
        for run in range(args.runs):
            from_file.append(whole_process(fresh(template, folder, f"file{run}.db"), feed, pipe=False, cpu=cpu_file))
            from_pipe.append(whole_process(fresh(template, folder, f"pipe{run}.db"), feed, pipe=True, cpu=cpu_pipe))
            limit.append(sqlite_limit(fresh(template, folder, f"limit{run}.db"), texts))
        before, one_fsync = one_commit_each(fresh(template, folder, "before.db"), texts[: args.before])
        waits = trickle(fresh(template, folder, "trickle.db"))
    n = args.lines
    rate_file, rate_pipe, rate_limit = n / median(from_file), n / median(from_pipe), n / median(limit)
    rate_before = args.before / before
    load = f"load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    print(f"{n:,} lines, median of {args.runs}; about 60 bytes a line; {load}")
    for label, rate, runs, cpu in (
        ("warroom log - < FILE      ", rate_file, from_file, cpu_file),
        ("cat FILE | warroom log -  ", rate_pipe, from_pipe, cpu_pipe),
    ):
        times = [round(x, 2) for x in runs]
        print(f"  {label}  {rate:10,.0f} lines/s   {times} s, CPU {[round(x, 2) for x in cpu]} s")
    print(f"  sqlite3, one transaction    {rate_limit:10,.0f} lines/s   (executemany, triggers per row)")
    print(f"  one commit per line (old)   {rate_before:10,.0f} lines/s   ({args.before:,} lines)")
    print(
        f"  a lone line in the file after: median {median(waits) * 1000:.1f} ms, max {max(waits) * 1000:.1f} ms "
        f"(one log_event commit: {one_fsync * 1000:.1f} ms)"
    )
    baseline = f"sqlite3 one transaction {rate_limit:,.0f}/s; one commit a line {rate_before:,.0f}/s"
    results = [
        Result(
            f"flood: warroom log - < FILE, {n:,} lines",
            rate_file,
            "lines/s",
            f">= {TARGET_RATE:,}",
            rate_file >= TARGET_RATE,
            ratio=rate_file / rate_limit,
            baseline=baseline,
        ),
        Result(
            f"flood: cat FILE | warroom log -, {n:,} lines",
            rate_pipe,
            "lines/s",
            f">= {TARGET_RATE:,}",
            rate_pipe >= TARGET_RATE,
            ratio=rate_pipe / rate_limit,
            baseline=baseline,
        ),
        Result(
            "flood: a lone line stored after (median of 20)",
            median(waits) * 1000,
            "ms",
            "one commit (no waiting for more)",
            median(waits) <= max(4 * one_fsync, 0.02),
            ratio=median(waits) / one_fsync,
            baseline=f"one log_event commit {one_fsync * 1000:.1f} ms",
            note=f"max {max(waits) * 1000:.1f} ms",
        ),
    ]
    return report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
