"""store/: incidents, the timeline, factors, action items and drafts on a real SQLite file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import stat
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from warroom.store import models
from warroom.store.errors import DatabaseFileError, InputError, NotFoundError
from warroom.store.kinds import ActionStatus, EventKind, FactorKind, Milestone, Source, Status
from warroom.store.schema import SCHEMA_VERSION
from warroom.store.store import Store
from warroom.store.timeparse import UTC

if TYPE_CHECKING:
    from tests.conftest import FakeClock


def at(*args: int) -> dt.datetime:
    """An aware UTC datetime."""
    return dt.datetime(*args, tzinfo=UTC)


def sidecars(path: Path) -> list[Path]:
    """The -wal / -shm / -journal files SQLite would leave next to `path`."""
    return [p for p in path.parent.iterdir() if p.name.startswith(path.name) and p != path]


# -- incidents ------------------------------------------------------------------------------


def test_generated_ids_count_up_within_the_year(store: Store) -> None:
    """The first two incidents of 2026 get INC-2026-0001 and INC-2026-0002."""
    assert store.create_incident("Checkout down").id == "INC-2026-0001"
    assert store.create_incident("Search slow").id == "INC-2026-0002"


def test_generated_id_follows_the_highest_of_the_year(store: Store) -> None:
    """A user-given INC-2026-0041 makes the next generated id 0042."""
    store.create_incident("Imported", id="INC-2026-0041")
    assert store.create_incident("Next").id == "INC-2026-0042"


def test_given_id_is_kept(store: Store) -> None:
    """An id the user chose is used as is and can be read back."""
    created = store.create_incident("DNS outage", id="dns-2026-11", severity="sev1", owner="ana")
    got = store.incident("dns-2026-11")
    assert (created.id, got.title, got.severity, got.owner) == ("dns-2026-11", "DNS outage", "SEV1", "ana")
    assert got.status is Status.INVESTIGATING
    assert got.started_at == got.created_at == at(2026, 11, 27, 14, 0)


def test_duplicate_id_is_refused_and_first_is_kept(store: Store) -> None:
    """A second incident with a taken id is refused; the first one is untouched."""
    store.create_incident("First", id="INC-X")
    with pytest.raises(InputError, match="already exists"):
        store.create_incident("Second", id="INC-X")
    assert store.incident("INC-X").title == "First"
    assert len(store.list_incidents()) == 1


@pytest.mark.parametrize("bad", ["", "has space", "-leading-dash", "a/b", "x" * 65, "ünïcode"])
def test_bad_ids_are_refused(store: Store, bad: str) -> None:
    """Ids that would not survive a shell or a filename are refused before anything is written."""
    with pytest.raises(InputError, match="incident id"):
        store.create_incident("Title", id=bad)
    assert store.list_incidents() == []


def test_empty_title_is_refused(store: Store) -> None:
    """An incident needs a title."""
    with pytest.raises(InputError, match="title"):
        store.create_incident("   ")


def test_bad_severity_is_an_input_error(store: Store) -> None:
    """A severity that is not a short name is refused with an InputError, not a pydantic traceback.

    (Which names are levels is the config file's to say: the CLI and the TUI check that.)
    """
    with pytest.raises(InputError, match="severity"):
        store.create_incident("Title", severity="very bad")


def test_unknown_incident_is_not_found(store: Store) -> None:
    """Asking for an incident that does not exist names it."""
    with pytest.raises(NotFoundError, match="NOPE"):
        store.incident("NOPE")
    with pytest.raises(NotFoundError):
        store.log_event("NOPE", "text")


def test_update_incident_keeps_previous_revision(store: Store, clock: FakeClock) -> None:
    """Changing a field keeps the old row as a revision and moves updated_at."""
    inc = store.create_incident("Old title")
    clock.advance(minutes=3)
    updated = store.update_incident(inc.id, title="New title", tags=["db", "checkout"])
    assert updated.title == "New title"
    assert updated.tags == ["db", "checkout"]
    assert updated.updated_at == at(2026, 11, 27, 14, 3)
    revs = store.revisions("incident", inc.id)
    assert [r["title"] for r in revs] == ["Old title"]


def test_records_read_back_equal_what_validation_makes(store: Store, clock: FakeClock) -> None:
    """Reads skip validation, yet give the records validating the same values would: lists, enums, times, flags."""
    inc = store.update_incident(store.create_incident("Checkout down").id, tags=["db", "checkout"], severity="SEV1")
    event = store.log_event(inc.id, "paged", milestone="detected", starred=True, team="sre")
    factor = store.add_factor(inc.id, "pool shared", kind="root", event_ids=[event.id or 0])
    action = store.add_action(inc.id, "Split the pool", owner="dba", deadline="2026-12-01")
    reads = [store.incident(inc.id), store.event(event.id or 0), store.factor(inc.id, 1), store.action(inc.id, 1)]
    for read, written in zip(reads, (inc, event, factor, action), strict=True):
        values = fields_of(read)
        validated = fields_of(getattr(models, type(read).__name__).model_validate(values))
        assert values == validated
        assert [type(v) for v in values.values()] == [type(v) for v in validated.values()]
        assert {**values, "detected_at": None} == {**fields_of(written), "detected_at": None}
    assert reads[0].tags == ["db", "checkout"] and reads[0].detected_at == event.occurred_at
    assert reads[1].starred is True and reads[1].milestone == "detected"
    assert reads[2].event_ids == [event.id]
    assert store.milestone_times(inc.id) == {event.milestone: event.occurred_at}


def fields_of(record: object) -> dict[str, object]:
    """A read record's or an input model's fields by name, in order."""
    names = getattr(type(record), "model_fields", None) or [f.name for f in dataclasses.fields(record)]  # type: ignore[arg-type]
    return {name: getattr(record, name) for name in names}


# -- events ---------------------------------------------------------------------------------


def test_backdated_event_keeps_both_times(store: Store, clock: FakeClock) -> None:
    """An event logged at 14:10 about 13:52 keeps both moments, so backdating stays visible."""
    inc = store.create_incident("x")
    clock.advance(minutes=10)
    ev = store.log_event(inc.id, "pager fired", occurred_at=at(2026, 11, 27, 13, 52))
    back = store.event(ev.id or 0)
    assert back.occurred_at == at(2026, 11, 27, 13, 52)
    assert back.logged_at == at(2026, 11, 27, 14, 10)
    assert back.source is Source.CLI


def test_event_without_time_happened_when_logged(store: Store) -> None:
    """With no time given, an event occurred when it was logged."""
    inc = store.create_incident("x")
    ev = store.event(store.log_event(inc.id, "  now  ").id or 0)
    assert ev.occurred_at == ev.logged_at == at(2026, 11, 27, 14, 0)
    assert ev.text == "now"


def test_empty_event_text_is_refused(store: Store) -> None:
    """Whitespace is not an event."""
    inc = store.create_incident("x")
    with pytest.raises(InputError):
        store.log_event(inc.id, " \n ")
    assert store.events(inc.id) == []


def test_timeline_is_in_occurred_order_ties_in_logged_order(store: Store, clock: FakeClock) -> None:
    """Events sort by when they happened; two at the same moment stay in the order they were logged."""
    inc = store.create_incident("x")
    same = at(2026, 11, 27, 13, 30)
    store.log_event(inc.id, "c late")
    clock.advance(minutes=1)
    store.log_event(inc.id, "a early", occurred_at=at(2026, 11, 27, 13, 0))
    clock.advance(minutes=1)
    store.log_event(inc.id, "b1 tie logged first", occurred_at=same)
    clock.advance(minutes=1)
    store.log_event(inc.id, "b2 tie logged second", occurred_at=same)
    store.log_event(inc.id, "b3 tie logged in the same instant", occurred_at=same)
    texts = [e.text for e in store.events(inc.id)]
    assert texts == [
        "a early",
        "b1 tie logged first",
        "b2 tie logged second",
        "b3 tie logged in the same instant",
        "c late",
    ]


def test_events_are_per_incident(store: Store) -> None:
    """One incident's timeline never shows another's events."""
    a = store.create_incident("a")
    b = store.create_incident("b")
    store.log_event(a.id, "for a")
    store.log_event(b.id, "for b")
    assert [e.text for e in store.events(a.id)] == ["for a"]


@pytest.mark.parametrize("milestone", list(Milestone))
def test_milestone_event_sets_and_unsets_key_time(store: Store, milestone: Milestone) -> None:
    """A milestone event sets the incident's time; deleting it takes the time away, restoring brings it back."""
    inc = store.create_incident("x")
    attr = f"{milestone.value}_at"
    assert getattr(store.incident(inc.id), attr) is None
    ev = store.log_event(inc.id, f"{milestone.value}!", occurred_at=at(2026, 11, 27, 13, 45), milestone=milestone.value)
    assert ev.kind is EventKind.MILESTONE
    assert getattr(store.incident(inc.id), attr) == at(2026, 11, 27, 13, 45)
    store.delete_event(ev.id or 0)
    assert getattr(store.incident(inc.id), attr) is None
    store.restore_event(ev.id or 0)
    assert getattr(store.incident(inc.id), attr) == at(2026, 11, 27, 13, 45)


def test_earliest_milestone_event_wins(store: Store) -> None:
    """Two 'detected' events: the incident was detected at the earlier one."""
    inc = store.create_incident("x")
    store.log_event(inc.id, "second", occurred_at=at(2026, 11, 27, 13, 50), milestone="detected")
    store.log_event(inc.id, "first", occurred_at=at(2026, 11, 27, 13, 40), milestone="detected")
    assert store.incident(inc.id).detected_at == at(2026, 11, 27, 13, 40)


def test_edit_keeps_previous_revision(store: Store, clock: FakeClock) -> None:
    """Correcting an event keeps what it said before, with when it was replaced."""
    inc = store.create_incident("x")
    ev = store.log_event(inc.id, "db primary down")
    clock.advance(minutes=2)
    store.edit_event(ev.id or 0, text="db replica down", occurred_at=at(2026, 11, 27, 13, 58))
    assert store.event(ev.id or 0).text == "db replica down"
    revs = store.revisions("event", ev.id or 0)
    assert [(r["text"], r["occurred_at"], r["replaced_at"]) for r in revs] == [
        ("db primary down", "2026-11-27T14:00:00.000000Z", "2026-11-27T14:02:00.000000Z")
    ]
    rows = store.conn.execute("SELECT record_type, record_id FROM revisions").fetchall()
    assert [tuple(r) for r in rows] == [("event", str(ev.id))]


def test_edit_to_empty_text_is_refused(store: Store) -> None:
    """An edit cannot blank an event; the text stays."""
    inc = store.create_incident("x")
    ev = store.log_event(inc.id, "keep me")
    with pytest.raises(InputError):
        store.edit_event(ev.id or 0, text="  ")
    assert store.event(ev.id or 0).text == "keep me"


def test_soft_delete_hides_but_keeps_row(store: Store) -> None:
    """A deleted event leaves the timeline but its row stays in the file."""
    inc = store.create_incident("x")
    keep = store.log_event(inc.id, "keep")
    gone = store.log_event(inc.id, "gone")
    store.delete_event(gone.id or 0)
    assert [e.text for e in store.events(inc.id)] == ["keep"]
    assert [e.text for e in store.events(inc.id, include_deleted=True)] == ["keep", "gone"]
    row = store.conn.execute("SELECT text, deleted_at FROM events WHERE id=?", (gone.id,)).fetchone()
    assert row["text"] == "gone" and row["deleted_at"] == "2026-11-27T14:00:00.000000Z"
    assert store.event(keep.id or 0).deleted_at is None


def test_undo_last_change_puts_event_back(store: Store) -> None:
    """Undo restores an event as it was before its latest edit."""
    inc = store.create_incident("x")
    ev = store.log_event(inc.id, "original", team="payments")
    store.edit_event(ev.id or 0, text="first edit")
    store.edit_event(ev.id or 0, text="second edit", team="")
    store.undo_last_change("event", ev.id or 0)
    back = store.event(ev.id or 0)
    assert (back.text, back.team) == ("first edit", "payments")
    # The undone edit is not lost: it is kept as a revision like any other change.
    assert store.revisions("event", ev.id or 0)[-1]["text"] == "second edit"


def test_undo_brings_back_a_deleted_event(store: Store) -> None:
    """Undoing a delete returns the event to the timeline."""
    inc = store.create_incident("x")
    ev = store.log_event(inc.id, "oops")
    store.delete_event(ev.id or 0)
    store.undo_last_change("event", ev.id or 0)
    assert [e.text for e in store.events(inc.id)] == ["oops"]


def test_undo_with_nothing_to_undo(store: Store) -> None:
    """Undo on a never-edited event says there is nothing to undo."""
    inc = store.create_incident("x")
    ev = store.log_event(inc.id, "fresh")
    with pytest.raises(NotFoundError, match="nothing to undo"):
        store.undo_last_change("event", ev.id or 0)


# -- factors --------------------------------------------------------------------------------


def test_factors_number_per_incident_and_link_events(store: Store) -> None:
    """Factors are numbered within their incident and remember the events they point at."""
    a = store.create_incident("a")
    b = store.create_incident("b")
    e1 = store.log_event(a.id, "deploy 4.2")
    e2 = store.log_event(a.id, "cache cold")
    root = store.add_factor(a.id, "bad config push", kind="root", event_ids=[e1.id or 0])
    contributing = store.add_factor(a.id, "no canary")
    other = store.add_factor(b.id, "unrelated")
    assert (root.number, contributing.number, other.number) == (1, 2, 1)
    assert root.kind is FactorKind.ROOT and root.event_ids == [e1.id]
    linked = store.link_factor(a.id, 1, e2.id or 0)
    assert linked.event_ids == sorted([e1.id or 0, e2.id or 0])
    assert [f.text for f in store.factors(a.id, FactorKind.ROOT)] == ["bad config push"]
    assert [f.text for f in store.factors(a.id)] == ["bad config push", "no canary"]


def test_factor_cannot_link_another_incidents_event(store: Store) -> None:
    """Linking a factor to an event of a different incident is refused."""
    a = store.create_incident("a")
    b = store.create_incident("b")
    foreign = store.log_event(b.id, "b's event")
    store.add_factor(a.id, "cause")
    with pytest.raises(InputError, match="another incident"):
        store.link_factor(a.id, 1, foreign.id or 0)
    assert store.factor(a.id, 1).event_ids == []


def test_factor_edit_and_delete(store: Store) -> None:
    """Editing a factor keeps a revision; deleting it removes it from the list but not the file."""
    inc = store.create_incident("x")
    store.add_factor(inc.id, "first guess")
    store.edit_factor(inc.id, 1, text="real cause", kind="trigger")
    assert store.factor(inc.id, 1).text == "real cause"
    assert store.factor(inc.id, 1).kind is FactorKind.TRIGGER
    assert store.revisions("factor", store.factor(inc.id, 1).id or 0)[0]["text"] == "first guess"
    store.edit_factor(inc.id, 1, deleted_at=store.now())
    assert store.factors(inc.id) == []
    assert store.factor(inc.id, 1).deleted_at is not None


# -- action items ---------------------------------------------------------------------------


def test_action_numbers_are_per_incident(store: Store) -> None:
    """Action items are #1, #2 in one incident and start again at #1 in the next."""
    a = store.create_incident("a")
    b = store.create_incident("b")
    assert store.add_action(a.id, "add alert").number == 1
    assert store.add_action(a.id, "write runbook").number == 2
    assert store.add_action(b.id, "other").number == 1
    assert [(x.incident_id, x.number) for x in store.actions()] == [(a.id, 1), (a.id, 2), (b.id, 1)]
    assert [x.title for x in store.actions(a.id)] == ["add alert", "write runbook"]


def test_done_stamps_done_at_and_reopen_clears_it(store: Store, clock: FakeClock) -> None:
    """Marking an item done records when; reopening it forgets that."""
    inc = store.create_incident("x")
    store.add_action(inc.id, "fix it", owner="bo", deadline=dt.date(2026, 12, 1), priority="P1")
    clock.advance(hours=2)
    done = store.edit_action(inc.id, 1, status="done")
    assert done.status is ActionStatus.DONE
    assert done.done_at == at(2026, 11, 27, 16, 0)
    reopened = store.edit_action(inc.id, 1, status="in progress")
    assert reopened.done_at is None
    assert (reopened.owner, reopened.deadline, reopened.priority.value) == ("bo", dt.date(2026, 12, 1), "P1")


def test_is_overdue(store: Store) -> None:
    """Overdue means open and past the deadline; a deadline of today is not overdue yet."""
    inc = store.create_incident("x")
    today = dt.date(2026, 11, 27)
    yesterday = store.add_action(inc.id, "late", deadline=today - dt.timedelta(days=1))
    due_today = store.add_action(inc.id, "today", deadline=today)
    no_deadline = store.add_action(inc.id, "someday")
    assert yesterday.is_overdue(today)
    assert not due_today.is_overdue(today)
    assert not no_deadline.is_overdue(today)
    finished = store.edit_action(inc.id, yesterday.number, status="done")
    assert not finished.is_overdue(today)
    wont = store.edit_action(inc.id, yesterday.number, status="won't do")
    assert not wont.is_overdue(today)


def test_bad_action_status_is_an_input_error(store: Store) -> None:
    """An unknown status is bad input with a clear message."""
    inc = store.create_incident("x")
    store.add_action(inc.id, "fix it")
    with pytest.raises(InputError):
        store.edit_action(inc.id, 1, status="finished")


# -- drafts ---------------------------------------------------------------------------------


def test_drafts_save_restore_clear(store: Store, db_path: Path, clock: FakeClock) -> None:
    """A half-typed entry survives closing the file, and clearing it leaves nothing behind."""
    inc = store.create_incident("x")
    store.save_draft(inc.id, "event", "db is fl")
    store.save_draft(inc.id, "event", "db is flapping")
    store.save_draft(inc.id, "summary", "so far")
    store.close()
    reopened = Store(db_path, clock=clock)
    try:
        assert reopened.draft(inc.id, "event") == "db is flapping"
        assert reopened.draft(inc.id, "summary") == "so far"
        reopened.save_draft(inc.id, "event", "")
        assert reopened.draft(inc.id, "event") == ""
        assert reopened.conn.execute("SELECT COUNT(*) FROM drafts WHERE field='event'").fetchone()[0] == 0
    finally:
        reopened.close()


# -- choosing and listing incidents ---------------------------------------------------------


def test_default_incident_is_most_recently_active_open_one(store: Store, clock: FakeClock) -> None:
    """The default follows activity: the incident last logged to, skipping closed ones."""
    with pytest.raises(NotFoundError, match="warroom new"):
        store.default_incident_id()
    a = store.create_incident("a")
    clock.advance(minutes=1)
    b = store.create_incident("b")
    assert store.default_incident_id() == b.id
    clock.advance(minutes=1)
    store.log_event(a.id, "activity on a")
    assert store.default_incident_id() == a.id
    clock.advance(minutes=1)
    store.update_incident(a.id, status="closed")
    assert store.default_incident_id() == b.id


def test_list_incidents_counts(store: Store, clock: FakeClock) -> None:
    """The overview counts live events, open actions and overdue ones, newest incident first."""
    a = store.create_incident("a")
    clock.advance(minutes=1)
    b = store.create_incident("b", started_at=at(2026, 11, 27, 14, 1))
    store.log_event(a.id, "one")
    gone = store.log_event(a.id, "two")
    store.delete_event(gone.id or 0)
    store.add_action(a.id, "late", deadline=dt.date(2026, 11, 1))
    store.add_action(a.id, "due today", deadline=dt.date(2026, 11, 27))
    store.add_action(a.id, "done", deadline=dt.date(2026, 11, 1))
    store.edit_action(a.id, 3, status="done")
    listing = store.list_incidents()
    assert [x.incident.id for x in listing] == [b.id, a.id]
    counts = {x.incident.id: (x.events, x.open_actions, x.overdue_actions) for x in listing}
    assert counts == {a.id: (1, 2, 1), b.id: (0, 0, 0)}
    store.update_incident(b.id, status="resolved")
    assert [x.incident.id for x in store.list_incidents(open_only=True)] == [a.id]


# -- the file -------------------------------------------------------------------------------


def test_sqlite_settings(store: Store) -> None:
    """WAL, foreign keys and synchronous=FULL are on for the store's connection."""
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_schema_version_is_recorded(store: Store, db_path: Path) -> None:
    """The file carries the schema version, also as seen by a plain sqlite3 reader."""
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with closing(sqlite3.connect(db_path)) as plain:
        assert plain.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_foreign_keys_are_enforced(store: Store) -> None:
    """An event for a missing incident cannot be inserted behind the store's back."""
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO events (incident_id, occurred_at, logged_at, text, kind, team, author, starred, source) "
            "VALUES ('NOPE', 'x', 'x', 't', 'note', '', '', 0, 'cli')"
        )


def test_new_file_and_folder_are_private(tmp_path: Path, clock: FakeClock) -> None:
    """A new database is readable by its owner only (0600), in a new folder that is 0700."""
    path = tmp_path / "fresh" / "w.db"
    Store(path, clock=clock).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_data_survives_reopening(store: Store, db_path: Path, clock: FakeClock) -> None:
    """What was logged is there when the file is opened again."""
    inc = store.create_incident("x")
    store.log_event(inc.id, "persisted", team="sre")
    store.close()
    again = Store(db_path, clock=clock)
    try:
        assert [(e.text, e.team) for e in again.events(inc.id)] == [("persisted", "sre")]
    finally:
        again.close()


def test_empty_existing_file_becomes_a_database(db_path: Path, clock: FakeClock) -> None:
    """A zero-byte file (e.g. from `touch`) is set up as a fresh warroom database."""
    db_path.touch()
    opened = Store(db_path, clock=clock)
    try:
        assert opened.create_incident("x").id == "INC-2026-0001"
    finally:
        opened.close()


def _real_db_bytes(path: Path, clock: FakeClock) -> bytes:
    """A complete warroom database with some content, checkpointed into one file."""
    made = Store(path, clock=clock)
    inc = made.create_incident("x")
    for n in range(50):
        made.log_event(inc.id, f"event {n} " * 20)
    made.close()
    assert sidecars(path) == []
    return path.read_bytes()


def test_text_file_is_refused_untouched(db_path: Path, clock: FakeClock) -> None:
    """A file that is not SQLite is refused with a clear message, byte for byte unchanged."""
    db_path.write_bytes(b"hello\n")
    with pytest.raises(DatabaseFileError, match="not an SQLite file"):
        Store(db_path, clock=clock)
    assert db_path.read_bytes() == b"hello\n"
    assert sidecars(db_path) == []


def test_newer_schema_is_refused_untouched(db_path: Path, clock: FakeClock) -> None:
    """A file from a newer warroom is refused, saying so, and left exactly as it was."""
    _real_db_bytes(db_path, clock)
    with closing(sqlite3.connect(db_path)) as plain:
        plain.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
        plain.commit()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseFileError, match="newer") as info:
        Store(db_path, clock=clock)
    assert "upgrade" in str(info.value)
    assert db_path.read_bytes() == before


def test_directory_is_refused(tmp_path: Path, clock: FakeClock) -> None:
    """A folder given as the database path is refused clearly."""
    with pytest.raises(DatabaseFileError, match="directory"):
        Store(tmp_path, clock=clock)


@pytest.mark.parametrize("keep", [50, 100, 4096])
def test_truncated_file_is_refused_untouched(tmp_path: Path, clock: FakeClock, keep: int) -> None:
    """The first bytes of a real database are refused with a clear message and not modified."""
    data = _real_db_bytes(tmp_path / "whole.db", clock)
    assert len(data) > keep
    path = tmp_path / "cut.db"
    path.write_bytes(data[:keep])
    with pytest.raises(DatabaseFileError, match="left untouched"):
        Store(path, clock=clock)
    assert path.read_bytes() == data[:keep]


def test_someone_elses_sqlite_file_is_refused(db_path: Path, clock: FakeClock) -> None:
    """An SQLite file with another program's tables is not turned into a warroom database."""
    with closing(sqlite3.connect(db_path)) as plain:
        plain.execute("CREATE TABLE notes (body TEXT)")
        plain.execute("INSERT INTO notes VALUES ('precious')")
        plain.commit()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseFileError, match="not a warroom"):
        Store(db_path, clock=clock)
    assert db_path.read_bytes() == before


def test_someone_elses_sqlite_file_with_user_version_is_refused(db_path: Path, clock: FakeClock) -> None:
    """Another program's file that happens to set user_version=1 is refused too, and not switched to WAL."""
    with closing(sqlite3.connect(db_path)) as plain:
        plain.execute("CREATE TABLE notes (body TEXT)")
        plain.execute("INSERT INTO notes VALUES ('precious')")
        plain.execute("PRAGMA user_version=1")
        plain.commit()
    before = db_path.read_bytes()
    try:
        with pytest.raises(DatabaseFileError, match="not a warroom"):
            Store(db_path, clock=clock)
    finally:
        assert db_path.read_bytes() == before


def test_missing_file_without_create(tmp_path: Path, clock: FakeClock) -> None:
    """Opening for reading only does not create a file."""
    path = tmp_path / "absent.db"
    with pytest.raises(DatabaseFileError, match="no database"):
        Store(path, clock=clock, create=False)
    assert not path.exists()
