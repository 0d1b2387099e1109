"""Who holds the incident's roles (commander, scribe, comms lead), and handovers logged on the timeline.

A role changing from one person to another is a moment the post-mortem needs ("who was deciding at
14:30?"), so it is logged as an event in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from warroom.store.errors import InputError
from warroom.store.kinds import MAX_LINE
from warroom.store.text import controls_visible_line, visible_line

if TYPE_CHECKING:
    from warroom.store.records import Event, Incident
    from warroom.store.store import Store

#: What a role may be called when set (`/role ic alex`) -> the incident field that holds it.
ROLE_WORDS = {
    "ic": "commander",
    "commander": "commander",
    "incident-commander": "commander",
    "scribe": "scribe",
    "comms": "comms",
    "comms-lead": "comms",
}
#: Field -> short label (header, catch-up) and the full name (handover events).
ROLE_LABELS = {"commander": "IC", "scribe": "scribe", "comms": "comms"}
ROLE_NAMES = {"commander": "incident commander", "scribe": "scribe", "comms": "comms lead"}
ROLES_HELP = "ic, scribe or comms"


@dataclass(frozen=True)
class RoleChange:
    """What setting a role did: the incident afterwards and the handover event, if there was one."""

    incident: Incident
    field: str
    before: str
    handover: Event | None


def role_field(word: str) -> str:
    """The incident field a role word names; one clear sentence when it names none."""
    field = ROLE_WORDS.get(word.strip().lower())
    if field is None:
        raise InputError(f"unknown role {visible_line(word)!r}: use {ROLES_HELP}")
    return field


def clean_name(name: str) -> str:
    """A person's name as kept: one line, without a leading @; refused when empty or too long."""
    kept = " ".join(name.split()).removeprefix("@").strip()
    if not kept:
        raise InputError(f"give the name of the person taking the role ({ROLES_HELP})")
    if len(kept) > MAX_LINE:
        raise InputError(f"a name is at most {MAX_LINE} characters")
    if kept.startswith("/"):
        # A refused /role stays in the entry line; a command typed after it must not become someone's name.
        raise InputError(f"a name does not start with '/': {kept.split()[0]!r} looks like a command")
    return kept


def roles_of(incident: Incident) -> dict[str, str]:
    """The three roles by field, in the order they are shown ('' when nobody holds one)."""
    return {field: getattr(incident, field) for field in ROLE_LABELS}


def roles_line(incident: Incident, empty: str = "—") -> str:
    """`IC alex · scribe sam · comms —`, one line."""
    return " · ".join(f"{ROLE_LABELS[f]} {visible_line(name) or empty}" for f, name in roles_of(incident).items())


def set_role(store: Store, incident_id: str, role: str, name: str, *, source: str = "cli") -> RoleChange:
    """Give a role to `name`; when someone else held it, log the handover as an event (one transaction)."""
    field = role_field(role)
    person = clean_name(name)

    def do() -> RoleChange:
        before = getattr(store.incident(incident_id), field)
        incident = store.update_incident(incident_id, **{field: person})
        handover = None
        if before and before != person:
            text = f"Handover: {ROLE_NAMES[field]} {controls_visible_line(before)} → {person}"
            handover = store.log_event(incident_id, text, kind="note", source=source)
        return RoleChange(incident, field, before, handover)

    result: RoleChange = store.write(do)
    return result
