"""The post-mortem's workflow: draft → in review → reviewed → published, an owner, a review due date by severity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import FakeClock
from tests.process_support import warroom_on
from warroom.store.config import Config, parse
from warroom.store.errors import InputError
from warroom.store.postmortem_flow import ReviewStatus, parse_status
from warroom.store.store import Store

UTC = dt.UTC
FRIDAY = dt.datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Store:
    """A store on the fake clock (Friday 2026-11-27 14:00 UTC)."""
    opened = Store(tmp_path / "w.db", clock=clock)
    yield opened  # type: ignore[misc]
    opened.close()


def _resolved(store: Store, severity: str) -> str:
    incident_id = store.create_incident("Outage", severity=severity, owner="alex").id
    store.update_incident(incident_id, resolved_at=FRIDAY)
    return incident_id


def test_a_new_post_mortem_is_a_draft_of_the_incident_owner_with_no_date_until_resolved(store: Store) -> None:
    """Nothing is due before the incident is resolved."""
    incident_id = store.create_incident("Outage", severity="SEV1", owner="alex").id
    pm = store.postmortem(incident_id, Config(), UTC)
    assert (pm.status, pm.owner, pm.due) == (ReviewStatus.DRAFT, "alex", None)


def test_due_dates_follow_the_severity(store: Store) -> None:
    """SEV1: 3 days after resolution; SEV2: 5 business days (Friday -> next Friday); SEV3: none."""
    assert store.postmortem(_resolved(store, "SEV1"), Config(), UTC).due == dt.date(2026, 11, 30)
    assert store.postmortem(_resolved(store, "SEV2"), Config(), UTC).due == dt.date(2026, 12, 4)
    assert store.postmortem(_resolved(store, "SEV3"), Config(), UTC).due is None
    custom = parse('[severities.SEV3]\nreview_within = "1d"\n')
    assert store.postmortem(_resolved(store, "SEV3"), custom, UTC).due == dt.date(2026, 11, 28)


def test_the_stages_stamp_the_review_and_reopening_clears_it(store: Store, clock: FakeClock) -> None:
    """Reviewed stamps the review; published keeps it; back to in-review starts over. Each change is kept."""
    incident_id = _resolved(store, "SEV1")
    store.set_postmortem(incident_id, status=ReviewStatus.IN_REVIEW, owner="sam")
    clock.advance(days=2)
    store.set_postmortem(incident_id, status=ReviewStatus.REVIEWED)
    pm = store.postmortem(incident_id, Config(), UTC)
    assert (pm.status, pm.owner, pm.reviewed_at) == (ReviewStatus.REVIEWED, "sam", clock.now)
    assert pm.reviewed_on_time(UTC) is True and not pm.overdue(dt.date(2026, 12, 25))
    store.set_postmortem(incident_id, status=ReviewStatus.PUBLISHED)
    assert store.postmortem(incident_id, Config(), UTC).published_at == clock.now
    store.set_postmortem(incident_id, status=ReviewStatus.IN_REVIEW)
    reopened = store.postmortem(incident_id, Config(), UTC)
    assert reopened.reviewed_at is None and reopened.published_at is None
    assert [r["status"] for r in store.revisions("postmortem", incident_id)] == ["in-review", "reviewed", "published"]


def test_overdue_is_after_the_due_day_until_reviewed(store: Store) -> None:
    """Due Monday 2026-11-30: not overdue that day, overdue on Tuesday, not once reviewed."""
    incident_id = _resolved(store, "SEV1")
    pm = store.postmortem(incident_id, Config(), UTC)
    assert not pm.overdue(dt.date(2026, 11, 30)) and pm.overdue(dt.date(2026, 12, 1))
    store.set_postmortem(incident_id, review_due=dt.date(2026, 12, 10))
    assert not store.postmortem(incident_id, Config(), UTC).overdue(dt.date(2026, 12, 1))
    store.set_postmortem(incident_id, review_due=None)  # back to the severity's
    assert store.postmortem(incident_id, Config(), UTC).due == dt.date(2026, 11, 30)


def test_every_incident_in_one_call_matches_one_by_one(store: Store) -> None:
    """The library's view agrees with the single read."""
    ids = [_resolved(store, sev) for sev in ("SEV1", "SEV2", "SEV3")]
    store.set_postmortem(ids[1], status=ReviewStatus.REVIEWED)
    every = store.postmortems(Config(), UTC)
    assert all(every[i] == store.postmortem(i, Config(), UTC) for i in ids)


@pytest.mark.parametrize(
    ("typed", "status"), [("in review", "in-review"), ("review", "in-review"), ("pub", "published")]
)
def test_what_people_type_for_a_stage(typed: str, status: str) -> None:
    """Spaces, prefixes and the obvious short words are understood."""
    assert parse_status(typed).value == status


def test_an_unknown_stage_is_one_clear_error() -> None:
    """The message lists the stages."""
    with pytest.raises(InputError, match="one of draft, in-review, reviewed, published"):
        parse_status("done")


def test_the_cli_moves_the_post_mortem_and_show_says_where_it_is(tmp_path: Path) -> None:
    """`warroom set postmortem …` through the installed command; bad input is exit 2 and changes nothing."""
    db = tmp_path / "w.db"
    assert warroom_on(db, "new", "Outage", "--id", "INC-1", "--severity", "SEV1", "--owner", "alex").returncode == 0
    assert warroom_on(db, "set", "resolved", "2026-11-27T15:00Z").returncode == 0
    moved = warroom_on(db, "set", "postmortem", "in-review")
    assert (moved.returncode, moved.stdout) == (0, "INC-1: post-mortem in-review\n")
    bad = warroom_on(db, "set", "postmortem", "finished")
    assert bad.returncode == 2 and bad.stderr.startswith("warroom: unknown post-mortem status 'finished'")
    assert warroom_on(db, "set", "review-due", "2026-02-30").returncode == 2
    assert warroom_on(db, "set", "review-due", "2026-12-09").stdout == "INC-1: review due 2026-12-09\n"
    assert warroom_on(db, "set", "postmortem-owner", "sam").returncode == 0
    shown = warroom_on(db, "show").stdout
    assert "post-mortem: in-review · sam · review due 2026-12-09" in shown
