"""Opening a 100k-event incident: time to the first painted timeline, against a stock DataTable of the same rows.

Each measurement runs in a fresh process (so neither side inherits the other's imports or caches).
Inside it, the clock starts after the imports, when the app is built, and stops when the widget
first paints a row: for warroom, `create_app` on the file and TimelineView.render_line; for the
baseline, reading the same rows from the same file with plain sqlite3 (no models) into Textual's
DataTable and DataTable.render_line. Both run headless through App.run_test at 120x40.
Targets: warroom <= 0.5 s and at least 10 times faster than the DataTable.

    python benchmarks/open_timeline.py [-n 100000] [--runs 3]
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import HIDDEN, Result, clean_env, median, parser, report, scratch
from seed import INCIDENT_ID, recent_start, seed

TARGET_SECONDS = 0.5
TARGET_SPEEDUP = 10.0
SIZE = (120, 40)


async def _until(flag: dict[str, float], limit: float = 120.0) -> float:
    """Wait for the paint hook to record a time, and return it (a run that never paints is an error)."""
    deadline = time.perf_counter() + limit
    while "painted" not in flag:
        if time.perf_counter() > deadline:
            raise RuntimeError("the widget never painted a row")
        await asyncio.sleep(0.001)
    return flag["painted"]


def child_warroom(db: str) -> float:
    """Seconds from create_app to the timeline's first painted row."""
    from warroom.tui.app import create_app
    from warroom.widgets.timeline import TimelineView

    flag: dict[str, float] = {}
    render = TimelineView.render_line

    def hooked(self: TimelineView, y: int) -> Any:
        strip = render(self, y)
        if self.count and "painted" not in flag:
            flag["painted"] = time.perf_counter()
        return strip

    TimelineView.render_line = hooked  # type: ignore[method-assign]

    async def run() -> float:
        start = time.perf_counter()
        app = create_app(db, incident_id=INCIDENT_ID)
        async with app.run_test(size=SIZE):
            return await _until(flag) - start

    return asyncio.run(run())


def child_datatable(db: str) -> float:
    """Seconds from building a DataTable app to its first painted row, the same rows read with plain sqlite3."""
    import sqlite3

    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    flag: dict[str, float] = {}
    render = DataTable.render_line

    def hooked(self: DataTable[Any], y: int) -> Any:
        strip = render(self, y)
        if self.row_count and "painted" not in flag:
            flag["painted"] = time.perf_counter()
        return strip

    DataTable.render_line = hooked  # type: ignore[method-assign]

    class TableApp(App[None]):
        """The stock widget holding every row."""

        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            conn = sqlite3.connect(db)
            rows = conn.execute(
                "SELECT occurred_at, kind, text, team FROM events WHERE incident_id=? AND deleted_at IS NULL "
                "ORDER BY occurred_at, id",
                (INCIDENT_ID,),
            ).fetchall()
            conn.close()
            table = self.query_one(DataTable)
            table.add_columns("Time", "Kind", "Event", "Team")
            table.add_rows(rows)

    async def run() -> float:
        start = time.perf_counter()
        async with TableApp().run_test(size=SIZE):
            return await _until(flag) - start

    return asyncio.run(run())


def measure(db: Path, which: str) -> float:
    """One fresh-process measurement."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", which, str(db)], capture_output=True, text=True, env=clean_env()
    )
    if done.returncode != 0:
        sys.exit(f"{which} run failed: {done.stderr.strip()}")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    """Seed, measure both sides alternately, report the medians."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--events", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--child", nargs=2, metavar=("WHICH", "DB"), help=HIDDEN)
    args = p.parse_args()
    if args.child:
        which, db = args.child
        print(child_warroom(db) if which == "warroom" else child_datatable(db))
        return 0
    with scratch() as folder:
        db = folder / "open.db"
        seed(db, args.events, start=recent_start(args.events))
        ours, stock = [], []
        for _ in range(args.runs):
            ours.append(measure(db, "warroom"))
            stock.append(measure(db, "datatable"))
    ours_s, stock_s = median(ours), median(stock)
    speedup = stock_s / ours_s
    print(f"{args.events} events, median of {args.runs} fresh processes each:")
    print(f"  warroom TimelineView  {ours_s * 1000:8.0f} ms   {[round(x * 1000) for x in ours]}")
    print(f"  stock DataTable       {stock_s * 1000:8.0f} ms   {[round(x * 1000) for x in stock]}")
    result = Result(
        "open 100k incident to first paint",
        ours_s * 1000,
        "ms",
        f"<= {TARGET_SECONDS * 1000:.0f} ms and >= {TARGET_SPEEDUP:.0f}x faster than DataTable",
        ours_s <= TARGET_SECONDS and speedup >= TARGET_SPEEDUP,
        ratio=ours_s / stock_s,
        baseline=f"DataTable {stock_s * 1000:.0f} ms ({speedup:.1f}x faster)",
    )
    return report([result], args.json)


if __name__ == "__main__":
    sys.exit(main())
