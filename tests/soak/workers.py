"""Processes the soak and concurrency runs start: CLI writers looping over `warroom log`, and a headless TUI.

Run as `python tests/soak/workers.py KIND ...`; each prints what it did on standard output, one JSON
object per line, flushed at once, so a SIGKILL loses at most the line being written.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def say(**record: Any) -> None:
    """One JSON line on stdout, flushed."""
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def log_once(db: str, incident: str, text: str) -> tuple[int, str, str]:
    """`warroom --db DB log TEXT -i INCIDENT` in this process, exactly as the console script runs it."""
    from warroom.tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", db, "log", text, "-i", incident])
    return code, out.getvalue(), err.getvalue()


def log_loop(db: str, incident: str, prefix: str, count: int) -> None:
    """Log `prefix n` for n = 0, 1, ... (`count` of them, or until killed), reporting each command's outcome."""
    n = 0
    failures = 0
    while count <= 0 or n < count:
        text = f"{prefix} {n}"
        code, out, err = log_once(db, incident, text)
        say(text=text, code=code, out=out.strip(), err=err.strip())
        failures += code != 0
        n += 1
    say(done=n, failures=failures)


def tui_headless(db: str, incident: str, every: float) -> None:
    """Keep a headless TUI open on the incident, logging an entry every `every` seconds, until stdin closes."""
    from textual import events

    from warroom.tui.app import create_app

    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    app = create_app(db, incident_id=incident)

    async def run() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            status = app.screen.query_one("#status")
            seen: set[str] = set()
            n = 0
            next_entry = time.monotonic()
            while not stop.is_set():
                said = str(getattr(status, "content", ""))
                if said and said not in seen:
                    seen.add(said)
                    say(status=said)
                if time.monotonic() >= next_entry:
                    text = f"tui entry {n}"
                    app.post_message(events.Paste(text))
                    await pilot.pause()
                    await pilot.press("enter")
                    say(typed=text)
                    n += 1
                    next_entry = time.monotonic() + every
                await pilot.pause(0.05)
            # Let the last entries reach the writer thread and the database before closing.
            await pilot.pause(1.0)
            say(status=str(getattr(status, "content", "")), timeline=app.screen.query_one("#timeline").count)

    asyncio.run(run())
    say(done=True)


def main() -> None:
    """Parse the worker kind and its arguments, and run it."""
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="kind", required=True)
    loop = sub.add_parser("log-loop", help="log events one `warroom log` at a time")
    loop.add_argument("db")
    loop.add_argument("incident")
    loop.add_argument("prefix")
    loop.add_argument("--count", type=int, default=0, help="stop after this many (0: until killed)")
    tui = sub.add_parser("tui-headless", help="a headless TUI that logs entries until stdin closes")
    tui.add_argument("db")
    tui.add_argument("incident")
    tui.add_argument("--every", type=float, default=0.25)
    args = parser.parse_args()
    if args.kind == "log-loop":
        log_loop(args.db, args.incident, args.prefix, args.count)
    else:
        tui_headless(args.db, args.incident, args.every)


if __name__ == "__main__":
    main()
