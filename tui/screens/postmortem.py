"""What the review and export screens share: one incident, a status line, writes through the writer."""

from __future__ import annotations

from pathlib import Path

from warroom.tui import jobs
from warroom.tui.editors import writeup_form
from warroom.tui.paint import PromptPaint
from warroom.tui.screens.base import WriterScreen

#: Layout of the review and export screens.
POSTMORTEM_CSS = Path(__file__).resolve().parent.parent / "postmortem.tcss"


class PostMortemScreen(WriterScreen, PromptPaint):
    """A screen about one incident after the fact; every change it asks for is saved at once."""

    CSS_PATH = POSTMORTEM_CSS

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id

    def on_mount(self) -> None:
        self.set_interval(0.5, self.poll)

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
