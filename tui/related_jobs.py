"""The export screen's write that turns the post-mortem's Related Incidents section on or off (undoable)."""

from __future__ import annotations

from warroom.store.store import Store
from warroom.tui.history import Step
from warroom.tui.jobs import Job, Outcome


def toggle_related(incident_id: str) -> Job[Outcome]:
    """Flip the incident's choice; ctrl+z puts the previous one back (redo is not offered)."""

    def job(store: Store) -> Outcome:
        shown = not store.shows_related_section(incident_id)
        store.keep_related_section(incident_id, shown)
        message = f"Related Incidents {'included in' if shown else 'left out of'} the post-mortem"

        def undo(s: Store) -> None:
            s.keep_related_section(incident_id, not shown)

        step = Step("postmortem", incident_id, None, message, incident_id, undo=undo)
        return Outcome(message, undo, step=step)

    return job
