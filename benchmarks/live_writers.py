"""Live updates under load: 8 processes each log 100 events/s into the open incident while keys are pressed.

The TUI runs headless (App.run_test) on a 100k-event incident with the timeline cursor parked in the
middle (not following the tail). Writer processes (`Store.log_event`, one transaction each, as
`warroom log` does) log at a steady rate for --seconds. Meanwhile the pilot presses up/down in the
timeline; each key's latency runs from the press to the new cursor line being painted. Baseline,
same run: the same key presses with no writers. At the end every logged event must be in the
timeline (ids compared with the file) and the cursor still on its event.
Target: key p99 <= one frame at 60 fps (16.7 ms) and every event shown.

    python benchmarks/live_writers.py [--seconds 30] [--writers 8] [--rate 100] [-n 100000]
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import HIDDEN, Result, clean_env, parser, percentile, report, scratch
from seed import INCIDENT_ID, recent_start, seed

FRAME_MS = 1000 / 60


def writer(db: str, seconds: float, rate: float, number: int) -> None:
    """Log `rate` events a second for `seconds`, each its own committed write; print how many."""
    from warroom.store.store import Store

    store = Store(db)
    start = time.perf_counter()
    logged = 0
    while (elapsed := time.perf_counter() - start) < seconds:
        due = int(elapsed * rate) + 1
        while logged < due:
            store.log_event(INCIDENT_ID, f"writer {number} event {logged}", source="pipe")
            logged += 1
        time.sleep(max(0.0, logged / rate - (time.perf_counter() - start)))
    store.close()
    print(logged)


def key_latencies(db: Path, seconds: float, start_writers: Any) -> tuple[list[float], dict[str, Any]]:
    """Press up/down in the timeline for `seconds` (after start_writers()); latencies in ms, and the end state."""
    from warroom.tui.app import create_app
    from warroom.widgets.timeline import TimelineView

    pending: dict[str, Any] = {"cursor": None, "painted": None}
    render = TimelineView.render_line

    def hooked(self: TimelineView, y: int) -> Any:
        strip = render(self, y)
        wanted = pending["cursor"] is not None and pending["painted"] is None
        if wanted and int(self.scroll_offset.y) + y == pending["cursor"] == self.cursor:
            pending["painted"] = time.perf_counter()
        return strip

    TimelineView.render_line = hooked  # type: ignore[method-assign]

    async def run() -> tuple[list[float], dict[str, Any]]:
        app = create_app(db, incident_id=INCIDENT_ID)
        out: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            timeline = app.screen.query_one(TimelineView)
            timeline.focus()
            timeline.move_to(timeline.count // 2)
            await pilot.pause()
            procs = start_writers()
            began = time.perf_counter()
            step = 1
            while time.perf_counter() - began < seconds:
                target = timeline.cursor + step
                pending.update(cursor=target, painted=None)
                pressed = time.perf_counter()
                await pilot.press("down" if step > 0 else "up")
                while pending["painted"] is None and time.perf_counter() - pressed < 2:
                    await asyncio.sleep(0.0005)
                if pending["painted"] is not None:
                    out.append((pending["painted"] - pressed) * 1000)
                step = -step
            pending["cursor"] = None
            held = timeline.current  # where the user left it; the writes still arriving must not move it
            logged = sum(int(p.communicate()[0].decode().split()[-1]) for p in procs)
            # Let the 0.5 s poll pick up the last writes, then compare what the timeline holds with the file.
            await pilot.pause(1.2)
            expected = {r[0] for r in app.store.conn.execute("SELECT id FROM events WHERE source='pipe'")}
            base = timeline.count - len(expected)
            shown = {e.id for i in range(base, timeline.count) if (e := timeline.row(i)) is not None}
            state = {
                "logged": logged,
                "in_file": len(expected),
                "count_ok": timeline.count == app.store.count_events(INCIDENT_ID),
                "all_shown": shown == expected,
                "cursor_kept": held is not None and timeline.current is not None and timeline.current.id == held.id,
            }
        return out, state

    try:
        return asyncio.run(run())
    finally:
        TimelineView.render_line = render  # type: ignore[method-assign]


def main() -> int:
    """Baseline key latency, then the same under 8 writers; check every event arrived."""
    p = parser(__doc__ or "")
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--writers", type=int, default=8)
    p.add_argument("--rate", type=float, default=100.0, help="events per second per writer")
    p.add_argument("-n", "--events", type=int, default=100_000)
    p.add_argument("--writer", nargs=4, help=HIDDEN)
    args = p.parse_args()
    if args.writer:
        db, seconds, rate, number = args.writer
        writer(db, float(seconds), float(rate), int(number))
        return 0
    with scratch() as folder:
        db = folder / "live.db"
        seed(db, args.events, start=recent_start(args.events))
        quiet, _ = key_latencies(db, min(args.seconds, 10.0), lambda: [])

        def start_writers() -> list[subprocess.Popen[bytes]]:
            argv = [sys.executable, __file__, "--writer", str(db), str(args.seconds), str(args.rate)]
            return [
                subprocess.Popen([*argv, str(i)], stdout=subprocess.PIPE, env=clean_env()) for i in range(args.writers)
            ]

        busy, state = key_latencies(db, args.seconds, start_writers)
    q99, b50, b99 = percentile(quiet, 99), percentile(busy, 50), percentile(busy, 99)
    wanted = args.writers * args.rate * args.seconds
    rate = state["logged"] / args.seconds
    print(f"{args.writers} writers x {args.rate:.0f}/s for {args.seconds:.0f} s on {args.events} events:")
    print(f"  logged {state['logged']} of {wanted:.0f} wanted ({rate:.0f}/s), {state['in_file']} in the file")
    print(f"  every event in the timeline: {state['all_shown']}; count right: {state['count_ok']}")
    print(f"  cursor kept on its event: {state['cursor_kept']}")
    print(f"  key -> painted: quiet p99 {q99:.1f} ms ({len(quiet)} keys)", end="; ")
    print(f"busy p50 {b50:.1f} p99 {b99:.1f} ms ({len(busy)} keys)")
    ok = state["all_shown"] and state["count_ok"] and state["cursor_kept"]
    result = Result(
        f"keys under {args.writers} writers x {args.rate:.0f}/s, p99",
        b99,
        "ms",
        f"<= {FRAME_MS:.1f} ms (1 frame), every event shown",
        b99 <= FRAME_MS and ok,
        ratio=b99 / q99,
        baseline=f"no writers p99 {q99:.1f} ms",
        note=f"{state['logged']} events at {rate:.0f}/s, all shown: {ok}",
    )
    return report([result], args.json)


if __name__ == "__main__":
    sys.exit(main())
