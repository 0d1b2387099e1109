"""The library in Datasette: the shipped metadata describes the tables, searches, names the queries; nothing writes."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.serve_support import warroom
from warroom.store.store import Store
from warroom.tui.cli_datasette import METADATA_FILE, metadata_for

datasette_app = pytest.importorskip("datasette.app")

T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def library(folder: Path) -> Path:
    """A database named warroom.db with one incident: events, a milestone, an overdue action item."""
    path = folder / "warroom.db"
    store = Store(path, clock=lambda: T0 + dt.timedelta(hours=2))
    incident = store.create_incident("Payments timeouts", started_at=T0).id
    store.log_event(
        incident,
        "p99 latency alert on payments",
        occurred_at=T0 + dt.timedelta(minutes=4),
        milestone="detected",
        author="Alice",
    )
    store.log_event(
        incident,
        "failed over the primary database",
        occurred_at=T0 + dt.timedelta(minutes=30),
        milestone="mitigated",
        author="Bob",
    )
    store.add_action(incident, "Alert on connection pool saturation", deadline=dt.date(2026, 11, 25))
    store.close()
    return path


def get(path: Path, url: str, metadata: dict[str, Any] | None = None) -> Any:
    """GET through Datasette's own test client, on the file with the shipped metadata."""

    async def run() -> Any:
        ds = datasette_app.Datasette([str(path)], metadata=metadata or metadata_for(path))
        await ds.invoke_startup()
        return await ds.client.get(url)

    return asyncio.run(run())


def test_the_shipped_metadata_describes_every_table_and_column(tmp_path: Path) -> None:
    """Each table and view of the schema has a description, and each described column exists."""
    path = library(tmp_path)
    tables = json.loads(METADATA_FILE.read_text())["databases"]["warroom"]["tables"]
    response = get(path, "/warroom.json")
    assert response.status_code == 200
    names = {t["name"] for t in response.json()["tables"]} | {v["name"] for v in response.json()["views"]}
    names = {n for n in names if not n.startswith("search_index_")}  # FTS5's own shadow tables
    assert names == set(tables)
    for table, info in tables.items():
        assert info["description"]
        shown = get(path, f"/warroom/{table}.json?_shape=objects&_size=1").json()
        columns = set(shown["columns"])
        assert set(info.get("columns", {})) <= columns, table


def test_tables_show_their_descriptions(tmp_path: Path) -> None:
    """The events page says what an event is and what the author column holds."""
    response = get(library(tmp_path), "/warroom/events")
    assert response.status_code == 200
    assert "The timeline: one row per event" in response.text
    assert "the responder" in response.text


def test_full_text_search_from_the_table_and_the_named_query(tmp_path: Path) -> None:
    """The search box of the index and the `search` query both find an event by a word in it."""
    path = library(tmp_path)
    rows = get(path, "/warroom/search_index.json?_search=failed&_shape=objects").json()["rows"]
    assert [row["text"] for row in rows] == ["failed over the primary database"]
    found = get(path, "/warroom/search.json?q=latency&_shape=objects").json()["rows"]
    assert len(found) == 1 and "[latency]" in found[0]["excerpt"]


def test_metrics_and_follow_through_are_named_queries(tmp_path: Path) -> None:
    """The views are there as queries with titles: minutes to detect and mitigate, the overdue action item."""
    path = library(tmp_path)
    metrics = get(path, "/warroom/metrics.json?_shape=objects").json()["rows"]
    assert metrics[0]["title"] == "Payments timeouts"
    assert (metrics[0]["minutes_to_detect"], metrics[0]["minutes_to_mitigate"]) == (4.0, 30.0)
    follow = get(path, "/warroom/follow_through.json?_shape=objects").json()["rows"]
    assert [row["title"] for row in follow] == ["Alert on connection pool saturation"]
    assert follow[0]["overdue"] == 1
    assert "Incidents per month" in get(path, "/warroom").text


def test_nothing_can_be_written_through_it(tmp_path: Path) -> None:
    """A write statement is refused and the file is unchanged: Datasette reads the file read-only."""
    path = library(tmp_path)
    before = path.read_bytes()
    for sql in ("DELETE FROM events", "UPDATE incidents SET title='x'", "DROP TABLE events"):
        response = get(path, "/warroom.json?" + "sql=" + sql.replace(" ", "+"))
        assert response.status_code == 400 or not response.json().get("ok", True), sql
    counts = get(path, "/warroom.json?sql=select+count(*)+as+n+from+events&_shape=objects").json()["rows"]
    assert counts == [{"n": 2}]
    assert path.read_bytes() == before


def test_metadata_follows_the_database_name(tmp_path: Path) -> None:
    """`warroom datasette --metadata` keys the metadata by the file's name, so any file name works."""
    path = tmp_path / "team-incidents.db"
    Store(path).close()
    result = subprocess.run([warroom(), "--db", str(path), "datasette", "--metadata"], capture_output=True, text=True)
    assert result.returncode == 0
    metadata = json.loads(result.stdout)
    assert list(metadata["databases"]) == ["team-incidents"]
    assert "metrics" in metadata["databases"]["team-incidents"]["queries"]
