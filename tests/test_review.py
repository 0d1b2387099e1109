"""The post-mortem review: phases, gaps and prompts as data; the review screen stepping and saving as you go."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.conftest import FakeClock
from tests.postmortem_support import SIZE, demo_app, run_async, status_text, wait_until
from warroom.store.export_json import render_json
from warroom.store.export_md import render_markdown
from warroom.store.kinds import EventKind, Milestone
from warroom.store.prompts import GROUND_RULE, KIND_PROMPTS, MILESTONE_PROMPTS, PHASE_PROMPTS, prompts_for
from warroom.store.review import GAP_THRESHOLD, Phase, gap_text, phase_at, signed_duration, step_context
from warroom.store.store import Store
from warroom.tui.app import WarroomApp
from warroom.tui.screens.form import FormScreen
from warroom.tui.screens.incident import IncidentScreen
from warroom.tui.screens.review import ReviewScreen
from warroom.widgets.quick_entry import QuickEntry
from warroom.widgets.review_event import ReviewEventPanel
from warroom.widgets.review_facilitator import FacilitatorPanel

T0 = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    """T0 plus some minutes."""
    return T0 + dt.timedelta(minutes=minutes)


# -- phases, gaps and prompts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "phase"),
    [
        (-1, Phase.UNDETECTED),
        (4.9, Phase.UNDETECTED),
        (5, Phase.RESPONDING),
        (19, Phase.RESPONDING),
        (20, Phase.RECOVERING),
        (39, Phase.RECOVERING),
        (40, Phase.RESOLVED),
        (90, Phase.RESOLVED),
    ],
)
def test_phase_at_each_moment(minutes: float, phase: Phase) -> None:
    """Detected at 5, mitigated at 20, resolved at 40: a milestone's own moment opens the next phase."""
    assert phase_at(at(minutes), detected=at(5), mitigated=at(20), resolved=at(40)) is phase


def test_phase_without_recorded_times() -> None:
    """No detection recorded counts as detected from the start; missing later milestones never skip ahead."""
    assert phase_at(at(3), detected=None, mitigated=None, resolved=None) is Phase.RESPONDING
    assert phase_at(at(30), detected=at(5), mitigated=None, resolved=None) is Phase.RESPONDING
    assert phase_at(at(30), detected=at(5), mitigated=None, resolved=at(25)) is Phase.RESOLVED


def test_phases_are_named_for_the_people_in_them() -> None:
    """The names the room sees."""
    assert [p.value for p in Phase] == ["undetected", "investigating / mitigating", "recovering", "resolved"]


def test_gap_text_from_the_threshold_on() -> None:
    """A silence of GAP_THRESHOLD or more is spelled out; anything shorter says nothing."""
    assert dt.timedelta(minutes=10) == GAP_THRESHOLD
    assert gap_text(None) == ""
    assert gap_text(dt.timedelta(minutes=9, seconds=59)) == ""
    assert gap_text(dt.timedelta(minutes=10)) == "no entries for 10 min"
    assert gap_text(dt.timedelta(minutes=17)) == "no entries for 17 min"
    assert gap_text(dt.timedelta(hours=1, minutes=5)) == "no entries for 1 h 05 min"


def test_step_context(store: Store, clock: FakeClock) -> None:
    """Time since the start and the previous event, the gap and the phase of one step."""
    incident = store.create_incident("x", started_at=T0)
    first = store.log_event(incident.id, "alert", occurred_at=at(5), milestone="detected")
    second = store.log_event(incident.id, "rollback done", occurred_at=at(22), milestone="mitigated")
    incident = store.incident(incident.id)
    context = step_context(incident, second, first)
    assert context.since_start == dt.timedelta(minutes=22)
    assert context.since_previous == dt.timedelta(minutes=17)
    assert context.gap == "no entries for 17 min"
    assert context.phase is Phase.RECOVERING
    opening = step_context(incident, first, None)
    assert (opening.since_previous, opening.gap, opening.phase) == (None, "", Phase.RESPONDING)
    assert signed_duration(dt.timedelta(minutes=-3)) == "-3 min"
    assert signed_duration(dt.timedelta(minutes=12)) == "+12 min"


@pytest.mark.parametrize(
    ("phase", "kind", "milestone", "expected"),
    [
        (Phase.UNDETECTED, EventKind.NOTE, None, "What could have helped us identify this faster?"),
        (Phase.RESPONDING, EventKind.DETECTION, Milestone.DETECTED, "What could have helped us identify this faster?"),
        (Phase.RESPONDING, EventKind.DECISION, None, "What made this the reasonable thing to do at the time?"),
        (Phase.RESPONDING, EventKind.NOTE, None, "What information did we have, and what did we lack?"),
        (Phase.RESPONDING, EventKind.COMMS, None, "How can we better communicate during future incidents?"),
        (Phase.RECOVERING, EventKind.COMMS, None, "How can we better communicate during future incidents?"),
        (Phase.RECOVERING, EventKind.NOTE, None, "What would have made recovery faster?"),
        (Phase.RESOLVED, EventKind.MILESTONE, Milestone.RESOLVED, "What would have made recovery faster?"),
    ],
)
def test_prompts_suit_the_phase_and_event(
    phase: Phase, kind: EventKind, milestone: Milestone | None, expected: str
) -> None:
    """Each phase and kind of event gets its own blameless question, at most three, never repeated."""
    chosen = prompts_for(phase, kind, milestone)
    assert expected in chosen
    assert 1 <= len(chosen) <= 3
    assert len(set(chosen)) == len(chosen)


def test_every_prompt_is_a_blameless_question() -> None:
    """Questions about systems and information, never about who; the ground rule says so."""
    groups = [*PHASE_PROMPTS.values(), *KIND_PROMPTS.values(), *MILESTONE_PROMPTS.values()]
    everything = [prompt for group in groups for prompt in group]
    assert set(PHASE_PROMPTS) == set(Phase)
    for prompt in everything:
        assert prompt.endswith("?")
        assert not prompt.lower().startswith(("who ", "why did you")), prompt
        assert " you " not in f" {prompt.lower()} ", prompt
    assert GROUND_RULE == "We look at systems and processes, not individuals."


def test_prompts_limit() -> None:
    """The limit keeps the most specific questions first."""
    assert prompts_for(Phase.RESPONDING, EventKind.COMMS, limit=1) == [
        "How can we better communicate during future incidents?"
    ]


# -- jumping between marks in the store ------------------------------------------------------


def test_next_marked_position(store: Store) -> None:
    """Milestones and starred events in time order, forwards and back; deleted ones are skipped."""
    incident = store.create_incident("x", started_at=T0)
    marks = {1: {"milestone": "detected"}, 3: {"starred": True}}
    ids = [store.log_event(incident.id, f"e{i}", occurred_at=at(i), **marks.get(i, {})).id for i in range(6)]
    extra = store.log_event(incident.id, "mitigated", occurred_at=at(4), milestone="mitigated")
    gone = store.log_event(incident.id, "gone", occurred_at=at(4.5), starred=True)
    store.delete_event(gone.id or 0)
    assert store.next_marked_position(incident.id, ids[0] or 0, 1) == 1
    assert store.next_marked_position(incident.id, ids[1] or 0, 1) == 3
    assert store.next_marked_position(incident.id, ids[3] or 0, 1) == 5  # "mitigated" sorts after e4 (same time)
    assert store.next_marked_position(incident.id, extra.id or 0, 1) is None
    assert store.next_marked_position(incident.id, ids[5] or 0, -1) == 5
    assert store.next_marked_position(incident.id, ids[3] or 0, -1) == 1
    assert store.next_marked_position(incident.id, ids[1] or 0, -1) is None


def test_next_marked_uses_the_timeline_index(store: Store) -> None:
    """The jump is a keyset search on the (incident, time, id) index, not a scan of the table."""
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM events WHERE incident_id=? AND deleted_at IS NULL "
        "AND (starred = 1 OR milestone IS NOT NULL) AND (occurred_at, id) < (?, ?) "
        "ORDER BY occurred_at DESC, id DESC LIMIT 1",
        ("x", "t", 1),
    ).fetchall()
    used = " ".join(str(tuple(row)) for row in plan)
    # idx_events_live (schema 3) is the same (incident, time, id) order, for live events only.
    assert "idx_events_timeline" in used or "idx_events_live" in used


# -- the review screen -----------------------------------------------------------------------


def review(app: WarroomApp) -> ReviewScreen:
    """The review screen, which must be the current one."""
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def panel_text(app: WarroomApp) -> str:
    """Everything the current-event panel says, as plain text."""
    panel = app.screen.query_one(ReviewEventPanel)
    # The border_title property hands back escaped markup; what is drawn is the stored Content.
    parts = [title.plain for title in (panel._border_title, panel._border_subtitle) if title is not None]
    parts += [str(w.content) for w in panel.query(Static) if w.display]
    return "\n".join(parts)


async def open_review(pilot: Pilot[Any]) -> ReviewScreen:
    """Press ctrl+r on the incident screen."""
    await pilot.pause()
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the review screen")
    return review(pilot.app)  # type: ignore[arg-type]


async def fill_form(pilot: Pilot[Any], *values: str) -> None:
    """Type into a form's inputs in order (Tab between them) and save."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormScreen), "the form")
    for i, value in enumerate(values):
        if i:
            await pilot.press("tab")
        if value:
            await pilot.press(*value)
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, FormScreen), "the form to close")


@run_async
async def test_review_steps_and_jumps(tmp_path: Path) -> None:
    """j/k and the arrows step, home/end go to the ends, n/N jump between milestones and stars."""
    app, _ = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert screen.position == 0 and "Checkout error rate alert fired" in panel_text(app)
        assert "event 1 of 13" in panel_text(app)
        await pilot.press("j", "down")
        assert screen.position == 2 and "Status page: investigating" in panel_text(app)
        await pilot.press("k")
        assert screen.position == 1
        await pilot.press("up", "up")
        assert screen.position == 0
        positions = []
        for _ in range(5):
            await pilot.press("n")
            positions.append(screen.position)
        assert positions == [6, 7, 10, 12, 12]
        assert "no later milestone or starred event" in status_text(app)
        await pilot.press("N")
        assert screen.position == 10 and "MITIGATED" in panel_text(app)
        await pilot.press("home")
        assert screen.position == 0
        await pilot.press("end")
        assert screen.position == 12 and "event 13 of 13" in panel_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, IncidentScreen)


@run_async
async def test_review_shows_gap_phase_timing_and_prompts(tmp_path: Path) -> None:
    """Each step says its phase, its timing and any gap; the facilitator's questions fit the event."""
    app, _ = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        facilitator = app.screen.query_one(FacilitatorPanel)
        text = panel_text(app)
        assert "Investigating / mitigating" in text and "+10 s from the start" in text
        assert "no entries for" not in text
        await pilot.press("j", "j")  # 14:04 status page update
        assert "How can we better communicate during future incidents?" in facilitator.prompts
        await pilot.press("end")  # resolved, 14 minutes after the status page update at 14:27
        text = panel_text(app)
        assert "no entries for 14 min before this event" in text
        assert "Resolved" in text and "+41 min from the start" in text and "+14 min after the previous" in text
        assert "What would have made recovery faster?" in facilitator.prompts
        await pilot.press("k")
        assert "Recovering" in panel_text(app)
        rule = app.screen.query_one("#facilitator-rule", Static)
        assert GROUND_RULE in str(rule.content) and rule.region.height >= 1


@run_async
async def test_star_from_review(tmp_path: Path) -> None:
    """s stars the event in the database at once; the export marks it ★; s again unstars it."""
    app, incident_id = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("j", "s")
        event_id = screen.current.id if screen.current else 0
        await wait_until(pilot, lambda: app.store.event(event_id).starred, "the star to be saved")
        markdown = render_markdown(app.store, incident_id, app.tz)
        assert "| 14:02 | ★ _Decision:_ Incident declared, paging payments on-call | sre |" in markdown
        await wait_until(pilot, lambda: "STARRED" in panel_text(app), "the panel to show the star")
        await pilot.press("s")
        await wait_until(pilot, lambda: not app.store.event(event_id).starred, "the star to be removed")
        await pilot.press("ctrl+z")  # takes the unstarring back
        await wait_until(pilot, lambda: app.store.event(event_id).starred, "the undo to star it again")
        await pilot.press("ctrl+z")  # and the starring before it
        await wait_until(pilot, lambda: not app.store.event(event_id).starred, "the second undo to unstar it")
        await pilot.press("ctrl+z")  # nothing changed before that in this session
        await wait_until(pilot, lambda: "nothing to undo" in status_text(app), "the word that nothing is left")
        assert not app.store.event(event_id).starred


@run_async
async def test_factor_linked_from_review(tmp_path: Path) -> None:
    """f records a factor linked to the current event; the export points at the event's time."""
    app, incident_id = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("j")
        event_id = screen.current.id if screen.current else 0
        await pilot.press("f")
        await fill_form(pilot, "Paging needs a person to pick the team")
        await wait_until(pilot, lambda: len(app.store.factors(incident_id)) == 4, "the factor")
        factor = app.store.factors(incident_id)[-1]
        assert (factor.kind.value, factor.event_ids) == ("contributing", [event_id])
        assert "- Paging needs a person to pick the team (see 14:02)" in render_markdown(app.store, incident_id, app.tz)
        assert isinstance(app.screen, ReviewScreen)


@run_async
async def test_action_item_from_review(tmp_path: Path) -> None:
    """a adds an action item with owner and deadline, linked to the current event."""
    app, incident_id = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("end")
        event_id = screen.current.id if screen.current else 0
        await pilot.press("a")
        await fill_form(pilot, "Alert on connection saturation", "dba", "2026-12-15")
        await wait_until(pilot, lambda: len(app.store.actions(incident_id)) == 4, "the action item")
        item = app.store.actions(incident_id)[-1]
        assert (item.owner, item.deadline, item.event_id) == ("dba", dt.date(2026, 12, 15), event_id)
        markdown = render_markdown(app.store, incident_id, app.tz)
        assert "| Alert on connection saturation | dba | 2026-12-15 | P2 | open |" in markdown


@run_async
async def test_meeting_note_from_review(tmp_path: Path) -> None:
    """m appends a note stamped with the event's time to the incident's notes, which both exports carry."""
    app, incident_id = demo_app(tmp_path)
    before = app.store.incident(incident_id).notes
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("n")  # the starred 14:15 event
        await pilot.press("m")
        await fill_form(pilot, "Replica metrics were on another dashboard [bold]")
        expected = before + "\n[14:15] Replica metrics were on another dashboard [bold]"
        await wait_until(pilot, lambda: app.store.incident(incident_id).notes == expected, "the note")
        await pilot.press("end", "m")
        await fill_form(pilot, "Bridge closed on time")
        await wait_until(
            pilot, lambda: app.store.incident(incident_id).notes.endswith("\n[14:41] Bridge closed on time")
        )
        exported = json.loads(render_json(app.store, incident_id, app.tz))
        assert exported["incident"]["notes"] == expected + "\n[14:41] Bridge closed on time"
        markdown = render_markdown(app.store, incident_id, app.tz)
        assert "\\\n[14:41] Bridge closed on time\n" in markdown.split("### Root Cause")[0]


@run_async
async def test_correct_event_from_review(tmp_path: Path) -> None:
    """e corrects the event's text (the old one is kept as a revision); the panel and export follow."""
    app, incident_id = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("j")
        event_id = screen.current.id if screen.current else 0
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen))
        text = app.screen.query_one("#f-text", Input)
        text.value = "Incident declared at SEV2, paging payments on-call"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "SEV2" in app.store.event(event_id).text, "the correction")
        assert app.store.revisions("event", event_id)[-1]["text"] == "Incident declared, paging payments on-call"
        assert "Incident declared at SEV2" in render_markdown(app.store, incident_id, app.tz)
        await wait_until(pilot, lambda: "at SEV2" in panel_text(app), "the panel to show the correction")
        assert screen.current and screen.current.id == event_id


@run_async
async def test_review_shows_user_text_literally(tmp_path: Path) -> None:
    """Markup typed during the incident shows as typed in the big panel."""
    app, incident_id = demo_app(tmp_path)
    app.store.log_event(incident_id, "[bold red]not markup[/] \x1b[31m", occurred_at=app.store.now(), team="[i]x")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("end")
        text = panel_text(app)
        assert "[bold red]not markup[/] ␛[31m" in text and "@[i]x" in text


@run_async
async def test_review_opens_from_the_slash_command_and_palette(tmp_path: Path) -> None:
    """/review opens the review; Review and Write-up are palette entries of the incident screen."""
    app, _ = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Review", "Write-up"} <= names
        app.screen.query_one(QuickEntry).focus()
        await pilot.press(*"/review", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")


@run_async
async def test_writeup_from_review(tmp_path: Path) -> None:
    """ctrl+y edits the lessons without leaving the review; the incident keeps the earlier version."""
    app, incident_id = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("tab", "tab", "tab", *"Rollback plan was ready", "ctrl+s")
        await wait_until(pilot, lambda: app.store.incident(incident_id).went_well == "Rollback plan was ready")
        assert isinstance(app.screen, ReviewScreen)
        assert app.store.revisions("incident", incident_id)[-1]["went_well"] == ""


@run_async
async def test_review_never_loads_the_whole_timeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stepping and jumping read pages by position, never every event (so 100k events stay instant)."""
    app, _ = demo_app(tmp_path)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("Store.events loads the whole timeline")

    monkeypatch.setattr(Store, "events", refuse)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("end", "N", "N", "home", "n", "j", "k")
        assert screen.position == 6


def test_the_facilitator_border_numbers_as_many_open_hypotheses_as_it_can_show() -> None:
    """With thousands open, the bottom border numbers the first hundred and says there are more."""
    import asyncio

    from textual.app import App, ComposeResult

    from warroom.widgets.review_facilitator import BORDER_NUMBERS, FacilitatorPanel

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield FacilitatorPanel("rule")

    async def run() -> str:
        app = One()
        async with app.run_test():
            panel = app.query_one(FacilitatorPanel)
            panel.show("Response", ["What did you see?"], [f"#{n} guess {n}?" for n in range(1, 5001)])
            return str(panel.border_subtitle)

    subtitle = asyncio.run(run())
    assert subtitle.startswith("open hypotheses #1 #2 #3 ")
    assert subtitle.endswith(f" #{BORDER_NUMBERS} …")
    assert f"#{BORDER_NUMBERS + 1} " not in subtitle


def test_the_facilitator_says_there_are_more_while_they_are_counted() -> None:
    """Before the open hypotheses are counted: the first ones, "and more" without a number, then the count."""
    import asyncio

    from textual.app import App, ComposeResult

    from warroom.widgets.review_facilitator import BORDER_NUMBERS, NOT_COUNTED

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield FacilitatorPanel("rule")

    lines = [f"#{n} guess {n}?" for n in range(1, BORDER_NUMBERS + 2)]

    async def run() -> tuple[str, str, str]:
        app = One()
        async with app.run_test(size=(120, 40)) as pilot:
            panel = app.query_one(FacilitatorPanel)
            panel.show("Response", [], lines, NOT_COUNTED)
            await pilot.pause()
            before = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
            subtitle = str(panel.border_subtitle)
            panel.show("Response", [], lines, 5000)
            await pilot.pause()
            after = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
            return before, subtitle, after

    before, subtitle, after = asyncio.run(run())
    assert subtitle.endswith(f" #{BORDER_NUMBERS} …")
    assert "and more (warroom hypothesis list)" in before and "#4 guess 4?" not in before
    assert "and 4997 more (warroom hypothesis list)" in after
