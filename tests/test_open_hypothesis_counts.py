"""The open-hypothesis count SQLite keeps (schema 14) says what reading every hypothesis would, after any change."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from tests.tui_helpers import run_async, screen_text, wait_until
from warroom.store.db import APPLICATION_ID
from warroom.store.hypotheses import HypothesisStatus, hypotheses, open_count, settle, unsettle
from warroom.store.migrations import STEPS
from warroom.store.store import Store
from warroom.tui.app import create_app

if TYPE_CHECKING:
    from tests.conftest import FakeClock

INC, OTHER = "INC-1", "INC-2"


def _open_by_reading(store: Store, incident_id: str) -> int:
    return sum(h.status is HypothesisStatus.OPEN for h in hypotheses(store, incident_id))


def test_the_count_follows_every_change_to_a_hypothesis(store: Store) -> None:
    """Raised, settled, reopened, deleted, restored, turned into a note and back: always what reading them says."""
    store.create_incident("Checkout failing", id=INC)
    store.create_incident("Search slow", id=OTHER)
    first = store.log_event(INC, "payments deploy broke it?", kind="hypothesis").id or 0
    second = store.log_event(INC, "batch job holds the connections", kind="hypothesis").id or 0
    note = store.log_event(INC, "pool graph at 40%").id or 0
    store.log_event(OTHER, "index rebuild?", kind="hypothesis")
    steps: list[tuple[str, Callable[[], object], int]] = [
        ("ruled out", lambda: settle(store, INC, first, HypothesisStatus.RULED_OUT, "rollback changed nothing"), 1),
        ("reopened", lambda: unsettle(store, INC, first), 2),
        ("confirmed", lambda: settle(store, INC, second, HypothesisStatus.CONFIRMED, "pg_stat_activity"), 1),
        ("a note made a hypothesis", lambda: store.edit_event(note, kind="hypothesis"), 2),
        ("deleted", lambda: store.delete_event(first), 1),
        ("deleted again (no change)", lambda: store.edit_event(first, text="payments deploy?"), 1),
        ("restored", lambda: store.restore_event(first), 2),
        ("a hypothesis made a note", lambda: store.edit_event(note, kind="note"), 1),
        ("a settled one deleted", lambda: store.delete_event(second), 1),
        ("restored, still confirmed", lambda: store.restore_event(second), 1),
        ("reopened", lambda: unsettle(store, INC, second), 2),
    ]
    for what, change, expected in steps:
        change()
        assert (open_count(store, INC), _open_by_reading(store, INC)) == (expected, expected), what
        assert open_count(store, OTHER) == _open_by_reading(store, OTHER) == 1, what


def test_an_incident_without_hypotheses_has_none_open(store: Store) -> None:
    """No hypothesis ever raised: zero, not an error."""
    store.create_incident("Checkout failing", id=INC)
    store.log_event(INC, "pool graph at 40%")
    assert open_count(store, INC) == 0


def test_a_file_from_before_the_count_is_counted_when_migrated(tmp_path: Path) -> None:
    """A schema-13 file with three hypotheses, one ruled out and one deleted: one open once opened."""
    path = tmp_path / "v13.db"
    stamp = "2026-11-27T14:00:00.000000Z"
    with closing(sqlite3.connect(path)) as conn:
        for step in range(1, 14):
            for statement in STEPS[step]:
                conn.execute(statement)
        conn.execute(
            "INSERT INTO incidents (id, title, severity, status, owner, commander, scribe, comms, started_at, "
            "summary, customers_affected, business_impact, went_well, went_wrong, got_lucky, notes, tags, "
            "created_at, updated_at) VALUES (?, 'Old outage', 'SEV2', 'resolved', '', '', '', '', ?, "
            "'', '', '', '', '', '', '', '[]', ?, ?)",
            (INC, stamp, stamp, stamp),
        )
        for n, deleted in ((1, None), (2, None), (3, stamp)):
            conn.execute(
                "INSERT INTO events (id, incident_id, occurred_at, logged_at, text, kind, team, author, starred, "
                "source, deleted_at) VALUES (?, ?, ?, ?, ?, 'hypothesis', '', '', 0, 'cli', ?)",
                (n, INC, stamp, stamp, f"guess {n}?", deleted),
            )
        conn.execute(
            "INSERT INTO hypotheses (event_id, incident_id, status, reason, settled_by, settled_at) "
            "VALUES (1, ?, 'ruled out', 'no', NULL, ?)",
            (INC, stamp),
        )
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute("PRAGMA user_version=13")
        conn.commit()
    store = Store(path)
    try:
        assert open_count(store, INC) == _open_by_reading(store, INC) == 1
    finally:
        store.close()


@run_async
async def test_the_review_shows_the_new_count_after_another_terminal_settles_one(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """Open review, more hypotheses than its border lists; another process rules one out: "and N more" drops by one."""
    from tests.test_review import open_review
    from warroom.widgets.review_facilitator import BORDER_NUMBERS

    store.create_incident("Checkout failing", id=INC)
    total = BORDER_NUMBERS + 30
    numbers = store.log_events(INC, [f"guess {n}?" for n in range(total)], kind="hypothesis")
    assert numbers == total
    last = hypotheses(store, INC)[-1].number
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot)
        shown = total - 3  # the panel lists three by name
        await wait_until(pilot, lambda: f"and {shown} more (warroom hypothesis" in screen_text(app), "the count")
        other = Store(db_path, clock=clock)
        try:
            settle(other, INC, last, HypothesisStatus.RULED_OUT, "graphs say no")
        finally:
            other.close()
        await wait_until(pilot, lambda: f"and {shown - 1} more (warroom hypothesis" in screen_text(app), "new count")


def test_a_hand_edited_file_without_the_count_table_is_counted_the_long_way(store: Store) -> None:
    """The table dropped by hand: the open hypotheses are counted from the events, not an error."""
    store.create_incident("Checkout failing", id=INC)
    store.log_event(INC, "payments deploy broke it?", kind="hypothesis")
    store.log_event(INC, "batch job holds the connections", kind="hypothesis")
    store.conn.execute("DROP TABLE open_hypothesis_counts")
    assert open_count(store, INC) == 2


@run_async
async def test_a_count_set_too_low_by_hand_never_hides_the_hypotheses_read(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """The kept count edited down to 2 under 130 open hypotheses: the review says at least those it read."""
    from tests.test_review import open_review
    from warroom.widgets.review_facilitator import BORDER_NUMBERS

    store.create_incident("Checkout failing", id=INC)
    store.log_events(INC, [f"guess {n}?" for n in range(BORDER_NUMBERS + 30)], kind="hypothesis")
    store.conn.execute("UPDATE open_hypothesis_counts SET n = 2 WHERE incident_id = ?", (INC,))
    store.conn.commit()
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot)
        shown = BORDER_NUMBERS + 1 - 3  # the first ones read, three listed by name
        await wait_until(pilot, lambda: f"and {shown} more (warroom hypothesis" in screen_text(app), "the count")
