"""ctrl+z / ctrl+g on the screens that change things (incident, follow-through, review and export).

Multi-step undo and redo over the app's `History` (tui/history.py): each screen takes back the latest
change of its own incident (follow-through: of any incident).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from warroom.tui import jobs
from warroom.tui.history import History, Step

if TYPE_CHECKING:
    from textual.app import App

#: How the status line names the keys, after a change.
UNDO_HINT = "ctrl+z undoes"
REDO_HINT = "ctrl+g"


class Undo:
    """Mixed into a screen with `say` and `run_job`; `remember` records a change the user can take back."""

    if TYPE_CHECKING:  # the screen's own
        app: App[object]

        def say(self, message: str, *, error: bool = False) -> None: ...

        def run_job(self, job: jobs.Job) -> None: ...

    @property
    def history(self) -> History:
        """The app's undo history (a screen on an app without one keeps its own)."""
        found = getattr(self.app, "history", None)
        if found is None:
            found = self.__dict__.setdefault("_own_history", History())
        return found  # type: ignore[no-any-return]

    def _history_incident(self) -> str | None:
        return getattr(self, "incident_id", None)

    def remember(self, outcome: jobs.Outcome) -> str:
        """Record what a write did so ctrl+z can take it back; returns the hint for the status line."""
        if outcome.then is not None:
            outcome.then()  # an undo or redo moving its step to the other stack
            return ""
        if outcome.step is not None:
            self.history.record(outcome.step)
        elif outcome.undo is not None:
            self.history.record(Step("", "", None, outcome.message, self._history_incident(), undo=outcome.undo))
        else:
            return ""
        return "" if "ctrl+z" in outcome.message else f"  ({UNDO_HINT})"

    def action_undo(self) -> None:
        """Undo the last change made here (again and again: every step back is kept)."""
        self._step(undo=True)

    def action_redo(self) -> None:
        """Redo the change the last ctrl+z took back."""
        self._step(undo=False)

    def _step(self, *, undo: bool) -> None:
        history = self.history
        step = history.take(history.done if undo else history.undone, self._history_incident())
        if step is None:
            self.say("nothing to undo" if undo else "nothing to redo", error=True)
            return

        def job(store: Any) -> jobs.Outcome:
            if step.undo is not None:  # a write of several records: undo only
                step.undo(store)
                return jobs.Outcome(f"undone: {step.label}")
            kept = store.restore_revision(step.record_type, step.record_id, step.revision_id)
            event_id = step.record_id if step.record_type == "event" else None
            if undo:
                message, after = f"undone: {step.label} · {REDO_HINT} redoes", history.undone_step
            else:
                message, after = f"redone: {step.label} · {UNDO_HINT}", history.redone_step
            outcome = jobs.Outcome(message, event_id=event_id if isinstance(event_id, int) else None)
            outcome.then = lambda: after(step, kept)
            outcome.restored = step
            return outcome

        self.run_job(job)
