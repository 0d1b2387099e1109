"""Related incidents: the library's incidents that share title and cause words, tags or teams, with what they share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.library_support import fixed_clock, library_db
from tests.process_support import warroom_on
from warroom.store.store import Store


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo incident and the sample library."""
    return library_db(tmp_path_factory.mktemp("related"))


def test_the_demo_incident_is_like_the_database_and_payments_ones(library: Path) -> None:
    """Shared tags and teams bring the failover and webhook incidents up; each says what it shares."""
    store = Store(library, clock=fixed_clock)
    found = {r.incident_id: r for r in store.related("INC-DEMO-0001")}
    store.close()
    assert {"INC-2026-0041", "INC-2026-0036", "INC-2026-0044"} <= set(found)
    assert "tag:database" in found["INC-2026-0041"].shared and "@dba" in found["INC-2026-0041"].shared
    assert "payments" in found["INC-2026-0036"].shared
    assert "INC-DEMO-0001" not in found  # never itself
    assert "INC-2026-0043" not in found  # the status-page typo shares nothing


def test_one_common_word_is_not_enough(tmp_path: Path) -> None:
    """Two incidents that only both say 'database' once are not called related; a shared rare cause is."""
    store = Store(tmp_path / "w.db", clock=fixed_clock)
    a = store.create_incident("Database slow").id
    b = store.create_incident("Database backups late").id
    c = store.create_incident("Checkout errors").id
    store.add_factor(a, "pgbouncer pool_mode left at session after the upgrade", kind="root")
    store.add_factor(c, "pgbouncer pool_mode left at session after the migration", kind="root")
    assert [r.incident_id for r in store.related(a)] == [c]
    assert store.related(b) == []
    store.edit_factor(c, 1, deleted_at=store.now())
    assert store.related(a) == []  # a deleted cause no longer counts
    store.close()


def test_cli_lines_json_and_errors(library: Path) -> None:
    """Lines with date, severity, title and what is shared; --json; an unknown id is one line and exit 1."""
    lines = warroom_on(library, "related", "INC-DEMO-0001")
    assert lines.returncode == 0
    first = lines.stdout.splitlines()[0]
    assert first.startswith("INC-2026-0041  2026-11-05  SEV2  Database failover took 14 minutes  (shares: ")
    data = json.loads(warroom_on(library, "related", "INC-2026-0041", "--json").stdout)
    assert data["incident_id"] == "INC-2026-0041"
    assert [r["incident_id"] for r in data["related"]] == ["INC-DEMO-0001"]
    assert data["related"][0]["shared"] == ["tag:database", "@dba", "@sre"]
    none = warroom_on(library, "related", "INC-2026-0043")
    assert (none.returncode, none.stdout) == (0, "")
    assert "no incident shares enough" in none.stderr
    unknown = warroom_on(library, "related", "INC-NOPE")
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1


def test_hostile_titles_are_shown_as_text(tmp_path: Path) -> None:
    """A title with an escape sequence reaches the terminal as a visible symbol, never as ESC."""
    db = tmp_path / "w.db"
    store = Store(db, clock=fixed_clock)
    a = store.create_incident("Kafka lag \x1b[31mred\x1b[0m").id
    b = store.create_incident("Kafka consumer stuck").id
    for incident_id in (a, b):
        store.update_incident(incident_id, tags=["kafka"])
    store.close()
    out = warroom_on(db, "related", b).stdout
    assert a in out and "\x1b" not in out
