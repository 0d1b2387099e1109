"""Follow-through on post-mortem reviews: which are overdue, and what share was reviewed on time.

A review meeting is a promise like an action item's deadline, so late reviews are listed next to late
action items (the follow-through screen, `warroom action list --all-incidents`) and the stats count
how many post-mortems were reviewed by their due date. The rules are PostmortemState's: a review
is overdue when it has not happened and today is past the due date (the due date itself is not late).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from warroom.store.postmortem_flow import PostmortemState


@dataclass(frozen=True)
class OverdueReview:
    """A post-mortem whose review meeting is past its due date."""

    incident_id: str
    title: str
    owner: str
    status: str
    due: dt.date
    days_late: int

    def to_json(self) -> dict[str, object]:
        """A plain dict, marked `"item": "review"` so it is never mistaken for an action item."""
        return {
            "item": "review",
            "group": "overdue",
            "incident_id": self.incident_id,
            "title": self.title,
            "owner": self.owner,
            "postmortem_status": self.status,
            "review_due": self.due.isoformat(),
            "days_late": self.days_late,
        }


def overdue_reviews(
    states: Iterable[PostmortemState], titles: Mapping[str, str], today: dt.date, owner: str | None = None
) -> list[OverdueReview]:
    """The overdue reviews, most late first (then by incident id); only `owner`'s when given."""
    out = []
    for pm in states:
        if not pm.overdue(today) or pm.due is None:
            continue
        if owner is not None and pm.owner.casefold() != owner.casefold():
            continue
        title = titles.get(pm.incident_id, "")
        out.append(OverdueReview(pm.incident_id, title, pm.owner, pm.status.value, pm.due, (today - pm.due).days))
    out.sort(key=lambda r: (-r.days_late, r.incident_id))
    return out


@dataclass(frozen=True)
class ReviewShare:
    """How many post-mortems with a due date were reviewed by it, reviewed late, or are overdue unreviewed."""

    on_time: int
    late: int
    overdue: int

    @property
    def decided(self) -> int:
        """Reviews whose outcome is known: held (on time or late) or already late."""
        return self.on_time + self.late + self.overdue

    @property
    def share(self) -> float | None:
        """The share reviewed on time, or None when no review was due yet."""
        return self.on_time / self.decided if self.decided else None

    def text(self) -> str:
        """`2 of 3 (67%)` or `none due yet`."""
        return f"{self.on_time} of {self.decided} ({self.share:.0%})" if self.share is not None else "none due yet"

    def to_json(self) -> dict[str, object]:
        """A plain dict for `--json`."""
        return {
            "reviewed_on_time": self.on_time,
            "reviewed_late": self.late,
            "overdue": self.overdue,
            "decided": self.decided,
            "share_reviewed_on_time": self.share,
        }


def review_share(states: Iterable[PostmortemState], today: dt.date, tz: dt.tzinfo) -> ReviewShare:
    """Count the reviews of `states` held on time, held late, and still awaited past their due date."""
    on_time = late = overdue = 0
    for pm in states:
        held = pm.reviewed_on_time(tz)
        if held is True:
            on_time += 1
        elif held is False:
            late += 1
        elif pm.overdue(today):
            overdue += 1
    return ReviewShare(on_time, late, overdue)
