"""Stakeholder updates on a cadence, the catch-up and roles, at the store: what the TUI and CLI both show."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import FakeClock
from warroom.store.catchup import catch_up, lines
from warroom.store.comms import draft_update, incident_cadence, is_update, last_update, log_update
from warroom.store.config import Config, parse
from warroom.store.errors import InputError
from warroom.store.export_json import render_json
from warroom.store.importer import import_text
from warroom.store.roles import set_role
from warroom.store.store import Store

UTC = dt.UTC


def sev1(store: Store, clock: FakeClock, *, minutes_ago: int = 20, severity: str = "SEV1") -> str:
    """An open incident that started `minutes_ago` minutes before the fake clock's now."""
    started = clock() - dt.timedelta(minutes=minutes_ago)
    return store.create_incident("Checkout failing", id="INC-1", severity=severity, started_at=started).id


def test_the_first_update_is_due_one_interval_after_the_start(store: Store, clock: FakeClock) -> None:
    """SEV1 updates every 30 minutes by default: 20 minutes in, the first is due in 10."""
    inc = sev1(store, clock)
    assert incident_cadence(store, inc, Config()).text(clock()) == "next update in 10 min"
    clock.advance(minutes=15)
    cadence = incident_cadence(store, inc, Config())
    assert cadence.text(clock()) == "update overdue by 5 min"
    assert cadence.overdue(clock())


def test_sending_an_update_restarts_the_clock(store: Store, clock: FakeClock) -> None:
    """The next update is due one interval after the last one sent, not after the start."""
    inc = sev1(store, clock, minutes_ago=45)
    assert incident_cadence(store, inc, Config()).overdue(clock())
    event = log_update(store, inc, "All hands on it")
    assert event.kind.value == "comms" and event.text == "Stakeholder update: All hands on it"
    clock.advance(minutes=12)
    assert incident_cadence(store, inc, Config()).text(clock()) == "next update in 18 min"


def test_an_update_typed_by_hand_counts_and_a_deleted_one_does_not(store: Store, clock: FakeClock) -> None:
    """A comms event starting with "Stakeholder update" is one; other comms events and notes are not."""
    inc = sev1(store, clock)
    store.log_event(inc, "Status page updated", kind="comms")
    store.log_event(inc, "Stakeholder update is overdue", kind="note")
    assert last_update(store, inc) is None
    typed = store.log_event(inc, "stakeholder update sent to #exec by email", kind="comms")
    assert last_update(store, inc) == typed
    store.delete_event(typed.id or 0)
    assert last_update(store, inc) is None


@pytest.mark.parametrize(("severity", "status"), [("SEV3", "investigating"), ("SEV1", "resolved")])
def test_no_update_is_due_without_a_cadence_or_after_resolution(
    store: Store, clock: FakeClock, severity: str, status: str
) -> None:
    """SEV3 has no interval by default; a resolved incident owes no more updates."""
    inc = sev1(store, clock, minutes_ago=300, severity=severity)
    store.update_incident(inc, status=status)
    cadence = incident_cadence(store, inc, Config())
    assert cadence.due_at is None and cadence.text(clock()) == "" and not cadence.overdue(clock())


def test_the_interval_comes_from_the_config_file(store: Store, clock: FakeClock) -> None:
    """`update_every = "15m"` for SEV3 gives a SEV3 incident a cadence."""
    config = parse('[severities.SEV3]\nupdate_every = "15m"\n')
    inc = sev1(store, clock, minutes_ago=5, severity="SEV3")
    assert incident_cadence(store, inc, config).text(clock()) == "next update in 10 min"


def test_the_draft_says_what_is_affected_what_is_done_and_when_next(store: Store, clock: FakeClock) -> None:
    """The draft is plain text from the incident as it stands."""
    inc = sev1(store, clock)
    store.update_incident(inc, customers_affected="EU card payments fail", business_impact="~400 orders lost")
    store.log_event(inc, "Roll back payments-api to v2.30", kind="action")
    store.log_event(inc, "Freeze deploys", kind="decision")
    store.log_event(inc, "just a note", kind="note")
    text = draft_update(store, inc, Config(), UTC)
    assert text.splitlines()[0] == "Stakeholder update: Checkout failing (INC-1)"
    assert "What is affected: EU card payments fail" in text
    assert "Current status: We are investigating the cause. Impact: ~400 orders lost" in text
    assert "- Roll back payments-api to v2.30\n- Freeze deploys" in text and "just a note" not in text
    assert "Started: 13:40 UTC (20 min before this update)" in text
    assert text.endswith("Next update: by 14:30 UTC.")
    assert is_update("comms", text)


def test_an_update_survives_the_json_export_and_import(store: Store, clock: FakeClock, tmp_path: object) -> None:
    """The update is recognised by its text, so a round trip keeps it and its clock."""
    inc = sev1(store, clock)
    log_update(store, inc, "Stakeholder update: line one\nline two")
    exported = render_json(store, inc, UTC)
    other = Store(":memory:", clock)
    import_text(other, exported, as_id="INC-2")
    found = last_update(other, "INC-2")
    assert found is not None and found.text == "Stakeholder update: line one\nline two"
    assert incident_cadence(other, "INC-2", Config()).text(clock()) == "next update in 30 min"


def test_a_handover_is_logged_only_when_the_role_changes_hands(store: Store, clock: FakeClock) -> None:
    """First holder: no event. Someone else: one event. The same person again: nothing."""
    inc = sev1(store, clock)
    first = set_role(store, inc, "ic", "alex")
    assert first.handover is None and store.incident(inc).commander == "alex"
    second = set_role(store, inc, "IC", "@sam")
    assert second.handover is not None
    assert second.handover.text == "Handover: incident commander alex → sam"
    assert set_role(store, inc, "commander", "sam").handover is None
    assert [e.text for e in store.events(inc)] == ["Handover: incident commander alex → sam"]


@pytest.mark.parametrize(("role", "name", "message"), [("boss", "x", "unknown role"), ("ic", "  ", "give the name")])
def test_a_bad_role_changes_nothing(store: Store, clock: FakeClock, role: str, name: str, message: str) -> None:
    """One clear sentence; the incident and timeline stay as they were."""
    inc = sev1(store, clock)
    set_role(store, inc, "ic", "alex")
    with pytest.raises(InputError, match=message):
        set_role(store, inc, role, name)
    assert store.incident(inc).commander == "alex" and store.events(inc) == []


def busy_incident(store: Store, clock: FakeClock) -> str:
    """An incident with more of everything than 24 rows can show."""
    inc = sev1(store, clock, minutes_ago=50)
    set_role(store, inc, "ic", "alex")
    set_role(store, inc, "comms", "priya")
    for i in range(6):
        store.log_event(inc, f"hypothesis {i} [bold]not markup[/]", kind="hypothesis", team="db")
        store.log_event(inc, f"action {i}", kind="action")
        store.log_event(inc, f"decision {i}", kind="decision")
    log_update(store, inc, "first\nsecond\nthird\nfourth\nfifth")
    return inc


def test_the_catchup_fits_80x24_keeping_the_important_lines(store: Store, clock: FakeClock) -> None:
    """Severity, status, elapsed, roles, the update clock, impact and key times always; then the newest entries."""
    inc = busy_incident(store, clock)
    shown = lines(catch_up(store, inc, Config()), UTC, width=78, height=23)
    texts = [text for text, _ in shown]
    assert len(shown) == 23 and all(len(t) <= 78 for t in texts)
    assert texts[0].startswith("SEV1 · investigating · elapsed 50 min")
    assert texts[2] == "IC alex · scribe — · comms priya"
    assert texts[3] == "next update in 30 min"
    for heading in ("Open hypotheses (6), latest 3", "Actions in flight", "Last decisions"):
        assert heading in texts
    assert "  14:00 hypothesis 5 [bold]not markup[/] @db" in texts  # the newest, literally
    assert any(t.startswith("Last stakeholder update: 14:00") for t in texts)


def test_the_catchup_key_times_wrap_rather_than_lose_the_resolved_time(store: Store, clock: FakeClock) -> None:
    """At 80 columns all four key times show, on a second line if need be; none is cut to an ellipsis."""
    inc = busy_incident(store, clock)
    for name in ("detected", "mitigated", "resolved"):
        store.update_incident(inc, **{f"{name}_at": clock.now - dt.timedelta(minutes=1)})
    texts = [text for text, _ in lines(catch_up(store, inc, Config()), UTC, width=78, height=23)]
    assert all(len(t) <= 78 and "…" not in t for t in texts[:7])
    joined = " ".join(t.strip() for t in texts if "Key times" in t or t.startswith("  resolved"))
    assert "detected 13:59 · mitigated 13:59" in joined and "resolved 13:59" in joined


def test_the_catchup_json_has_every_part(store: Store, clock: FakeClock) -> None:
    """`warroom catchup --json` prints this."""
    inc = busy_incident(store, clock)
    data = json.loads(json.dumps(catch_up(store, inc, Config()).as_json()))
    assert data["roles"] == {"commander": "alex", "scribe": "", "comms": "priya"}
    assert data["open_hypotheses_total"] == 6 and len(data["open_hypotheses"]) == 3
    assert data["open_hypotheses"][0]["text"] == "hypothesis 5 [bold]not markup[/]"
    assert data["next_update_due"] == "2026-11-27T14:30:00.000000Z" and data["update_overdue"] is False
    assert data["last_update"]["text"].startswith("Stakeholder update: first")
    assert data["elapsed_seconds"] == 50 * 60


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("STAKEHOLDER UPDATE: all good", True),
        ("stakeholder updates sent", True),
        ("Stakeholder-update sent", False),
        ("Sent the stakeholder update", False),
        ("Stakeholder upda", False),
        ("Ｓtakeholder update (full-width S)", False),
    ],
)
def test_the_file_and_the_code_agree_on_what_is_an_update(
    store: Store, clock: FakeClock, text: str, counts: bool
) -> None:
    """The indexed query and `is_update` give the same answer, whatever the case or look-alike letters."""
    inc = sev1(store, clock)
    store.log_event(inc, text, kind="comms")
    assert is_update("comms", text) is counts
    assert (last_update(store, inc) is not None) is counts


def test_an_update_survives_the_markdown_export_and_import(store: Store, clock: FakeClock) -> None:
    """The Markdown timeline keeps the kind and the opening words, so the imported incident knows its last update."""
    from warroom.store.export_md import render_markdown

    inc = sev1(store, clock)
    log_update(store, inc, draft_update(store, inc, Config(), UTC))
    other = Store(":memory:", clock)
    import_text(other, render_markdown(store, inc, UTC), as_id="INC-2")
    found = last_update(other, "INC-2")
    assert found is not None and found.text.startswith("Stakeholder update: Checkout failing (INC-1) Severity: SEV1")


def test_the_catch_up_lists_only_hypotheses_still_open(store: Store, clock: FakeClock) -> None:
    """A hypothesis ruled out with a reason leaves the catch-up's open list and its count."""
    from warroom.store.hypotheses import HypothesisStatus, settle

    incident_id = store.create_incident("Checkout errors", severity="SEV2").id
    cache = store.log_event(incident_id, "cache stampede?", kind="hypothesis")
    store.log_event(incident_id, "DNS flapping?", kind="hypothesis")
    assert catch_up(store, incident_id, Config()).hypotheses_total == 2
    settle(store, incident_id, cache.id or 0, HypothesisStatus.RULED_OUT, "hit rate stayed at 99%")
    caught = catch_up(store, incident_id, Config())
    assert [h.text for h in caught.hypotheses] == ["DNS flapping?"]
    assert caught.hypotheses_total == 1


def test_a_command_typed_after_a_refused_role_is_not_a_name(store: Store, clock: FakeClock) -> None:
    """`/role ic` refused for its missing name stays in the line; `/rule-out 5 ...` typed next is not the IC."""
    inc = sev1(store, clock)
    set_role(store, inc, "ic", "alex")
    with pytest.raises(InputError, match="looks like a command"):
        set_role(store, inc, "ic", "/rule-out 5 because x")
    assert store.incident(inc).commander == "alex" and store.events(inc) == []
