"""`warroom update`, `warroom catchup`, `warroom role` and roles in `warroom show`, run as the installed command."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_exit_status import run


def incident(db: Path) -> str:
    """A SEV1 incident that started 40 minutes ago, with an action and a hypothesis."""
    inc = run(db, "new", "Checkout <b>[bold]down[/]", "--severity", "SEV1", "--started", "-40m").stdout.strip()
    assert run(db, "log", "Rolling back", "--kind", "action").returncode == 0
    assert run(db, "log", "Maybe the deploy", "--kind", "hypothesis").returncode == 0
    return inc


def test_update_prints_the_draft_and_logs_nothing(tmp_path: Path) -> None:
    """Without --log it only prints; the timeline is unchanged."""
    db = tmp_path / "w.db"
    inc = incident(db)
    result = run(db, "update")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Stakeholder update: Checkout <b>[bold]down[/] ({inc})\n")
    assert "- Rolling back" in result.stdout and "Next update: by " in result.stdout
    assert "Stakeholder update" not in run(db, "show").stdout


def test_update_log_logs_it_and_restarts_the_clock(tmp_path: Path) -> None:
    """--log logs the draft as a comms event; the catch-up then says the next one is 30 minutes away."""
    db = tmp_path / "w.db"
    incident(db)
    before = json.loads(run(db, "catchup", "--json").stdout)
    assert before["update_overdue"] is True and before["last_update"] is None
    result = run(db, "update", "--log")
    assert result.returncode == 0, result.stderr
    assert "logged stakeholder update as event 3" in result.stdout and "next update in 30 min" in result.stdout
    after = json.loads(run(db, "catchup", "--json").stdout)
    assert after["update_overdue"] is False
    assert after["last_update"]["text"].startswith("Stakeholder update: Checkout")


def test_role_logs_a_handover_and_show_lists_the_roles(tmp_path: Path) -> None:
    """`warroom role` and `warroom set commander` both log a handover from someone else."""
    db = tmp_path / "w.db"
    incident(db)
    assert run(db, "role", "ic", "alex").returncode == 0
    handed = run(db, "set", "commander", "sam")
    assert handed.returncode == 0 and "handover from alex logged" in handed.stdout
    assert run(db, "role", "comms", "@priya").returncode == 0
    shown = run(db, "show").stdout
    assert "roles: IC sam · scribe — · comms priya" in shown
    assert "Handover: incident commander alex → sam" in shown
    text = run(db, "catchup").stdout
    assert "IC sam · scribe — · comms priya" in text and "Open hypotheses (1)" in text


def test_bad_role_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """An unknown role is a usage error: one line, exit status 2, nothing changed."""
    db = tmp_path / "w.db"
    incident(db)
    result = run(db, "role", "boss", "alex")
    assert result.returncode == 2
    assert result.stderr == "warroom: unknown role 'boss': use ic, scribe or comms\n"
    assert "roles: IC — · scribe — · comms —" in run(db, "show").stdout


def test_without_an_incident_the_commands_exit_1(tmp_path: Path) -> None:
    """No incident yet: one line, exit status 1, for each new command."""
    db = tmp_path / "w.db"
    db.touch()  # a library with no incident (`update` and `catchup` refuse a database that is not there)
    for args in (("update",), ("update", "--log"), ("catchup",), ("catchup", "--json"), ("role", "ic", "alex")):
        result = run(db, *args)
        assert result.returncode == 1 and result.stderr.startswith("warroom: no open incident"), args


def test_role_output_never_sends_control_characters_to_the_terminal(tmp_path: Path) -> None:
    """A name with an escape sequence is kept as given but printed as visible symbols."""
    db = tmp_path / "w.db"
    incident(db)
    assert run(db, "role", "ic", "ev\x1b[31mil").returncode == 0
    handed = run(db, "role", "ic", "sam")
    assert handed.returncode == 0 and "handover from ev␛[31mil logged" in handed.stdout
    for result in (handed, run(db, "set", "commander", "ev\x1b[31mil"), run(db, "show"), run(db, "catchup")):
        assert result.returncode == 0 and "\x1b" not in result.stdout
