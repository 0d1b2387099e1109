"""Writes the incident screen asks for, as jobs for the writer thread; each says how to undo itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from warroom.store.errors import InputError
from warroom.store.key_times import KEY_TIMES, Touched, set_key_times, undo_key_times
from warroom.store.kinds import CLOSED_ACTION_STATUSES, ActionStatus, Status
from warroom.store.resolving import resolve_on_milestone
from warroom.store.resolving import set_status as set_incident_status
from warroom.store.store import Store
from warroom.store.timeparse import UTC, format_duration, typed_back
from warroom.tui.history import Step
from warroom.tui.writer import Job as Job  # the one Job type, named here for the screens

if TYPE_CHECKING:
    from warroom.store.quickentry import Command, LogEntry


@dataclass
class Outcome:
    """What a write did: a message for the status line, how to undo it, which event to show."""

    message: str
    undo: Callable[[Store], Any] | None = None
    event_id: int | None = None
    step: Step | None = None  # how ctrl+z takes it back (tui/history.py)
    then: Callable[[], None] | None = None  # run on the UI thread once reported (an undo moving to redo)
    restored: Step | None = None  # an undo or redo: the record it put back (its row gets the cursor)


def log_entry(incident_id: str, entry: LogEntry, stamp: dt.datetime, tz: dt.tzinfo = UTC) -> Job[Outcome]:
    """Log a quick entry; the first-key stamp is when it happened unless it was backdated.

    `!resolved` also moves a still-open incident to resolved (undo puts both back). An entry before the
    incident's start says so and how to move the start there.
    """

    def job(store: Store) -> Outcome:
        resolves = False

        def log_and_clear() -> Any:
            nonlocal resolves
            event = store.log_event(
                incident_id,
                entry.text,
                occurred_at=entry.occurred_at or stamp,
                kind=entry.kind,
                team=entry.team,
                milestone=entry.milestone,
                starred=entry.starred,
                source="tui",
            )
            store.save_draft(incident_id, "entry", "")
            resolves = resolve_on_milestone(store, incident_id, entry.milestone)
            return event

        # One transaction: a crash between the two writes would keep both the event and its draft,
        # and the restored draft would be logged a second time.
        event = store.write(log_and_clear)
        event_id = event.id or 0
        what = f"{entry.milestone} milestone" if entry.milestone else entry.kind
        message = f"logged {what}" + (" · status resolved" if resolves else "")
        note = before_start_note(store, incident_id, event.occurred_at, tz)
        shown = message + (f" · {note}" if note else "")
        if resolves:
            # Two records changed (the event, the incident's status): undo takes back both, redo is not offered.
            def undo(s: Store) -> None:
                def do() -> None:
                    s.delete_event(event_id)
                    s.undo_last_change("incident", incident_id)

                s.write(do)

            step = Step("event", event_id, None, f"logged event {event_id}", incident_id, undo=undo)
            return Outcome(shown, undo, event_id, step)
        step = Step("event", event_id, None, f"logged event {event_id}", incident_id)
        return Outcome(shown, lambda s: s.delete_event(event_id), event_id, step)

    return job


def edit_event(
    event_id: int, changes: dict[str, Any], message: str = "event updated", tz: dt.tzinfo = UTC, *, hint: str = ""
) -> Job[Outcome]:
    """Change an event; undo restores the previous revision. A new time before the start says so.

    `message` says what was done (and is what ctrl+z later says it undid); `hint`, said after it this once,
    how to take it back."""

    def job(store: Store) -> Outcome:
        event = store.edit_event(event_id, **changes)
        note = before_start_note(store, event.incident_id, event.occurred_at, tz) if "occurred_at" in changes else ""
        step = Step("event", event_id, store.latest_revision_id("event", event_id), message, event.incident_id)
        shown = message + (f" · {hint}" if hint else "") + (f" · {note}" if note else "")
        return Outcome(shown, lambda s: s.undo_last_change("event", event_id), event_id, step)

    return job


def before_start_note(store: Store, incident_id: str, moment: dt.datetime, tz: dt.tzinfo) -> str:
    """When `moment` is before the incident's start: how far, and the command that moves the start there."""
    start = store.incident(incident_id).started_at
    if moment >= start:
        return ""
    same_day = moment.astimezone(tz).date() == store.now().astimezone(tz).date()
    typed = typed_back(moment, tz, "%H:%M:%S" if same_day else "%Y-%m-%dT%H:%M:%S")
    return f"{format_duration(start - moment)} before the incident's start: /started {typed} moves the start"


def set_key_time(incident_id: str, cmd: Command) -> Job[Outcome]:
    """`/started`, `/detected`, `/mitigated`, `/resolved`: set (or clear) one key time; undo puts it back."""
    return save_key_times(incident_id, {cmd.name: cmd.when}, f"{cmd.name} {'cleared' if cmd.when is None else 'set'}")


def save_key_times(incident_id: str, times: dict[str, dt.datetime | None], message: str) -> Job[Outcome]:
    """Set key times (moving the milestone events that decide them); undo puts every record back."""

    def job(store: Store) -> Outcome:
        touched = set_key_times(store, incident_id, times)
        resolved = any(t == ("incident", incident_id) for t in touched) and times.get("resolved") is not None
        status = " · status resolved" if resolved and store.incident(incident_id).status is Status.RESOLVED else ""
        return Outcome(message + status, lambda s: undo_key_times(s, touched))

    return job


def save_writeup(incident_id: str, changes: dict[str, Any], message: str = "write-up saved") -> Job[Outcome]:
    """The write-up form's changes: text fields and key times in one transaction; undo puts all of it back."""
    times = {name.removesuffix("_at"): changes[name] for name in list(changes) if name in _TIME_FIELDS}
    sections: dict[str, str] = changes.get("sections", {})
    texts = {name: value for name, value in changes.items() if name not in _TIME_FIELDS and name != "sections"}

    def job(store: Store) -> Outcome:
        from warroom.store.sections import read_sections, save_sections

        before = read_sections(store, incident_id)

        def both() -> list[Touched]:
            save_sections(store, incident_id, sections)  # the config file's extra sections
            return set_key_times(store, incident_id, times, **texts)

        touched = store.write(both)

        def undo(s: Store) -> None:
            undo_key_times(s, touched)
            save_sections(s, incident_id, {title: before.get(title, "") for title in sections})

        return Outcome(message, undo)

    return job


_TIME_FIELDS = {f"{name}_at" for name in KEY_TIMES}


def update_incident(incident_id: str, changes: dict[str, Any], message: str) -> Job[Outcome]:
    """Change incident fields; undo restores the previous revision."""

    def job(store: Store) -> Outcome:
        store.update_incident(incident_id, **changes)
        step = Step("incident", incident_id, store.latest_revision_id("incident", incident_id), message, incident_id)
        return Outcome(message, lambda s: s.undo_last_change("incident", incident_id), step=step)

    return job


def set_status(incident_id: str, status: str) -> Job[Outcome]:
    """`/status`: resolving an incident with no resolved time records it as now, reopening one clears it
    (store/resolving.py); undo puts back both."""

    def job(store: Store) -> Outcome:
        done = set_incident_status(store, incident_id, status)
        message = "status set" + done.note()
        step = Step("incident", incident_id, store.latest_revision_id("incident", incident_id), message, incident_id)
        return Outcome(message, lambda s: s.undo_last_change("incident", incident_id), step=step)

    return job


def add_factor(incident_id: str, kind: str, text: str, event_ids: tuple[int, ...] = ()) -> Job[Outcome]:
    """Record a factor; undo deletes it."""

    def job(store: Store) -> Outcome:
        factor = store.add_factor(incident_id, text, kind=kind, event_ids=event_ids)
        n = factor.number
        step = Step("factor", factor.id or 0, None, f"added factor {n}", incident_id, n)
        return Outcome(f"{kind} factor added", lambda s: s.edit_factor(incident_id, n, deleted_at=s.now()), step=step)

    return job


def edit_factor(
    incident_id: str, number: int, changes: dict[str, Any], message: str, *, hint: str = ""
) -> Job[Outcome]:
    """Change or delete a factor; undo restores it."""

    def job(store: Store) -> Outcome:
        factor = store.edit_factor(incident_id, number, **changes)
        factor_id = factor.id or 0
        step = Step("factor", factor_id, store.latest_revision_id("factor", factor_id), message, incident_id, number)
        shown = message + (f" · {hint}" if hint else "")
        return Outcome(shown, lambda s: s.undo_last_change("factor", factor_id), step=step)

    return job


def add_action(incident_id: str, title: str, **fields: Any) -> Job[Outcome]:
    """Add an action item; undo deletes it."""

    def job(store: Store) -> Outcome:
        item = store.add_action(incident_id, title, **fields)
        n = item.number
        step = Step("action", item.id or 0, None, f"added action item {n}", incident_id, n)
        return Outcome(f"action item {n} added", lambda s: s.edit_action(incident_id, n, deleted_at=s.now()), step=step)

    return job


def edit_action(
    incident_id: str, number: int, changes: dict[str, Any], message: str, *, hint: str = ""
) -> Job[Outcome]:
    """Change or delete an action item; undo restores it.

    Closing an item already closed (or opening one already open) writes nothing and takes no undo step: `x`
    typed twice before the screen shows the first (a burst over a slow link) would otherwise take a step
    that changes nothing, and the next ctrl+z would say "undone" while the item stayed as it was.
    """

    def job(store: Store) -> Outcome:
        if set(changes) == {"status"}:
            closing = ActionStatus(changes["status"]) in CLOSED_ACTION_STATUSES
            if store.action(incident_id, number).is_closed == closing:
                return Outcome(f"{incident_id} #{number} is already {'closed' if closing else 'open'}")
        item = store.edit_action(incident_id, number, **changes)
        item_id = item.id or 0
        step = Step("action", item_id, store.latest_revision_id("action", item_id), message, incident_id, number)
        shown = message + (f" · {hint}" if hint else "")
        return Outcome(shown, lambda s: s.undo_last_change("action", item_id), step=step)

    return job


def restore_record(incident_id: str, kind: str, key: int) -> Job[Outcome]:
    """Bring a deleted event, factor or action item back from the trash; its row gets the cursor."""
    back: dict[str, Any] = {"deleted_at": None}
    if kind == "event":
        job = edit_event(key, back, f"restored event {key}")
    elif kind == "factor":
        job = edit_factor(incident_id, key, back, f"restored factor {key}")
    else:
        job = edit_action(incident_id, key, back, f"restored action item {key}")

    def restore(store: Store) -> Outcome:
        outcome = job(store)
        outcome.restored = outcome.step
        return outcome

    return restore


def last_event_job(incident_id: str, change: Callable[[Any], dict[str, Any]], message: str) -> Job[Outcome]:
    """Change the most recently logged live event (for /star and /kind)."""

    def job(store: Store) -> Outcome:
        event = store.last_logged_event(incident_id)
        if event is None or event.id is None:
            raise InputError("no event logged yet")
        return edit_event(event.id, change(event), message)(store)

    return job


def command_job(incident_id: str, cmd: Command) -> Job[Outcome] | None:
    """The write a slash command asks for (None for commands that only change the screen)."""
    name = cmd.name
    if name == "sev":
        return update_incident(incident_id, {"severity": cmd.value}, f"severity set to {cmd.value}")
    if name == "role":
        return set_role(incident_id, cmd.values[0], cmd.value)
    if name in ("commander", "scribe", "comms"):
        return set_role(incident_id, name, cmd.value)
    if name == "status":
        return set_status(incident_id, cmd.value)
    if name in ("title", "summary", "owner"):
        return update_incident(incident_id, {name: cmd.value}, f"{name} set")
    if name in ("tag", "untag"):
        return _tags(incident_id, cmd)
    if name in KEY_TIMES:
        return set_key_time(incident_id, cmd)
    if name == "action":
        fields: dict[str, Any] = {"owner": cmd.owner, "deadline": cmd.deadline}
        if cmd.priority:
            fields["priority"] = cmd.priority
        return add_action(incident_id, cmd.title, **fields)
    if name == "factor":
        return add_factor(incident_id, cmd.factor_kind, cmd.value)
    if name == "note":
        return append_note(incident_id, cmd.value)
    if name in ("rule-out", "confirm"):
        return settle_hypothesis(incident_id, cmd.number, cmd.name, cmd.value)
    if name in ("postmortem", "pm-owner", "pm-due"):
        from warroom.tui.postmortem_jobs import postmortem_command_job  # it builds on this module's jobs

        return postmortem_command_job(incident_id, cmd)
    if name == "star":
        return last_event_job(incident_id, lambda e: {"starred": not e.starred}, "star toggled on the last event")
    if name == "kind":
        return last_event_job(
            incident_id,
            lambda e: {"kind": cmd.value},
            f"last event is now {'an' if cmd.value[0] in 'aeiou' else 'a'} {cmd.value}",
        )
    return None


def settle_hypothesis(incident_id: str, number: int, how: str, reason: str) -> Job[Outcome]:
    """Rule out or confirm a hypothesis (logging the note that says why); undo opens it again."""
    from warroom.store.hypotheses import parse_status, settle, unsettle

    def job(store: Store) -> Outcome:
        found, note = settle(store, incident_id, number, parse_status(how), reason, source="tui")
        return Outcome(
            f"hypothesis #{number} {found.status.value}", lambda s: unsettle(s, incident_id, number), note.id
        )

    return job


def _tags(incident_id: str, cmd: Command) -> Job[Outcome]:
    def job(store: Store) -> Outcome:
        tags = set(store.incident(incident_id).tags)
        tags = tags | set(cmd.values) if cmd.name == "tag" else tags - set(cmd.values)
        return update_incident(incident_id, {"tags": sorted(tags)}, "tags: " + (", ".join(sorted(tags)) or "none"))(
            store
        )

    return job


def append_note(incident_id: str, text: str) -> Job[Outcome]:
    """Add a line to the end of the incident's notes; undo restores the previous notes."""

    def job(store: Store) -> Outcome:
        notes = store.incident(incident_id).notes
        joined = f"{notes.rstrip()}\n{text}" if notes.strip() else text
        return update_incident(incident_id, {"notes": joined}, "note added")(store)

    return job


def set_role(incident_id: str, field: str, name: str) -> Job[Outcome]:
    """Give a role to someone, logging a handover when someone else held it; undo puts both back."""

    def job(store: Store) -> Outcome:
        from warroom.store.roles import ROLE_NAMES
        from warroom.store.roles import set_role as give

        change = give(store, incident_id, field, name, source="tui")
        handover = change.handover
        holder = getattr(change.incident, change.field)
        message = f"{ROLE_NAMES[change.field]}: {holder}" + (" · handover logged" if handover else "")

        def undo(s: Store) -> None:
            def do() -> None:
                if handover is not None and handover.id is not None:
                    s.delete_event(handover.id)
                s.undo_last_change("incident", incident_id)

            s.write(do)

        return Outcome(message, undo, handover.id if handover else None)

    return job


def send_update(incident_id: str, text: str, *, copied: bool = False) -> Job[Outcome]:
    """Log a stakeholder update as a comms event; undo deletes it."""

    def job(store: Store) -> Outcome:
        from warroom.store.comms import log_update

        event = log_update(store, incident_id, text, source="tui")
        event_id = event.id or 0
        message = "stakeholder update logged" + (" · copied to the clipboard" if copied else "")
        return Outcome(message, lambda s: s.delete_event(event_id), event_id)

    return job
