"""The live-capture screen driven with keys: what lands in the database, what the screen shows, what it says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual import events
from textual.widgets import Input

from tests.conftest import START, FakeClock
from tests.tui_helpers import (
    app_of,
    entry,
    paste,
    run_async,
    screen_text,
    status,
    status_text,
    submit,
    timeline,
    timeline_lines,
    type_text,
    wait_for_status,
    wait_until,
)
from warroom.store.errors import WriteError
from warroom.store.store import Store
from warroom.store.timeparse import UTC
from warroom.tui.app import WarroomApp, create_app
from warroom.tui.screens.form import FormScreen
from warroom.tui.screens.help import HelpScreen
from warroom.tui.screens.incident import IncidentScreen
from warroom.tui.screens.incident_list import IncidentListScreen
from warroom.widgets.actions import ActionsPane
from warroom.widgets.event_detail import EventDetail
from warroom.widgets.factors import FactorsPane
from warroom.widgets.row_table import RowTable

INC = "INC-1"
SIZE = (100, 30)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def incident(store: Store) -> str:
    """An open incident that started at the fake clock's 14:00 UTC."""
    return store.create_incident("Checkout failing", id=INC).id


def make_app(db_path: Path, clock: FakeClock, tz: dt.tzinfo = UTC) -> WarroomApp:
    """The app as the CLI builds it, on this test's database and clock."""
    return create_app(db_path, clock=clock, tz=tz)


def minutes(n: float) -> dt.timedelta:
    """A timedelta of n minutes."""
    return dt.timedelta(minutes=n)


# -- logging events --------------------------------------------------------------------------


@run_async
async def test_entry_is_saved_with_the_first_key_time(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """Enter saves the event as happening when its first key was pressed; the line clears; the timeline shows it."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        clock.advance(seconds=40)
        await type_text(pilot, "B pool full")
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.count_events(INC) == 1, "the event to be saved")
        [event] = store.events(INC)
        assert (event.text, event.kind.value, event.source.value) == ("DB pool full", "note", "tui")
        assert event.occurred_at == START
        assert event.logged_at == START + dt.timedelta(seconds=40)
        assert entry(app).value == ""
        await wait_until(pilot, lambda: timeline(app).count == 1, "the timeline to show the event")
        assert timeline(app).current is not None and timeline(app).current.id == event.id
        assert timeline_lines(app)[0].split() == ["14:00:00", "note", "DB", "pool", "full"]
        assert "logged note" in status_text(app)


def burst(app: WarroomApp, *keys: str) -> None:
    """Keys arriving all at once, as a fast typist's do over SSH: queued before the first is handled."""
    for key in keys:
        character = key if len(key) == 1 else ("\r" if key == "enter" else None)
        app.post_message(events.Key(key, character))


@run_async
async def test_keys_in_a_burst_make_each_entry_once_in_order(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """ "alpha", Enter, "beta", Enter, typed faster than the screen keeps up, are two entries, not "alphabeta" twice."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, *"alpha", "enter", *"beta", "enter", *"gammx", "backspace", "a")
        await wait_until(pilot, lambda: store.count_events(INC) == 2, "two events")
        await pilot.pause(0.2)
        assert [e.text for e in store.events(INC)] == ["alpha", "beta"]
        assert entry(app).value == "gamma"  # Backspace took effect where it was typed, too


async def open_new_incident_form(pilot: Any) -> None:
    """ctrl+n on the incident list (an empty database starts there), and wait for the form."""
    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormScreen), "the new incident form")


async def new_incident(pilot: Any, store: Store) -> Any:
    """The one incident the form created, once it is saved."""
    await wait_until(pilot, lambda: store.list_incidents(), "the incident to be created")
    [listing] = store.list_incidents()
    return listing.incident


@run_async
async def test_tab_in_a_burst_moves_to_the_next_field_before_the_next_keys(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """Typed in one go, with a typo mended ("Checkout dwo", 2 x Backspace, "own", Tab, Tab, "alice", Enter),
    each word lands in its field as typed."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_new_incident_form(pilot)
        burst(app, *"Checkout dwo", "backspace", "backspace", *"own", "tab", "tab", *"alice", "enter")
        created = await new_incident(pilot, store)
        assert (created.title, created.owner) == ("Checkout down", "alice")


@run_async
async def test_escape_in_a_burst_hands_the_next_keys_to_the_timeline(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """Escape, k, k typed in one go: the cursor moves up two events and no "kk" lands in the entry line."""
    for n in range(4):
        store.log_event(INC, f"event {n}")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: timeline(app).count == 4, "the events")
        burst(app, "escape", "k", "k")
        await wait_until(pilot, lambda: timeline(app).cursor == 1, "the cursor to move up twice")
        assert entry(app).value == ""


@run_async
async def test_a_paste_of_several_lines_into_a_form_field_keeps_every_line(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """A title pasted over two lines (as copied from a chat) is kept whole, joined by a space; nothing is cut."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_new_incident_form(pilot)
        await paste(pilot, "Checkout failing\r\n  for EU customers\n\n")
        await pilot.press("enter")
        assert (await new_incident(pilot, store)).title == "Checkout failing for EU customers"


@run_async
async def test_clock_time_backdates_in_the_display_zone(db_path: Path, clock: FakeClock, incident: str) -> None:
    """In Europe/Berlin, '14:02 text' means 14:02 Berlin time (13:02 UTC) and the timeline shows 14:02:00."""
    app = make_app(db_path, clock, BERLIN)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "14:02 paged")
        await wait_until(pilot, lambda: timeline(app).count == 1, "the event to be saved")
        event = timeline(app).current
        assert event is not None and event.text == "paged"
        assert event.occurred_at == dt.datetime(2026, 11, 27, 13, 2, tzinfo=UTC)
        assert event.logged_at == START
        assert timeline_lines(app)[0].split()[0] == "14:02:00"
        assert "15:00:00 Europe/Berlin" in screen_text(app)


@run_async
async def test_relative_time_backdates(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """'-5m text' is saved five minutes before now, and the logged time stays the real one."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "-5m paged")
        await wait_until(pilot, lambda: store.count_events(INC) == 1, "the event to be saved")
        [event] = store.events(INC)
        assert (event.text, event.occurred_at, event.logged_at) == ("paged", START - minutes(5), START)
        await wait_until(pilot, lambda: timeline(app).count == 1, "the timeline to show the event")
        assert timeline_lines(app)[0].split()[0] == "13:55:00"


@run_async
async def test_relative_time_counts_from_the_first_key(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """'-5m' means five minutes before typing began, however long the typing took."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "-5m paged, slow typist")
        clock.advance(minutes=2)
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.count_events(INC) == 1, "the event to be saved")
        [event] = store.events(INC)
        assert (event.occurred_at, event.logged_at) == (START - minutes(5), START + minutes(2))


@pytest.mark.parametrize(
    ("line", "text", "kind", "starred", "team", "shown"),
    [
        ("? db pool", "db pool", "hypothesis", False, "", "hypothesis #1 open db pool"),
        ("= roll back", "roll back", "decision", False, "", "decision roll back"),
        ("> restart", "restart", "action", False, "", "action restart"),
        ('" posted', "posted", "comms", False, "", "comms posted"),
        ("+ alert", "alert", "detection", False, "", "detection alert"),
        ("* clue", "clue", "note", True, "", "★ note clue"),
        ("@dba pool", "pool", "note", False, "dba", "note pool @dba"),
    ],
)
@run_async
async def test_prefixes_set_kind_star_and_team(
    db_path: Path,
    clock: FakeClock,
    store: Store,
    incident: str,
    line: str,
    text: str,
    kind: str,
    starred: bool,
    team: str,
    shown: str,
) -> None:
    """Kind characters, '*' and '@team' are saved on the event and shown on its timeline row."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, line)
        await wait_until(pilot, lambda: timeline(app).count == 1, "the event to be saved")
        [event] = store.events(INC)
        assert (event.text, event.kind.value, event.starred, event.team) == (text, kind, starred, team)
        assert " ".join(timeline_lines(app)[0].split()[1:]) == shown


@run_async
async def test_milestone_sets_the_incident_time(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """'!mitigated' five minutes in sets the mitigated time and the header shows TTM 5 min."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert "TTM —" in screen_text(app)
        clock.advance(minutes=5)
        await submit(pilot, "!mitigated")
        await wait_until(pilot, lambda: store.incident(INC).mitigated_at is not None, "the milestone to be saved")
        assert store.incident(INC).mitigated_at == START + minutes(5)
        await wait_until(pilot, lambda: "TTM 5 min" in screen_text(app), "the header to show TTM")
        assert "MITIGATED" in timeline_lines(app)[0]


@run_async
async def test_ctrl_z_takes_back_the_last_entry(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """ctrl+z right after logging soft-deletes the event (it leaves the timeline); a second ctrl+z has nothing left."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "typo")
        await wait_for_status(pilot, "(ctrl+z undoes)")
        await pilot.press("ctrl+z")
        await wait_for_status(pilot, "undone")
        [event] = store.events(INC, include_deleted=True)
        assert event.text == "typo" and event.deleted_at is not None
        await wait_until(pilot, lambda: timeline(app).count == 0, "the timeline to drop it")
        assert "No events yet" in screen_text(app)
        await pilot.press("ctrl+z")
        assert "nothing to undo" in await wait_for_status(pilot, "nothing to undo")


@run_async
async def test_long_timeline_scrolls_to_what_was_logged(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """With more events than fit, a new entry shows at the bottom and a backdated one is scrolled to in the middle."""
    for i in range(40):
        store.log_event(INC, f"event {i}", occurred_at=START - minutes(60 - i))
    app = make_app(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: timeline_lines(app)[-1].endswith("event 39"), "the tail on open")
        await submit(pilot, "newest", typed=False)
        await wait_until(pilot, lambda: timeline_lines(app)[-1].endswith("newest"), "the new row at the bottom")
        await submit(pilot, "-45m middle", typed=False)
        await wait_until(pilot, lambda: timeline(app).count == 42, "the backdated event")
        view = timeline(app)
        await wait_until(pilot, lambda: view.current is not None and view.current.text == "middle", "the cursor")
        assert any(line.endswith("13:15:00   note       middle") for line in timeline_lines(app))


@run_async
async def test_detail_pane_grows_to_show_a_long_event_whole_and_shrinks_back(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """The pane under the timeline shows the highlighted event's whole text, however long, as the cursor moves."""
    long_text = "replica lag climbed " * 20 + "END-OF-TEXT"
    store.log_event(INC, long_text, occurred_at=START)
    store.log_event(INC, "short one", occurred_at=START + minutes(1))
    app = make_app(db_path, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        detail = app.screen.query_one(EventDetail)
        await wait_until(pilot, lambda: detail.event is not None and detail.event.text == "short one", "short event")
        short_height = detail.size.height
        await pilot.press("escape", "up")
        await wait_until(pilot, lambda: "END-OF-TEXT" in screen_text(app), "the end of the long text on screen")
        assert detail.event is not None and detail.event.text == long_text
        assert detail.size.height >= short_height + 3
        await pilot.press("down")
        await wait_until(pilot, lambda: detail.size.height == short_height, "the pane to shrink back")
        assert "END-OF-TEXT" not in screen_text(app)


@run_async
async def test_hidden_detail_pane_costs_no_layout_per_entry(
    db_path: Path, clock: FakeClock, store: Store, incident: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80x24 the detail pane is hidden: logging entries (each highlights its row) never lays the screen out."""
    layouts: list[bool] = []
    refresh = EventDetail.refresh

    def recorded(pane: EventDetail, *args: Any, **kwargs: Any) -> Any:
        layouts.append(bool(kwargs.get("layout")))
        return refresh(pane, *args, **kwargs)

    monkeypatch.setattr(EventDetail, "refresh", recorded)
    app = make_app(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one(EventDetail).display
        layouts.clear()
        for text in ("first", "second", "third"):
            await submit(pilot, text)
        await wait_until(pilot, lambda: store.count_events(INC) == 3, "three entries saved")
        await pilot.pause()
        assert not any(layouts)


# -- slash commands --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field", "expected", "said"),
    [
        ("/sev 1", "severity", "SEV1", "severity set to SEV1"),
        ("/status mon", "status", "monitoring", "status set"),
        ("/owner alex", "owner", "alex", "owner set"),
        ("/title DB down", "title", "DB down", "title set"),
        ("/summary Pool", "summary", "Pool", "summary set"),
        ("/commander kim", "commander", "kim", "incident commander: kim"),
        ("/scribe sam", "scribe", "sam", "scribe: sam"),
        ("/comms @lee", "comms", "lee", "comms lead: lee"),
        ("/tag db eu", "tags", ["db", "eu"], "tags: db, eu"),
        ("/note pool", "notes", "pool", "note added"),
    ],
)
@run_async
async def test_command_sets_an_incident_field(
    db_path: Path, clock: FakeClock, store: Store, incident: str, line: str, field: str, expected: Any, said: str
) -> None:
    """Each incident-field command saves the field, says so and clears the entry line."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, line)
        await wait_for_status(pilot, said)
        value = getattr(store.incident(INC), field)
        assert getattr(value, "value", value) == expected
        assert entry(app).value == ""
        assert not status(app).has_class("-error")


@run_async
async def test_header_follows_severity_status_and_title(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """After /sev, /status and /title the header shows the new severity, status and title."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert "SEV3  INC-1 [investigating] Checkout failing" in screen_text(app)
        await submit(pilot, "/sev 1")
        await wait_for_status(pilot, "SEV1")
        await submit(pilot, "/status ident")
        await wait_for_status(pilot, "status set")
        await submit(pilot, "/title DB out", typed=False)
        await wait_for_status(pilot, "title set")
        await wait_until(pilot, lambda: "SEV1  INC-1 [identified] DB out" in screen_text(app), "the header")


@run_async
async def test_untag_removes_one_tag(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """'/untag a' drops that tag and keeps the others."""
    store.update_incident(INC, tags=["a", "b"])
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "/untag a")
        await wait_for_status(pilot, "tags: b")
        assert store.incident(INC).tags == ["b"]


@run_async
async def test_action_command_adds_an_action_item(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """'/action TITLE @owner due DATE P1' saves an action item with those fields and the pane lists it."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "/action Add rollback @platform due 2026-12-01 P1", typed=False)
        await wait_for_status(pilot, "action item 1 added")
        [item] = store.actions(INC)
        assert (item.title, item.owner, item.deadline, item.priority.value, item.status.value) == (
            "Add rollback",
            "platform",
            dt.date(2026, 12, 1),
            "P1",
            "open",
        )
        await wait_until(pilot, lambda: app.screen.query_one(ActionsPane).row_count == 1, "the actions pane")
        row = [str(cell).strip() for cell in app.screen.query_one(ActionsPane).get_row_at(0)]
        assert row == ["1", "Add rollback", "platform", "01 Dec", "1"]


@pytest.mark.parametrize(
    ("line", "kind", "label"),
    [
        ("/cause Pool", "root", "ROOT"),
        ("/contrib No alert", "contributing", "CONTRIB"),
        ("/trigger Cron", "trigger", "TRIGGER"),
    ],
)
@run_async
async def test_factor_commands_add_factors(
    db_path: Path, clock: FakeClock, store: Store, incident: str, line: str, kind: str, label: str
) -> None:
    """/cause, /contrib and /trigger each save a factor of their kind, listed in the root-cause pane."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, line)
        await wait_for_status(pilot, f"{kind} factor added")
        [factor] = store.factors(INC)
        assert (factor.kind.value, factor.text) == (kind, line.split(maxsplit=1)[1])
        pane = app.screen.query_one(FactorsPane)
        await wait_until(pilot, lambda: [e.key for e in pane.entries] == ["factor-1"])
        assert pane.entries[0].content.plain.split(maxsplit=1) == [label, factor.text]


@run_async
async def test_star_and_kind_change_the_last_event(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """/star stars the last logged event and /kind decision makes it a decision."""
    first = store.log_event(INC, "older")
    clock.advance(minutes=1)
    last = store.log_event(INC, "pool full")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "/star")
        await wait_for_status(pilot, "star toggled")
        assert store.event(last.id or 0).starred
        await submit(pilot, "/kind dec")
        await wait_for_status(pilot, "now a decision")
        assert store.event(last.id or 0).kind.value == "decision"
        assert store.event(first.id or 0) == first
        await wait_until(pilot, lambda: "★ decision" in timeline_lines(app)[1], "the timeline row")


@run_async
async def test_undo_command_reverts_the_last_change(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """/undo after /sev 1 puts the severity back."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "/sev 1")
        await wait_for_status(pilot, "severity set")
        await submit(pilot, "/undo")
        await wait_for_status(pilot, "undone")
        assert store.incident(INC).severity == "SEV3"


@pytest.mark.parametrize(("line", "screen"), [("/help", HelpScreen), ("/list", IncidentListScreen)])
@run_async
async def test_screen_commands_open_their_screen(
    db_path: Path, clock: FakeClock, incident: str, line: str, screen: type
) -> None:
    """/help shows the help screen and /list the incident list."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, line)
        await wait_until(pilot, lambda: isinstance(app.screen, screen), screen.__name__)


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("/sevv 1", "unknown command /sevv: did you mean /sev"),
        ("/sev 9", "severity must be one of SEV1, SEV2, SEV3, SEV4"),
        ("25:99 x", "'25:99' is not a time of day"),
    ],
)
@run_async
async def test_bad_input_is_refused_and_kept(
    db_path: Path, clock: FakeClock, store: Store, incident: str, line: str, said: str
) -> None:
    """A bad command or time shows an error, keeps the typed text in the line and writes nothing."""
    before = store.incident(INC)
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, line)
        assert said in await wait_for_status(pilot, said)
        assert status(app).has_class("-error")
        assert entry(app).value == line
        assert store.incident(INC) == before
        assert store.count_events(INC) == 0


# -- editing from the panes ------------------------------------------------------------------


async def open_form(pilot: Any, key: str = "e") -> FormScreen:
    """Press the edit key and return the form that opens."""
    app = app_of(pilot)
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
    assert isinstance(app.screen, FormScreen)
    return app.screen


async def replace_field(pilot: Any, form: FormScreen, name: str, text: str) -> None:
    """Empty the focused form field `name` and type new text into it."""
    field = form.query_one(f"#f-{name}", Input)
    assert field.has_focus, f"{name} is not focused"
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    assert field.value == text


@run_async
async def test_edit_event_keeps_a_revision_and_undo_restores(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """e on the timeline edits the event text, the old text is kept as a revision, ctrl+z brings it back."""
    event = store.log_event(INC, "pool full")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        assert timeline(app).has_focus
        form = await open_form(pilot)
        await replace_field(pilot, form, "text", "pool gone")
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.event(event.id or 0).text == "pool gone", "the edit to be saved")
        assert [r["text"] for r in store.revisions("event", event.id or 0)] == ["pool full"]
        await wait_until(pilot, lambda: "pool gone" in timeline_lines(app)[0], "the timeline to show the edit")
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: store.event(event.id or 0).text == "pool full", "the undo")
        await wait_for_status(pilot, "undone")
        await wait_until(pilot, lambda: "pool full" in timeline_lines(app)[0], "the timeline to show the old text")


@run_async
async def test_escape_in_the_form_changes_nothing(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """Escape closes the edit form without saving what was typed (once asked, y)."""
    event = store.log_event(INC, "pool full")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        form = await open_form(pilot)
        await replace_field(pilot, form, "text", "oops")
        await pilot.press("escape", "y")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the form to close")
        assert store.event(event.id or 0) == event
        assert store.revisions("event", event.id or 0) == []


@run_async
async def test_delete_event_and_undo(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """d soft-deletes the event under the cursor (the timeline shrinks); ctrl+z brings it back."""
    store.log_event(INC, "first")
    clock.advance(minutes=1)
    second = store.log_event(INC, "second")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert timeline(app).count == 2
        await pilot.press("escape", "d")
        await wait_until(pilot, lambda: store.event(second.id or 0).deleted_at is not None, "the delete")
        await wait_until(pilot, lambda: timeline(app).count == 1, "the timeline to shrink")
        assert "second" not in screen_text(app)
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: timeline(app).count == 2, "the event to come back")
        assert store.event(second.id or 0).deleted_at is None
        assert "second" in screen_text(app)


@run_async
async def test_undoing_a_delete_says_what_was_undone_without_the_delete_hint(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """The delete says how to take it back; the undo says what it took back and how to redo, not "ctrl+z restores"."""
    event = store.log_event(INC, "only")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape", "d")
        await wait_for_status(pilot, f"deleted event {event.id} · ctrl+z restores it")
        await pilot.press("ctrl+z")
        await wait_for_status(pilot, f"undone: deleted event {event.id} · ctrl+g redoes")
        assert "restores" not in status_text(app)


@run_async
async def test_star_key_toggles(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """s stars the event under the cursor (★ on its row) and s again unstars it."""
    event = store.log_event(INC, "clue")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape", "s")
        await wait_until(pilot, lambda: store.event(event.id or 0).starred, "the star")
        await wait_until(pilot, lambda: "★" in timeline_lines(app)[0], "the star on the row")
        await pilot.press("s")
        await wait_until(pilot, lambda: not store.event(event.id or 0).starred, "the unstar")
        await wait_until(pilot, lambda: "★" not in timeline_lines(app)[0], "the row without its star")


@run_async
async def test_factor_edit_delete_and_undo(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """In the root-cause pane e edits a factor, d deletes it, ctrl+z brings it back."""
    store.add_factor(INC, "Batch job", kind="root")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one(FactorsPane)
        await pilot.press("escape", "tab")
        assert pane.has_focus
        form = await open_form(pilot)
        await replace_field(pilot, form, "text", "Batch hog")
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.factor(INC, 1).text == "Batch hog", "the factor edit")
        await wait_until(pilot, lambda: "Batch hog" in pane.entries[0].content.plain, "the pane")
        assert entry(app).has_focus  # the dialog closed: typing goes on in the entry line
        await pilot.press("escape", "tab")
        await pilot.press("d")
        await wait_until(pilot, lambda: store.factors(INC) == [], "the delete")
        await wait_until(pilot, lambda: "Batch hog" not in screen_text(app), "the pane to drop it")
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: [f.text for f in store.factors(INC)] == ["Batch hog"], "the undo")
        await wait_until(pilot, lambda: "Batch hog" in screen_text(app), "the pane to show it again")


def test_x_twice_in_a_burst_closes_an_action_item_once_and_takes_one_undo_step(store: Store, incident: str) -> None:
    """The second x of a burst reaches the writer after the first closed the item (the pane still showed it
    open): it writes nothing and takes no undo step, so one ctrl+z opens the item again. Opening works alike."""
    from warroom.tui import jobs

    store.add_action(INC, "Add limits")
    first = jobs.edit_action(INC, 1, {"status": "done"}, "action item 1 done")(store)
    again = jobs.edit_action(INC, 1, {"status": "done"}, "action item 1 done")(store)
    assert first.step is not None and again.step is None and again.undo is None
    assert again.message == f"{INC} #1 is already closed"
    assert store.action(INC, 1).status.value == "done"
    assert len(store.revisions("action", store.action(INC, 1).id or 0)) == 1  # one change kept, not two
    jobs.edit_action(INC, 1, {"status": "open"}, "action item 1 open")(store)
    assert jobs.edit_action(INC, 1, {"status": "open"}, "open")(store).message == f"{INC} #1 is already open"


@run_async
async def test_action_toggle_edit_delete_and_undo(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """In the actions pane x marks done, e edits owner and deadline, d deletes, ctrl+z undoes each."""
    store.add_action(INC, "Add limits")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one(ActionsPane)
        await pilot.press("escape", "tab", "tab")
        assert pane.has_focus
        await pilot.press("x")
        await wait_until(pilot, lambda: store.action(INC, 1).status.value == "done", "done")
        assert store.action(INC, 1).done_at == START
        await wait_until(pilot, lambda: str(pane.get_row_at(0)[0]).strip() == "1✓", "the done mark")
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: store.action(INC, 1).status.value == "open", "undone")
        assert store.action(INC, 1).done_at is None

        form = await open_form(pilot)
        await pilot.press("tab")
        await replace_field(pilot, form, "owner", "dba")
        await pilot.press("tab")
        await replace_field(pilot, form, "deadline", "2026-12-01")
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.action(INC, 1).owner == "dba", "the edit")
        assert store.action(INC, 1).deadline == dt.date(2026, 12, 1)
        await wait_until(pilot, lambda: [str(c).strip() for c in pane.get_row_at(0)][2:4] == ["dba", "01 Dec"])

        assert entry(app).has_focus  # the dialog closed: typing goes on in the entry line
        await pilot.press("escape", "tab", "tab")
        await pilot.press("d")
        await wait_until(pilot, lambda: store.actions(INC) == [], "the delete")
        await wait_until(pilot, lambda: pane.row_count == 0, "the pane to drop it")
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: len(store.actions(INC)) == 1, "the undo")
        await wait_until(pilot, lambda: pane.row_count == 1, "the pane to show it again")
        assert store.action(INC, 1).owner == "dba"


# -- nothing typed is lost -------------------------------------------------------------------


@run_async
async def test_draft_survives_a_restart(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """Text typed but not entered comes back after a restart and keeps its original first-key time."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "DB pool")
        await wait_until(pilot, lambda: "DB pool" in store.draft(INC, "entry"), "the draft to be saved")
    clock.advance(minutes=10)
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert entry(app).value == "DB pool"
        assert "restored the entry you were typing" in status_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.count_events(INC) == 1, "the event to be saved")
        [event] = store.events(INC)
        assert (event.text, event.occurred_at, event.logged_at) == ("DB pool", START, START + minutes(10))
        await wait_until(pilot, lambda: store.draft(INC, "entry") == "", "the draft to be cleared")


@run_async
async def test_other_writers_events_appear(db_path: Path, clock: FakeClock, incident: str) -> None:
    """An event logged by another process shows up; the half-typed entry and the cursor's event stay put."""
    other = Store(db_path, clock)
    try:
        for text in ("one", "two", "three"):
            other.log_event(INC, text)
            clock.advance(minutes=1)
        app = make_app(db_path, clock)
        async with app.run_test(size=SIZE) as pilot:
            await type_text(pilot, "half")
            await pilot.press("left", "escape", "up")
            view = timeline(app)
            assert view.current is not None and view.current.text == "two"
            other.log_event(INC, "backdated", occurred_at=START - minutes(5), source="pipe")
            await wait_until(pilot, lambda: view.count == 4, "the other writer's event")
            assert view.current is not None and view.current.text == "two"
            assert timeline_lines(app)[0].split()[-1] == "backdated"
            assert (entry(app).value, entry(app).cursor_position) == ("half", 3)
    finally:
        other.close()


@run_async
async def test_write_error_is_shown_and_the_text_kept(
    db_path: Path, clock: FakeClock, store: Store, incident: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the save fails the status line shows why, as an error, and the typed text is back in the line."""

    def fail(*args: Any, **kwargs: Any) -> None:
        raise WriteError("could not save: the disk is full; nothing was written")

    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(Store, "log_event", fail)  # the writer thread's Store is one of these too
        await submit(pilot, "DB pool")
        said = await wait_for_status(pilot, "disk is full")
        assert said == "⚠ could not save: the disk is full; nothing was written"
        assert status(app).has_class("-error")
        assert (entry(app).value, entry(app).cursor_position) == ("DB pool", 7)
        assert store.count_events(INC) == 0
        await wait_until(pilot, lambda: "DB pool" in store.draft(INC, "entry"), "the text to be kept as a draft")


@run_async
async def test_user_text_is_shown_literally(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """Markup typed in an entry and escape codes piped in by another process show as the characters they are."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "[bold]x[/] [link=file:///etc/passwd]y", typed=False)
        await wait_until(pilot, lambda: timeline(app).count == 1, "the typed event")
        assert store.events(INC)[0].text == "[bold]x[/] [link=file:///etc/passwd]y"
        clock.advance(minutes=1)
        store.log_event(INC, "\x1b[31mred", source="pipe")
        await wait_until(pilot, lambda: timeline(app).count == 2, "the piped event")
        lines = timeline_lines(app)
        assert lines[0].endswith("note       [bold]x[/] [link=file:///etc/passwd]y")
        assert lines[1].endswith("note       ␛[31mred")
        assert "\x1b" not in screen_text(app)


@run_async
async def test_escape_codes_never_reach_the_terminal(
    db_path: Path, clock: FakeClock, store: Store, incident: str
) -> None:
    """A pasted escape code shows as ␛ in the entry line; the edit form shows ␛ and keeps untouched text exact."""
    event = store.log_event(INC, "\x1b[31mred", source="pipe")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await paste(pilot, "\x1b[2Jboom")
        assert entry(app).value == "␛[2Jboom"
        assert "log › ␛[2Jboom" in screen_text(app)
        await pilot.press("ctrl+u", "escape")
        form = await open_form(pilot)
        assert form.query_one("#f-text", Input).value == "␛[31mred"
        assert "\x1b" not in screen_text(app)
        await pilot.press("tab", "tab", "tab")
        await replace_field(pilot, form, "team", "sre")
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.event(event.id or 0).team == "sre", "the edit")
        assert store.event(event.id or 0).text == "\x1b[31mred"


# -- help, palette, list, layout -------------------------------------------------------------


@run_async
async def test_palette_has_the_screen_commands(db_path: Path, clock: FakeClock, incident: str) -> None:
    """The command palette offers Undo and Notes, and Edit while the timeline has focus."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        names = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Undo", "Notes", "List", "Help", "Quit"} <= names
        await pilot.press("escape")
        names = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Undo", "Notes", "Edit", "Delete", "Star"} <= names


@run_async
async def test_palette_entry_runs_its_action(db_path: Path, clock: FakeClock, incident: str) -> None:
    """Choosing 'Notes' in the command palette opens the notes form."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "Notes")
        await wait_until(pilot, lambda: "Edit the free-form" in screen_text(app), "the palette to find Notes")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the notes form")
        assert app.screen.query_one(".form-title").render().plain.startswith("Notes")


@run_async
async def test_help_keys(db_path: Path, clock: FakeClock, incident: str) -> None:
    """F1 opens help anywhere; '?' opens it from the timeline but is just a character in the entry line."""
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help from F1")
        assert "Undo" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "help to close")
        await pilot.press("?")
        assert isinstance(app.screen, IncidentScreen)
        assert entry(app).value == "?"
        await pilot.press("escape", "?")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help from the timeline")


@run_async
async def test_incident_list_filter_open_and_new(db_path: Path, clock: FakeClock, store: Store) -> None:
    """With no open incident the list shows; typing filters, Enter opens, ctrl+n creates and opens a new one."""
    store.create_incident("DNS outage", id="INC-A", status="closed")
    clock.advance(minutes=1)
    store.create_incident("Checkout failing", id="INC-B", status="closed")
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, IncidentListScreen)
        table = app.screen.query_one(RowTable)
        assert table.row_count == 2
        await type_text(pilot, "dns")
        await wait_until(pilot, lambda: table.row_count == 1, "the filter")
        assert "1 of 2 incidents" in status_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident screen")
        assert isinstance(app.screen, IncidentScreen) and app.screen.incident_id == "INC-A"

        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list again")
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the new-incident form")
        await type_text(pilot, "Search slow")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the new incident's screen")
        new = [listing.incident for listing in store.list_incidents() if listing.incident.title == "Search slow"]
        assert len(new) == 1 and new[0].status.value == "investigating"
        assert isinstance(app.screen, IncidentScreen) and app.screen.incident_id == new[0].id
        assert "Search slow" in screen_text(app)


@run_async
async def test_layout_at_80x24(db_path: Path, clock: FakeClock, store: Store, incident: str) -> None:
    """In an 80x24 terminal every pane, the entry line and the footer's Undo are on screen."""
    store.log_event(INC, "pool full")
    store.add_factor(INC, "Batch job", kind="root")
    store.add_action(INC, "Add limits", owner="dba")
    app = make_app(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for selector in ("#header", "#timeline", "#factors", "#actions", "#entry", "KeyBar"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.width > 0, selector
            assert screen.region.contains_region(region), selector
        text = screen_text(app)
        for shown in ("pool full", "Batch job", "Add limits", "dba", "log ›", "Undo"):
            assert shown in text, shown
