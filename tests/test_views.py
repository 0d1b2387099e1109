"""The SQL views of migration 4 return the same numbers as store/metrics.py."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from warroom.store import metrics
from warroom.store.demo import seed_demo
from warroom.store.demo_library import seed_library
from warroom.store.metrics import followthrough
from warroom.store.schema import SCHEMA_VERSION
from warroom.store.store import Store

#: The SQL views migration 4 made for SQL readers (store/migrations.py).
VIEWS = ("incident_metrics", "action_followthrough", "incidents_by_month")

UTC = dt.UTC


@pytest.fixture
def library(tmp_path: Path) -> Store:
    """The demo and sample incidents on the real clock (the views' "today" is SQLite's date('now'))."""
    opened = Store(tmp_path / "views.db")
    seed_demo(opened)
    seed_library(opened)
    inc = opened.create_incident("Backdated milestones", started_at=opened.now() - dt.timedelta(hours=3)).id
    opened.update_incident(inc, detected_at=opened.now() - dt.timedelta(hours=2, seconds=0.5))
    opened.log_event(
        inc, "deleted", occurred_at=opened.now() - dt.timedelta(hours=2, minutes=50), milestone="mitigated"
    )
    opened.delete_event(opened.events(inc)[0].id or 0)
    return opened


def test_incident_metrics_view_matches(library: Store) -> None:
    """Per-incident seconds to detect / mitigate / resolve are the same in SQL and Python."""
    computed = metrics.load(library, UTC)
    rows = library.conn.execute(
        "SELECT incident_id, started_month, seconds_to_detect, seconds_to_mitigate, seconds_to_resolve "
        "FROM incident_metrics"
    ).fetchall()
    from_view = {r["incident_id"]: tuple(r)[1:] for r in rows}
    from_python = {
        t.incident_id: (t.month, t.seconds_to_detect, t.seconds_to_mitigate, t.seconds_to_resolve)
        for t in computed.incidents
    }
    assert from_view == from_python
    assert len(from_view) == 11


def test_action_followthrough_view_matches(library: Store) -> None:
    """AVG(closed_by_deadline) is the share; the counts agree with followthrough() for today in UTC."""
    today = library.now().date()
    expected = followthrough(library.actions(), today, UTC)
    row = library.conn.execute(
        "SELECT AVG(closed_by_deadline) AS share, SUM(closed_by_deadline = 1) AS on_time, "
        "SUM(closed_by_deadline = 0 AND closed) AS late, SUM(closed_by_deadline = 0 AND NOT closed) AS overdue, "
        "SUM(overdue) AS overdue_flag FROM action_followthrough"
    ).fetchone()
    assert row["share"] == pytest.approx(expected.share)
    assert (row["on_time"], row["late"], row["overdue"]) == (
        expected.closed_on_time,
        expected.closed_late,
        expected.open_overdue,
    )
    assert row["overdue_flag"] == sum(1 for a in library.actions() if a.is_overdue(today))


def test_incidents_by_month_view_matches(library: Store) -> None:
    """The per-month counts of the view are the non-zero cells of per_month."""
    rows = library.conn.execute("SELECT month, severity, incidents FROM incidents_by_month").fetchall()
    from_view = {(r["month"], r["severity"]): r["incidents"] for r in rows}
    from_python = {(m, s.value): n for m, c in metrics.load(library, UTC).per_month for s, n in c.items() if n}
    assert from_view == from_python


def test_an_older_file_gets_the_views(tmp_path: Path) -> None:
    """A version-3 file opened by this warroom is migrated: the views appear, nothing else changes."""
    path = tmp_path / "old.db"
    seeding = Store(path)
    seeding.create_incident("Before the views", id="INC-OLD")
    seeding.close()
    with closing(sqlite3.connect(path)) as conn:
        for name in VIEWS:
            conn.execute(f"DROP VIEW {name}")
        conn.execute("PRAGMA user_version=3")
        conn.commit()
    reopened = Store(path)
    views = {r[0] for r in reopened.conn.execute("SELECT name FROM sqlite_master WHERE type='view'")}
    assert set(VIEWS) <= views
    assert reopened.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 5
    row = reopened.conn.execute("SELECT incident_id, seconds_to_detect FROM incident_metrics").fetchone()
    assert tuple(row) == ("INC-OLD", None)
    reopened.close()


def test_the_readme_query_with_sqlite_utils(library: Store) -> None:
    """`sqlite-utils FILE "select * from incident_metrics"` prints the rows as JSON, as the README shows."""
    path = library.connection.path
    cli = Path(sys.executable).parent / "sqlite-utils"
    if not cli.exists():
        pytest.skip("the sqlite-utils command is not installed beside this Python")
    out = subprocess.run(
        [str(cli), str(path), "select incident_id, seconds_to_resolve from incident_metrics order by incident_id"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = json.loads(out)
    assert {"incident_id": "INC-2026-0034", "seconds_to_resolve": 52 * 60} in rows
