"""A resolved milestone resolves the incident, however it is logged.

The TUI's `!resolved` and `warroom log --milestone resolved` both set the resolved key time (the
milestone event decides it) and move a still-open incident to resolved; a closed one stays closed.
"""

from __future__ import annotations

from warroom.store.kinds import OPEN_STATUSES, Milestone, Status
from warroom.store.store import Store


def resolve_on_milestone(store: Store, incident_id: str, milestone: str | None) -> bool:
    """Move a still-open incident to resolved when `milestone` is resolved; whether it did (call inside a write)."""
    if milestone != Milestone.RESOLVED.value or store.incident(incident_id).status not in OPEN_STATUSES:
        return False
    store.update_incident(incident_id, status=Status.RESOLVED.value)
    return True
