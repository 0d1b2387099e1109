"""Follow the presenter: a review screen that presents records its event in the file; one that follows moves."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from tests.postmortem_support import SIZE, demo_db, fixed_clock, run_async, status_text, wait_until
from tests.test_review import open_review, panel_text
from warroom.store.export_json import render_json
from warroom.store.schema import SCHEMA_VERSION
from warroom.store.store import Store
from warroom.tui.app import create_app


def test_presenting_is_kept_per_incident(tmp_path: Path) -> None:
    """The last move wins, whoever makes it; stopping clears it; another incident is untouched."""
    path, incident_id = demo_db(tmp_path)
    store = Store(path, clock=fixed_clock)
    other = Store(path, clock=fixed_clock)  # another program on the same file
    assert store.presented(incident_id) is None
    store.present(incident_id, 3, "Alice")
    other.present(incident_id, 5, "Bob")
    where = store.presented(incident_id)
    assert where is not None and (where.event_id, where.presenter) == (5, "Bob")
    other.stop_presenting(incident_id)
    assert store.presented(incident_id) is None


@run_async
async def test_presenting_screen_records_each_step(tmp_path: Path) -> None:
    """P presents: each step is in the database for followers, with the presenter's name; P again stops."""
    path, incident_id = demo_db(tmp_path)
    app = create_app(path, clock=fixed_clock, incident_id=incident_id, author="Alice Example")
    reader = Store(path, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("P")
        first = screen.current
        assert first is not None
        await wait_until(pilot, lambda: reader.presented(incident_id) is not None, "the presenter's row")
        where = reader.presented(incident_id)
        assert where is not None and where.event_id == first.id and where.presenter == "Alice Example"
        await pilot.press("j", "j")
        third = screen.current
        assert third is not None
        await wait_until(pilot, lambda: getattr(reader.presented(incident_id), "event_id", None) == third.id)
        await pilot.press("P")
        await wait_until(pilot, lambda: reader.presented(incident_id) is None, "presenting to stop")
        assert "stopped presenting" in status_text(app)


@run_async
async def test_following_screen_moves_with_the_presenter(tmp_path: Path) -> None:
    """F follows: as another program moves the presentation, this screen shows that event; it can still star."""
    path, incident_id = demo_db(tmp_path)
    presenter = Store(path, clock=fixed_clock)
    ids = [
        row[0]
        for row in presenter.conn.execute(
            "SELECT id FROM events WHERE incident_id=? AND deleted_at IS NULL ORDER BY occurred_at, id", (incident_id,)
        )
    ]
    presenter.present(incident_id, ids[4], "Alice")
    app = create_app(path, clock=fixed_clock, incident_id=incident_id)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("F")
        assert screen.position == 4 and "following Alice" in status_text(app)
        presenter.present(incident_id, ids[9], "Alice")
        await wait_until(pilot, lambda: screen.position == 9, "the follower to move")
        assert "event 10 of 13" in panel_text(app)
        await pilot.press("s")  # a follower can still star
        starred = f"SELECT starred FROM events WHERE id={ids[9]}"
        await wait_until(pilot, lambda: presenter.conn.execute(starred).fetchone()[0] == 1, "the star")
        assert screen.position == 9
        await pilot.press("k")  # stepping away stops following
        assert "stopped following" in status_text(app)
        presenter.present(incident_id, ids[0], "Alice")
        await pilot.pause(0.7)
        assert screen.position == 8


@run_async
async def test_entries_carry_the_responder_name(tmp_path: Path) -> None:
    """A responder's app (a served tab) logs entries as theirs: in the file, the JSON export, the review panel."""
    path, incident_id = demo_db(tmp_path)
    app = create_app(path, clock=fixed_clock, incident_id=incident_id, author="Dana DBA")
    reader = Store(path, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"replica lag 40s", "enter")
        query = "SELECT author FROM events WHERE text='replica lag 40s'"
        await wait_until(pilot, lambda: reader.conn.execute(query).fetchone() is not None, "the entry")
        assert reader.conn.execute(query).fetchone()[0] == "Dana DBA"
        exported = json.loads(render_json(reader, incident_id, dt.UTC))
        assert [e["author"] for e in exported["events"] if e["text"] == "replica lag 40s"] == ["Dana DBA"]
        await open_review(pilot)
        await pilot.press("end")
        assert "replica lag 40s" in panel_text(app) and "by Dana DBA" in panel_text(app)


def test_an_older_file_gets_the_presenting_table(tmp_path: Path) -> None:
    """A file from before follow-the-presenter (version 5) is migrated when opened; its data stays."""
    path, incident_id = demo_db(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE presenting")
        conn.execute("DROP TABLE postmortems")
        conn.execute("PRAGMA user_version=5")
    store = Store(path, clock=fixed_clock)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.present(incident_id, 1, "Alice")
    assert store.presented(incident_id) is not None
    assert store.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 13
    store.close()
