"""ctrl+z on the screens that remember their last change (incident, follow-through, review and export)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui import jobs


class Undo:
    """Mixed into a screen with `say` and `run_job`: `_undo` is the last change's undo, taken back once."""

    _undo: Callable[[Any], Any] | None = None

    if TYPE_CHECKING:  # the screen's own

        def say(self, message: str, *, error: bool = False) -> None: ...

        def run_job(self, job: jobs.Job) -> None: ...

    def action_undo(self) -> None:
        """Undo the last change made on this screen."""
        if self._undo is None:
            self.say("nothing to undo", error=True)
            return
        undo, self._undo = self._undo, None

        def job(store: Any) -> jobs.Outcome:
            undo(store)
            return jobs.Outcome("undone")

        self.run_job(job)
