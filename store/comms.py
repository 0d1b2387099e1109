"""Stakeholder updates: how often they are due (by severity), the last one sent, and a drafted next one.

A stakeholder update is a comms event whose text starts with "Stakeholder update". Recognising it by its
words rather than by a separate flag means it needs nothing new in the exports: the JSON and Markdown
post-mortems and `warroom import` carry it as they carry every event, and an update sent by hand
(`"Stakeholder update sent to #status` typed in the entry line) resets the clock too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from warroom.store.kinds import OPEN_STATUSES, EventKind, Status
from warroom.store.spans import next_update_text
from warroom.store.text import controls_visible_line
from warroom.store.timeparse import format_duration, zone_name

if TYPE_CHECKING:
    from warroom.store.config import Config
    from warroom.store.reads import Reads
    from warroom.store.records import Event, Incident
    from warroom.store.store import Store

#: The words a comms event starts with to count as a stakeholder update (case-insensitive).
UPDATE_PREFIX = "Stakeholder update"
#: Most recent "what is being done" entries a draft lists.
DOING_LINES = 3

_STATUS_SENTENCES = {
    Status.INVESTIGATING: "We are investigating the cause.",
    Status.IDENTIFIED: "The cause has been identified and a fix is in progress.",
    Status.MONITORING: "A fix is in place and we are monitoring the results.",
    Status.RESOLVED: "The incident is resolved.",
    Status.CLOSED: "The incident is closed.",
}


def is_update(kind: str, text: str) -> bool:
    """Whether an event with this kind and text is a stakeholder update (the same test as idx_events_updates)."""
    head = text[: len(UPDATE_PREFIX)]
    # ASCII-only lowering, as SQLite's lower() does: the index and this test never disagree.
    return kind == EventKind.COMMS.value and head.isascii() and head.lower() == UPDATE_PREFIX.lower()


def marked(text: str) -> str:
    """The text as it is logged: it starts with the prefix, so it is recognised as an update later."""
    stripped = text.strip()
    return stripped if is_update(EventKind.COMMS.value, stripped) else f"{UPDATE_PREFIX}: {stripped}"


def last_update(store: Reads, incident_id: str) -> Event | None:
    """The latest live stakeholder update (by when it happened), if any was sent."""
    return store.last_stakeholder_update(incident_id)


@dataclass(frozen=True)
class Cadence:
    """How often stakeholders hear about this incident and when the next update is due."""

    every: dt.timedelta | None
    last_sent: dt.datetime | None
    due_at: dt.datetime | None

    def text(self, now: dt.datetime) -> str:
        """`next update in 12 min`, `update overdue by 5 min`, or '' when no update is due."""
        return next_update_text(self.due_at, now)

    def overdue(self, now: dt.datetime) -> bool:
        """Whether the next update is late."""
        return self.due_at is not None and now >= self.due_at


def update_every(incident: Incident, config: Config) -> dt.timedelta | None:
    """The severity's update interval from the config; None for severities without one."""
    level = config.severity(incident.severity)
    return level.update_every if level else None


def cadence(incident: Incident, last: Event | None, config: Config) -> Cadence:
    """When the next update is due: the interval after the last one sent, else after the incident's start.

    A resolved or closed incident owes no more updates.
    """
    every = update_every(incident, config)
    sent = last.occurred_at if last else None
    if every is None or incident.status not in OPEN_STATUSES:
        return Cadence(every, sent, None)
    return Cadence(every, sent, (sent or incident.started_at) + every)


def incident_cadence(store: Reads, incident_id: str, config: Config) -> Cadence:
    """The cadence of one incident as it stands in the file."""
    return cadence(store.incident(incident_id), last_update(store, incident_id), config)


def draft_update(store: Reads, incident_id: str, config: Config, tz: dt.tzinfo) -> str:
    """A plain-text stakeholder update from the incident as it stands; the next one promised one interval on."""
    incident = store.incident(incident_id)
    now = store.now()
    zone = zone_name(tz)

    def clock(moment: dt.datetime) -> str:
        local = moment.astimezone(tz)
        same_day = local.date() == now.astimezone(tz).date()
        return local.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M") + f" {zone}"

    lines = [f"{UPDATE_PREFIX}: {controls_visible_line(incident.title)} ({incident.id})"]
    lines.append(f"Severity: {incident.severity} · Status: {incident.status.value}")
    # Durations are said relative to this update, never to "now": a logged update stays true when read later.
    lines.append(
        f"Started: {clock(incident.started_at)} ({format_duration(now - incident.started_at)} before this update)"
    )
    affected = controls_visible_line(incident.customers_affected).strip() or "Still being assessed."
    lines.append(f"What is affected: {affected}")
    impact = controls_visible_line(incident.business_impact or incident.summary).strip()
    status = _STATUS_SENTENCES[incident.status]
    if incident.mitigated_at and incident.status in OPEN_STATUSES:
        status += f" Impact was mitigated at {clock(incident.mitigated_at)}."
    lines.append(f"Current status: {status}" + (f" Impact: {impact}" if impact else ""))
    lines.append("What we are doing:")
    doing = store.being_done(incident_id, DOING_LINES)  # the latest actions and decisions, oldest first
    lines += [f"- {controls_visible_line(text)}" for text in doing] or ["- Investigating; more in the next update."]
    every = update_every(incident, config)
    if incident.status not in OPEN_STATUSES:
        lines.append("Next update: none planned unless something changes.")
    elif every is None:
        lines.append("Next update: when there is news.")
    else:
        lines.append(f"Next update: by {clock(now + every)}.")
    return "\n".join(lines)


def log_update(store: Store, incident_id: str, text: str, *, source: str = "cli", author: str = "") -> Event:
    """Log a stakeholder update as a comms event (marked so it is recognised); it restarts the cadence."""
    return store.log_event(incident_id, marked(text), kind=EventKind.COMMS.value, source=source, author=author)
