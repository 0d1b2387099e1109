"""Cold start of the TUI on an empty database, against a bare Textual hello-world started the same way.

Both are whole Python processes, timed from launch to exit: each runs its App headless at 80x24
and exits from an auto-pilot as soon as the first screen is up and idle (painted). warroom goes
through its real entry point (`tui.cli.main(["--db", DB])`, the `warroom` command) on a database
file that exists and holds no incident (created beforehand, so the one-off schema creation is not
counted). Runs alternate; medians are compared. Target: warroom <= 1.3 x hello world.

Also measured, without a target: `warroom` on a file with the demo's open incident, where it opens
straight onto the incident screen (what a user sees on every start during an incident).

Both start from compiled bytecode, as an installed program does: Textual's was compiled when pip
installed it, warroom's is written by the first warm-up run (see `common.clean_env`).

    python benchmarks/cold_start.py [-n 9] [--warmup 2]
"""

from __future__ import annotations

import subprocess
import sys
import time

from common import Result, clean_env, median, parser, report, scratch

TARGET_RATIO = 1.3

#: Makes App.run headless, 80x24, and exit once the first screen is painted; the same for both sides.
_HEADLESS = """
import sys
from textual.app import App
_run = App.run
async def _exit_when_painted(pilot):
    await pilot.pause()
    pilot.app.exit()
def _headless_run(self, *args, **kwargs):
    return _run(self, headless=True, size=(80, 24), auto_pilot=_exit_when_painted)
App.run = _headless_run
"""

HELLO = (
    _HEADLESS
    + """
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("Hello, world")
Hello().run()
"""
)

WARROOM = (
    _HEADLESS
    + """
from warroom.tui.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""
)


def wall(code: str, *args: str) -> float:
    """Seconds from launch to exit of `python -c code args`."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, env=clean_env())
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"cold start run failed ({done.returncode}): {done.stderr.decode(errors='replace').strip()}")
    return elapsed


def main() -> int:
    """Alternate both starts, compare the medians."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--runs", type=int, default=9)
    p.add_argument("--warmup", type=int, default=2)
    args = p.parse_args()
    args.warmup = max(args.warmup, 1)  # the first run writes warroom's bytecode

    from warroom.store.demo import seed_demo
    from warroom.store.store import Store

    with scratch() as folder:
        db = str(folder / "empty.db")
        Store(db).close()
        demo = str(folder / "demo.db")
        seeding = Store(demo)
        seed_demo(seeding)
        seeding.close()
        for _ in range(args.warmup):
            wall(HELLO)
            wall(WARROOM, db)
            wall(WARROOM, demo)
        ours, base, incident = [], [], []
        for _ in range(args.runs):
            base.append(wall(HELLO))
            ours.append(wall(WARROOM, db))
            incident.append(wall(WARROOM, demo))
    ours_s, base_s, incident_s = median(ours), median(base), median(incident)
    ratio = ours_s / base_s
    print(f"median of {args.runs} alternating runs after {args.warmup} warm-ups (launch to exit, headless 80x24):")
    print(f"  warroom --db EMPTY      {ours_s * 1000:7.0f} ms")
    print(f"  Textual hello world     {base_s * 1000:7.0f} ms")
    print(f"  warroom, open incident  {incident_s * 1000:7.0f} ms  ({incident_s / base_s:.2f}x hello world, no target)")
    result = Result(
        "cold start, empty database",
        ours_s * 1000,
        "ms",
        f"<= {TARGET_RATIO} x hello world",
        ratio <= TARGET_RATIO,
        ratio=ratio,
        baseline=f"hello world {base_s * 1000:.0f} ms",
        note=f"with an open incident {incident_s * 1000:.0f} ms, {incident_s / base_s:.2f}x (no target)",
    )
    return report([result], args.json)


if __name__ == "__main__":
    sys.exit(main())
