"""How long the incident screen's update clock and the catch-up take to read on a 100k-event incident.

The clock looks for the last stakeholder update on every timeline change, so it must stay cheap however
long the timeline is. Prints milliseconds per read with the comms index and without it (as before step 8).

    python benchmarks/comms.py [-n 100000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from seed import INCIDENT_ID, seed

from warroom.store.catchup import catch_up
from warroom.store.comms import incident_cadence, last_update
from warroom.store.config import Config
from warroom.store.store import Store


def median_ms(fn: Callable[[], Any], runs: int = 20) -> float:
    """Median milliseconds of `fn()` over `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    """Seed a temporary file and time the reads."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        seed(path, args.n)
        store = Store(path)
        config = Config()
        with_index = median_ms(lambda: last_update(store, INCIDENT_ID))
        cadence = median_ms(lambda: incident_cadence(store, INCIDENT_ID, config))
        catchup = median_ms(lambda: catch_up(store, INCIDENT_ID, config), runs=5)
        store.conn.execute("DROP INDEX idx_events_updates")
        without = median_ms(lambda: last_update(store, INCIDENT_ID))
        store.close()
    print(f"{args.n:,} events, no stakeholder update yet (the slowest case):")
    print(f"  last update: {with_index:.3f} ms with idx_events_updates, {without:.2f} ms without")
    print(f"  update clock (incident + last update): {cadence:.2f} ms; catch-up: {catchup:.2f} ms")


if __name__ == "__main__":
    main()
