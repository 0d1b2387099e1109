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

Each figure is given as wall time and as the CPU time of the process (user + system), which other
programs on a shared machine disturb less. `--against DIR` also starts, in the same alternation, the
warroom found in DIR (a checkout of another commit, e.g. `git archive COMMIT | tar -x -C DIR`), so two
builds are compared under the same load.

    python benchmarks/cold_start.py [-n 9] [--warmup 2] [--against DIR]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import HERE, Result, clean_env, median, parser, report, scratch

TARGET_RATIO = 1.3
#: This source tree (its warroom/ links the three layers into one package).
ROOT = HERE.parent

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


def _env(source: Path | None) -> dict[str, str]:
    """The environment of a start; warroom is imported from the `source` tree (this one for warroom's starts).

    Both builds load warroom the same way, from PYTHONPATH, in a working directory holding no source tree
    (`python -c` imports from its working directory before anything else).
    """
    env = clean_env()
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(source), env["PYTHONPATH"]])
    return env


#: Builds an empty database and a demo one (argv 1 and 2) with whichever warroom is importable.
_SEED = """
import sys
from warroom.store.demo import seed_demo
from warroom.store.store import Store
Store(sys.argv[1]).close()
seeding = Store(sys.argv[2])
seed_demo(seeding)
seeding.close()
"""


def timed(code: str, *args: str, cwd: Path, source: Path | None = None) -> tuple[float, float]:
    """Seconds from launch to exit of `python -c code args` in `cwd`, and the CPU seconds it used (`source`: _env)."""
    env = _env(source)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, env=env, cwd=cwd)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"cold start run failed ({done.returncode}): {done.stderr.decode(errors='replace').strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


#: Checks that a start imported warroom from where it was meant to.
_WHERE = "import warroom, sys; print(warroom.__file__)"


def _line(name: str, runs: list[tuple[float, float]], base: list[tuple[float, float]]) -> str:
    """One row: median wall and CPU time and their ratios to hello world's."""
    wall_s, cpu_s = median([w for w, _ in runs]), median([c for _, c in runs])
    base_wall, base_cpu = median([w for w, _ in base]), median([c for _, c in base])
    return (
        f"  {name:<34} {wall_s * 1000:5.0f} ms ({wall_s / base_wall:.2f}x)   "
        f"CPU {cpu_s * 1000:4.0f} ms ({cpu_s / base_cpu:.2f}x)"
    )


def main() -> int:
    """Alternate both starts (and another build's, with --against), compare the medians."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--runs", type=int, default=9)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--against", type=Path, help="also start the warroom of this source tree, alternating")
    args = p.parse_args()
    args.warmup = max(args.warmup, 1)  # the first run writes warroom's bytecode
    other: Path | None = args.against.resolve() if args.against else None
    if other is not None:
        where = subprocess.run(
            [sys.executable, "-c", _WHERE], capture_output=True, text=True, env=_env(other), cwd=HERE.anchor
        )
        found = where.stdout.strip()
        if not found.startswith(str(other)):
            sys.exit(f"--against {other}: warroom is imported from {found or 'nowhere'} instead")

    from warroom.store.demo import seed_demo
    from warroom.store.store import Store

    with scratch() as folder:
        db = str(folder / "empty.db")
        Store(db).close()
        demo = str(folder / "demo.db")
        seeding = Store(demo)
        seed_demo(seeding)
        seeding.close()
        runs: dict[str, list[tuple[float, float]]] = {}
        starts: list[tuple[str, str, tuple[str, ...], Path | None]] = [
            ("hello", HELLO, (), None),
            ("empty", WARROOM, (db,), ROOT),
            ("incident", WARROOM, (demo,), ROOT),
        ]
        if other is not None:
            # The other build gets databases of its own making: a newer schema is one it refuses to open.
            other_db, other_demo = str(folder / "other-empty.db"), str(folder / "other-demo.db")
            subprocess.run([sys.executable, "-c", _SEED, other_db, other_demo], env=_env(other), cwd=folder, check=True)
            starts += [
                ("other empty", WARROOM, (other_db,), other),
                ("other incident", WARROOM, (other_demo,), other),
            ]
        for n in range(args.warmup + args.runs):
            for name, code, argv, source in starts:
                result = timed(code, *argv, cwd=folder, source=source)
                if n >= args.warmup:
                    runs.setdefault(name, []).append(result)
    base = runs["hello"]
    ours_s, base_s = median([w for w, _ in runs["empty"]]), median([w for w, _ in base])
    incident_s = median([w for w, _ in runs["incident"]])
    ratio = ours_s / base_s
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"median of {args.runs} alternating runs after {args.warmup} warm-ups (launch to exit, headless 80x24);")
    print(f"load average at the end {load}:")
    print(_line("Textual hello world", base, base))
    print(_line("warroom --db EMPTY", runs["empty"], base))
    print(_line("warroom, open incident", runs["incident"], base))
    if other is not None:
        print(f"  against {other}:")
        print(_line("  warroom --db EMPTY", runs["other empty"], base))
        print(_line("  warroom, open incident", runs["other incident"], base))
    cpu_ratio = median([c for _, c in runs["incident"]]) / median([c for _, c in base])
    results = [
        Result(
            "cold start, empty database",
            ours_s * 1000,
            "ms",
            f"<= {TARGET_RATIO} x hello world",
            ratio <= TARGET_RATIO,
            ratio=ratio,
            baseline=f"hello world {base_s * 1000:.0f} ms",
        ),
        Result(
            "cold start onto an open incident",
            incident_s * 1000,
            "ms",
            f"<= {TARGET_RATIO} x hello world",
            incident_s / base_s <= TARGET_RATIO,
            ratio=incident_s / base_s,
            baseline=f"hello world {base_s * 1000:.0f} ms",
            note=f"CPU {cpu_ratio:.2f}x hello world's",
        ),
    ]
    return report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
