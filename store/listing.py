"""The incident overview: every incident with its counts, read in one query."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from warroom.store.kinds import CLOSED_ACTION_STATUSES, OPEN_STATUSES, Milestone
from warroom.store.records import Incident, record_json
from warroom.store.rows import incident_from_row


@dataclass(frozen=True)
class IncidentListing:
    """An incident with the counts an overview needs."""

    incident: Incident
    events: int
    open_actions: int
    overdue_actions: int

    def as_json(self) -> dict[str, Any]:
        """The listing as JSON values, the incident's fields as its JSON export writes them."""
        return {
            "incident": record_json(self.incident),
            "events": self.events,
            "open_actions": self.open_actions,
            "overdue_actions": self.overdue_actions,
        }


def incident_listings(conn: sqlite3.Connection, today: dt.date, *, open_only: bool) -> list[IncidentListing]:
    """Every incident (or the open ones), most recently started first, with event and action counts.

    One query for the lot (counts and milestone times are subqueries on indexes), not two per incident.
    """
    closed = [s.value for s in CLOSED_ACTION_STATUSES]
    marks = ",".join("?" * len(closed))
    milestones = [m.value for m in Milestone]
    where, params = "", [*milestones, *closed, *closed, today.isoformat()]
    if open_only:
        where = f"WHERE i.status IN ({','.join('?' * len(OPEN_STATUSES))})"
        params += [s.value for s in OPEN_STATUSES]
    earliest = ",\n".join(
        f"(SELECT MIN(occurred_at) FROM events e WHERE e.incident_id=i.id AND e.milestone=? "
        f"AND e.deleted_at IS NULL) AS milestone_{n}"
        for n in range(len(milestones))
    )
    rows = conn.execute(
        f"""SELECT i.*, {earliest},
            COALESCE((SELECT n FROM live_event_counts c WHERE c.incident_id=i.id), 0) AS n_events,
            (SELECT COUNT(*) FROM action_items a WHERE a.incident_id=i.id AND a.deleted_at IS NULL
                AND a.status NOT IN ({marks})) AS n_open,
            (SELECT COUNT(*) FROM action_items a WHERE a.incident_id=i.id AND a.deleted_at IS NULL
                AND a.status NOT IN ({marks}) AND a.deadline < ?) AS n_overdue
        FROM incidents i {where} ORDER BY i.started_at DESC, i.id DESC""",
        params,
    ).fetchall()
    listings = []
    extra = {"n_events", "n_open", "n_overdue", *(f"milestone_{n}" for n in range(len(milestones)))}
    for r in rows:
        data = {key: r[key] for key in r.keys() if key not in extra}  # noqa: SIM118 (a Row iterates values)
        for n, name in enumerate(milestones):
            if r[f"milestone_{n}"] is not None:  # as `incident`: a milestone event's time comes first
                data[f"{name}_at"] = r[f"milestone_{n}"]
        listings.append(
            IncidentListing(
                incident=incident_from_row(data),
                events=r["n_events"],
                open_actions=r["n_open"],
                overdue_actions=r["n_overdue"],
            )
        )
    return listings
