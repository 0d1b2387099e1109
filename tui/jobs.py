"""Writes the incident screen asks for, as jobs for the writer thread; each says how to undo itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from store.errors import InputError
from store.quickentry import Command, LogEntry
from store.store import Store
from tui.history import Step

Job = Callable[[Store], "Outcome"]


@dataclass
class Outcome:
    """What a write did: a message for the status line, how to undo it, which event to show."""

    message: str
    undo: Callable[[Store], Any] | None = None
    event_id: int | None = None
    step: Step | None = None  # how ctrl+z takes it back (tui/history.py)
    then: Callable[[], None] | None = None  # run on the UI thread once reported (an undo moving to redo)
    restored: Step | None = None  # an undo or redo: the record it put back (its row gets the cursor)


def log_entry(incident_id: str, entry: LogEntry, stamp: dt.datetime) -> Job:
    """Log a quick entry; the first-key stamp is when it happened unless it was backdated."""

    def job(store: Store) -> Outcome:
        def log_and_clear() -> Any:
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
            return event

        # One transaction: a crash between the two writes would keep both the event and its draft,
        # and the restored draft would be logged a second time.
        event = store.write(log_and_clear)
        event_id = event.id or 0
        what = f"{entry.milestone} milestone" if entry.milestone else entry.kind
        step = Step("event", event_id, None, f"logged event {event_id}", incident_id)
        return Outcome(f"logged {what}", lambda s: s.delete_event(event_id), event_id, step)

    return job


def edit_event(event_id: int, changes: dict[str, Any], message: str = "event updated") -> Job:
    """Change an event; undo restores the previous revision."""

    def job(store: Store) -> Outcome:
        event = store.edit_event(event_id, **changes)
        step = Step("event", event_id, store.latest_revision_id("event", event_id), message, event.incident_id)
        return Outcome(message, lambda s: s.undo_last_change("event", event_id), event_id, step)

    return job


def update_incident(incident_id: str, changes: dict[str, Any], message: str) -> Job:
    """Change incident fields; undo restores the previous revision."""

    def job(store: Store) -> Outcome:
        store.update_incident(incident_id, **changes)
        step = Step("incident", incident_id, store.latest_revision_id("incident", incident_id), message, incident_id)
        return Outcome(message, lambda s: s.undo_last_change("incident", incident_id), step=step)

    return job


def add_factor(incident_id: str, kind: str, text: str, event_ids: tuple[int, ...] = ()) -> Job:
    """Record a factor; undo deletes it."""

    def job(store: Store) -> Outcome:
        factor = store.add_factor(incident_id, text, kind=kind, event_ids=event_ids)
        n = factor.number
        step = Step("factor", factor.id or 0, None, f"added factor {n}", incident_id, n)
        return Outcome(f"{kind} factor added", lambda s: s.edit_factor(incident_id, n, deleted_at=s.now()), step=step)

    return job


def edit_factor(incident_id: str, number: int, changes: dict[str, Any], message: str) -> Job:
    """Change or delete a factor; undo restores it."""

    def job(store: Store) -> Outcome:
        factor = store.edit_factor(incident_id, number, **changes)
        factor_id = factor.id or 0
        step = Step("factor", factor_id, store.latest_revision_id("factor", factor_id), message, incident_id, number)
        return Outcome(message, lambda s: s.undo_last_change("factor", factor_id), step=step)

    return job


def add_action(incident_id: str, title: str, **fields: Any) -> Job:
    """Add an action item; undo deletes it."""

    def job(store: Store) -> Outcome:
        item = store.add_action(incident_id, title, **fields)
        n = item.number
        step = Step("action", item.id or 0, None, f"added action item {n}", incident_id, n)
        return Outcome(f"action item {n} added", lambda s: s.edit_action(incident_id, n, deleted_at=s.now()), step=step)

    return job


def edit_action(incident_id: str, number: int, changes: dict[str, Any], message: str) -> Job:
    """Change or delete an action item; undo restores it."""

    def job(store: Store) -> Outcome:
        item = store.edit_action(incident_id, number, **changes)
        item_id = item.id or 0
        step = Step("action", item_id, store.latest_revision_id("action", item_id), message, incident_id, number)
        return Outcome(message, lambda s: s.undo_last_change("action", item_id), step=step)

    return job


def last_event_job(incident_id: str, change: Callable[[Any], dict[str, Any]], message: str) -> Job:
    """Change the most recently logged live event (for /star and /kind)."""

    def job(store: Store) -> Outcome:
        event = store.last_logged_event(incident_id)
        if event is None or event.id is None:
            raise InputError("no event logged yet")
        return edit_event(event.id, change(event), message)(store)

    return job


def command_job(incident_id: str, cmd: Command) -> Job | None:
    """The write a slash command asks for (None for commands that only change the screen)."""
    name = cmd.name
    if name == "sev":
        return update_incident(incident_id, {"severity": cmd.value}, f"severity set to {cmd.value}")
    if name in ("status", "title", "summary", "owner", "commander", "scribe", "comms"):
        return update_incident(incident_id, {name: cmd.value}, f"{name} set")
    if name in ("tag", "untag"):
        return _tags(incident_id, cmd)
    if name == "action":
        fields: dict[str, Any] = {"owner": cmd.owner, "deadline": cmd.deadline}
        if cmd.priority:
            fields["priority"] = cmd.priority
        return add_action(incident_id, cmd.title, **fields)
    if name == "factor":
        return add_factor(incident_id, cmd.factor_kind, cmd.value)
    if name == "note":
        return append_note(incident_id, cmd.value)
    if name == "star":
        return last_event_job(incident_id, lambda e: {"starred": not e.starred}, "star toggled on the last event")
    if name == "kind":
        return last_event_job(
            incident_id,
            lambda e: {"kind": cmd.value},
            f"last event is now {'an' if cmd.value[0] in 'aeiou' else 'a'} {cmd.value}",
        )
    return None


def _tags(incident_id: str, cmd: Command) -> Job:
    def job(store: Store) -> Outcome:
        tags = set(store.incident(incident_id).tags)
        tags = tags | set(cmd.values) if cmd.name == "tag" else tags - set(cmd.values)
        return update_incident(incident_id, {"tags": sorted(tags)}, "tags: " + (", ".join(sorted(tags)) or "none"))(
            store
        )

    return job


def append_note(incident_id: str, text: str) -> Job:
    """Add a line to the end of the incident's notes; undo restores the previous notes."""

    def job(store: Store) -> Outcome:
        notes = store.incident(incident_id).notes
        joined = f"{notes.rstrip()}\n{text}" if notes.strip() else text
        return update_incident(incident_id, {"notes": joined}, "note added")(store)

    return job
