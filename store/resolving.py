"""A resolved milestone resolves the incident, however it is logged; resolving an incident records when.

The TUI's `!resolved` and `warroom log --milestone resolved` both set the resolved key time (the
milestone event decides it) and move a still-open incident to resolved; a closed one stays closed.
The other way round, `/status resolved` and `warroom set status resolved` (or closed) on an incident with
no resolved time record it as now: otherwise every duration measured to it (the incident list's, the
header's elapsed time) kept running for an incident that is over. Setting an open status again clears it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from warroom.store.kinds import OPEN_STATUSES, Milestone, Status
from warroom.store.store import Store


def resolve_on_milestone(store: Store, incident_id: str, milestone: str | None) -> bool:
    """Move a still-open incident to resolved when `milestone` is resolved; whether it did (call inside a write)."""
    if milestone != Milestone.RESOLVED.value or store.incident(incident_id).status not in OPEN_STATUSES:
        return False
    store.update_incident(incident_id, status=Status.RESOLVED.value)
    return True


@dataclass(frozen=True)
class StatusSet:
    """What setting a status did to the resolved time besides: recorded it as now, or cleared the one it had."""

    recorded: dt.datetime | None = None
    cleared: dt.datetime | None = None

    def note(self, shown: Callable[[dt.datetime], str] = lambda _when: "") -> str:
        """What to say after "status set" (the shell and the TUI say it alike); `shown` writes a time, if wanted."""
        if self.recorded is not None:
            when = shown(self.recorded)
            return " · resolved time set to now" + (f" ({when})" if when else "")
        if self.cleared is not None:
            when = shown(self.cleared)
            return " · resolved time cleared" + (f" (was {when})" if when else "")
        return ""


def set_status(store: Store, incident_id: str, status: str) -> StatusSet:
    """Set the incident's status, in one write (one revision, one undo step), and the resolved time with it.

    Leaving the open statuses (resolved, closed) with no resolved time, from a milestone event or set directly,
    records the resolved time as now; one already set is kept. Reopening (back to an open status) clears the
    resolved time it had, so the elapsed time runs again and a later resolve records its own moment; a resolved
    milestone event still decides it (the event is on the timeline, saying when).
    """

    def do() -> StatusSet:
        changes: dict[str, object] = {"status": status}
        incident = store.incident(incident_id)
        done = StatusSet()
        if Status(status) not in OPEN_STATUSES:
            if incident.resolved_at is None:
                done = StatusSet(recorded=store.now())
                changes["resolved_at"] = done.recorded
        elif (
            incident.status not in OPEN_STATUSES
            and incident.resolved_at is not None
            and Milestone.RESOLVED.value not in store.milestone_events(incident_id)
        ):
            done = StatusSet(cleared=incident.resolved_at)
            changes["resolved_at"] = None
        store.update_incident(incident_id, **changes)
        return done

    result: StatusSet = store.write(do)
    return result
