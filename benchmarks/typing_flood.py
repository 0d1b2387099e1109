"""Typing flood: 45,000 characters written to the real TUI's terminal in bursts, then Enter.

The app runs in a pseudo-terminal at 80x24 (tests/soak/pty_app.py), on the entry line. The script
writes the characters 500 at a time, 10 ms apart (a paste the terminal sends as keys over a laggy
link), then Enter, and measures the seconds from the first write until the logged row is in the
file, and the app's resident memory before and after. The line stops at the store's 20,000-character
limit. Baseline, same run: 500 characters. Target: the flood is logged within 10 s and the app stays
under 200 MB.

    python benchmarks/typing_flood.py [-n 45000]
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

from common import HERE, Result, parser, report, scratch

sys.path.insert(0, str(HERE.parent))

from tests.soak.pty_app import PtyApp  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_MB = 200.0
BURST = 500


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def logged(db: Path) -> int | None:
    """Length of the flood's event once it is in the file."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        row = conn.execute("SELECT length(text) FROM events WHERE text LIKE 'yyy%'").fetchone()
    return None if row is None else int(row[0])


def flood(folder: Path, count: int) -> tuple[float, float, float, int | None]:
    """Seconds from the first write to the row saved, RSS before and after (MB), and the row's length."""
    from warroom.store.store import Store

    db = folder / f"flood-{count}.db"
    store = Store(db)
    store.create_incident("Checkout failing", id="INC-1")
    store.log_event("INC-1", "first")
    store.close()
    app = PtyApp(db, "INC-1", size=(80, 24))
    try:
        if not app.wait_for("first"):
            raise SystemExit("the app did not start: " + app.text()[-500:])
        time.sleep(1.0)
        before = rss_mb(app.proc.pid)
        start = time.monotonic()
        for sent in range(0, count, BURST):
            os.write(app.master, b"y" * min(BURST, count - sent))
            time.sleep(0.01)
        os.write(app.master, b"\r")
        length = None
        while length is None and time.monotonic() - start < 300:
            time.sleep(0.05)
            length = logged(db)
        return time.monotonic() - start, before, rss_mb(app.proc.pid), length
    finally:
        app.kill()


def main() -> int:
    """Flood the entry line, and (baseline) type a short burst, in the same run."""
    p = parser(__doc__ or "")
    p.add_argument("-n", "--characters", type=int, default=45_000)
    args = p.parse_args()
    with scratch() as folder:
        base, _, _, _ = flood(folder, BURST)
        seconds, before, after, length = flood(folder, args.characters)
    memory = f"RSS {before:.0f} -> {after:.0f} MB"
    print(f"{args.characters:,} characters: logged {length} characters after {seconds:.1f} s; {memory}")
    result = Result(
        f"typing flood {args.characters:,} chars -> logged",
        seconds,
        "s",
        f"<= {TARGET_SECONDS:.0f} s, <= {TARGET_MB:.0f} MB",
        seconds <= TARGET_SECONDS and after <= TARGET_MB and length is not None,
        ratio=seconds / base,
        baseline=f"{BURST} characters {base:.1f} s",
        note=f"{memory}; logged {length} characters",
    )
    return report([result], args.json)


if __name__ == "__main__":
    sys.exit(main())
