"""The screens at ten times the load: first paint of the library's screens, and keys on a huge incident.

Headless through App.run_test at 120x40, each measurement in a fresh process. A frame counts as painted
when the screen's compositor has rendered it (Screen._compositor_refresh returned; headless, nothing is
written to a terminal) with what is measured in it:

- first paint of the incident list (from building the app), the follow-through screen and the stats
  screen (from asking for them, ctrl+t / ctrl+g, the list already up) with 10,000 incidents and 50,000
  action items, against the same on an empty library: target within 1.5x;
- a character typed in the incident list's filter to the frame showing the filtered list, 10,000
  incidents: target one frame (16.7 ms); baseline: the same keys on the empty library;
- on a 1,000,000-event incident, the timeline focused: `G` (to the last event), `n` (the next match of a
  find), `j` in the review screen (the next event): target one frame each; and the review screen's first
  paint (from `ctrl+r` to the frame with its facilitator's open hypotheses): target within 1.5x; baseline:
  a 10-event incident.

Each key is sent as the terminal sends it (a Key event posted to the app) and timed to the first frame in
which its effect shows; the figure is the median over the repetitions, the slowest one beside it.
large.py runs these on the databases it seeds; alone:

    python benchmarks/screens.py [--incidents 10000] [--actions 50000] [-n 1000000] [--runs 3]
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import HIDDEN, Result, clean_env, median, parser, report, scratch

SIZE = (120, 40)
FRAME_MS = 1000 / 60
PAINT_RATIO = 1.5
KEY_REPEATS = 5
#: Typed into the list filter one character at a time (each one timed).
FILTER_TEXT = "dns 1"
#: What `n` steps between on the big incident (seed.py's words).
FIND_TEXT = "certificate rollback"


# -- inside the measured process -----------------------------------------------------------------


class Frames:
    """Records when the first frame after `expect` is set paints with `expect()` true."""

    def __init__(self) -> None:
        self.expect: Callable[[], bool] | None = None
        self.at: float | None = None
        from textual.screen import Screen

        original = Screen._compositor_refresh
        frames = self

        def hooked(screen: Screen[Any]) -> None:
            original(screen)
            if frames.expect is not None and frames.at is None and screen is screen.app.screen and frames.expect():
                frames.at = time.perf_counter()

        Screen._compositor_refresh = hooked  # type: ignore[method-assign]

    async def until(self, expect: Callable[[], bool], start: float, what: str, limit: float = 120.0) -> float:
        """Seconds from `start` to the first frame painted with `expect()` true (armed now)."""
        self.expect, self.at = expect, None
        deadline = time.perf_counter() + limit
        while self.at is None:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no frame showed {what}")
            await asyncio.sleep(0.0005)
        self.expect = None
        return self.at - start


def _key(app: Any, char: str) -> None:
    """A key (a character, or a name such as `ctrl+f`) as a terminal delivers it."""
    from textual import events

    if char == " ":
        app.post_message(events.Key("space", " "))
    else:
        app.post_message(events.Key(char, char if len(char) == 1 else "\r" if char == "enter" else None))


def _review_shown(app: Any) -> bool:
    """Whether the review screen is up with its facilitator's open hypotheses on the border."""
    from warroom.tui.screens.review import ReviewScreen
    from warroom.widgets.review_facilitator import FacilitatorPanel

    screen = app.screen
    return isinstance(screen, ReviewScreen) and screen.query_one(FacilitatorPanel).border_subtitle is not None


def _clock() -> Callable[[], Any]:
    from warroom.store.reads_records import system_clock

    return system_clock


def child_screens(db: str) -> dict[str, Any]:
    """First paint of the list (from building the app), follow-through and stats (from asking), and the
    filter keys: seconds each."""
    frames = Frames()
    out: dict[str, Any] = {}

    async def run() -> None:
        from warroom.store.store import Store
        from warroom.store.timeparse import UTC
        from warroom.tui.app import WarroomApp
        from warroom.tui.screens.followup import FollowupScreen
        from warroom.tui.screens.incident_list import IncidentListScreen
        from warroom.tui.screens.stats import StatsScreen
        from warroom.widgets.row_table import RowTable

        start = time.perf_counter()
        app = WarroomApp(Store(db), clock=_clock(), tz=UTC, incident_id=None)
        async with app.run_test(size=SIZE) as pilot:
            out["list"] = await frames.until(lambda: isinstance(app.screen, IncidentListScreen), start, "the list")
            listing = app.screen
            await pilot.pause()
            start = time.perf_counter()
            app.show_followup()
            out["followup"] = await frames.until(lambda: isinstance(app.screen, FollowupScreen), start, "follow-up")
            app.pop_screen()
            await frames.until(lambda: app.screen is listing, time.perf_counter(), "the list again")
            await pilot.pause()
            start = time.perf_counter()
            app.show_stats("")
            out["stats"] = await frames.until(lambda: isinstance(app.screen, StatsScreen), start, "stats")
            app.pop_screen()
            await frames.until(lambda: app.screen is listing, time.perf_counter(), "the list again")
            await pilot.pause()
            # The list is redrawn by one call that replaces the table's rows (`set_rows`; older code cleared the
            # table and filled it in the same call): counted, so the frame after it is known.
            redrawn = [0]
            replace = getattr(RowTable, "set_rows", None)
            clear = RowTable.clear

            def counted_clear(table: RowTable) -> None:
                redrawn[0] += 1
                clear(table)

            def counted_set(table: RowTable, rows: Any, **options: Any) -> None:
                redrawn[0] += 1
                assert replace is not None
                replace(table, rows, **options)

            RowTable.clear = counted_clear  # type: ignore[method-assign]
            if replace is not None:
                RowTable.set_rows = counted_set  # type: ignore[method-assign]
            keys = []
            for n, char in enumerate(FILTER_TEXT):
                typed, before = FILTER_TEXT[: n + 1], redrawn[0]

                def shown(typed: str = typed, before: int = before) -> bool:
                    return bool(listing.query_one("#filter").value == typed and redrawn[0] > before)

                start = time.perf_counter()
                _key(app, char)
                keys.append(await frames.until(shown, start, f"the list filtered by {typed!r}"))
                await pilot.pause()
            out["filter_keys"] = keys

    asyncio.run(run())
    return out


def child_keys(db: str, incident_id: str) -> dict[str, Any]:
    """`G`, `n` (after a find) and review `j` on the incident: seconds each, KEY_REPEATS times."""
    frames = Frames()
    out: dict[str, Any] = {}

    async def run() -> None:
        from warroom.store.store import Store
        from warroom.store.timeparse import UTC
        from warroom.tui.app import WarroomApp
        from warroom.tui.screens.review import ReviewScreen
        from warroom.widgets.timeline import TimelineView

        app = WarroomApp(Store(db), clock=_clock(), tz=UTC, incident_id=incident_id)
        async with app.run_test(size=SIZE) as pilot:
            timeline = app.screen.query_one(TimelineView)
            await frames.until(lambda: timeline.count > 0, time.perf_counter(), "the timeline")
            timeline.focus()
            await pilot.pause()
            ends = []
            for _ in range(KEY_REPEATS):
                _key(app, "g")
                await frames.until(lambda: timeline.cursor == 0, time.perf_counter(), "the first event")
                await pilot.pause()
                start = time.perf_counter()
                _key(app, "G")
                ends.append(await frames.until(lambda: timeline.cursor == timeline.count - 1, start, "the last event"))
                await pilot.pause()
            out["G"] = ends

            # A find, accepted: the timeline has the focus again and `n` steps to the next match.
            _key(app, "g")
            await frames.until(lambda: timeline.cursor == 0, time.perf_counter(), "the first event")
            _key(app, "ctrl+f")  # the find bar is mounted the first time find is used
            for char in FIND_TEXT:
                _key(app, char)

            def counted() -> str:
                found = app.screen.query("#find-count")
                return str(found.first().content) if found else ""

            await frames.until(lambda: " of " in counted(), time.perf_counter(), "the find's count")
            _key(app, "enter")
            await frames.until(lambda: timeline.has_focus, time.perf_counter(), "the timeline focused")
            await pilot.pause()
            steps = []
            for _ in range(KEY_REPEATS):
                was = timeline.cursor
                start = time.perf_counter()
                _key(app, "n")
                steps.append(await frames.until(lambda: timeline.cursor != was, start, "the next match"))  # noqa: B023
                await pilot.pause()
            out["n"] = steps
            out["matches"] = counted()

            _key(app, "g")
            await frames.until(lambda: timeline.cursor == 0, time.perf_counter(), "the first event")
            incident = app.screen
            # First paint of the review: the frame with its facilitator's open hypotheses (both seeds have some).
            opened = []
            for _ in range(KEY_REPEATS):
                start = time.perf_counter()
                _key(app, "ctrl+r")
                opened.append(await frames.until(lambda: _review_shown(app), start, "the review"))
                await pilot.pause()
                _key(app, "escape")
                await frames.until(lambda: app.screen is incident, time.perf_counter(), "the incident again")  # noqa: B023
                await pilot.pause()
            out["review_open"] = opened
            _key(app, "ctrl+r")
            await frames.until(lambda: isinstance(app.screen, ReviewScreen), time.perf_counter(), "the review")
            review = app.screen
            assert isinstance(review, ReviewScreen)
            await pilot.pause()
            reviewed = []
            for _ in range(KEY_REPEATS):
                was = review.position
                start = time.perf_counter()
                _key(app, "j")
                reviewed.append(await frames.until(lambda: review.position == was + 1, start, "the next event"))  # noqa: B023
                await pilot.pause()
            out["review_j"] = reviewed

    asyncio.run(run())
    return out


# -- the measuring process -----------------------------------------------------------------------


def _child(*args: str) -> dict[str, Any]:
    """One fresh process's figures."""
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, env=clean_env())
    if done.returncode != 0:
        sys.exit(f"screens {' '.join(args[:1])} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _ms(values: list[float]) -> float:
    return median(values) * 1000


def library_results(library: Path, empty: Path, runs: int, incidents: int, actions: int) -> list[Result]:
    """First paint of the list, follow-through and stats, and filter typing: 10,000 incidents vs none."""
    ours = [_child("screens", str(library)) for _ in range(runs)]
    base = [_child("screens", str(empty)) for _ in range(runs)]
    size = f"{incidents:,} incidents / {actions:,} action items"
    results = []
    for key, label in (("list", "incident list"), ("followup", "follow-through screen"), ("stats", "stats screen")):
        big, none = _ms([r[key] for r in ours]), _ms([r[key] for r in base])
        print(f"  first paint, {label}: {big:.0f} ms (empty library {none:.0f} ms)")
        results.append(
            Result(
                f"first paint of the {label}, {size}",
                big,
                "ms",
                f"<= {PAINT_RATIO}x the empty library",
                big <= PAINT_RATIO * none,
                ratio=big / none,
                baseline=f"empty library {none:.0f} ms",
            )
        )
    typed = [k for r in ours for k in r["filter_keys"]]
    typed_base = [k for r in base for k in r["filter_keys"]]
    key, key_base = _ms(typed), _ms(typed_base)
    slowest = max(typed) * 1000
    print(f"  a character in the list filter: {key:.1f} ms, slowest {slowest:.0f} ms (empty {key_base:.1f} ms)")
    results.append(
        Result(
            f"a character typed in the list filter to its frame, {incidents:,} incidents",
            key,
            "ms",
            f"<= {FRAME_MS:.1f} ms (one frame)",
            key <= FRAME_MS,
            ratio=key / key_base,
            baseline=f"empty library {key_base:.1f} ms",
            note=f"median of {len(typed)} keys ({FILTER_TEXT!r} typed), slowest {slowest:.0f} ms",
        )
    )
    return results


def incident_results(big: Path, small: Path, incident_id: str, events: int, runs: int) -> list[Result]:
    """The review screen's first paint, `G`, `n` and a review step on the big incident vs a 10-event one."""
    ours = [_child("keys", str(big), incident_id) for _ in range(runs)]
    base = [_child("keys", str(small), incident_id) for _ in range(runs)]
    results = []
    opened, opened_base = [t for r in ours for t in r["review_open"]], [t for r in base for t in r["review_open"]]
    figure, none = _ms(opened), _ms(opened_base)
    slowest = max(opened) * 1000
    print(f"  first paint, review screen (ctrl+r): {figure:.0f} ms, slowest {slowest:.0f} ms (10 events {none:.0f} ms)")
    results.append(
        Result(
            f"first paint of the review screen (ctrl+r), {events:,}-event incident",
            figure,
            "ms",
            f"<= {PAINT_RATIO}x the 10-event incident",
            figure <= PAINT_RATIO * none,
            ratio=figure / none,
            baseline=f"10-event incident {none:.0f} ms",
            note=f"median of {len(opened)}, slowest {slowest:.0f} ms",
        )
    )
    for key, label in (("G", "G (to the last event)"), ("n", "n (next find match)"), ("review_j", "review step (j)")):
        times, base_times = [t for r in ours for t in r[key]], [t for r in base for t in r[key]]
        figure, none = _ms(times), _ms(base_times)
        print(f"  {label}: {figure:.1f} ms, slowest {max(times) * 1000:.0f} ms (10 events {none:.1f} ms)")
        results.append(
            Result(
                f"{label} to its frame, {events:,}-event incident",
                figure,
                "ms",
                f"<= {FRAME_MS:.1f} ms (one frame)",
                figure <= FRAME_MS,
                ratio=figure / none,
                baseline=f"10-event incident {none:.1f} ms",
                note=f"median of {len(times)}, slowest {max(times) * 1000:.0f} ms"
                + (f"; find: {ours[0]['matches']}" if key == "n" else ""),
            )
        )
    return results


def main() -> int:
    """Seed, measure, report."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--events", type=int, default=1_000_000)
    p.add_argument("--incidents", type=int, default=10_000)
    p.add_argument("--actions", type=int, default=50_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--child", nargs="+", help=HIDDEN)
    args = p.parse_args()
    if args.child:
        which, *rest = args.child
        print(json.dumps(child_screens(rest[0]) if which == "screens" else child_keys(rest[0], rest[1])))
        return 0
    from large import library
    from seed import INCIDENT_ID, recent_start, seed

    with scratch() as folder:
        lib, empty = folder / "library.db", folder / "empty.db"
        library(lib, args.incidents, args.actions)
        library(empty, 0, 0)
        results = library_results(lib, empty, args.runs, args.incidents, args.actions)
        big, small = folder / "big.db", folder / "small.db"
        began = time.perf_counter()
        seed(big, args.events, start=recent_start(args.events))
        seed(small, 10, start=recent_start(10))
        print(f"seeded {args.events:,} events in {time.perf_counter() - began:.0f} s")
        results += incident_results(big, small, INCIDENT_ID, args.events, args.runs)
    return report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
