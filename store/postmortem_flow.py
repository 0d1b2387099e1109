"""Where a post-mortem is in its life after the incident: draft → in review → reviewed → published.

A post-mortem that nobody reviews teaches nobody, so each has an owner and a meeting due date. The
due date follows from the severity (the config's `review_within`, by default SEV1 within 3 days of
resolution and SEV2 within 5 business days) unless someone sets one. One row per incident in table
`postmortems`, written only when something is set; an incident without a row is a draft owned by
the incident's owner. Every change keeps the previous row in `revisions` (record type `postmortem`).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from warroom.store.config import Config, SeverityLevel
from warroom.store.errors import InputError
from warroom.store.timeparse import from_db, to_db


class ReviewStatus(StrEnum):
    """The post-mortem's stage."""

    DRAFT = "draft"
    IN_REVIEW = "in-review"
    REVIEWED = "reviewed"
    PUBLISHED = "published"


#: Stages in which the review meeting has not yet happened.
AWAITING_REVIEW = frozenset({ReviewStatus.DRAFT, ReviewStatus.IN_REVIEW})


@dataclass(frozen=True)
class PostmortemState:
    """One post-mortem's stage, owner and due date, and whether it is late."""

    incident_id: str
    status: ReviewStatus
    owner: str
    due: dt.date | None
    due_is_set: bool
    reviewed_at: dt.datetime | None
    published_at: dt.datetime | None

    def overdue(self, today: dt.date) -> bool:
        """Past its due date and not yet reviewed (a due date of today is not overdue)."""
        return self.status in AWAITING_REVIEW and self.due is not None and today > self.due

    def reviewed_on_time(self, tz: dt.tzinfo) -> bool | None:
        """True if reviewed by the due date, False if reviewed late; None with no review or no due date."""
        if self.reviewed_at is None or self.due is None:
            return None
        return self.reviewed_at.astimezone(tz).date() <= self.due

    def to_json(self, today: dt.date) -> dict[str, object]:
        """A plain dict for `--json` output."""
        return {
            "status": self.status.value,
            "owner": self.owner,
            "review_due": self.due.isoformat() if self.due else None,
            "review_overdue": self.overdue(today),
            "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }


def parse_status(text: str) -> ReviewStatus:
    """A stage from what a person types: `in-review`, `in review`, `review`, a unique prefix; else a clear error."""
    wanted = text.strip().lower().replace(" ", "-").replace("_", "-")
    aliases = {"review": ReviewStatus.IN_REVIEW, "inreview": ReviewStatus.IN_REVIEW, "publish": ReviewStatus.PUBLISHED}
    if wanted in aliases:
        return aliases[wanted]
    matches = [s for s in ReviewStatus if s.value.startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(s.value for s in ReviewStatus)
    raise InputError(f"unknown post-mortem status {text!r}: one of {names}")


def parse_due(text: str) -> dt.date | None:
    """A review due date as typed: `2026-12-04`, or `auto` / nothing for the one set by severity."""
    typed = text.strip()
    if typed.lower() in ("", "auto"):
        return None
    try:
        due = dt.date.fromisoformat(typed)
    except ValueError:
        raise InputError(f"review due must be a date like 2026-12-04, or auto: {text!r}") from None
    if not dt.date(1970, 1, 1) <= due <= dt.date(9999, 12, 30):
        raise InputError("review due must be between 1970 and 9999")
    return due


def state(conn: sqlite3.Connection, incident_id: str, config: Config, tz: dt.tzinfo) -> PostmortemState:
    """The post-mortem of one incident (a draft owned by the incident's owner when nothing was set)."""
    incident = conn.execute(
        "SELECT owner, severity, COALESCE("
        "(SELECT MIN(occurred_at) FROM events WHERE incident_id = i.id AND milestone = 'resolved' "
        "AND deleted_at IS NULL), resolved_at) AS resolved FROM incidents i WHERE id = ?",
        (incident_id,),
    ).fetchone()
    if incident is None:
        raise InputError(f"no incident {incident_id!r}")
    row = conn.execute("SELECT * FROM postmortems WHERE incident_id = ?", (incident_id,)).fetchone()
    return _state(incident_id, incident, row, config, tz)


def states(conn: sqlite3.Connection, config: Config, tz: dt.tzinfo) -> dict[str, PostmortemState]:
    """Every incident's post-mortem, in one query (for the library's lists and stats)."""
    rows = conn.execute(
        f"SELECT {STATE_COLUMNS.format(resolved='COALESCE(m.at, i.resolved_at)')} FROM incidents i "
        "LEFT JOIN (SELECT incident_id, MIN(occurred_at) AS at FROM events WHERE milestone = 'resolved' "
        "AND deleted_at IS NULL GROUP BY incident_id) m ON m.incident_id = i.id "
        "LEFT JOIN postmortems p ON p.incident_id = i.id"
    ).fetchall()
    levels: dict[str, SeverityLevel | None] = {}
    return {str(r[0]): state_of_row(r, config, tz, levels) for r in rows}


#: The columns `state_of_row` reads, in its order, from incidents `i` left-joined with postmortems `p`; `resolved`
#: is the expression for the resolution time (the earliest live `resolved` milestone, else the incident's own).
STATE_COLUMNS = "i.id, i.owner, i.severity, {resolved}, p.status, p.owner, p.review_due, p.reviewed_at, p.published_at"


def state_of_row(
    r: Sequence[Any], config: Config, tz: dt.tzinfo, levels: dict[str, SeverityLevel | None]
) -> PostmortemState:
    """The post-mortem from a row of STATE_COLUMNS; `levels` keeps each severity's level between rows."""
    if r[4] is None:  # nothing set yet: a draft owned by the incident's owner, due by the severity
        return PostmortemState(
            str(r[0]), ReviewStatus.DRAFT, str(r[1] or ""), _due(r, config, tz, levels), False, None, None
        )
    saved = {"status": r[4], "owner": r[5], "review_due": r[6], "reviewed_at": r[7], "published_at": r[8]}
    return _state(str(r[0]), {"owner": r[1], "severity": r[2], "resolved": r[3]}, saved, config, tz)


def state_json_of_row(
    r: Sequence[Any], config: Config, tz: dt.tzinfo, levels: dict[str, SeverityLevel | None], today: dt.date
) -> dict[str, object]:
    """`state_of_row(...).to_json(today)` with its keys in sorted order, for listing thousands of incidents."""
    if r[4] is None:  # the usual draft, written out without the state in between
        due = _due(r, config, tz, levels)
        return {
            "owner": str(r[1] or ""),
            "published_at": None,
            "review_due": None if due is None else due.isoformat(),
            "review_overdue": due is not None and today > due,
            "reviewed_at": None,
            "status": ReviewStatus.DRAFT.value,
        }
    return dict(sorted(state_of_row(r, config, tz, levels).to_json(today).items()))


def _due(r: Sequence[Any], config: Config, tz: dt.tzinfo, levels: dict[str, SeverityLevel | None]) -> dt.date | None:
    """The due date the severity gives a post-mortem (row of STATE_COLUMNS) that has none set."""
    severity = str(r[2])
    if severity not in levels:
        levels[severity] = config.severity(severity)
    level = levels[severity]
    if level is None or level.review_within is None or (resolved := _moment(r[3])) is None:
        return None
    return level.review_within.after(resolved.astimezone(tz).date())


def _state(
    incident_id: str,
    incident: sqlite3.Row | dict[str, object],
    row: sqlite3.Row | dict[str, object] | None,
    config: Config,
    tz: dt.tzinfo,
) -> PostmortemState:
    status, owner, due_set, reviewed, published = ReviewStatus.DRAFT, str(incident["owner"] or ""), None, None, None
    if row is not None:
        status = _status(row["status"])
        owner = str(row["owner"] or "") or owner
        due_set = _date(row["review_due"])
        reviewed, published = _moment(row["reviewed_at"]), _moment(row["published_at"])
    due = due_set
    if due is None:
        level = config.severity(str(incident["severity"]))
        resolved = _moment(incident["resolved"])
        if level is not None and level.review_within is not None and resolved is not None:
            due = level.review_within.after(resolved.astimezone(tz).date())
    return PostmortemState(incident_id, status, owner, due, due_set is not None, reviewed, published)


def _status(value: object) -> ReviewStatus:
    try:
        return ReviewStatus(str(value))
    except ValueError:
        return ReviewStatus.DRAFT  # an unknown stored value is read as a draft, never a crash


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _moment(value: object) -> dt.datetime | None:
    try:
        return from_db(str(value)) if value else None
    except ValueError:
        return None


def save(
    conn: sqlite3.Connection,
    incident_id: str,
    now: dt.datetime,
    *,
    status: ReviewStatus | None = None,
    owner: str | None = None,
    review_due: dt.date | None | bool = False,
) -> None:
    """Change the post-mortem's stage, owner or due date (`review_due=None` goes back to the computed one).

    Runs inside the caller's write transaction. Reaching `reviewed` stamps when the review happened (a
    post-mortem published without passing `reviewed` has no review time: it is not counted as reviewed);
    the first `published` stamps publication; going back to draft or in review clears both.
    """
    if conn.execute("SELECT 1 FROM incidents WHERE id = ?", (incident_id,)).fetchone() is None:
        raise InputError(f"no incident {incident_id!r}")
    old = conn.execute("SELECT * FROM postmortems WHERE incident_id = ?", (incident_id,)).fetchone()
    stamp = to_db(now)
    if old is None:
        conn.execute(
            "INSERT INTO postmortems (incident_id, status, owner, updated_at) VALUES (?, 'draft', '', ?)",
            (incident_id, stamp),
        )
        old = conn.execute("SELECT * FROM postmortems WHERE incident_id = ?", (incident_id,)).fetchone()
    else:
        conn.execute(
            "INSERT INTO revisions (record_type, record_id, data, replaced_at) VALUES ('postmortem', ?, ?, ?)",
            (incident_id, json.dumps(dict(old), sort_keys=True), stamp),
        )
    changes: dict[str, object] = {"updated_at": stamp}
    if status is not None:
        changes["status"] = status.value
        if status is ReviewStatus.REVIEWED and not old["reviewed_at"]:
            changes["reviewed_at"] = stamp
        if status is ReviewStatus.PUBLISHED and not old["published_at"]:
            changes["published_at"] = stamp
        if status in AWAITING_REVIEW:
            changes["reviewed_at"] = None  # reopened: the next review is the one that counts
            changes["published_at"] = None
    if owner is not None:
        changes["owner"] = owner.strip()
    if review_due is not False:
        changes["review_due"] = review_due.isoformat() if isinstance(review_due, dt.date) else None
    sets = ", ".join(f"{name} = ?" for name in changes)
    conn.execute(f"UPDATE postmortems SET {sets} WHERE incident_id = ?", (*changes.values(), incident_id))
