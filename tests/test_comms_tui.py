"""Stakeholder updates, the catch-up screen and roles in the TUI, driven with the pilot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import FakeClock
from tests.tui_helpers import run_async, screen_text, submit, wait_for_status, wait_until
from warroom.store.comms import last_update
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app
from warroom.tui.screens.catchup import CatchUpScreen
from warroom.tui.screens.incident import IncidentScreen
from warroom.tui.screens.update import UpdateDialog
from warroom.widgets.incident_header import IncidentHeader

INC = "INC-1"
SIZE = (100, 30)


@pytest.fixture
def incident(store: Store, clock: FakeClock) -> str:
    """A SEV1 incident that started 20 minutes before the fake clock's 14:00 UTC."""
    started = clock() - dt.timedelta(minutes=20)
    return store.create_incident("Checkout failing", id=INC, severity="SEV1", started_at=started).id


def make_app(db_path: Path, clock: FakeClock) -> WarroomApp:
    """The app as the CLI builds it, on this test's database and clock."""
    return create_app(db_path, clock=clock)


def header_text(app: WarroomApp) -> str:
    """What the incident header shows."""
    header = app.screen.query_one(IncidentHeader)
    return "\n".join(strip.text for strip in header.render_lines(header.region.reset_offset))


@run_async
async def test_header_counts_down_to_the_next_update_and_warns_when_overdue(
    db_path: Path, clock: FakeClock, incident: str
) -> None:
    """10 minutes left at first; 15 minutes later a loud warning."""
    app = make_app(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "next update in 10 min" in header_text(app), "the countdown")
        clock.advance(minutes=15)
        await wait_until(pilot, lambda: "⚠ UPDATE OVERDUE BY 5 MIN" in header_text(app), "the overdue warning")
        # At 80 columns the warning is on screen in full, not cut off.
        line = next(line for line in header_text(app).splitlines() if "OVERDUE" in line)
        assert len(line.rstrip()) <= 80


@run_async
async def test_update_opens_the_draft_and_sending_logs_it(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """/update, edit, ctrl+s: a comms event with the edited text; the header counts from it."""
    store.log_event(INC, "Roll back payments-api", kind="action")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "/update")
        await wait_until(pilot, lambda: isinstance(app.screen, UpdateDialog), "the update dialog")
        assert "- Roll back payments-api" in screen_text(app)
        await pilot.press("enter", *"Bridge: [link=x]meet[/link]")
        await pilot.press("ctrl+s")
        await wait_for_status(pilot, "stakeholder update logged")
        sent = last_update(store, INC)
        assert sent is not None and sent.kind.value == "comms" and sent.source.value == "tui"
        assert sent.text.startswith("Stakeholder update: Checkout failing (INC-1)")
        assert sent.text.endswith("Bridge: [link=x]meet[/link]")
        await wait_until(pilot, lambda: "next update in 30 min" in header_text(app), "the clock to restart")


@run_async
async def test_send_and_copy_puts_the_update_on_the_clipboard(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """ctrl+k logs it and copies the same text."""
    app = make_app(db_path, clock)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "/update")
        await wait_until(pilot, lambda: isinstance(app.screen, UpdateDialog), "the update dialog")
        await pilot.press("ctrl+k")
        await wait_for_status(pilot, "copied to the clipboard")
        sent = last_update(store, INC)
        assert sent is not None and copied == [sent.text]


@run_async
async def test_escape_drops_the_update_and_an_empty_one_is_refused(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """Nothing is logged unless the user sends something."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "/update")
        await wait_until(pilot, lambda: isinstance(app.screen, UpdateDialog), "the update dialog")
        app.screen.query_one("#update-text").text = "   "  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, UpdateDialog) and "the update is empty" in screen_text(app)
        await pilot.press("escape")
        await wait_for_status(pilot, "stakeholder update dropped")
        assert store.count_events(INC) == 0


@run_async
async def test_role_shows_in_the_header_and_a_handover_is_logged_and_undone(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """/role ic alex, /role ic sam: header says IC sam, the timeline has the handover; ctrl+z puts both back."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert "IC " not in header_text(app)
        await submit(pilot, "/role ic alex")
        await wait_for_status(pilot, "incident commander: alex")
        await wait_until(pilot, lambda: "IC alex · scribe — · comms —" in header_text(app), "the roles line")
        await submit(pilot, "/role ic sam")
        await wait_for_status(pilot, "handover logged")
        assert [e.text for e in store.events(INC)] == ["Handover: incident commander alex → sam"]
        await wait_until(pilot, lambda: "IC sam" in header_text(app), "the new commander")
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: store.incident(INC).commander == "alex", "the undo")
        assert store.events(INC) == []


@run_async
async def test_a_bad_role_is_refused_in_one_line_and_kept_in_the_entry(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """The typed line stays so it can be corrected."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "/role boss alex")
        await wait_for_status(pilot, "unknown role 'boss': use ic, scribe or comms")
        assert app.screen.query_one("#entry").value == "/role boss alex"  # type: ignore[attr-defined]
        assert store.incident(INC).commander == ""


@pytest.mark.parametrize("how", ["f2", "/catchup"])
def test_catchup_opens_from_a_key_and_a_command(
    db_path: Path, clock: FakeClock, store: Store, incident: str, how: str
) -> None:
    """F2 or /catchup shows roles, hypotheses and the update clock; Escape goes back."""
    store.update_incident(INC, commander="alex")
    store.log_event(INC, "Batch job holds the connections [b]?[/b]", kind="hypothesis")

    @run_async
    async def check() -> None:
        app = make_app(db_path, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            if how == "f2":
                await pilot.press("f2")
            else:
                await submit(pilot, how)
            await wait_until(pilot, lambda: isinstance(app.screen, CatchUpScreen), "the catch-up")
            await pilot.pause()
            text = screen_text(app)
            assert "IC alex · scribe — · comms —" in text
            assert "14:00 Batch job holds the connections [b]?[/b]" in text
            assert "next update in 10 min" in text
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident screen")

    check()


@run_async
async def test_catchup_u_drafts_an_update(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """From the catch-up, u opens the update dialog over the incident screen."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, CatchUpScreen), "the catch-up")
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, UpdateDialog), "the update dialog")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: last_update(store, INC) is not None, "the update to be logged")


@run_async
async def test_keys_typed_in_a_burst_after_update_are_not_lost(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """ "/update", Enter and more keys faster than the screen keeps up: the dialog opens and the keys are kept.

    They reach the entry line, which had the focus when they arrived, and stay there (saved as its draft).
    """
    from textual import events

    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        for key in [*"/update", "enter", *"zz"]:
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await wait_until(pilot, lambda: isinstance(app.screen, UpdateDialog), "the update dialog")
        await pilot.pause()
        in_dialog = app.screen.query_one("#update-text").text  # type: ignore[attr-defined]
        in_entry = app.screen_stack[0].query_one("#entry").value  # type: ignore[attr-defined]
        assert "zz" in in_dialog + in_entry
        await pilot.press("escape")
        assert store.count_events(INC) == 0
