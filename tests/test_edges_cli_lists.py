"""Listings with filters that match nothing say so, and keep "no incidents yet" for an empty library."""

from __future__ import annotations

from pathlib import Path

from tests.edge_support import INC, run, seeded

EMPTY = "no incidents yet: start one with `warroom new TITLE`\n"


def test_empty_library_says_no_incidents_yet_filtered_or_not(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    db.touch()
    assert run(db, "list").ok() == EMPTY
    assert run(db, "list", "--open").ok() == EMPTY
    assert run(db, "stats").ok() == EMPTY


def test_filter_matching_no_incident_says_so(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    run(db, "set", "status", "resolved", "-i", INC).ok()
    matches = "no incident matches: `warroom list` without filters shows all 1\n"
    assert run(db, "list", "--open").ok() == matches
    assert run(db, "list", "--severity", "1").ok() == matches
    assert run(db, "list", "--since", "2030-01-01").ok() == matches
    assert run(db, "list", "--open", "--json").ok() == "[]\n"
    assert INC in run(db, "list").ok()


def test_stats_for_dates_with_no_incident_says_so(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    assert run(db, "stats", "--since", "2030-01-01").ok() == "no incident matches\n"


def test_action_filters_matching_nothing_say_so(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    assert run(db, "action", "list", "-i", INC).ok() == "no action items\n"
    assert run(db, "action", "list", "-i", INC, "--overdue").ok() == "no action items\n"
    run(db, "action", "add", "Add pool alerts", "-i", INC, "--owner", "sam", "--deadline", "2099-01-01").ok()
    matches = "no action item matches: `warroom action list` without --overdue or --owner shows them all\n"
    assert run(db, "action", "list", "-i", INC, "--overdue").ok() == matches
    assert run(db, "action", "list", "-i", INC, "--owner", "alex").ok() == matches
    assert run(db, "action", "list", "--all-incidents", "--owner", "alex").ok() == matches
    assert "Add pool alerts" in run(db, "action", "list", "-i", INC, "--owner", "sam").ok()
