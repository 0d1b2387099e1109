"""What every warroom screen shares: the typed app, and writes whose results come back to the screen that asked.

`WarroomScreen` receives writer results (`WriteDone`, posted to it by `WarroomApp.submit`); `WriterScreen` adds
the status line (`say`), `run_job`, `poll` and ctrl+z / ctrl+g over the app's `History` (tui/history.py) for
the screens that change things (incident, follow-through, review and export). Each takes back the latest
change of its own incident (follow-through: of any incident).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.screen import Screen
from textual.widgets import Static

from warroom.store.errors import WarroomError
from warroom.tui import jobs
from warroom.tui.history import History, Step
from warroom.tui.writer import WriteDone

if TYPE_CHECKING:
    from warroom.tui.app import WarroomApp

#: How the status line names the keys, after a change.
UNDO_HINT = "ctrl+z undoes"
REDO_HINT = "ctrl+g"
#: Seconds a write may take before the screen says it is waiting (see `WriterScreen.slow_write`).
SLOW_WRITE = 0.5


class WarroomScreen(Screen[None]):
    """A screen of the warroom app: `wapp` is the app, typed; writer results it asked for arrive here."""

    #: The app's first screen (`WarroomApp.get_default_screen`) until it is shown: see `first_showing`.
    first_screen = False

    @on(events.ScreenResume)
    def first_showing(self, event: events.ScreenResume) -> None:
        """The app's first screen is not styled a second time as it is first shown.

        Textual styles each widget as it mounts, then the whole screen again each time it is shown. For the first
        screen, that is straight after its widgets mounted, from the same stylesheet: the app's, complete before
        anything mounts (no screen has CSS of its own then, a theme change restyles every screen on its own). The
        second pass only repeats the first: about 2% of a start onto an incident. A screen shown later is
        restyled as Textual does (a screen's CSS file loads as it is pushed, Markdown's CSS only as it mounts).
        """
        if self.first_screen:
            self.first_screen = False
            event.refresh_styles = False

    @property
    def wapp(self) -> WarroomApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def is_open(self) -> bool:
        """Still on a screen stack, with its widgets: a result arriving while it is being removed is not shown."""
        return self.is_attached and self in self.app.screen_stack

    def on_write_done(self, message: WriteDone) -> None:
        """A write this screen asked for finished: report it here, unless the screen is closing."""
        if self.is_open:
            message.callback()
        elif message.gone is not None:
            message.gone()


def record(history: History, outcome: jobs.Outcome, incident_id: str | None) -> str:
    """Record what a write did so ctrl+z can take it back; returns the hint for the status line."""
    if outcome.then is not None:
        outcome.then()  # an undo or redo moving its step to the other stack
        return ""
    if outcome.step is not None:
        history.record(outcome.step)
    elif outcome.undo is not None:
        history.record(Step("", "", None, outcome.message, incident_id, undo=outcome.undo))
    else:
        return ""
    return "" if "ctrl+z" in outcome.message else f"  ({UNDO_HINT})"


class WriterScreen(WarroomScreen):
    """A screen that changes things: a status line (#status), writes through the writer, undo and redo."""

    _data_version = -1

    @property
    def history(self) -> History:
        """The app's undo history (a screen on an app without one keeps its own)."""
        found = getattr(self.app, "history", None)
        if found is None:
            found = self.__dict__.setdefault("_own_history", History())
        return found  # type: ignore[no-any-return]

    def _history_incident(self) -> str | None:
        return getattr(self, "incident_id", None)

    # -- reading -----------------------------------------------------------------------------

    def poll(self) -> None:
        """Notice writes made elsewhere (another terminal, a script, our writer) and show them."""
        if self.wapp.store.data_version != self._data_version:
            self.reload()

    def reload(self) -> None:
        """Read what this screen shows again (subclasses fill it in)."""
        self._data_version = self.wapp.store.data_version

    def after_write(self, outcome: jobs.Outcome) -> None:
        """A write this screen asked for is saved and reported: show its effect (by default, read again)."""
        self.reload()

    # -- writing -----------------------------------------------------------------------------

    def say(self, message: str, *, error: bool = False) -> None:
        """One line of feedback above the footer."""
        status = self.query_one("#status", Static)
        status.update(("⚠ " if error else "✓ ") + message)
        status.set_class(error, "-error")

    def slow_write(self) -> None:
        """A write has waited `SLOW_WRITE` seconds (another program holds the database); the incident says so."""

    def remember(self, outcome: jobs.Outcome) -> str:
        """Record what a write did so ctrl+z can take it back; returns the hint for the status line."""
        return record(self.history, outcome, self._history_incident())

    def run_job(
        self,
        job: jobs.Job[jobs.Outcome],
        *,
        on_error: Callable[[], None] | None = None,
        then: Callable[[jobs.Outcome], None] | None = None,
        release: Callable[[], None] | None = None,
        unhold: Callable[[], None] | None = None,
    ) -> None:
        """Send a write to the writer thread; report the outcome here, remember its undo.

        `on_error`: after a failure is reported; `then`: after a success; `release`: once the outcome is on
        screen. If the screen closed meanwhile the write is still saved and its undo remembered; only `unhold`
        (what must happen whatever the screen, such as letting the app paint again) runs then.
        """
        waiting = self.set_timer(SLOW_WRITE, self.slow_write)
        history, incident_id = self.history, self._history_incident()

        def done(result: jobs.Outcome | None, error: BaseException | None) -> None:
            waiting.stop()
            try:
                report(result, error)
            finally:
                if release is not None:
                    release()
                if unhold is not None:
                    unhold()

        def report(result: jobs.Outcome | None, error: BaseException | None) -> None:
            if error is not None:
                self.say(str(error) if isinstance(error, WarroomError) else f"could not save: {error}", error=True)
                if on_error is not None:
                    on_error()
                return
            assert result is not None
            self.say(result.message + self.remember(result))
            self.after_write(result)
            if then is not None:
                then(result)

        def gone(result: jobs.Outcome | None, _error: BaseException | None) -> None:
            # Closed while the write ran: it is saved, and its undo is still remembered. Nothing here is shown.
            waiting.stop()
            if result is not None:
                record(history, result, incident_id)
            if unhold is not None:
                unhold()

        self.wapp.submit(job, done, reply_to=self, gone=gone)

    def write_from_form(
        self, form: Screen[Any], job_for: Callable[[Any], jobs.Job[jobs.Outcome]], *, empty_too: bool = False
    ) -> None:
        """Show a form; what it returns becomes a write (nothing when cancelled, or unchanged unless `empty_too`)."""

        def answered(changes: Any) -> None:
            if changes or (empty_too and changes is not None):
                self.run_job(job_for(changes))

        self.app.push_screen(form, answered)

    # -- undo and redo -----------------------------------------------------------------------

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
