"""Key times from the command line behave as in the TUI: a resolved milestone resolves the incident, a set
key time moves the milestone event that decides it, and `set resolved -2h` is a time, not a cry for help.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.edge_support import INC, rows, run, seeded
from tests.process_support import clean_env, warroom_process

STATUS = "SELECT status FROM incidents WHERE id=?"


def key_time(db: Path, name: str) -> str:
    """The key time `show` prints for `name`."""
    line = next(r for r in run(db, "show", INC).ok().splitlines() if r.startswith(f"{name}:"))
    return line.split(None, 1)[1]


def test_log_resolved_milestone_resolves_the_incident_as_the_tui_does(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    out = run(db, "log", "rolled back", "-i", INC, "--at", "2026-11-27T15:00Z", "--milestone", "resolved").ok()
    assert out == f"logged event 2 at 2026-11-27 15:00:00 in {INC} · status resolved\n"
    assert rows(db, STATUS, (INC,)) == [("resolved",)]
    assert key_time(db, "resolved").startswith("2026-11-27 15:00:00")


def test_log_resolved_milestone_from_standard_input_resolves_once(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    done = run(db, "log", "-", "-i", INC, "--milestone", "resolved", stdin="fixed\nconfirmed\n")
    done.ok()
    assert done.err.endswith(f"logged 2 events in {INC} · status resolved\n")
    assert rows(db, STATUS, (INC,)) == [("resolved",)]


def test_resolved_milestone_leaves_a_closed_incident_closed(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    run(db, "set", "status", "closed", "-i", INC).ok()
    out = run(db, "log", "late note", "-i", INC, "--milestone", "resolved").ok()
    assert "status resolved" not in out and rows(db, STATUS, (INC,)) == [("closed",)]


@pytest.mark.parametrize("milestone", ["detected", "mitigated"])
def test_other_milestones_set_their_key_time_and_leave_the_status(tmp_path: Path, milestone: str) -> None:
    db = seeded(tmp_path / "w.db")
    out = run(db, "log", "seen", "-i", INC, "--at", "2026-11-27T14:10Z", "--milestone", milestone).ok()
    assert "status" not in out
    assert key_time(db, milestone).startswith("2026-11-27 14:10:00")
    assert rows(db, STATUS, (INC,)) == [("investigating",)]


def test_event_before_the_start_says_how_to_move_the_start(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    done = run(db, "log", "first alert", "-i", INC, "--at", "2026-11-27T13:30Z", "--milestone", "detected")
    done.ok()
    assert done.err == (
        "note: 30 min before the incident's start: `warroom set started 2026-11-27T13:30:00 -i INC-1` moves the start\n"
    )
    run(db, "set", "started", "2026-11-27T13:30:00", "-i", INC).ok()
    assert key_time(db, "detected") == "2026-11-27 13:30:00  (+0 s)"


def test_set_resolved_moves_the_milestone_event_that_decides_it(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    run(db, "log", "rolled back", "-i", INC, "--at", "2026-11-27T15:00Z", "--milestone", "resolved").ok()
    out = run(db, "set", "resolved", "2026-11-27T14:45Z", "-i", INC).ok()
    assert out == f"{INC}: resolved set (event 2 moved)\n"
    assert key_time(db, "resolved").startswith("2026-11-27 14:45:00")
    line = run(db, "set", "resolved", "", "-i", INC).one_line(2)
    assert line == "warroom: the resolved time comes from event 2; delete that event to clear it"


def test_set_resolved_resolves_an_open_incident(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    assert run(db, "set", "resolved", "2026-11-27T15:00Z", "-i", INC).ok() == f"{INC}: resolved set · status resolved\n"
    assert rows(db, STATUS, (INC,)) == [("resolved",)]


def test_set_a_key_time_to_a_relative_time_ending_in_h(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    done = run(db, "set", "detected", "-2h", "-i", INC)
    assert done.ok() == f"{INC}: detected set\n" and "Usage" not in done.out
    assert key_time(db, "detected") != "—"


def test_set_resolved_past_a_second_resolved_milestone_is_refused_not_half_done(tmp_path: Path) -> None:
    """Two resolved milestones (resolved, then resolved again): moving the first past the second would leave the
    second deciding, so `set` would say "set" and show another time. It is refused instead, nothing moved."""
    db = seeded(tmp_path / "w.db")
    run(db, "log", "fixed", "-i", INC, "--at", "2026-11-27T15:00Z", "--milestone", "resolved").ok()
    run(db, "log", "fixed again", "-i", INC, "--at", "2026-11-27T16:00Z", "--milestone", "resolved").ok()
    line = run(db, "set", "resolved", "2026-11-27T17:00Z", "-i", INC).one_line(2)
    assert line == (
        "warroom: the resolved time would still come from event 3, an earlier resolved milestone;"
        " edit or delete that event first"
    )
    assert key_time(db, "resolved").startswith("2026-11-27 15:00:00")
    assert rows(db, "SELECT id, occurred_at FROM events WHERE milestone='resolved' ORDER BY id") == [
        (2, "2026-11-27T15:00:00.000000Z"),
        (3, "2026-11-27T16:00:00.000000Z"),
    ]
    run(db, "set", "resolved", "2026-11-27T15:30Z", "-i", INC).ok()
    assert key_time(db, "resolved").startswith("2026-11-27 15:30:00")


def test_before_start_note_names_the_later_of_two_equal_wall_times_with_its_offset(tmp_path: Path) -> None:
    """02:10 happens twice on 2026-10-25 in Berlin: the note's command carries the offset, so running it moves the
    start to the event, not to the other 02:10 an hour earlier."""
    db = tmp_path / "w.db"
    run(db, "new", "Clocks went back", "--id", INC, "--started", "2026-10-25T02:50+01:00", tz="Europe/Berlin").ok()
    done = run(db, "log", "paged", "-i", INC, "--at", "2026-10-25T02:10+01:00", tz="Europe/Berlin")
    done.ok()
    command = f"warroom set started 2026-10-25T02:10:00+01:00 -i {INC}"
    assert done.err == f"note: 40 min before the incident's start: `{command}` moves the start\n"
    run(db, *command.split()[1:], tz="Europe/Berlin").ok()
    assert rows(db, "SELECT started_at FROM incidents") == [("2026-10-25T01:10:00.000000Z",)]


def test_before_start_note_in_the_tui_carries_the_offset_of_a_repeated_wall_time(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    from warroom.store.store import Store
    from warroom.tui.jobs import before_start_note

    store = Store(tmp_path / "w.db")
    store.create_incident("Clocks went back", id=INC, started_at=dt.datetime(2026, 10, 25, 1, 50, tzinfo=dt.UTC))
    note = before_start_note(store, INC, dt.datetime(2026, 10, 25, 1, 10, tzinfo=dt.UTC), ZoneInfo("Europe/Berlin"))
    assert note == "40 min before the incident's start: /started 2026-10-25T02:10:00+01:00 moves the start"


def test_set_takes_a_value_starting_with_a_dash_whole(tmp_path: Path) -> None:
    """A Markdown bullet or a negative figure is text: "- fixed it" is not a cluster of short options whose `i`
    swallows the rest (which kept "- f" as the summary, or looked for incident "xed it")."""
    db = seeded(tmp_path / "w.db")
    (tmp_path / "config.toml").write_text('[[sections]]\ntitle = "Detection"\n')
    run(db, "new", "Other", "--id", "INC-2").ok()
    assert run(db, "set", "summary", "- fixed it", "-i", INC).ok() == f"{INC}: summary set\n"
    run(db, "set", "customers", "-5% of checkouts", "--incident", INC).ok()
    run(db, "set", "went-wrong", "- pool -i INC-2", "-i", INC).ok()
    assert rows(db, "SELECT summary, customers_affected, went_wrong FROM incidents WHERE id=?", (INC,)) == [
        ("- fixed it", "-5% of checkouts", "- pool -i INC-2")
    ]
    env = clean_env(WARROOM_CONFIG=str(tmp_path / "config.toml"))
    done = warroom_process("--db", str(db), "set", "section", "Detection", "- alert fired", "-i", INC, env=env)
    assert done.returncode == 0, done.stderr
    assert "## Detection\n\n\\- alert fired" in run(db, "export", INC).ok()
    assert run(db, "set", "summary", "x", "-i").one_line(2).startswith("warroom: Option '-i' requires an argument.")
    assert rows(db, "SELECT summary FROM incidents WHERE id='INC-2'") == [("",)]


def test_a_killed_resolved_pipe_leaves_the_incident_resolved_with_its_first_line(tmp_path: Path) -> None:
    """`log - --milestone resolved` killed while it waits for more: the lines it stored set the resolved time,
    so the incident is resolved with them, not left open with a resolved time."""
    import signal
    import subprocess
    import time

    from tests.process_support import script

    db = seeded(tmp_path / "w.db")
    feeder = subprocess.Popen(
        [script(), "--db", str(db), "log", "-", "-i", INC, "--milestone", "resolved"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=clean_env(WARROOM_TZ="UTC"),
    )
    assert feeder.stdin is not None
    feeder.stdin.write(b"error rate back to normal\n")
    feeder.stdin.flush()
    deadline = time.monotonic() + 60
    while not rows(db, "SELECT id FROM events WHERE milestone='resolved'") and time.monotonic() < deadline:
        time.sleep(0.05)
    feeder.send_signal(signal.SIGTERM)
    feeder.wait(timeout=60)
    assert rows(db, "SELECT text FROM events WHERE milestone='resolved'") == [("error rate back to normal",)]
    assert rows(db, STATUS, (INC,)) == [("resolved",)]
