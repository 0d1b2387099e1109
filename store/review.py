"""What a post-mortem review says about one step of the timeline: its phase, its timing, its gaps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from warroom.store.records import Event, Incident
from warroom.store.timeparse import format_duration

#: A silence at least this long before an event is called out in the review.
GAP_THRESHOLD = dt.timedelta(minutes=10)


class Phase(StrEnum):
    """Where the incident stood at a moment, named for what the people in it were doing."""

    UNDETECTED = "undetected"
    RESPONDING = "investigating / mitigating"
    RECOVERING = "recovering"
    RESOLVED = "resolved"


PHASE_DESCRIPTIONS = {
    Phase.UNDETECTED: "impact had begun; nobody knew yet",
    Phase.RESPONDING: "detected; finding the cause and stopping the impact",
    Phase.RECOVERING: "impact stopped; bringing service back to normal",
    Phase.RESOLVED: "service restored; follow-up and clean-up",
}


def phase_at(
    moment: dt.datetime,
    *,
    detected: dt.datetime | None,
    mitigated: dt.datetime | None,
    resolved: dt.datetime | None,
) -> Phase:
    """The phase at `moment`; a milestone's own moment already belongs to the phase it opens.

    Without a recorded detection the incident counts as detected from the start: someone was
    logging it, and calling every event "undetected" would mislead the room.
    """
    if resolved is not None and moment >= resolved:
        return Phase.RESOLVED
    if mitigated is not None and moment >= mitigated:
        return Phase.RECOVERING
    if detected is not None and moment < detected:
        return Phase.UNDETECTED
    return Phase.RESPONDING


def incident_phase_at(incident: Incident, moment: dt.datetime) -> Phase:
    """The phase of an incident at `moment`, from its detect / mitigate / resolve times."""
    return phase_at(
        moment, detected=incident.detected_at, mitigated=incident.mitigated_at, resolved=incident.resolved_at
    )


def gap_text(silence: dt.timedelta | None) -> str:
    """ "no entries for 17 min" when the silence before an event reaches GAP_THRESHOLD, else ""."""
    if silence is None or silence < GAP_THRESHOLD:
        return ""
    return f"no entries for {format_duration(silence)}"


@dataclass(frozen=True)
class StepContext:
    """The facts shown beside one event in the review."""

    phase: Phase
    since_start: dt.timedelta
    since_previous: dt.timedelta | None
    gap: str

    @property
    def phase_description(self) -> str:
        """One sentence about the phase."""
        return PHASE_DESCRIPTIONS[self.phase]


def step_context(incident: Incident, event: Event, previous: Event | None) -> StepContext:
    """Phase, time since the start and since the previous event, and any gap before `event`."""
    since_previous = None if previous is None else event.occurred_at - previous.occurred_at
    return StepContext(
        phase=incident_phase_at(incident, event.occurred_at),
        since_start=event.occurred_at - incident.started_at,
        since_previous=since_previous,
        gap=gap_text(since_previous),
    )


def signed_duration(delta: dt.timedelta | None) -> str:
    """`+12 min` or `-3 min` (before the start), an em dash when unknown."""
    if delta is None:
        return "—"
    if delta < dt.timedelta(0):
        return "-" + format_duration(-delta)
    return "+" + format_duration(delta)
