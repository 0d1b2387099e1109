"""Hints in the TUI name what to type or press in the TUI, never a shell command."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FakeClock
from tests.edge_support import INC
from tests.tui_helpers import entry, run_async, status_text, submit, wait_until
from warroom.store.store import Store
from warroom.tui.app import create_app


@run_async
async def test_a_failed_confirm_names_what_to_type_here(db_path: Path, clock: FakeClock) -> None:
    """`/confirm 9 because ...` with no hypothesis #9: the hint points at the timeline's #N, not `warroom ...`."""
    Store(db_path, clock=clock).create_incident("Checkout failing", id=INC)
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await submit(pilot, "/confirm 9 because the graph says so")
        await wait_until(pilot, lambda: "#9" in status_text(app), "the failure")
        said = status_text(app)
        assert "warroom " not in said, said
        assert "/confirm N because" in said, said
        entry(app).value = ""  # the failed entry was put back in the line
        await submit(pilot, "/confirm 9")
        await wait_until(pilot, lambda: "needs" in status_text(app) or "say why" in status_text(app), status_text(app))
        assert "warroom " not in status_text(app), status_text(app)
        entry(app).value = ""
        await submit(pilot, "/confirm 99999999999999999999 because the graph says so")
        await wait_until(pilot, lambda: "needs the hypothesis's number" in status_text(app), status_text(app))
        assert "SQLite" not in status_text(app)


@run_async
async def test_confirming_a_settled_hypothesis_says_how_it_reopens(db_path: Path, clock: FakeClock) -> None:
    """Settled before this session: the hint is ctrl+z or the whole shell command, not a bare `hypothesis reopen 1`
    that, typed in the entry line, would only be logged as a note."""
    from warroom.store.hypotheses import parse_status, settle

    store = Store(db_path, clock=clock)
    store.create_incident("Checkout failing", id=INC)
    event = store.log_event(INC, "cache stampede?", kind="hypothesis")
    settle(store, INC, event.id, parse_status("confirm"), "hit rate fell")
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await submit(pilot, f"/rule-out {event.id} because it was not")
        await wait_until(pilot, lambda: "already confirmed" in status_text(app), "the failure")
        said = " ".join(status_text(app).split())
        assert "`hypothesis reopen" not in said, said
        hint = "ctrl+z reopens it if it was settled in this session; else, in a shell:"
        assert f"{hint} warroom hypothesis reopen {event.id} -i {INC}" in said, said
