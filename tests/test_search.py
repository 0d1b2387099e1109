"""Full-text search: typed queries never raise, the last word is a prefix, and the index follows every change."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import START, FakeClock
from warroom.store.search import match_expression
from warroom.store.store import Store

INC = "INC-1"

HOSTILE = [
    '"',
    '""',
    '"unterminated',
    "AND",
    "OR",
    "NOT",
    "db AND",
    "AND OR NOT",
    "NEAR(",
    "NEAR(a b",
    "NEAR(a, b, 5)",
    "*",
    "a*",
    "**",
    "^start",
    "col:x",
    "text:foo",
    "{text incident_id}: x",
    "x:",
    ":",
    "(",
    ")",
    "(a OR b",
    "-",
    "- a",
    "+",
    'a"b',
    "'",
    "\\",
    "\x00",
    "a\x00b",
    "é",
    "🙂",
    "   ",
    "",
    "a OR OR b",
    "rowid:1",
    "[x]",
]


@pytest.fixture
def incident(store: Store) -> str:
    """An incident to log into."""
    return store.create_incident("Checkout failing", id=INC).id


def log(store: Store, text: str, minutes: float = 0) -> int:
    """Log an event `minutes` after the start; return its id."""
    return store.log_event(INC, text, occurred_at=START + dt.timedelta(minutes=minutes)).id or 0


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(store: Store, incident: str, query: str) -> None:
    """Whatever is typed into the find bar is text to find, never FTS5 syntax."""
    log(store, 'Rollback AND restart near the primary (col:x) "quoted" * stars')
    assert isinstance(store.search_events(incident, query), list)
    assert isinstance(store.search(query, 5), list)


def test_match_expression_quotes_every_word_and_makes_the_last_a_prefix() -> None:
    """Double quotes are doubled, words without letters or digits are dropped, the last word gets `*`."""
    assert match_expression('db AND "pool') == '"db" "AND" """pool"*'
    assert match_expression("NEAR( col:x") == '"NEAR(" "col:x"*'
    assert match_expression("  ") is None
    assert match_expression('" * ( -') is None


def test_operators_typed_as_words_are_found_literally(store: Store, incident: str) -> None:
    """AND, NEAR( and col:x find events with those words, not syntax."""
    both = log(store, "rollback and restart near the primary")
    colon = log(store, "set col:x to 5", 1)
    assert store.search_events(incident, "AND") == [both]
    assert store.search_events(incident, "NEAR(") == [both]
    assert store.search_events(incident, "col:x") == [colon]


def test_the_last_word_matches_as_a_prefix(store: Store, incident: str) -> None:
    """Typing "conn" already finds "connection"; earlier words must be whole."""
    event = log(store, "connection pool exhausted")
    assert store.search_events(incident, "conn") == [event]
    assert store.search_events(incident, "pool exh") == [event]
    assert store.search_events(incident, "poo exhausted") == []


def test_matches_come_in_timeline_order(store: Store, incident: str) -> None:
    """Backdated events sit where they happened, not where they were logged."""
    late = log(store, "disk full on db-3", 30)
    early = log(store, "disk alarm on db-3", 5)
    middle = log(store, "disk cleanup started", 10)
    assert store.search_events(incident, "disk") == [early, middle, late]


def test_the_index_follows_edits_deletions_and_restores(store: Store, incident: str) -> None:
    """Old text is no longer found after an edit; a deleted event is not found until restored."""
    event = log(store, "alpha text")
    store.edit_event(event, text="beta text")
    assert store.search_events(incident, "alpha") == []
    assert store.search_events(incident, "beta") == [event]
    store.edit_event(event, starred=True)
    assert store.search_events(incident, "beta") == [event]
    store.delete_event(event)
    assert store.search_events(incident, "beta") == []
    store.restore_event(event)
    assert store.search_events(incident, "beta") == [event]
    store.undo_last_change("event", event)
    assert store.search_events(incident, "beta") == []


def test_factors_action_items_and_incident_fields_are_searchable(store: Store, incident: str) -> None:
    """One index for every record type, each hit naming its record and incident."""
    factor = store.add_factor(incident, "Batch job holds 400 connections", kind="root")
    action = store.add_action(incident, "Per-client connection limits")
    store.update_incident(incident, summary="Checkout errors for 25 minutes", went_well="Fast rollback", notes="ping")
    assert {(h.record_type, h.record_id, h.incident_id) for h in store.search("batch")} == {("factor", factor.id, INC)}
    assert ("action", action.id, INC) in {(h.record_type, h.record_id, h.incident_id) for h in store.search("limits")}
    assert [h.record_type for h in store.search("rollback")] == ["incident"]
    assert [h.record_type for h in store.search("failing")] == ["incident"]  # the title
    store.edit_factor(incident, factor.number, deleted_at=store.now())
    assert store.search("batch") == []
    store.update_incident(incident, went_well="")
    assert store.search("rollback") == []


def test_search_ranks_by_bm25_and_keeps_to_the_limit(store: Store, incident: str) -> None:
    """The record that is most about the words comes first, with the words marked in its snippet."""
    log(store, "replica lag rising; checking the primary")
    best = log(store, "replica replica replica: every replica is behind", 1)
    hits = store.search("replica", limit=1)
    assert [(h.record_type, h.record_id) for h in hits] == [("event", best)]
    assert "«replica»" in hits[0].snippet
    assert store.search("replica", limit=0) == []


def test_search_spans_incidents(store: Store, incident: str) -> None:
    """The cross-incident search sees every incident; search_events keeps to one."""
    other = store.create_incident("Search outage", id="INC-2").id
    log(store, "elasticsearch heap at 95%")
    store.log_event(other, "elasticsearch cluster red")
    assert {h.incident_id for h in store.search("elasticsearch")} == {incident, other}
    assert len(store.search_events(other, "elasticsearch")) == 1


def test_an_older_file_is_indexed_when_migrated(tmp_path: Path) -> None:
    """Records written before the index existed are found after the upgrade."""
    from warroom.store.db import APPLICATION_ID
    from warroom.store.migrations import STEPS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for statement in (*STEPS[1], *STEPS[2]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version=2")
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    stamp = "2026-11-27T14:00:00.000000Z"
    conn.execute(
        "INSERT INTO incidents (id, title, severity, status, owner, commander, scribe, comms, started_at, summary, "
        "customers_affected, business_impact, went_well, went_wrong, got_lucky, notes, tags, created_at, updated_at) "
        "VALUES ('INC-OLD', 'Old outage', 'SEV2', 'resolved', '', '', '', '', ?, 'legacy summary', '', '', '', '', '', "
        "'', '[]', ?, ?)",
        (stamp, stamp, stamp),
    )
    conn.execute(
        "INSERT INTO events (incident_id, occurred_at, logged_at, text, kind, team, author, starred, source) "
        "VALUES ('INC-OLD', ?, ?, 'legacy pager storm', 'note', '', '', 0, 'cli')",
        (stamp, stamp),
    )
    conn.commit()
    conn.close()
    store = Store(path, clock=FakeClock())
    try:
        assert len(store.search_events("INC-OLD", "pager")) == 1
        assert {h.record_type for h in store.search("legacy")} == {"incident", "event"}
    finally:
        store.close()
