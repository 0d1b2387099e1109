"""A large incident, fast: N timeline events written with one executemany in one transaction.

Used by the benchmarks and by tests/test_scale.py. The file is created through `Store`, so it has
warroom's real schema; the event rows skip the per-event Python path and are added to the search
index in one statement (`bulk_events`), as the index triggers would have added them.

    python benchmarks/seed.py DB [-n 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from warroom.store.search import bulk_events
from warroom.store.store import Store
from warroom.store.timeparse import to_db

INCIDENT_ID = "INC-BENCH-0001"
START = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)
COLUMNS = (
    "incident_id",
    "occurred_at",
    "logged_at",
    "text",
    "kind",
    "team",
    "author",
    "milestone",
    "starred",
    "source",
)

_WORDS = [
    *("checkout", "payments", "database", "replica", "primary", "latency", "errors", "pool", "connections"),
    *("deploy", "rollback", "cache", "queue", "consumer", "lag", "disk", "memory", "cpu", "alert", "pager"),
    *("dashboard", "customers", "status", "page", "dns", "certificate"),
]
_KINDS = ("note", "note", "note", "hypothesis", "decision", "action", "comms", "detection")
_TEAMS = ("", "", "sre", "payments", "dba", "support", "network")


def recent_start(n: int) -> dt.datetime:
    """A start for `n` events a second apart that ends an hour ago, so entries made now go at the end."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=n, hours=1)


def event_text(index: int, rng: random.Random) -> str:
    """A plausible event line; `#index` makes every text unique and findable."""
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 10)))
    return f"{words} #{index}"


def event_rows(incident_id: str, n: int, start: dt.datetime, seed: int = 42) -> Iterator[tuple[object, ...]]:
    """N events one second apart; a few are starred, three are milestones."""
    rng = random.Random(seed)
    milestones = {0: "detected", n // 2: "mitigated", n - 1: "resolved"} if n >= 3 else {}
    for i in range(n):
        at = to_db(start + dt.timedelta(seconds=i))
        milestone = milestones.get(i)
        kind = "milestone" if milestone else _KINDS[i % len(_KINDS)]
        team, starred = _TEAMS[i % len(_TEAMS)], int(i % 997 == 0)
        yield (incident_id, at, at, event_text(i, rng), kind, team, "", milestone, starred, "cli")


def seed(
    path: Path | str, n: int, *, incident_id: str = INCIDENT_ID, start: dt.datetime = START, title: str = "Big incident"
) -> str:
    """Create `path` (if needed) with an incident of `n` events and return its id."""
    store = Store(path, clock=lambda: start)
    try:
        store.create_incident(title, id=incident_id, severity="SEV2", owner="bench", started_at=start)
        sql = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"

        def insert() -> None:
            with bulk_events(store.conn):
                store.conn.executemany(sql, event_rows(incident_id, n, start))

        store.write(insert)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return incident_id


def main() -> int:
    """Seed a database file from the command line and say how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("-n", "--events", type=int, default=100_000)
    args = parser.parse_args()
    began = time.perf_counter()
    incident_id = seed(args.db, args.events)
    print(f"{incident_id}: {args.events} events in {time.perf_counter() - began:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
