"""The blameless check on a 100k-event incident, against the export it runs inside.

`warroom export` lints every text of the incident for its warnings, so the check must stay well
within the export's own time. Two timelines of N events each:
- typical: the seeded incident (short status lines, a few cue words such as "errors"), as every
  other benchmark uses;
- prose: every event is a post-mortem sentence from the lint corpus (half of them blaming), the
  worst case for the check, since nearly every line holds a cue and needs its subject worked out.
The figure is `store.lint.lint_incident` in-process on the timeline already read, as the export hands
it its own read (median of a few runs); the baseline, same run, is the Markdown render of the same
incident (`store.export_md.render_markdown`). Target: <= 1 s and below the render.

    python benchmarks/lint.py [-n 100000] [--runs 3]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import HERE, Result, median, parser, report, scratch
from seed import INCIDENT_ID, recent_start, seed

TARGET_SECONDS = 1.0
CORPUS = [HERE.parent / "tests" / "lint_corpus_dev.jsonl", HERE.parent / "tests" / "lint_corpus_heldout.jsonl"]


def timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median seconds of `runs` calls, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return median(times), result


def prose(db: Path) -> None:
    """Replace every event's text with a corpus sentence (and its number, so each stays unique)."""
    import sqlite3

    sentences = [json.loads(line)["text"] for path in CORPUS for line in path.read_text("utf-8").splitlines()]
    conn = sqlite3.connect(db)
    ids = [row[0] for row in conn.execute("SELECT id FROM events ORDER BY id")]
    with conn:
        conn.executemany(
            "UPDATE events SET text=? WHERE id=?",
            ((f"{sentences[n % len(sentences)]} #{n}", event_id) for n, event_id in enumerate(ids)),
        )
    conn.close()


def main() -> int:
    """Seed both timelines, time the check and the render on each, report."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--events", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()

    from warroom.store.export_md import render_markdown
    from warroom.store.export_rows import read_timeline
    from warroom.store.lint import lint_incident
    from warroom.store.store import Store
    from warroom.store.timeparse import UTC

    results = []
    with scratch() as folder:
        for name in ("typical", "prose"):
            db = folder / f"{name}.db"
            seed(db, args.events, start=recent_start(args.events))
            if name == "prose":
                prose(db)
            store = Store(db)
            render_markdown(store, INCIDENT_ID, UTC)  # first use builds what any first use builds
            render, _ = timed(lambda store=store: render_markdown(store, INCIDENT_ID, UTC), args.runs)
            timeline = read_timeline(store, INCIDENT_ID, ("occurred_at", "text", "team"))
            lint, found = timed(lambda s=store, t=timeline: lint_incident(s, INCIDENT_ID, timeline=t), args.runs)
            store.close()
            count = len(found) if isinstance(found, list) else 0
            print(
                f"  {name:8} {args.events} events: lint {lint * 1000:6.0f} ms ({count} findings), "
                f"Markdown render {render * 1000:6.0f} ms"
            )
            results.append(
                Result(
                    f"lint {name} timeline {args.events // 1000}k (lint_incident on the export's read)",
                    lint * 1000,
                    "ms",
                    f"<= {TARGET_SECONDS * 1000:.0f} ms and below the render",
                    lint <= TARGET_SECONDS and lint < render,
                    ratio=lint / render,
                    baseline=f"Markdown render of the same incident {render * 1000:.0f} ms",
                    note=f"{count} findings",
                )
            )
    return report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
