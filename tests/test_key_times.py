"""Key times in the normal workflow: an incident declared after the page, its start set and corrected in the TUI,
and metrics that are never shown as negative numbers (header, list, stats, `warroom stats`, export)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import TextArea

from tests.conftest import START, FakeClock
from tests.process_support import warroom_on
from tests.reliability_helpers import warroom
from tests.tui_helpers import entry, run_async, submit, type_text, wait_for_status, wait_until
from warroom.store.errors import InputError
from warroom.store.export_json import render_json
from warroom.store.export_md import render_markdown
from warroom.store.key_times import set_key_times
from warroom.store.kinds import Status
from warroom.store.metrics import compute
from warroom.store.store import Store
from warroom.tui.app import create_app
from warroom.tui.screens.form import FormScreen
from warroom.tui.screens.incident import IncidentScreen
from warroom.tui.screens.stats import StatsScreen
from warroom.widgets.incident_header import IncidentHeader
from warroom.widgets.row_table import RowTable

INC = "INC-1"
SIZE = (120, 30)


def minutes(n: float) -> dt.timedelta:
    """A timedelta of n minutes."""
    return dt.timedelta(minutes=n)


def declared_late(store: Store) -> str:
    """The normal workflow: paged at 13:48, declared at 14:00, detection backdated to 13:48, resolved at 14:02."""
    store.create_incident("Checkout failing", id=INC, started_at=START, owner="alex")
    store.log_event(INC, "pager fired", occurred_at=START - minutes(12), milestone="detected")
    store.log_event(INC, "rolled back", occurred_at=START + minutes(2), milestone="resolved")
    return INC


def header_text(app: object) -> str:
    """The incident header as shown."""
    header = app.screen.query_one(IncidentHeader)  # type: ignore[attr-defined]
    rendered = header.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


# -- never negative ------------------------------------------------------------------------------


def test_metrics_leave_out_a_milestone_before_the_start(store: Store, clock: FakeClock) -> None:
    """TTD of a detection before the start is not -720 s: unknown, named as before the start, left out of medians."""
    declared_late(store)
    other = store.create_incident("Another", id="INC-2", started_at=START)
    store.log_event(other.id, "alert", occurred_at=START + minutes(4), milestone="detected")
    m = compute([store.incident(INC), store.incident("INC-2")], [], now=clock(), tz=dt.UTC)
    late = next(t for t in m.incidents if t.incident_id == INC)
    assert late.seconds_to_detect is None and late.before_start == ("detected",)
    assert late.span_text("detected") == "before start" and late.span_text("resolved") == "2 min"
    assert (m.detect.count, m.detect.median_seconds, m.detect.before_start) == (1, 240.0, 1)


def test_export_shows_before_start_not_a_negative_time(store: Store) -> None:
    """The Markdown says "before start"; the JSON has null, never a negative number of seconds."""
    declared_late(store)
    doc = render_markdown(store, INC, dt.UTC)
    assert "- **Time to detect:** before start" in doc
    assert "-12 min" not in doc and "- **Duration:** 2 min" in doc
    metrics = json.loads(render_json(store, INC, dt.UTC))["metrics"]
    assert metrics["time_to_detect_seconds"] is None and metrics["time_to_resolve_seconds"] == 120


def test_stats_and_show_on_the_command_line_say_before_start(tmp_path: Path, clock: FakeClock) -> None:
    """`warroom stats` and `warroom show` print no negative duration."""
    db = tmp_path / "w.db"
    with_store = Store(db, clock=clock)
    declared_late(with_store)
    with_store.close()
    stats = warroom(db, "stats")
    assert stats.code == 0, stats.err
    assert "before start" in stats.out and "-12" not in stats.out
    assert "left out: 1 before start" in stats.out
    data = json.loads(warroom(db, "stats", "--json").out)
    assert data["incidents"][0]["seconds_to_detect"] is None
    assert data["incidents"][0]["before_start"] == ["detected"]
    show = warroom(db, "show", INC).out
    assert "(12 min before start)" in show and "-12" not in show


@run_async
async def test_header_list_and_stats_screen_say_before_start(db_path: Path, clock: FakeClock, store: Store) -> None:
    """The header shows `TTD before start`; the stats screen's table too; the list's duration never goes negative."""
    declared_late(store)
    store.create_incident("Resolved before its start", id="INC-3", started_at=START + minutes(30))
    store.log_event("INC-3", "fixed", occurred_at=START + minutes(10), milestone="resolved")
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = header_text(app)
        assert "TTD before start" in text and "TTR 2 min" in text and "-" not in text.split("elapsed")[1]
        app.show_stats()
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), "the stats screen")
        table = app.screen.query_one("#per-incident", RowTable)
        cells = [str(c) for row in range(table.row_count) for c in table.get_row_at(row)]
        assert " before start" in cells and not any(c.strip().startswith("-") for c in cells)
        app.show_incident_list()
        await wait_until(pilot, lambda: type(app.screen).__name__ == "IncidentListScreen", "the list")
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        row = [str(c) for c in table.get_row("INC-3")]
        assert row[5].strip() == "before start"


# -- setting the start and the key times in the TUI ------------------------------------------------


@run_async
async def test_backdated_entry_says_it_is_before_the_start_and_slash_started_moves_it(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """`-12m !detected` right after declaring: the app says it is before the start and how to move it; /started does."""
    store.create_incident("Checkout failing", id=INC, started_at=START)
    clock.advance(minutes=1)
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await submit(pilot, "-12m !detected pager fired")
        line = await wait_for_status(pilot, "before the incident's start")
        assert "11 min before the incident's start: /started 13:49:00 moves the start" in line
        assert "TTD before start" in header_text(app)
        await submit(pilot, "/started 13:49:00")
        await wait_for_status(pilot, "started set")
        assert store.incident(INC).started_at == START - minutes(11)
        await wait_until(pilot, lambda: "TTD 0 s" in header_text(app), "the header to update")
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: store.incident(INC).started_at == START, "undo to put the start back")


@run_async
async def test_bang_resolved_moves_the_status_to_resolved(db_path: Path, clock: FakeClock, store: Store) -> None:
    """`!resolved` logs the milestone and resolves the incident; ctrl+z takes back both."""
    store.create_incident("Checkout failing", id=INC, started_at=START)
    store.update_incident(INC, status="monitoring")
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await submit(pilot, "!resolved stable for 30 minutes")
        await wait_for_status(pilot, "status resolved")
        assert store.incident(INC).status is Status.RESOLVED
        assert "[resolved]" in header_text(app)
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: store.incident(INC).status is Status.MONITORING, "undo")
        assert store.count_events(INC) == 0


@run_async
async def test_slash_commands_set_detected_mitigated_resolved(db_path: Path, clock: FakeClock, store: Store) -> None:
    """/detected sets the incident's time; with a milestone event it moves that event; /resolved resolves."""
    store.create_incident("Checkout failing", id=INC, started_at=START)
    mitigated = store.log_event(INC, "errors gone", occurred_at=START + minutes(20), milestone="mitigated")
    clock.advance(minutes=40)
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await submit(pilot, "/detected 14:03")
        await wait_for_status(pilot, "detected set")
        await submit(pilot, "/mitigated -25m")
        await wait_for_status(pilot, "mitigated set")
        await submit(pilot, "/resolved 14:38")
        await wait_for_status(pilot, "resolved set · status resolved")
        await submit(pilot, "/detected 25:99")
        await wait_for_status(pilot, "is not a time of day")
        assert entry(app).value == "/detected 25:99"  # the line keeps what was typed
    inc = store.incident(INC)
    assert inc.detected_at == START + minutes(3)
    assert store.event(mitigated.id or 0).occurred_at == START + minutes(15) == inc.mitigated_at
    assert inc.resolved_at == START + minutes(38) and inc.status is Status.RESOLVED


def test_clearing_a_time_a_milestone_event_decides_changes_nothing(store: Store) -> None:
    """Clearing detected while an event decides it is refused in one sentence; the start cannot be cleared."""
    store.create_incident("x", id=INC, started_at=START)
    store.log_event(INC, "alert", occurred_at=START + minutes(3), milestone="detected")
    with pytest.raises(InputError, match="comes from event 1; delete that event to clear it"):
        set_key_times(store, INC, {"detected": None})
    with pytest.raises(InputError, match="must have a start time"):
        set_key_times(store, INC, {"started": None})
    assert store.incident(INC).detected_at == START + minutes(3)


@run_async
async def test_new_incident_form_asks_when_impact_began(db_path: Path, clock: FakeClock, store: Store) -> None:
    """ctrl+n: title, Tab, Tab, Tab to "Impact began" (default now), `-20m`, Enter: the incident starts 20 min ago."""
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        assert "Impact began" in str(app.screen.query_one("#f-started").parent.query_one("Label").content)
        await type_text(pilot, "Checkout down")
        await pilot.press("tab", "tab", "tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "-20m")
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.list_incidents(), "the incident")
    [listing] = store.list_incidents()
    assert listing.incident.started_at == START - minutes(20)


@pytest.mark.parametrize(("typed", "severity"), [("1", "SEV1"), ("sev2", "SEV2"), ("4", "SEV4")])
@run_async
async def test_new_incident_form_severity_takes_what_is_typed(
    db_path: Path, clock: FakeClock, store: Store, typed: str, severity: str
) -> None:
    """Tab to Severity and type `1` (or `sev2`) in the same burst as the rest: the incident has that severity."""
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        await pilot.press(*"Disk full", "tab", *typed, "tab", *"alex", "enter")
        await wait_until(pilot, lambda: store.list_incidents(), "the incident")
    [listing] = store.list_incidents()
    assert (listing.incident.severity, listing.incident.owner) == (severity, "alex")


@run_async
async def test_new_incident_form_defaults_to_now_and_refuses_a_bad_time(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """Left as `now` the start is now; `25:99` keeps the form open with one clear line and creates nothing."""
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        await type_text(pilot, "Bad start")
        await pilot.press("tab", "tab", "tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "25:99")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and not store.list_incidents()
        assert "is not a time of day" in str(app.screen.query_one(".form-error").content)
        await pilot.press("ctrl+a", "ctrl+k", *"now", "enter")
        await wait_until(pilot, lambda: store.list_incidents(), "the incident")
    assert store.list_incidents()[0].incident.started_at == START


@run_async
async def test_writeup_form_corrects_the_start(db_path: Path, clock: FakeClock, store: Store) -> None:
    """ctrl+y shows the key times; changing "Impact began" moves the start, the rest stays; undo puts it back."""
    declared_late(store)
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the write-up form")
        started = app.screen.query_one("#f-started_at")
        assert started.value == "2026-11-27 14:00:00"  # type: ignore[attr-defined]
        assert app.screen.query_one("#f-detected_at").value == "2026-11-27 13:48:00"  # type: ignore[attr-defined]
        app.screen.query_one("#f-summary", TextArea).text = "Checkout failed."
        started.value = "13:48"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_for_status(pilot, "write-up saved")
        assert isinstance(app.screen, IncidentScreen)
        inc = store.incident(INC)
        assert inc.started_at == START - minutes(12) and inc.summary == "Checkout failed."
        assert inc.detected_at == START - minutes(12)  # the milestone event was not touched
        await wait_until(pilot, lambda: "TTD 0 s" in header_text(app), "the header")
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: store.incident(INC).started_at == START, "undo")
        assert store.incident(INC).summary == ""


# -- the export checklist ------------------------------------------------------------------------


def complete(store: Store) -> str:
    """An incident with nothing missing."""
    store.create_incident("Checkout failing", id=INC, started_at=START - minutes(60), owner="alex")
    store.log_event(INC, "alert", occurred_at=START - minutes(57), milestone="detected")
    store.log_event(INC, "stable", occurred_at=START - minutes(20), milestone="resolved")
    store.add_factor(INC, "Pool too small", kind="root")
    store.add_action(INC, "Alert on pool saturation", owner="sre", deadline=dt.date(2026, 12, 5))
    store.update_incident(
        INC,
        status="resolved",
        summary="Checkout failed.",
        customers_affected="300 checkouts",
        went_well="Alert was quick",
        went_wrong="No pool dashboard",
    )
    return INC


def test_checklist_lists_every_gap_until_none_remains(store: Store, clock: FakeClock) -> None:
    """No owner, lessons missing, status open after a resolved time, a key time before the start and an open action
    item past its deadline are each a gap; fixing them all leaves none."""
    from warroom.store.quality import GapKind, gaps

    complete(store)
    assert gaps(store, INC) == []
    store.update_incident(INC, owner="", went_well="", went_wrong="", status="monitoring")
    store.log_event(INC, "earlier alert", occurred_at=START - minutes(75), milestone="detected")
    clock.set(dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC))
    found = {(g.kind, g.message) for g in gaps(store, INC)}
    assert found == {
        (GapKind.OWNER, "No owner: who owns this incident and its follow-up?"),
        (GapKind.STATUS, "Status is monitoring although the incident has a resolved time"),
        (
            GapKind.BEFORE_START,
            "Detected 15 min before the start (2026-11-27 13:00): set the start to when impact began, "
            "or correct the milestone",
        ),
        (GapKind.LESSONS, "What went well is not recorded"),
        (GapKind.LESSONS, "What went wrong is not recorded"),
        (
            GapKind.ACTION_OVERDUE,
            'Action item 1 ("Alert on pool saturation") is open past its deadline 2026-12-05',
        ),
    }


def test_export_check_lists_the_new_gaps_and_exits_1(tmp_path: Path, clock: FakeClock) -> None:
    """`warroom export --check` prints the same gaps and fails; fixed, it exports."""
    db = tmp_path / "w.db"
    opened = Store(db, clock=clock)
    complete(opened)
    opened.update_incident(INC, owner="", status="monitoring")
    opened.close()
    checked = warroom(db, "export", INC, "--check")
    assert checked.code == 1 and checked.out == ""
    assert "No owner" in checked.err and "Status is monitoring" in checked.err
    warroom(db, "set", "owner", "alex", "-i", INC)
    warroom(db, "set", "status", "resolved", "-i", INC)
    assert warroom(db, "export", INC, "--check").code == 0


@run_async
async def test_checklist_items_open_where_they_are_fixed(db_path: Path, clock: FakeClock, store: Store) -> None:
    """Each new checklist item opens its fix; "contributing factor 3" opens "Edit factor 3" (not another number)."""
    from tests.test_export_screen import checklist, choose, open_export
    from warroom.widgets.quick_entry import QuickEntry

    complete(store)
    store.add_factor(INC, "Pool metrics were missing", kind="contributing")  # factor 2
    store.add_factor(INC, "It was Sam's mistake", kind="contributing")  # factor 3, the second contributing one
    store.update_incident(INC, owner="")
    store.log_event(INC, "earlier alert", occurred_at=START - minutes(75), milestone="detected")
    clock.set(dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC))
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        assert not any("ready to share" in line for line in checklist(app))
        await choose(pilot, "contributing factor 3")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the factor form")
        assert app.screen.form_title == "Edit factor 3"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await choose(pilot, "Detected 15 min before the start")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the write-up form")
        assert app.screen.focused is not None and app.screen.focused.id == "f-started_at"
        await pilot.press("escape")
        await choose(pilot, "past its deadline")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the action form")
        assert app.screen.focused is not None and app.screen.focused.id == "f-deadline"
        await pilot.press("escape")
        await choose(pilot, "No owner")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident screen")
        await wait_until(pilot, lambda: app.screen.query_one(QuickEntry).value == "/owner ", "the prefilled line")


def test_moving_an_event_before_the_start_says_so(store: Store) -> None:
    """An event moved before the start is saved and the message says how to move the start; other edits say nothing."""
    from warroom.tui import jobs

    store.create_incident("x", id=INC, started_at=START)
    event = store.log_event(INC, "deploy v2.31", occurred_at=START + minutes(1))
    outcome = jobs.edit_event(event.id or 0, {"occurred_at": START - minutes(5)})(store)
    assert outcome.message == "event updated · 5 min before the incident's start: /started 13:55:00 moves the start"
    assert store.event(event.id or 0).occurred_at == START - minutes(5)
    assert jobs.edit_event(event.id or 0, {"text": "deploy v2.32"})(store).message == "event updated"


@run_async
async def test_new_incident_form_in_one_burst(db_path: Path, clock: FakeClock, store: Store) -> None:
    """Title, Tab x3, clear, `02:51`, Enter arriving all at once: each lands in its field; the start is 02:51 today."""
    from textual import events

    clock.set(dt.datetime(2026, 11, 27, 3, 10, tzinfo=dt.UTC))
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        keys = [*"Queue stuck", "tab", "tab", "tab", "ctrl+a", "ctrl+k", *"02:51", "enter"]
        for key in keys:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await wait_until(pilot, lambda: store.list_incidents(), "the incident")
    created = store.list_incidents()[0].incident
    assert created.title == "Queue stuck"
    assert created.started_at == dt.datetime(2026, 11, 27, 2, 51, tzinfo=dt.UTC)


# -- resolving by status -----------------------------------------------------------------------------------


@run_async
async def test_set_status_resolved_from_the_shell_stops_the_lists_duration(db_path: Path) -> None:
    """`warroom set status resolved` on an incident with no resolved time records it as now, as the process says:
    an hour later the incident list still shows the two hours it lasted, not a duration still running."""
    assert warroom_on(db_path, "new", "Checkout failing", "--id", "INC-9", "--started", "-2h").returncode == 0
    done = warroom_on(db_path, "set", "status", "resolved", "-i", "INC-9")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("INC-9: status set · resolved time set to now (")
    shown = warroom_on(db_path, "show", "INC-9").stdout
    assert "resolved:" in shown and "resolved:  —" not in shown
    # Setting it again keeps the time recorded first.
    assert warroom_on(db_path, "set", "status", "closed", "-i", "INC-9").stdout == "INC-9: status set\n"
    app = create_app(db_path, clock=FakeClock(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_incident_list()
        await wait_until(pilot, lambda: type(app.screen).__name__ == "IncidentListScreen", "the list")
        await pilot.pause()
        row = [str(c) for c in app.screen.query_one(RowTable).get_row("INC-9")]
        assert row[5].strip() == "2 h 00 min"


@run_async
async def test_slash_status_resolved_records_the_resolved_time_and_undo_takes_both_back(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """`/status resolved` in the TUI says it set the resolved time; ctrl+z reopens with no resolved time."""
    store.create_incident("Checkout failing", id=INC, started_at=clock() - minutes(90))
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await submit(pilot, "/status resolved")
        await wait_for_status(pilot, "status set · resolved time set to now")
        assert store.incident(INC).status is Status.RESOLVED and store.incident(INC).resolved_at == clock()
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: store.incident(INC).resolved_at is None, "the undo")
        assert store.incident(INC).status is Status.INVESTIGATING


@run_async
async def test_reopening_clears_the_resolved_time_so_the_clock_runs_again(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """Resolved by mistake, then `/status investigating`: the incident is open again, so the resolved time recorded
    is cleared (and said so) instead of freezing its elapsed time and TTR; resolving it later records that moment,
    not the first one. ctrl+z on the reopen puts back both. A resolved milestone event still decides on its own."""
    store.create_incident("Checkout failing", id=INC, started_at=clock() - minutes(90))
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await submit(pilot, "/status resolved")
        await wait_for_status(pilot, "resolved time set to now")
        first = clock()
        clock.advance(minutes=20)
        await submit(pilot, "/status investigating")
        await wait_for_status(pilot, "status set · resolved time cleared")
        assert store.incident(INC).status is Status.INVESTIGATING and store.incident(INC).resolved_at is None
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: store.incident(INC).status is Status.RESOLVED, "the undo")
        assert store.incident(INC).resolved_at == first
        await submit(pilot, "/status monitoring")
        await wait_for_status(pilot, "resolved time cleared")
        clock.advance(minutes=30)
        await submit(pilot, "/status resolved")
        await wait_until(pilot, lambda: store.incident(INC).status is Status.RESOLVED, "the second resolve")
        assert store.incident(INC).resolved_at == clock()
    # A milestone event decides the resolved time: reopening leaves it (the event says when).
    store.create_incident("Queue stuck", id="INC-2", started_at=clock() - minutes(30))
    store.log_event("INC-2", "fixed", kind="milestone", milestone="resolved")
    store.update_incident("INC-2", status="resolved")
    said = warroom(db_path, "set", "status", "identified", "-i", "INC-2")
    assert said.out == "INC-2: status set\n", said
    assert store.incident("INC-2").resolved_at == clock()
