"""Regression tests at the edges, each with the installed `warroom` as a real process: far-off times,
failed imports, crafted files. Every test ends with `PRAGMA integrity_check` ok.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.edge_support import INC, integrity_ok, rows, run, seeded


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    """A seeded database, checked for integrity after the test."""
    path = seeded(tmp_path / "w.db")
    yield path
    integrity_ok(path)


# -- times outside the accepted range ---------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "typo", "--at", "0226-11-27T14:00Z"],
        ["log", "typo", "--at", "-700000d"],
        ["log", "typo", "--at", "0001-01-01T00:30Z"],
        ["log", "typo", "--at", "9999-12-31T23:00Z"],
        ["log", "typo", "--at", "1969-12-31T23:59Z"],
        ["set", "detected", "0999-01-01T00:00Z"],
        ["new", "x", "--started", "0500-01-01T00:00Z"],
    ],
)
def test_far_off_time_is_refused_in_one_line(db: Path, argv: list[str]) -> None:
    """A time outside 1970..9999 is refused (exit 2) and nothing is stored; the file stays usable."""
    before = rows(db, "SELECT * FROM events"), rows(db, "SELECT * FROM incidents")
    line = run(db, *argv, "-i", INC).one_line(2) if argv[0] != "new" else run(db, *argv).one_line(2)
    assert "out of range" in line and "1970-01-01" in line
    assert (rows(db, "SELECT * FROM events"), rows(db, "SELECT * FROM incidents")) == before
    assert "first" in run(db, "show", INC).ok()


def test_the_last_accepted_day_is_stored_and_shown_in_every_zone(db: Path) -> None:
    """9999-12-30 is kept, and shows even in UTC+14 (where it is already 9999-12-31)."""
    run(db, "log", "far ahead", "-i", INC, "--at", "9999-12-30T23:59Z").ok()
    assert "9999-12-31 13:59" in run(db, "event", "list", "-i", INC, tz="Pacific/Kiritimati").ok()
    assert rows(db, "SELECT occurred_at FROM events WHERE text='far ahead'") == [("9999-12-30T23:59:00.000000Z",)]


@pytest.mark.parametrize("stored", ["226-11-27T14:00:00.000000Z", "0001-01-01T00:30:00.000000Z", "banana"])
def test_every_reader_survives_a_bad_stored_time(db: Path, stored: str) -> None:
    """A file from an older warroom holding an unreadable time still shows, exports, searches and edits."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE events SET occurred_at=? WHERE text='first'", (stored,))
        conn.commit()
    for argv in (
        ["show", INC],
        ["event", "list", "-i", INC],
        ["export", INC],
        ["export", INC, "--format", "json"],
        ["search", "first"],
        ["list"],
        ["event", "history", "1"],
        ["catchup", "-i", INC],
    ):
        assert "Traceback" not in run(db, *argv, tz="America/New_York").err, argv
    assert "first" in run(db, "event", "list", "-i", INC, tz="America/New_York").ok()
    run(db, "event", "edit", "1", "--at", "2026-11-27T14:06Z").ok()
    assert rows(db, "SELECT occurred_at FROM events WHERE id=1") == [("2026-11-27T14:06:00.000000Z",)]


# -- imports are all or nothing ----------------------------------------------------------------


def _export(db: Path, tmp_path: Path) -> dict:
    data = json.loads(run(db, "export", INC, "--format", "json").ok())
    assert data["events"], data
    return data


def test_out_of_range_event_in_an_import_is_named_and_left_out(db: Path, tmp_path: Path) -> None:
    """An import whose second new event is out of range names it and stores only the good one."""
    data = _export(db, tmp_path)
    event = data["events"][0]
    data["events"] += [
        {**event, "id": 50, "text": "new one"},
        {**event, "id": 51, "text": "x", "occurred_at": "0226-01-01T00:00:00Z"},
    ]
    (tmp_path / "in.json").write_text(json.dumps(data))
    done = run(db, "import", str(tmp_path / "in.json"))
    assert "out of range" in done.err and done.code == 0
    assert [t for (t,) in rows(db, "SELECT text FROM events ORDER BY id")] == ["first", "new one"]


@pytest.mark.parametrize("fresh", [False, True])
def test_blank_event_in_an_import_is_named_and_never_stored(db: Path, tmp_path: Path, fresh: bool) -> None:
    """A blank event is reported as not imported, in an existing incident and in a new file alike."""
    data = _export(db, tmp_path)
    event = data["events"][0]
    data["events"] += [{**event, "id": 50, "text": "new one"}, {**event, "id": 51, "text": "  "}]
    (tmp_path / "in.json").write_text(json.dumps(data))
    target = tmp_path / "fresh.db" if fresh else db
    done = run(target, "import", str(tmp_path / "in.json"))
    assert done.code == 0, done.err
    assert "an event needs some text" in done.err
    assert all(t.strip() for (t,) in rows(target, "SELECT text FROM events"))
    assert ("new one",) in rows(target, "SELECT text FROM events")
    integrity_ok(target)


def test_a_write_failing_inside_an_import_rolls_all_of_it_back(tmp_path: Path) -> None:
    """A record that fails while being stored takes the whole file's records with it (one transaction)."""
    from warroom.store.importer import import_text
    from warroom.store.store import Store

    db = seeded(tmp_path / "w.db")
    data = json.loads(run(db, "export", INC, "--format", "json").ok())
    event = data["events"][0]
    data["events"] += [{**event, "id": 50, "text": "new one"}, {**event, "id": 51, "text": "boom"}]
    store = Store(db)
    real = store.log_event

    def failing(incident_id: str, text: str, **kw: object) -> object:
        if text == "boom":
            error = sqlite3.OperationalError("disk I/O error")
            error.sqlite_errorcode = 10  # SQLITE_IOERR
            raise error
        return real(incident_id, text, **kw)  # type: ignore[arg-type]

    store.log_event = failing  # type: ignore[method-assign]
    try:
        with pytest.raises(Exception, match="disk|could not save"):
            import_text(store, json.dumps(data))
    finally:
        store.close()
    assert [t for (t,) in rows(db, "SELECT text FROM events ORDER BY id")] == ["first"]
    integrity_ok(db)


# -- crafted imports ----------------------------------------------------------------------------


def test_deeply_nested_json_is_one_line(db: Path, tmp_path: Path) -> None:
    """JSON nested 1,000 levels is refused in one line, not a RecursionError."""
    (tmp_path / "deep.json").write_text('{"format": "warroom-incident", "x": ' + "[" * 1000 + "]" * 1000 + "}")
    assert "nested too deeply" in run(db, "import", str(tmp_path / "deep.json")).one_line(1)


def test_huge_event_id_is_named_not_a_traceback(db: Path, tmp_path: Path) -> None:
    """An event id of 2**70 is reported as not imported; the rest of the file comes in."""
    data = _export(db, tmp_path)
    data["events"].append({**data["events"][0], "id": 2**70, "text": "huge id"})
    (tmp_path / "big.json").write_text(json.dumps(data))
    done = run(db, "import", str(tmp_path / "big.json"))
    assert done.code == 0 and "too large" in done.err and "Traceback" not in done.err


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "9999-12-31 – 9999-12-31"])
def test_markdown_date_at_the_ends_of_the_calendar(db: Path, tmp_path: Path, date: str) -> None:
    """A Markdown `Date:` of 9999-12-31 or 0001-01-01 is named as out of range, not an OverflowError."""
    text = run(db, "export", INC).ok().replace("- **Date:** 2026-11-27", f"- **Date:** {date}")
    (tmp_path / "pm.md").write_text(text.replace(INC, "INC-2"))
    done = run(db, "import", str(tmp_path / "pm.md"))
    assert done.code == 0 and "out of range" in done.err and "Traceback" not in done.err
    assert rows(db, "SELECT count(*) FROM events WHERE incident_id='INC-2'") == [(1,)]


@pytest.mark.parametrize("depth", [10, 30])
def test_markdown_with_deeply_nested_lists_is_read_whole(db: Path, tmp_path: Path, depth: int) -> None:
    """Ten (or thirty) levels of list in the summary: the rest of the file is still imported."""
    nested = "\n".join("  " * level + f"- level {level}" for level in range(depth))
    text = run(db, "export", INC).ok().replace("_No summary yet._", nested).replace(INC, "INC-2")
    (tmp_path / "pm.md").write_text(text)
    done = run(db, "import", str(tmp_path / "pm.md"))
    assert done.code == 0 and "1 event added" in done.err + done.out, done
    assert rows(db, "SELECT text FROM events WHERE incident_id='INC-2'") == [("first",)]
    assert f"level {depth - 1}" in rows(db, "SELECT summary FROM incidents WHERE id='INC-2'")[0][0]


@pytest.mark.parametrize("deep", ["\n".join("  " * n + "- x" for n in range(80)), ">" * 300 + " quoted"])
def test_markdown_nested_past_the_limit_is_refused_in_one_line(db: Path, tmp_path: Path, deep: str) -> None:
    """Past the nesting limit the file is refused, never read in part and reported as 'nothing changed'."""
    text = run(db, "export", INC).ok().replace("_No summary yet._", deep).replace(INC, "INC-2")
    (tmp_path / "pm.md").write_text(text)
    assert "nest too deeply" in run(db, "import", str(tmp_path / "pm.md")).one_line(1)
    assert rows(db, "SELECT count(*) FROM incidents WHERE id='INC-2'") == [(0,)]


# -- bidi overrides and escapes quoted back -----------------------------------------------------------

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidi_overrides_are_shown_never_sent_to_the_terminal(db: Path) -> None:
    """Right-to-left overrides and isolates in user text show as ⟨U+202E⟩ marks in every command's output."""
    run(db, "log", "pay \u202eevil\u202c \u2066iso\u2069", "-i", INC).ok()
    run(db, "set", "title", "title \u202eflipped", "-i", INC).ok()
    for argv in (["list"], ["show", INC], ["event", "list", "-i", INC], ["search", "evil"], ["stats"]):
        done = run(db, *argv)
        assert done.code == 0, (argv, done.err)
        assert not set(BIDI) & set(done.out + done.err), argv
    assert "⟨U+202E⟩" in run(db, "event", "list", "-i", INC).ok()
    for argv in (["export", INC], ["export", INC, "--format", "json"]):
        assert not set(BIDI) & set(run(db, *argv).ok()), argv
    assert rows(db, "SELECT text FROM events WHERE text LIKE 'pay%'") == [("pay \u202eevil\u202c \u2066iso\u2069",)]


def test_usage_error_quoting_an_escape_shows_it_visibly(db: Path) -> None:
    """`warroom schema $'\\e]0;X\\a'`: click's usage error quotes the argument with ␛ and ␇, not raw bytes."""
    line = run(db, "schema", "\x1b]0;X\x07").one_line(2)
    assert "\x1b" not in line and "\x07" not in line and "␛]0;X␇" in line
