"""Overdue post-mortem reviews next to overdue action items, and the share of reviews held on time."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.process_support import warroom_on
from warroom.store.postmortem_flow import PostmortemState, ReviewStatus
from warroom.store.review_followup import overdue_reviews, review_share

UTC = dt.UTC
TODAY = dt.date(2026, 12, 2)


def _pm(
    incident_id: str, status: ReviewStatus, due: dt.date | None, reviewed: dt.date | None = None
) -> PostmortemState:
    at = dt.datetime.combine(reviewed, dt.time(12), UTC) if reviewed else None
    return PostmortemState(incident_id, status, "sam", due, True, at, None)


def test_overdue_is_past_the_due_day_and_not_yet_reviewed() -> None:
    """Due yesterday and in review: 1 day late; due today, reviewed, or published: not listed."""
    states = [
        _pm("A", ReviewStatus.IN_REVIEW, TODAY - dt.timedelta(days=1)),
        _pm("B", ReviewStatus.DRAFT, TODAY),
        _pm("C", ReviewStatus.REVIEWED, TODAY - dt.timedelta(days=9), TODAY),
        _pm("D", ReviewStatus.DRAFT, TODAY - dt.timedelta(days=4)),
    ]
    found = overdue_reviews(states, {"A": "Cache", "D": "DNS"}, TODAY)
    assert [(r.incident_id, r.days_late, r.title) for r in found] == [("D", 4, "DNS"), ("A", 1, "Cache")]
    assert overdue_reviews(states, {}, TODAY, owner="alex") == []


def test_the_share_counts_on_time_late_and_overdue() -> None:
    """Reviewed by the due day counts; reviewed after it, or still awaited after it, does not."""
    states = [
        _pm("A", ReviewStatus.REVIEWED, TODAY, TODAY),
        _pm("B", ReviewStatus.PUBLISHED, TODAY - dt.timedelta(days=3), TODAY),
        _pm("C", ReviewStatus.DRAFT, TODAY - dt.timedelta(days=1)),
        _pm("D", ReviewStatus.DRAFT, None),
    ]
    share = review_share(states, TODAY, UTC)
    assert (share.on_time, share.late, share.overdue, share.text()) == (1, 1, 1, "1 of 3 (33%)")
    assert review_share([], TODAY, UTC).text() == "none due yet"


def test_the_cli_lists_overdue_reviews_next_to_overdue_items_and_counts_them(tmp_path: Path) -> None:
    """Through the installed command: list --json, action list --all-incidents --overdue [--json], stats [--json]."""
    db = tmp_path / "w.db"
    for incident_id, due in (("INC-LATE", "2020-01-01"), ("INC-HELD", "2099-01-01"), ("INC-SLOW", "2020-01-02")):
        assert warroom_on(db, "new", f"Outage {incident_id}", "--id", incident_id, "--owner", "alex").returncode == 0
        assert warroom_on(db, "set", "review-due", due, "-i", incident_id).returncode == 0
    for incident_id in ("INC-HELD", "INC-SLOW"):
        assert warroom_on(db, "set", "postmortem", "reviewed", "-i", incident_id).returncode == 0
    assert warroom_on(db, "action", "add", "Add alert", "-i", "INC-HELD", "--deadline", "2020-02-01").returncode == 0

    listed = {d["incident"]["id"]: d["postmortem"] for d in json.loads(warroom_on(db, "list", "--json").stdout)}
    assert listed["INC-LATE"]["review_overdue"] is True and listed["INC-LATE"]["status"] == "draft"
    assert listed["INC-HELD"]["status"] == "reviewed" and listed["INC-HELD"]["review_overdue"] is False

    text = warroom_on(db, "action", "list", "--all-incidents", "--overdue")
    assert text.returncode == 0
    reviews, items = text.stdout.split("OVERDUE (1)")
    assert reviews.startswith("OVERDUE POST-MORTEM REVIEWS (1)\n  INC-LATE  review due 2020-01-01")
    assert "INC-HELD" not in reviews and "Add alert" in items
    rows = json.loads(warroom_on(db, "action", "list", "--all-incidents", "--overdue", "--json").stdout)
    assert [(r["item"], r["incident_id"]) for r in rows] == [("review", "INC-LATE"), ("action", "INC-HELD")]
    assert rows[0]["review_due"] == "2020-01-01" and rows[0]["owner"] == "alex"

    stats = warroom_on(db, "stats")
    assert "Post-mortems reviewed by their due date: 1 of 3 (33%)" in stats.stdout
    counted = json.loads(warroom_on(db, "stats", "--json").stdout)["postmortem_reviews"]
    assert counted == {
        "reviewed_on_time": 1,
        "reviewed_late": 1,
        "overdue": 1,
        "decided": 3,
        "share_reviewed_on_time": 1 / 3,
    }
