"""A resolved milestone resolves the incident, however it is logged; resolving an incident records when.

The TUI's `!resolved` and `warroom log --milestone resolved` both set the resolved key time (the
milestone event decides it) and move a still-open incident to resolved; a closed one stays closed.
The other way round, `/status resolved` and `warroom set status resolved` (or closed) on an incident with
no resolved time record it as now: otherwise every duration measured to it (the incident list's, the
header's elapsed time) kept running for an incident that is over.
"""

from __future__ import annotations

import datetime as dt

from warroom.store.kinds import OPEN_STATUSES, Milestone, Status
from warroom.store.store import Store


def resolve_on_milestone(store: Store, incident_id: str, milestone: str | None) -> bool:
    """Move a still-open incident to resolved when `milestone` is resolved; whether it did (call inside a write)."""
    if milestone != Milestone.RESOLVED.value or store.incident(incident_id).status not in OPEN_STATUSES:
        return False
    store.update_incident(incident_id, status=Status.RESOLVED.value)
    return True


def set_status(store: Store, incident_id: str, status: str) -> dt.datetime | None:
    """Set the incident's status, in one write (one revision, one undo step); the resolved time it recorded, if any.

    Leaving the open statuses (resolved, closed) with no resolved time, from a milestone event or set directly,
    records the resolved time as now; one already set is kept, and reopening leaves it as it is.
    """

    def do() -> dt.datetime | None:
        changes: dict[str, object] = {"status": status}
        resolved = None
        if Status(status) not in OPEN_STATUSES and store.incident(incident_id).resolved_at is None:
            resolved = changes["resolved_at"] = store.now()
        store.update_incident(incident_id, **changes)
        return resolved

    result: dt.datetime | None = store.write(do)
    return result
