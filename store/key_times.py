"""Setting an incident's key times (started, detected, mitigated, resolved) from the TUI, in one transaction.

A key time is the earliest live milestone event of that name, else the time set on the incident (as
`Store.incident` merges them). So setting one that a milestone event decides moves that event (its
previous time is kept as a revision); setting one no event decides sets the incident's own field.
Setting a resolved time also moves a still-open incident to `resolved`, as `!resolved` does.
"""

from __future__ import annotations

import datetime as dt

from warroom.store.errors import InputError
from warroom.store.kinds import OPEN_STATUSES, Status
from warroom.store.store import Store

#: The key times, in the order they happen.
KEY_TIMES = ("started", "detected", "mitigated", "resolved")

#: (record type, record id) of one record a change touched, for undo.
Touched = tuple[str, "str | int"]


def set_key_times(
    store: Store, incident_id: str, times: dict[str, dt.datetime | None], **fields: object
) -> list[Touched]:
    """Set the given key times (None clears one), and other incident `fields`; returns each record changed.

    The incident is changed at most once, so one revision (one undo step) holds all of its changes.

    Raises InputError, changing nothing, for a start cleared, a time a milestone event decides being cleared,
    or a time moved past another milestone event of the same name (which would then decide it instead).
    """
    unknown = set(times) - set(KEY_TIMES)
    if unknown:
        raise InputError(f"not a key time: {', '.join(sorted(unknown))}")

    def do() -> list[Touched]:
        touched: list[Touched] = []
        events = store.milestone_events(incident_id)
        for name, when in times.items():
            if name == "started":
                if when is None:
                    raise InputError("an incident must have a start time")
                fields["started_at"] = when
            elif name in events:
                event_id, _ = events[name]
                if when is None:
                    raise InputError(f"the {name} time comes from event {event_id}; delete that event to clear it")
                store.edit_event(event_id, occurred_at=when)
                deciding = store.milestone_events(incident_id)[name][0]
                if deciding != event_id:
                    # Another milestone of that name is earlier than the time asked for: it would decide.
                    raise InputError(
                        f"the {name} time would still come from event {deciding}, an earlier {name} milestone;"
                        " edit or delete that event first"
                    )
                touched.append(("event", event_id))
            else:
                fields[f"{name}_at"] = when
        if times.get("resolved") is not None and store.incident(incident_id).status in OPEN_STATUSES:
            fields["status"] = Status.RESOLVED.value
        if fields:
            store.update_incident(incident_id, **fields)
            touched.append(("incident", incident_id))
        return touched

    result: list[Touched] = store.write(do)
    return result


def undo_key_times(store: Store, touched: list[Touched]) -> None:
    """Put back every record `set_key_times` changed, newest change first, in one transaction."""

    def do() -> None:
        for record_type, record_id in reversed(touched):
            store.undo_last_change(record_type, record_id)

    store.write(do)
