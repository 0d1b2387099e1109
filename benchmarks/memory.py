"""Peak memory (RSS) of the TUI with a 100k-event incident open, scrolled end to end and searched.

The app runs headless in a child process (App.run_test), opens the incident, goes to the end, back
to the start, pages through 50 screens, runs a find that matches a quarter of the events, and
reports its peak resident set (ru_maxrss). Baseline, same run: the same steps on a 10-event
incident. Target: <= 200 MB at 100k.

    python benchmarks/memory.py [-n 100000]
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
from pathlib import Path

from common import HIDDEN, Result, clean_env, parser, report, scratch
from seed import INCIDENT_ID, recent_start, seed

TARGET_MB = 200.0


def child(db: str) -> float:
    """Drive the app through the steps and return this process's peak RSS in MB."""
    from warroom.tui.app import create_app
    from warroom.widgets.timeline import TimelineView

    async def run() -> None:
        app = create_app(db, incident_id=INCIDENT_ID)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            timeline = app.screen.query_one(TimelineView)
            timeline.focus()
            await pilot.press("end", "home")
            for _ in range(50):
                await pilot.press("pagedown")
            await pilot.press("ctrl+f", *"database")
            await pilot.pause(0.3)
            await pilot.press("enter", "n", "n", "N")
            await pilot.pause()

    asyncio.run(run())
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(db: Path) -> float:
    """Peak RSS in MB of one child run."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(db)], capture_output=True, text=True, env=clean_env()
    )
    if done.returncode != 0:
        sys.exit(f"memory run failed: {done.stderr.strip()}")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    """Seed both files, measure both in fresh processes, report."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--events", type=int, default=100_000)
    p.add_argument("--child", help=HIDDEN)
    args = p.parse_args()
    if args.child:
        print(child(args.child))
        return 0
    with scratch() as folder:
        small, large = folder / "small.db", folder / "large.db"
        seed(small, 10, start=recent_start(10))
        seed(large, args.events, start=recent_start(args.events))
        base, big = measure(small), measure(large)
    print(f"peak RSS: 10 events {base:.0f} MB, {args.events} events {big:.0f} MB")
    result = Result(
        "peak RSS with 100k incident open",
        big,
        "MB",
        f"<= {TARGET_MB:.0f} MB",
        big <= TARGET_MB,
        ratio=big / base,
        baseline=f"10 events {base:.0f} MB",
    )
    return report([result], args.json)


if __name__ == "__main__":
    sys.exit(main())
