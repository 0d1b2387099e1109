"""The `warroom` command line: every verb of the CLI contract, its errors, and its start-up imports."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result

from tests.cli_support import cli_env, close_opened  # noqa: F401 (cli_env: autouse fixture)
from tests.process_support import clean_env
from tests.process_support import script as warroom_script
from warroom.store.schema import SCHEMA_VERSION
from warroom.tui.cli import SET_FIELDS, cli, main

REPO = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    pass


def run(*args: str, input: str | bytes | None = None, color: bool = False) -> Result:
    """Invoke the CLI in-process and insist that it succeeded."""
    try:
        result = CliRunner().invoke(cli, list(args), input=input, color=color, catch_exceptions=False)
    finally:
        close_opened()
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def fail(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run `main` as the console script does; return its exit code and stderr (checked to be one line)."""
    try:
        code = main(list(args))
    finally:
        close_opened()
    _out, err = capsys.readouterr()
    assert err.startswith("warroom:"), err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    return code, err


def query(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Rows straight from the file, as another reader would see them."""
    with closing(sqlite3.connect(db_path)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params).fetchall()]


def new_incident(title: str = "Checkout down", *extra: str) -> str:
    """Create an incident through the CLI and return the id it printed."""
    return run("new", title, *extra).stdout.strip()


# -- new ------------------------------------------------------------------------------------


def test_new_prints_generated_ids(db_path: Path) -> None:
    """`new` prints only the id, counting up, and the incident is in the file."""
    assert run("new", "Checkout down").stdout == "INC-2026-0001\n"
    assert run("new", "Search slow").stdout == "INC-2026-0002\n"
    assert [r["title"] for r in query(db_path, "SELECT title FROM incidents ORDER BY id")] == [
        "Checkout down",
        "Search slow",
    ]


def test_new_with_options(db_path: Path) -> None:
    """--id, --severity, --owner and --started are stored as given."""
    out = run("new", "DNS", "--id", "dns-1", "--severity", "sev1", "--owner", "ana", "--started", "13:30").stdout
    assert out == "dns-1\n"
    row = query(db_path, "SELECT * FROM incidents")[0]
    assert (row["id"], row["severity"], row["owner"], row["started_at"]) == (
        "dns-1",
        "SEV1",
        "ana",
        "2026-11-27T13:30:00.000000Z",
    )


# -- log ------------------------------------------------------------------------------------


def test_log_uses_default_incident_and_says_where(db_path: Path) -> None:
    """`log TEXT` goes to the open incident and confirms id, time and incident."""
    inc = new_incident()
    out = run("log", "pager fired").stdout
    assert out == f"logged event 1 at 2026-11-27 14:00:00 in {inc}\n"
    row = query(db_path, "SELECT * FROM events")[0]
    assert (row["text"], row["source"], row["kind"], row["incident_id"]) == ("pager fired", "cli", "note", inc)


def test_log_with_at_kind_team(db_path: Path) -> None:
    """--at backdates (logged_at stays now), --kind and --team are kept."""
    new_incident()
    run("log", "roll back 4.2", "--at", "13:52", "--kind", "decision", "--team", "payments")
    row = query(db_path, "SELECT * FROM events")[0]
    assert row["occurred_at"] == "2026-11-27T13:52:00.000000Z"
    assert row["logged_at"] == "2026-11-27T14:00:00.000000Z"
    assert (row["kind"], row["team"]) == ("decision", "payments")


def test_log_to_a_named_incident(db_path: Path) -> None:
    """-i sends the event to that incident even when another is more recent."""
    first = new_incident("first")
    new_incident("second")
    run("log", "for the first", "-i", first)
    assert query(db_path, "SELECT incident_id FROM events")[0]["incident_id"] == first


def test_log_milestone_sets_key_time(db_path: Path) -> None:
    """--milestone detected makes a milestone event and `show` reports the detection time."""
    new_incident()
    run("log", "alert fired", "--at", "13:55", "--milestone", "detected")
    row = query(db_path, "SELECT kind, milestone FROM events")[0]
    assert (row["kind"], row["milestone"]) == ("milestone", "detected")
    shown = run("show").stdout
    assert "detected:  2026-11-27 13:55:00" in shown


def test_log_from_stdin(db_path: Path) -> None:
    """`log -` logs one event per line, skips empty ones, replaces invalid UTF-8 and marks them as piped."""
    new_incident()
    result = run("log", "-", input=b"first line\n\nsecond \xff bytes\r\nthird\n")
    rows = query(db_path, "SELECT text, source FROM events ORDER BY id")
    assert [r["text"] for r in rows] == ["first line", "second \ufffd bytes", "third"]
    assert {r["source"] for r in rows} == {"pipe"}
    assert "logged 3 events" in result.stderr


def test_log_from_stdin_with_at(db_path: Path) -> None:
    """`log - --at` gives every piped line that time."""
    new_incident()
    run("log", "-", "--at", "13:00", input="a\nb\n")
    assert {r["occurred_at"] for r in query(db_path, "SELECT occurred_at FROM events")} == {
        "2026-11-27T13:00:00.000000Z"
    }


# -- cause ----------------------------------------------------------------------------------


def test_cause_add_list_edit_delete(db_path: Path) -> None:
    """Factors can be added with event links, listed, corrected (revision kept) and deleted (row kept)."""
    new_incident()
    run("log", "deploy 4.2")
    assert run("cause", "add", "bad config push", "--kind", "root", "--event", "1").stdout.startswith(
        "added root factor 1"
    )
    run("cause", "add", "no canary")
    listed = run("cause", "list").stdout.splitlines()
    assert [line.split() for line in listed] == [
        ["1", "root", "bad", "config", "push"],
        ["2", "contributing", "no", "canary"],
    ]
    assert query(db_path, "SELECT event_id FROM factor_events") == [{"event_id": 1}]
    run("cause", "edit", "1", "--text", "config push without review", "--kind", "trigger")
    assert "trigger" in run("cause", "list").stdout.splitlines()[0]
    assert (
        json.loads(query(db_path, "SELECT data FROM revisions WHERE record_type='factor'")[0]["data"])["text"]
        == "bad config push"
    )
    run("cause", "delete", "2")
    assert "no canary" not in run("cause", "list").stdout
    assert query(db_path, "SELECT deleted_at FROM factors WHERE number=2")[0]["deleted_at"] is not None


def test_empty_cause_and_event_lists_say_so_and_how_to_add_one() -> None:
    """An empty list is one line naming the incident and the command that adds one, not silence."""
    incident_id = new_incident()
    assert (
        run("cause", "list").stdout
        == f"no root cause or factors in {incident_id}: add one with `warroom cause add TEXT`\n"
    )
    assert run("event", "list").stdout == f"no events in {incident_id}: log one with `warroom log TEXT`\n"
    run("log", "deploy 4.2")
    run("event", "delete", "1")
    assert run("event", "list").stdout.startswith("no events in")
    assert "deploy 4.2" in run("event", "list", "--deleted").stdout


def test_cause_list_shows_each_factor_on_one_safe_line() -> None:
    """A multi-line factor or one with a terminal escape stays on its own line and cannot drive the terminal."""
    new_incident()
    run("cause", "add", "line one\nline two")
    run("cause", "add", "\x1b]0;owned\x07title change")
    out = run("cause", "list", color=True).stdout
    assert len(out.splitlines()) == 2
    assert "\x1b" not in out


# -- action ---------------------------------------------------------------------------------


def test_action_add_list_done_set(db_path: Path) -> None:
    """Action items are numbered, listed with owner and deadline, marked done, and changed field by field."""
    new_incident()
    assert run(
        "action", "add", "add disk alert", "--owner", "bo", "--deadline", "2026-12-01", "--priority", "p1"
    ).stdout.startswith("added action item 1")
    run("action", "add", "write runbook", "--ticket", "https://t/1", "--type", "process")
    lines = run("action", "list").stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[:6] == ["#1", "P1", "open", "bo", "2026-12-01", "add"]
    assert "unassigned" in lines[1] and "no deadline" in lines[1]

    run("action", "done", "1")
    row = query(db_path, "SELECT status, done_at FROM action_items WHERE number=1")[0]
    assert row == {"status": "done", "done_at": "2026-11-27T14:00:00.000000Z"}

    run(
        "action",
        "set",
        "2",
        "--status",
        "in progress",
        "--owner",
        "cy",
        "--priority",
        "p3",
        "--deadline",
        "2026-12-24",
        "--title",
        "write and test runbook",
    )
    row = query(db_path, "SELECT * FROM action_items WHERE number=2")[0]
    assert (row["status"], row["owner"], row["priority"], row["deadline"], row["title"], row["ticket"]) == (
        "in progress",
        "cy",
        "P3",
        "2026-12-24",
        "write and test runbook",
        "https://t/1",
    )
    run("action", "set", "2", "--deadline", "")
    assert query(db_path, "SELECT deadline FROM action_items WHERE number=2")[0]["deadline"] is None


def test_action_list_overdue() -> None:
    """--overdue shows only open items past their deadline; due today is not overdue."""
    new_incident()
    run("action", "add", "late one", "--deadline", "2026-11-26")
    run("action", "add", "due today", "--deadline", "2026-11-27")
    run("action", "add", "late but done", "--deadline", "2026-11-01")
    run("action", "done", "3")
    full = run("action", "list").stdout.splitlines()
    assert [("OVERDUE" in line) for line in full] == [True, False, False]
    overdue = run("action", "list", "--overdue").stdout.splitlines()
    assert len(overdue) == 1 and "late one" in overdue[0]


def test_action_list_all_incidents_and_json() -> None:
    """--all-incidents lists every incident's items with their id, by group and owner; --json is parseable."""
    first = new_incident("first")
    run("action", "add", "from first")
    second = new_incident("second")
    run("action", "add", "from second")
    assert "from first" not in run("action", "list").stdout
    lines = run("action", "list", "--all-incidents").stdout.splitlines()
    assert lines[:2] == ["NO DEADLINE (2)", "  unassigned"]
    assert [line.split()[0] for line in lines[2:]] == [first, second]
    data = json.loads(run("action", "list", "--all-incidents", "--json").stdout)
    assert [(d["incident_id"], d["number"], d["title"], d["status"], d["group"]) for d in data] == [
        (first, 1, "from first", "open", "no deadline"),
        (second, 1, "from second", "open", "no deadline"),
    ]


def test_action_list_when_empty() -> None:
    """An incident with no action items says so."""
    new_incident()
    assert run("action", "list").stdout == "no action items\n"


# -- set ------------------------------------------------------------------------------------

SET_CASES: dict[str, tuple[str, object]] = {
    "title": ("Checkout fully down", "Checkout fully down"),
    "severity": ("sev1", "SEV1"),
    "status": ("monitoring", "monitoring"),
    "owner": ("ana", "ana"),
    "commander": ("bo", "bo"),
    "scribe": ("cy", "cy"),
    "comms": ("di", "di"),
    "summary": ("Checkout failed for 40 minutes.\nSecond line.", "Checkout failed for 40 minutes.\nSecond line."),
    "customers": ("about 12% of EU shoppers", "about 12% of EU shoppers"),
    "business-impact": ("~€40k in lost orders", "~€40k in lost orders"),
    "went-well": ("rollback took 3 minutes", "rollback took 3 minutes"),
    "went-wrong": ("alert fired late", "alert fired late"),
    "lucky": ("it was a Tuesday", "it was a Tuesday"),
    "notes": ("| pipes | and [markup] |", "| pipes | and [markup] |"),
    "tags": ("DB, checkout,db , ", '["checkout", "db"]'),
    "started": ("13:30", "2026-11-27T13:30:00.000000Z"),
    "detected": ("2026-11-27T14:40:00+01:00", "2026-11-27T13:40:00.000000Z"),
    "mitigated": ("13:50:30", "2026-11-27T13:50:30.000000Z"),
    "resolved": ("13:58Z", "2026-11-27T13:58:00.000000Z"),
}


#: Fields of the post-mortem's workflow, not of the incident row (tests/test_postmortem_flow.py).
POSTMORTEM_FIELDS = {"postmortem", "postmortem-owner", "review-due"}
#: `set section TITLE TEXT` takes two values (tests/test_sections_shell.py).
SECTION_FIELDS = {"section"}


def test_every_set_field_is_tested() -> None:
    """A new `set` field needs a case here or in the post-mortem workflow's or the sections' tests."""
    assert set(SET_FIELDS) == set(SET_CASES) | POSTMORTEM_FIELDS | SECTION_FIELDS


@pytest.mark.parametrize("field", sorted(SET_CASES))
def test_set_every_field(db_path: Path, field: str) -> None:
    """`set FIELD VALUE` stores the value (normalised) in the incident's column."""
    inc = new_incident()
    value, stored = SET_CASES[field]
    resolves = " · status resolved" if field == "resolved" else ""  # as /resolved in the TUI
    assert run("set", field, value).stdout == f"{inc}: {field} set{resolves}\n"
    column = SET_FIELDS[field]
    assert query(db_path, f"SELECT {column} FROM incidents")[0][column] == stored


def test_set_time_can_be_cleared(db_path: Path) -> None:
    """An empty TIME clears a key time."""
    new_incident()
    run("set", "detected", "13:40")
    run("set", "detected", "")
    assert query(db_path, "SELECT detected_at FROM incidents")[0]["detected_at"] is None


def test_set_keeps_revision(db_path: Path) -> None:
    """Changing a field through the CLI keeps the previous version."""
    new_incident("Old")
    run("set", "title", "New")
    revs = query(db_path, "SELECT data FROM revisions WHERE record_type='incident'")
    assert json.loads(revs[0]["data"])["title"] == "Old"


def test_set_relative_time_after_double_dash(db_path: Path) -> None:
    """`set mitigated -- -10m` sets the time ten minutes ago."""
    new_incident()
    run("set", "mitigated", "--", "-10m")
    assert query(db_path, "SELECT mitigated_at FROM incidents")[0]["mitigated_at"] == "2026-11-27T13:50:00.000000Z"


def test_set_relative_time(db_path: Path) -> None:
    """`set mitigated -10m` accepts a relative TIME as the contract promises, without a `--`."""
    new_incident()
    assert main(["set", "mitigated", "-10m"]) == 0
    assert query(db_path, "SELECT mitigated_at FROM incidents")[0]["mitigated_at"] == "2026-11-27T13:50:00.000000Z"


def test_set_status_is_case_insensitive(db_path: Path) -> None:
    """`set status RESOLVED` works like `--severity sev1` does: case does not matter."""
    new_incident()
    assert main(["set", "status", "RESOLVED"]) == 0
    assert query(db_path, "SELECT status FROM incidents")[0]["status"] == "resolved"


def test_set_title_cannot_blank_it(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """`new` refuses an empty title, so `set title ''` must too, and keep the old one."""
    new_incident("Checkout down")
    code, _err = fail(capsys, "set", "title", "")
    assert code == 2
    assert query(db_path, "SELECT title FROM incidents")[0]["title"] == "Checkout down"


# -- list and show --------------------------------------------------------------------------


def test_list_open_and_json(db_path: Path) -> None:
    """`list` shows every incident, `--open` hides resolved ones, `--json` is parseable with counts."""
    db_path.touch()  # an empty library (`list` refuses a database that is not there at all)
    assert run("list").stdout.startswith("no incidents yet")
    first = new_incident("first")
    run("log", "one event")
    run("action", "add", "late", "--deadline", "2026-11-01")
    second = new_incident("second")
    run("set", "status", "resolved", "-i", second)
    lines = run("list").stdout.splitlines()
    assert lines[0].split()[0] == "ID"
    assert {line.split()[0] for line in lines[1:]} == {first, second}
    assert "(1!)" in next(line for line in lines if line.startswith(first))
    open_lines = run("list", "--open").stdout.splitlines()[1:]
    assert [line.split()[0] for line in open_lines] == [first]
    data = {d["incident"]["id"]: d for d in json.loads(run("list", "--json").stdout)}
    assert (data[first]["events"], data[first]["open_actions"], data[first]["overdue_actions"]) == (1, 1, 1)
    assert data[second]["incident"]["status"] == "resolved"


def test_show_overview() -> None:
    """`show` has the header, key times, the timeline, factors and action items."""
    inc = new_incident("Checkout down", "--severity", "SEV2", "--owner", "ana")
    run("log", "alert fired", "--at", "13:55", "--milestone", "detected", "--team", "sre")
    run("cause", "add", "bad config", "--kind", "root")
    run("action", "add", "add canary")
    out = run("show").stdout
    assert out.splitlines()[0].split() == [inc, "SEV2", "investigating", "Checkout", "down"]
    assert "owner: ana" in out
    assert "detected:  2026-11-27 13:55:00" in out
    assert "mitigated: —" in out
    assert "alert fired @sre" in out
    assert "bad config" in out and "add canary" in out
    assert run("show", inc).stdout == out


def test_show_key_times_relative_to_start() -> None:
    """A key time after the start is shown with how long after it came."""
    new_incident("x", "--started", "13:00")
    run("log", "alert", "--at", "13:25", "--milestone", "detected")
    assert "detected:  2026-11-27 13:25:00  (+25 min)" in run("show").stdout


def test_show_key_time_before_start_has_a_readable_sign() -> None:
    """Detection logged five minutes before the recorded start says so in words, never '-5 min' or '+-5 min'."""
    new_incident()
    run("log", "alert", "--at", "13:55", "--milestone", "detected")
    out = run("show").stdout
    assert "+-" not in out and "-5 min" not in out
    assert "detected:  2026-11-27 13:55:00  (5 min before start)" in out


# -- event ----------------------------------------------------------------------------------


def test_event_list_edit_delete_restore_history(db_path: Path) -> None:
    """Events can be listed with ids, corrected, deleted, brought back, and their history read."""
    new_incident()
    run("log", "db primary down", "--at", "13:50")
    run("log", "failover started")
    lines = run("event", "list").stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["1", "2"]
    assert "db primary down" in lines[0]

    run(
        "event",
        "edit",
        "1",
        "--text",
        "db replica down",
        "--at",
        "13:45",
        "--kind",
        "detection",
        "--team",
        "dba",
        "--star",
    )
    row = query(db_path, "SELECT * FROM events WHERE id=1")[0]
    assert (row["text"], row["occurred_at"], row["kind"], row["team"], row["starred"]) == (
        "db replica down",
        "2026-11-27T13:45:00.000000Z",
        "detection",
        "dba",
        1,
    )
    assert run("event", "list").stdout.splitlines()[0].split()[1] == "*"

    history = run("event", "history", "1").stdout.splitlines()
    assert "db primary down" in history[0] and history[-1].startswith("now:") and "db replica down" in history[-1]

    run("event", "delete", "2")
    assert [line.split()[0] for line in run("event", "list").stdout.splitlines()] == ["1"]
    with_deleted = run("event", "list", "--deleted").stdout.splitlines()
    assert with_deleted[1].split()[:2] == ["2", "x"]
    run("event", "restore", "2")
    assert [line.split()[0] for line in run("event", "list").stdout.splitlines()] == ["1", "2"]


def test_event_edit_milestone_none(db_path: Path) -> None:
    """`--milestone none` takes a milestone off an event, and the key time goes with it."""
    new_incident()
    run("log", "detected", "--milestone", "detected")
    run("event", "edit", "1", "--milestone", "none")
    assert query(db_path, "SELECT milestone FROM events")[0]["milestone"] is None
    assert "detected:  —" in run("show").stdout


def test_event_history_uses_display_zone() -> None:
    """`event history --tz Europe/Berlin` shows times the way `event list` does, in Berlin time."""
    new_incident()
    run("log", "first", "--at", "2026-11-27T13:00:00Z")
    run("event", "edit", "1", "--text", "second")
    out = run("--tz", "Europe/Berlin", "event", "history", "1").stdout
    assert "14:00:00" in out
    assert "13:00:00" not in out


def test_event_history_is_terminal_safe() -> None:
    """History, like every other listing, never passes a terminal escape through."""
    new_incident()
    run("log", "\x1b]0;owned\x07 first")
    run("event", "edit", "1", "--text", "second\nline")
    out = run("event", "history", "1", color=True).stdout
    assert "\x1b" not in out
    assert len(out.splitlines()) == 2


# -- display zone ---------------------------------------------------------------------------


def test_tz_changes_display_only(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--tz (or WARROOM_TZ) shows and reads times in that zone; the stored UTC time never moves."""
    new_incident()
    run("log", "at two UTC", "--at", "2026-11-27T14:00:00Z")
    assert "2026-11-27 14:00:00" in run("event", "list").stdout
    assert "2026-11-27 15:00:00" in run("--tz", "Europe/Berlin", "event", "list").stdout
    monkeypatch.setenv("WARROOM_TZ", "America/New_York")
    assert "2026-11-27 09:00:00" in run("event", "list").stdout
    monkeypatch.delenv("WARROOM_TZ")
    assert query(db_path, "SELECT occurred_at FROM events")[0]["occurred_at"] == "2026-11-27T14:00:00.000000Z"
    run("--tz", "Europe/Berlin", "log", "half past two UTC", "--at", "14:30")
    assert query(db_path, "SELECT occurred_at FROM events WHERE id=2")[0]["occurred_at"] == (
        "2026-11-27T13:30:00.000000Z"
    )


def test_list_and_action_list_agree_on_overdue_in_display_zone() -> None:
    """In Auckland it is already 28 November, so an item due on the 27th is overdue in both views."""
    new_incident()
    run("action", "add", "due on the 27th", "--deadline", "2026-11-27")
    assert "OVERDUE" in run("--tz", "Pacific/Auckland", "action", "list").stdout
    assert "(1!)" in run("--tz", "Pacific/Auckland", "list").stdout


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["25:99", "tomorrowish", "12:60"])
def test_bad_time_is_usage_error(capsys: pytest.CaptureFixture[str], db_path: Path, bad: str) -> None:
    """A bad --at is exit 2 with one line naming it; nothing is logged."""
    new_incident()
    code, err = fail(capsys, "log", "x", "--at", bad)
    assert code == 2 and bad in err
    assert query(db_path, "SELECT COUNT(*) AS n FROM events")[0]["n"] == 0


def test_far_off_time_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A time beyond what a datetime holds is bad input too: exit 2, one line."""
    new_incident()
    code, _err = fail(capsys, "log", "x", "--at", "-1000000000d")
    assert code == 2


def test_unknown_incident(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown -i is exit 1 with a line naming it."""
    new_incident()
    code, err = fail(capsys, "log", "x", "-i", "INC-1999-0001")
    assert code == 1 and "INC-1999-0001" in err


def test_no_incident_yet(capsys: pytest.CaptureFixture[str]) -> None:
    """With no incident at all, `log` says how to start one."""
    code, err = fail(capsys, "log", "first words")
    assert code == 1 and "warroom new" in err


def test_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt command is a usage error."""
    code, err = fail(capsys, "lgo", "x")
    assert code == 2 and "lgo" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "x", "--kind", "banana"],
        ["log", "x", "--colour", "red"],
        ["action", "add", "x", "--deadline", "next week"],
        ["--tz", "Mars/Olympus", "list"],
        ["new", "dup", "--id", "INC-A"],
    ],
)
def test_other_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """Bad choices, options, dates, zones and duplicate ids are one line and exit 2."""
    new_incident("first", "--id", "INC-A")
    code, _err = fail(capsys, *argv)
    assert code == 2


def test_missing_action_item(capsys: pytest.CaptureFixture[str]) -> None:
    """`action done 9` without item 9 is exit 1 and says which."""
    new_incident()
    code, err = fail(capsys, "action", "done", "9")
    assert code == 1 and "9" in err


def test_non_sqlite_db_is_refused_untouched(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--db pointing at a text file is exit 1 and the file is not modified."""
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello\n")
    code, err = fail(capsys, "--db", str(path), "log", "x")
    assert code == 1 and "not an SQLite file" in err
    assert path.read_bytes() == b"hello\n"


def test_newer_schema_is_refused_untouched(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    """A database from a newer warroom is exit 1 with a message saying so, and left as it was."""
    new_incident()
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
        conn.commit()
    before = db_path.read_bytes()
    code, err = fail(capsys, "list")
    assert code == 1 and "newer" in err
    assert db_path.read_bytes() == before


def test_foreign_sqlite_file_with_user_version(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Another program's SQLite file that sets user_version is refused in one line, not a traceback."""
    path = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("PRAGMA user_version=1")
        conn.commit()
    code, _err = fail(capsys, "--db", str(path), "list")
    assert code == 1


@pytest.mark.skip(reason="`warroom export` is covered by tests/test_export.py")
def test_export() -> None:
    """Export is tested where its owner keeps its tests."""


# -- the installed command ------------------------------------------------------------------


def test_console_script_writes_to_the_file(tmp_path: Path) -> None:
    """The installed `warroom` creates an incident and logs an event into the given file."""
    db = tmp_path / "sub" / "w.db"
    script = str(warroom_script())
    made = subprocess.run(
        [script, "--db", str(db), "new", "Real process"], capture_output=True, text=True, env=clean_env(), timeout=120
    )
    assert made.returncode == 0, made.stderr
    inc = made.stdout.strip()
    logged = subprocess.run(
        [script, "--db", str(db), "log", "from a real process", "-i", inc],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )
    assert logged.returncode == 0, logged.stderr
    rows = query(db, "SELECT incident_id, text, source FROM events")
    assert rows == [{"incident_id": inc, "text": "from a real process", "source": "cli"}]


def test_console_script_error_is_one_line(tmp_path: Path) -> None:
    """A real process with a bad time prints one line on stderr and exits 2."""
    db = tmp_path / "w.db"
    script = str(warroom_script())
    subprocess.run([script, "--db", str(db), "new", "x"], check=True, capture_output=True, env=clean_env(), timeout=120)
    bad = subprocess.run(
        [script, "--db", str(db), "log", "x", "--at", "25:99"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("warroom:") and bad.stderr.count("\n") == 1


def test_cli_module_does_not_import_textual_or_markdown() -> None:
    """Importing the CLI (what every alert hook pays for) loads neither Textual nor markdown-it."""
    code = (
        "import json, sys, warroom.tui.cli; "
        "print(json.dumps({m: m in sys.modules for m in ('textual', 'markdown_it')}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=clean_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"textual": False, "markdown_it": False}
