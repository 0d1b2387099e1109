"""Writes that move a post-mortem (stage, owner, review due date) from the TUI, each undoable with ctrl+z."""

from __future__ import annotations

import datetime as dt
from typing import Any

from warroom.store.postmortem_flow import ReviewStatus
from warroom.store.quickentry import Command
from warroom.store.store import Store
from warroom.store.text import visible_line
from warroom.tui.history import Step
from warroom.tui.jobs import Job, Outcome


def set_postmortem(incident_id: str, message: str, **changes: Any) -> Job[Outcome]:
    """Change the post-mortem; undo puts back exactly the row it had before (redo is not offered)."""

    def job(store: Store) -> Outcome:
        before = store.postmortem_snapshot(incident_id)
        store.set_postmortem(incident_id, **changes)

        def undo(s: Store) -> None:
            s.put_back_postmortem(incident_id, before)

        step = Step("postmortem", incident_id, None, message, incident_id, undo=undo)
        return Outcome(message, undo, step=step)

    return job


def postmortem_command_job(incident_id: str, cmd: Command) -> Job[Outcome] | None:
    """The write `/postmortem`, `/pm-owner` or `/pm-due` asks for (None for any other command)."""
    if cmd.name == "postmortem":
        return set_postmortem(incident_id, f"post-mortem {cmd.value}", status=ReviewStatus(cmd.value))
    if cmd.name == "pm-owner":
        return set_postmortem(incident_id, f"post-mortem owner {visible_line(cmd.value)}", owner=cmd.value)
    if cmd.name == "pm-due":
        due: dt.date | None = cmd.deadline if cmd.value != "auto" else None
        shown = due.isoformat() if due else "by severity"
        return set_postmortem(incident_id, f"review due {shown}", review_due=due)
    return None
