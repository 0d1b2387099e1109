"""Snapshots at 80x24 and 120x40 of the update clock and roles in the header, the catch-up and the update dialog.

After a deliberate visual change: `pytest tests/test_snapshots_comms.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.test_snapshots import NOW, SIZES, fixed_clock, keys
from warroom.store.comms import log_update
from warroom.store.roles import set_role
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app

LIVE_ID = "INC-LIVE-0007"


def live_app(folder: Path, *, overdue: bool) -> WarroomApp:
    """The app on an open SEV1 incident 50 minutes in, with roles, hypotheses, actions and (or not) an update."""
    path = folder / "live.db"
    store = Store(path, clock=fixed_clock)
    start = NOW - dt.timedelta(minutes=50)
    store.create_incident(
        "Checkout failing: payments DB out of connections", id=LIVE_ID, severity="SEV1", started_at=start
    )
    store.update_incident(LIVE_ID, customers_affected="EU card checkouts fail (~18%)", business_impact="~400 orders/h")
    entries = [
        (2, "Checkout error rate alert fired", "detection", "sre"),
        (6, "Maybe the payments-api v2.31 deploy?", "hypothesis", "payments"),
        (12, "Nightly batch job holds 400 connections [bold]?[/bold]", "hypothesis", "dba"),
        (15, "Pause the batch scheduler", "decision", "dba"),
        (18, "Kill the batch job's sessions", "action", "dba"),
        (24, "Raise the pool limit on the primary", "action", "dba"),
    ]
    for minutes, text, kind, team in entries:
        at = start + dt.timedelta(minutes=minutes)
        store.log_event(LIVE_ID, text, occurred_at=at, logged_at=at, kind=kind, team=team, source="tui")
    set_role(store, LIVE_ID, "ic", "alex")
    set_role(store, LIVE_ID, "comms", "priya")
    if not overdue:
        log_update(store, LIVE_ID, "Stakeholder update: we are rolling back; next update in 30 minutes")
    store.close()
    return create_app(path, clock=fixed_clock, incident_id=LIVE_ID)


@pytest.mark.parametrize("size", SIZES)
def test_header_with_roles_and_an_overdue_update(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The header warns that the update is overdue and shows who holds each role."""
    assert snap_compare(live_app(tmp_path, overdue=True), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_catchup_screen(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """F2: the state of the incident for someone joining, on one screen."""
    assert snap_compare(live_app(tmp_path, overdue=False), terminal_size=size, run_before=keys("f2"))


@pytest.mark.parametrize("size", SIZES)
def test_update_dialog(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """/update: the drafted stakeholder update, open for editing."""
    typed = [*"/update", "enter"]
    assert snap_compare(live_app(tmp_path, overdue=True), terminal_size=size, run_before=keys(*typed))
