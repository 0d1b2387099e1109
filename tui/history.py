"""Multi-step undo and redo of what was changed in the TUI, built on the revisions table.

Every change to an event, factor, action item or incident keeps the record's previous state as a
revision. A step names the exact revision to go back to (or None: the record was created, so undo
deletes it). Undoing restores it, which keeps the state it replaced as a new revision: that one is the
redo step. Nothing is ever thrown away, so undo and redo can go back and forth any number of times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

#: Steps kept per app; the oldest go first (their revisions stay in the file).
LIMIT = 500


@dataclass(frozen=True)
class Step:
    """One change that can be taken back: which record, which revision holds its state before the change."""

    record_type: str  # event, factor, action or incident
    record_id: int | str
    revision_id: int | None  # None: the change created the record
    label: str  # what the status line said, e.g. "deleted event 4"
    incident_id: str | None = None
    number: int | None = None  # a factor's or action item's number within the incident
    # For writes that cannot name a revision (several records at once): undo only, no redo.
    undo: Callable[[Any], Any] | None = None


class History:
    """The app's undo and redo stacks, shared by every screen, each screen taking its own incident's steps."""

    def __init__(self) -> None:
        self.done: list[Step] = []
        self.undone: list[Step] = []

    def record(self, step: Step) -> None:
        """A new change: it can be undone; what was undone before can no longer be redone."""
        self.done.append(step)
        del self.done[:-LIMIT]
        self.undone.clear()

    def take(self, stack: list[Step], incident_id: str | None) -> Step | None:
        """The latest step of `incident_id` (any incident's when None), removed from `stack`."""
        for i in range(len(stack) - 1, -1, -1):
            if incident_id is None or stack[i].incident_id in (None, incident_id):
                return stack.pop(i)
        return None

    def undone_step(self, step: Step, kept_revision: int) -> None:
        """`step` was undone; restoring `kept_revision` (the state it replaced) redoes it."""
        self.undone.append(replace(step, revision_id=kept_revision))

    def redone_step(self, step: Step, kept_revision: int) -> None:
        """`step` was redone; restoring `kept_revision` undoes it again."""
        self.done.append(replace(step, revision_id=kept_revision))
