"""What the review and export screens share: one incident, a status line, writes through the writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.widgets import Static

from warroom.store.errors import WarroomError
from warroom.tui import jobs
from warroom.tui.editors import writeup_form
from warroom.tui.paint import PromptPaint
from warroom.tui.undo import Undo

if TYPE_CHECKING:
    from warroom.tui.app import WarroomApp

#: Layout of the review and export screens.
POSTMORTEM_CSS = Path(__file__).resolve().parent.parent / "postmortem.tcss"


class PostMortemScreen(Undo, PromptPaint):
    """A screen about one incident after the fact; every change it asks for is saved at once."""

    CSS_PATH = POSTMORTEM_CSS

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self._data_version = -1

    @property
    def wapp(self) -> WarroomApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.set_interval(0.5, self.poll)

    def poll(self) -> None:
        """Notice writes made elsewhere (another terminal, a script) and show them."""
        if self.wapp.store.data_version != self._data_version:
            self.reload()

    def reload(self) -> None:
        """Read what this screen shows again (subclasses fill it in)."""
        self._data_version = self.wapp.store.data_version

    def say(self, message: str, *, error: bool = False) -> None:
        """One line of feedback above the footer."""
        status = self.query_one("#status", Static)
        status.update(("⚠ " if error else "✓ ") + message)
        status.set_class(error, "-error")

    def run_job(self, job: jobs.Job, then: Callable[[jobs.Outcome], None] | None = None) -> None:
        """Send a write to the writer thread; report it, remember its undo, then re-read."""

        def done(result: jobs.Outcome | None, error: BaseException | None) -> None:
            if not self.is_attached:  # closed while the write ran: it is saved; its undo is still remembered
                if result is not None:
                    self.remember(result)
                return
            if error is not None:
                self.say(str(error) if isinstance(error, WarroomError) else f"could not save: {error}", error=True)
                return
            assert result is not None
            self.say(result.message + self.remember(result))
            self.reload()
            if then is not None:
                then(result)

        self.wapp.submit(job, done)

    def action_writeup(self, focus: str | None = None) -> None:
        """Write the summary, impact and lessons (focus: the field to start on)."""
        incident = self.wapp.store.incident(self.incident_id)

        def save(changes: dict[str, str] | None) -> None:
            if changes is None:
                return
            if not changes:
                self.say("write-up unchanged")
                return
            self.run_job(jobs.save_writeup(self.incident_id, changes))

        from warroom.store.sections import read_sections

        form = writeup_form(
            incident,
            focus,
            now=self.wapp.store.now(),
            tz=self.wapp.tz,
            sections=self.wapp.config.sections,
            texts=read_sections(self.wapp.store, self.incident_id),
        )
        self.app.push_screen(form, save)

    def action_back(self) -> None:
        """Go back to the screen underneath."""
        self.dismiss()
