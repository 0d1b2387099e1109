"""`search` stays bounded whatever is typed: repeats dropped, long queries cut with a note, huge result sets unranked.

The time and memory at a million events are measured by benchmarks/large.py; these check the rules.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import warroom.store.search
from tests.conftest import FakeClock
from warroom.store.search import MAX_TERMS, bounded_expression, search_with_note
from warroom.store.store import Store

INC = "INC-1"
SCRIPT = Path(sys.executable).parent / "warroom"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Ten events about the pool, two about the cache."""
    path = tmp_path / "w.db"
    clock = FakeClock()
    store = Store(path, clock=clock)
    store.create_incident("Pool exhausted", id=INC)
    for n in range(10):
        clock.advance(minutes=1)
        store.log_event(INC, f"pool connections {n} exhausted")
    store.log_event(INC, "cache cold")
    store.log_event(INC, "Pool and cache both")
    store.close()
    return path


def test_repeated_words_are_searched_once_and_find_the_same(db: Path) -> None:
    """ "pool " x 20,000 is the query "pool pool*": the same hits as typing it twice, and no note."""
    assert bounded_expression("pool " * 20_000) == ('"pool" "pool"*', "")
    assert bounded_expression("Pool pool POOL cache") == ('"Pool" "cache"*', "")
    store = Store(db)
    hits, note = search_with_note(store.conn, "pool " * 20_000)
    assert note == ""
    assert hits == search_with_note(store.conn, "pool pool")[0]
    assert len(hits) == 12  # ten events, the incident's title, the mixed event
    store.close()


def test_thousands_of_words_are_cut_to_the_limit_with_a_note() -> None:
    """5,000 different words (or one word of 20,000 parts) keep the first MAX_TERMS and say so."""
    expression, note = bounded_expression(" ".join(f"w{n}" for n in range(5_000)))
    assert expression == " ".join(f'"w{n}"' for n in range(MAX_TERMS))
    assert note == f"searched for the first {MAX_TERMS} words only; the rest of the query was left out"
    expression, note = bounded_expression("-".join(["pool"] * 20_000))
    assert expression == '"' + " ".join(["pool"] * MAX_TERMS) + '"*'
    assert note.startswith("searched for the first")


def test_too_many_matches_to_rank_come_newest_first_with_a_note(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past RANK_LIMIT matches the newest are shown instead of the best, and the note says so."""
    monkeypatch.setattr(warroom.store.search, "RANK_LIMIT", 5)
    store_ = Store(db)
    hits, note = search_with_note(store_.conn, "pool", limit=3)
    assert note == "more than 5 matches: showing the newest, not the best; add words to narrow it"
    assert [h.record_id for h in hits if h.record_type == "event"] == [12, 10, 9]
    few, quiet = search_with_note(store_.conn, "cache")
    assert quiet == "" and len(few) == 2
    store_.close()


def test_installed_search_says_once_when_a_query_is_cut(db: Path) -> None:
    """The real `warroom search` with 5,000 words exits 0 with one note on stderr; repeats get none."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARROOM_")}
    argv = [str(SCRIPT), "--db", str(db), "search"]
    cut = subprocess.run([*argv, "pool " + " ".join(f"x{n}" for n in range(5_000))], capture_output=True, env=env)
    assert cut.returncode == 0
    assert cut.stderr.decode() == (
        f"warroom: searched for the first {MAX_TERMS} words only; the rest of the query was left out\n"
    )
    assert cut.stdout.decode() == "no matches\n"
    repeated = subprocess.run([*argv, "pool " * 20_000], capture_output=True, env=env)
    assert repeated.returncode == 0 and repeated.stderr == b""
    assert repeated.stdout.decode().count("pool") >= 10
