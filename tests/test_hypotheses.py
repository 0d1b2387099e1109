"""Hypotheses have a lifecycle: open until ruled out or confirmed with a reason; the timeline, CLI and undo agree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.test_exit_status import run
from tests.tui_helpers import run_async, submit, timeline, timeline_lines, wait_for_status, wait_until
from warroom.store.errors import InputError, NotFoundError
from warroom.store.hypotheses import HypothesisStatus, hypotheses, settle, unsettle
from warroom.store.store import Store
from warroom.tui.app import create_app

if TYPE_CHECKING:
    from tests.conftest import FakeClock

INC = "INC-1"
SIZE = (100, 30)


@pytest.fixture
def two_hypotheses(store: Store) -> tuple[int, int]:
    """An incident with two open hypotheses and a note; their event numbers."""
    store.create_incident("Checkout failing", id=INC)
    first = store.log_event(INC, "payments deploy broke it?", kind="hypothesis").id or 0
    store.log_event(INC, "pool graph at 40%")
    second = store.log_event(INC, "batch job holds the connections", kind="hypothesis").id or 0
    return first, second


# -- the store -----------------------------------------------------------------------------------------------


def test_settling_logs_the_reason_and_records_the_status(store: Store, two_hypotheses: tuple[int, int]) -> None:
    """Ruled out: status and reason kept, and a note in the timeline says so; the other stays open."""
    first, second = two_hypotheses
    found, note = settle(store, INC, first, HypothesisStatus.RULED_OUT, "because rollback changed nothing")
    assert found.status is HypothesisStatus.RULED_OUT and found.settlement is not None
    assert found.settlement.reason == "rollback changed nothing"
    assert store.event(note.id or 0).text == f"Ruled out #{first} (payments deploy broke it?): rollback changed nothing"
    assert [h.status for h in hypotheses(store, INC)] == [HypothesisStatus.RULED_OUT, HypothesisStatus.OPEN]


def test_reopening_forgets_the_settlement_and_deletes_its_note(store: Store, two_hypotheses: tuple[int, int]) -> None:
    """Undo: open again, and the note that settled it leaves the timeline."""
    first, _ = two_hypotheses
    _, note = settle(store, INC, first, HypothesisStatus.CONFIRMED, "pg_stat_activity shows it")
    unsettle(store, INC, first)
    assert hypotheses(store, INC)[0].status is HypothesisStatus.OPEN
    assert store.event(note.id or 0).deleted_at is not None
    assert len(store.events(INC)) == 3


@pytest.mark.parametrize(
    ("number", "reason", "error", "message"),
    [
        (None, "", InputError, "say why"),
        (2, "x", InputError, "is a note, not a hypothesis"),
        (99, "x", NotFoundError, "no hypothesis #99"),
    ],
)
def test_bad_settlements_change_nothing(
    store: Store, two_hypotheses: tuple[int, int], number: int | None, reason: str, error: type, message: str
) -> None:
    """No reason, a note, an unknown number: one clear sentence, nothing written."""
    before = store.events(INC)
    with pytest.raises(error, match=message):
        settle(store, INC, number or two_hypotheses[0], HypothesisStatus.RULED_OUT, reason)
    assert store.events(INC) == before
    assert all(h.status is HypothesisStatus.OPEN for h in hypotheses(store, INC))


def test_settling_twice_is_refused(store: Store, two_hypotheses: tuple[int, int]) -> None:
    """A settled hypothesis must be reopened before it is settled the other way."""
    first, _ = two_hypotheses
    settle(store, INC, first, HypothesisStatus.RULED_OUT, "no")
    with pytest.raises(InputError, match="already ruled out"):
        settle(store, INC, first, HypothesisStatus.CONFIRMED, "yes")
    assert hypotheses(store, INC)[0].status is HypothesisStatus.RULED_OUT


# -- the command line, as a process ------------------------------------------------------------------------


def test_cli_lists_rules_out_confirms_and_reopens(tmp_path: Path) -> None:
    """`warroom hypothesis list|rule-out|confirm|reopen` through the installed command, with exit statuses."""
    db = tmp_path / "w.db"
    assert run(db, "new", "Checkout errors", "--id", INC).returncode == 0
    assert run(db, "log", "deploy broke it?", "--kind", "hypothesis").returncode == 0
    assert run(db, "log", "batch job?", "--kind", "hypothesis").returncode == 0
    ruled = run(db, "hypothesis", "rule-out", "1", "rollback changed nothing")
    assert (ruled.returncode, ruled.stdout.strip()) == (0, f"hypothesis #1 ruled out in {INC} (logged event 3)")
    assert run(db, "hypothesis", "confirm", "2", "because pg_stat_activity").returncode == 0
    listed = run(db, "hypothesis", "list").stdout.splitlines()
    assert listed[0].split()[:3] == ["#1", "ruled", "out"] and listed[0].endswith("because rollback changed nothing")
    assert listed[1].split()[:2] == ["#2", "confirmed"]
    rows = json.loads(run(db, "hypothesis", "list", "--json").stdout)
    assert [(r["number"], r["status"], r["reason"]) for r in rows] == [
        (1, "ruled out", "rollback changed nothing"),
        (2, "confirmed", "pg_stat_activity"),
    ]
    assert run(db, "hypothesis", "reopen", "1").returncode == 0
    assert "#1     open" in run(db, "hypothesis", "list", "--open").stdout


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("rule-out", "1", "  "), 2, "warroom: say why: ruled out #1 because ..."),
        (("confirm", "3", "x"), 2, "warroom: event #3 is a note, not a hypothesis"),
        (("confirm", "9", "x"), 1, f"warroom: no hypothesis #9 in {INC} (see `warroom hypothesis list`)"),
        (("confirm", "one", "x"), 2, None),
    ],
)
def test_cli_refusals_are_one_line_with_the_right_status(
    tmp_path: Path, args: tuple[str, ...], status: int, message: str | None
) -> None:
    """Bad input: exit 2 (usage) or 1 (not found), one line on stderr, nothing logged."""
    db = tmp_path / "w.db"
    run(db, "new", "Checkout errors", "--id", INC)
    run(db, "log", "deploy broke it?", "--kind", "hypothesis")
    run(db, "log", "x")
    run(db, "log", "a note")
    result = run(db, "hypothesis", *args)
    assert result.returncode == status
    if message is not None:
        assert result.stderr.strip() == message
    assert len(json.loads(run(db, "export", "--format", "json").stdout)["events"]) == 3


# -- the TUI -----------------------------------------------------------------------------------------------


@run_async
async def test_rule_out_in_the_entry_line_marks_the_timeline_and_undo_reopens(
    db_path: Path, clock: FakeClock, store: Store, two_hypotheses: tuple[int, int]
) -> None:
    """`/rule-out N because ...` marks row #N ruled out and logs the reason; ctrl+z opens it again."""
    first, second = two_hypotheses
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = timeline_lines(app)
        assert f"#{first} open payments deploy broke it?" in lines[0]
        await submit(pilot, f"/rule-out {first} because the rollback changed nothing")
        await wait_for_status(pilot, f"hypothesis #{first} ruled out")
        await wait_until(pilot, lambda: timeline(app).count == 4, "the note that rules it out")
        await wait_until(pilot, lambda: f"#{first} ruled out" in timeline_lines(app)[0], "the ruled-out mark")
        assert f"#{second} open" in timeline_lines(app)[2]
        assert "Ruled out #" in timeline_lines(app)[3] and "the rollback changed nothing" in timeline_lines(app)[3]
        await pilot.press("ctrl+z")
        await wait_for_status(pilot, "undone")
        await wait_until(pilot, lambda: f"#{first} open" in timeline_lines(app)[0], "the hypothesis open again")
        assert timeline(app).count == 3
    assert hypotheses(store, INC)[0].status is HypothesisStatus.OPEN


@run_async
async def test_confirm_of_a_note_is_refused_and_the_line_kept(
    db_path: Path, clock: FakeClock, store: Store, two_hypotheses: tuple[int, int]
) -> None:
    """Naming a row that is not a hypothesis: one message, the typed line back in the entry, nothing saved."""
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await submit(pilot, "/confirm 2 because graphs")
        await wait_for_status(pilot, "event #2 is a note, not a hypothesis")
        assert app.screen.query_one("#entry").value == "/confirm 2 because graphs"  # type: ignore[attr-defined]
    assert len(store.events(INC)) == 3


@run_async
async def test_review_lists_the_open_hypotheses(
    db_path: Path, clock: FakeClock, store: Store, two_hypotheses: tuple[int, int]
) -> None:
    """The facilitator's panel names the hypotheses still open (literally), not the settled ones."""
    from tests.test_review import open_review
    from tests.tui_helpers import screen_text

    first, second = two_hypotheses
    settle(store, INC, first, HypothesisStatus.RULED_OUT, "rollback changed nothing")
    store.log_event(INC, "[bold]maybe[/] DNS?", kind="hypothesis")
    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot)
        text = screen_text(app)
        assert f"Open: #{second} batch job holds the connections" in text
        assert "[bold]maybe[/] DNS?" in text
        assert f"#{first} payments" not in text  # ruled out: not listed (the event itself is on screen)


@pytest.fixture
def many_hypotheses(store: Store, clock: FakeClock) -> list[int]:
    """An incident with 130 hypotheses (one raised before all the others, logged last), the 2nd and 5th settled,
    the 7th deleted, a note between them: the open ones' numbers in timeline order."""
    import datetime as dt

    store.create_incident("Checkout failing", id=INC)
    numbers = []
    for n in range(129):
        clock.advance(seconds=1)
        numbers.append(store.log_event(INC, f"guess {n}?", kind="hypothesis").id or 0)
        if n == 50:
            store.log_event(INC, "pool graph at 40%")
    early = clock.now - dt.timedelta(hours=1)
    numbers.insert(0, store.log_event(INC, "the oldest guess?", kind="hypothesis", occurred_at=early).id or 0)
    settle(store, INC, numbers[1], HypothesisStatus.RULED_OUT, "rollback changed nothing")
    settle(store, INC, numbers[4], HypothesisStatus.CONFIRMED, "pg_stat_activity shows it")
    store.delete_event(numbers[6])
    return [n for i, n in enumerate(numbers) if i not in (1, 4, 6)]


def test_the_first_open_hypotheses_and_their_count_match_the_whole_list(
    store: Store, many_hypotheses: list[int]
) -> None:
    """What the review reads (the first N open, the count in SQL) is what reading them all would give."""
    from warroom.store.hypotheses import first_open, open_count

    every_open = [h.number for h in hypotheses(store, INC) if h.status is HypothesisStatus.OPEN]
    assert every_open == many_hypotheses
    assert [h.number for h in first_open(store, INC, 100)] == many_hypotheses[:100]
    assert all(h.status is HypothesisStatus.OPEN for h in first_open(store, INC, 100))
    assert open_count(store, INC) == len(many_hypotheses) == 127


@run_async
async def test_review_numbers_the_first_hundred_open_hypotheses_and_counts_the_rest(
    db_path: Path, clock: FakeClock, many_hypotheses: list[int]
) -> None:
    """More open than the border lists: its first hundred in timeline order, then "…", and "and N more" counts all."""
    from tests.test_review import open_review
    from tests.tui_helpers import screen_text
    from warroom.widgets.review_facilitator import FacilitatorPanel

    app = create_app(db_path, clock=clock, incident_id=INC)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot)
        await wait_until(pilot, lambda: "and 124 more (warroom hypothesis" in screen_text(app), "the count")
        subtitle = str(app.screen.query_one(FacilitatorPanel).border_subtitle)
        assert subtitle == "open hypotheses " + " ".join(f"#{n}" for n in many_hypotheses[:100]) + " …"
        text = screen_text(app)
        assert f"Open: #{many_hypotheses[0]} the oldest guess?" in text
        assert f"#{many_hypotheses[1]} guess 1?" in text and f"#{many_hypotheses[2]} guess 2?" in text
        await pilot.press("j")
        assert "and 124 more (warroom hypothesis" in screen_text(app)


def test_settling_from_the_shell_can_be_backdated(tmp_path: Path) -> None:
    """`hypothesis confirm N REASON --at TIME` stamps the note when it was settled, for a write-up afterwards."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("WARROOM_")}
    env["WARROOM_DB"] = str(tmp_path / "w.db")
    script = str(Path(sys.executable).parent / "warroom")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([script, *args], capture_output=True, text=True, env=env, timeout=120)

    assert run("new", "Checkout 500s", "--id", "INC-1", "--started", "2026-11-27T14:00Z").returncode == 0
    assert run("log", "pool exhausted?", "--kind", "hypothesis", "--at", "2026-11-27T14:10Z").returncode == 0
    done = run("hypothesis", "confirm", "1", "pool graph at 50/50", "--at", "2026-11-27T14:16Z")
    assert done.returncode == 0, done.stderr
    assert "14:16" in run("event", "list").stdout
    assert run("hypothesis", "reopen", "1").returncode == 0
    bad = run("hypothesis", "confirm", "1", "again", "--at", "25:99")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "open" in run("hypothesis", "list").stdout  # a bad time settles nothing


def test_settling_before_the_hypothesis_was_raised_is_refused(tmp_path: Path) -> None:
    """`--at` earlier than the hypothesis itself: one line, exit 2, nothing settled or logged."""
    db = tmp_path / "w.db"
    run(db, "new", "Checkout 500s", "--id", INC, "--started", "2026-11-27T14:00Z")
    run(db, "log", "pool exhausted?", "--kind", "hypothesis", "--at", "2026-11-27T14:10Z")
    bad = run(db, "hypothesis", "rule-out", "1", "graphs were fine", "--at", "2026-11-27T14:05Z")
    assert bad.returncode == 2
    said = "warroom: hypothesis #1 was raised at 2026-11-27 14:10 UTC: settle it at that time or later"
    assert bad.stderr.strip() == said
    assert "open" in run(db, "hypothesis", "list").stdout
    assert len(json.loads(run(db, "export", "--format", "json").stdout)["events"]) == 1
    same_minute = run(db, "hypothesis", "rule-out", "1", "graphs were fine", "--at", "2026-11-27T14:10Z")
    assert same_minute.returncode == 0, same_minute.stderr
