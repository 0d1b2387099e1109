"""What the incident screen's panes ask for: edits, deletions and stars, the notes and write-up forms, an update.

Composed into `IncidentScreen` (`screen.panes`); the screen's message handlers call it. Each request becomes a
write through the screen's `run_job` (or a form first, `write_from_form`), so ctrl+z takes it back.
"""

from __future__ import annotations

from warroom.store.records import Event
from warroom.tui import jobs
from warroom.tui.screens.base import WriterScreen

#: Said after a deletion: how to take it back.
RESTORE_HINT = "ctrl+z restores it (or the trash: /trash)"


class PaneRequests:
    """Turns one incident's pane requests into writes on `screen`."""

    def __init__(self, screen: WriterScreen, incident_id: str) -> None:
        self.screen = screen
        self.incident_id = incident_id

    def edit_event(self, event: Event) -> None:
        """Open an event in its form; what changes is saved."""
        from warroom.tui.editors import event_form  # the forms load on first use, not at start-up

        app = self.screen.wapp
        tz = app.tz
        form = event_form(event, app.store.now(), tz)
        self.screen.write_from_form(form, lambda changes: jobs.edit_event(event.id or 0, changes, tz=tz))

    def delete_event(self, event: Event) -> None:
        """Delete an event (to the trash)."""
        event_id = event.id or 0
        changes = {"deleted_at": self.screen.wapp.store.now()}
        self.screen.run_job(jobs.edit_event(event_id, changes, f"deleted event {event_id}", hint=RESTORE_HINT))

    def star_event(self, event: Event) -> None:
        """Star an event, or take its star away."""
        starred = not event.starred
        self.screen.run_job(jobs.edit_event(event.id or 0, {"starred": starred}, "starred" if starred else "unstarred"))

    def edit_factor(self, number: int) -> None:
        """Open factor `number` in its form (0: the free-form notes)."""
        if number == 0:
            self.edit_notes()
            return
        from warroom.tui.editors import factor_form

        factor = self.screen.wapp.store.factor(self.incident_id, number)
        self.screen.write_from_form(
            factor_form(factor), lambda ch: jobs.edit_factor(self.incident_id, factor.number, ch, "factor updated")
        )

    def delete_factor(self, number: int) -> None:
        """Delete a factor (to the trash)."""
        changes = {"deleted_at": self.screen.wapp.store.now()}
        note = f"deleted factor {number}"
        self.screen.run_job(jobs.edit_factor(self.incident_id, number, changes, note, hint=RESTORE_HINT))

    def edit_action(self, number: int) -> None:
        """Open action item `number` in its form."""
        from warroom.tui.editors import action_form

        item = self.screen.wapp.store.action(self.incident_id, number)
        self.screen.write_from_form(
            action_form(item), lambda ch: jobs.edit_action(self.incident_id, item.number, ch, "action item updated")
        )

    def toggle_action(self, number: int) -> None:
        """Mark an action item done, or open again."""
        item = self.screen.wapp.store.action(self.incident_id, number)
        status = "open" if item.is_closed else "done"
        note, hint = f"action item {item.number} {status}", "x again or ctrl+z takes it back"
        self.screen.run_job(jobs.edit_action(self.incident_id, item.number, {"status": status}, note, hint=hint))

    def delete_action(self, number: int) -> None:
        """Delete an action item (to the trash)."""
        changes = {"deleted_at": self.screen.wapp.store.now()}
        note = f"deleted action item {number}"
        self.screen.run_job(jobs.edit_action(self.incident_id, number, changes, note, hint=RESTORE_HINT))

    def edit_notes(self) -> None:
        """Edit the free-form notes (emptying them is a change too)."""
        from warroom.tui.editors import notes_form

        incident = self.screen.wapp.store.incident(self.incident_id)
        form = notes_form(incident.notes, self.incident_id)
        self.screen.write_from_form(
            form, lambda ch: jobs.update_incident(self.incident_id, {"notes": ch}, "notes saved"), empty_too=True
        )

    def writeup(self) -> None:
        """Write the summary, impact and lessons."""
        from warroom.store.sections import read_sections
        from warroom.tui.editors import writeup_form

        app = self.screen.wapp
        texts = read_sections(app.store, self.incident_id)
        incident = app.store.incident(self.incident_id)
        form = writeup_form(incident, now=app.store.now(), tz=app.tz, sections=app.config.sections, texts=texts)
        self.screen.write_from_form(form, lambda ch: jobs.save_writeup(self.incident_id, ch))

    def send_update(self) -> None:
        """Draft a stakeholder update from the incident as it stands; open it for editing, then log it."""
        from warroom.store.comms import draft_update, incident_cadence
        from warroom.tui.screens.update import Sent, UpdateDialog

        screen, app = self.screen, self.screen.wapp
        draft = draft_update(app.store, self.incident_id, app.config, app.tz)
        due = incident_cadence(app.store, self.incident_id, app.config).text(app.store.now())

        def sent(result: Sent | None) -> None:
            if result is None:
                screen.say("stakeholder update dropped; nothing was logged")
                return
            if result.copy:
                # Over SSH this reaches the local clipboard through the terminal (OSC 52), where it supports it.
                app.copy_to_clipboard(result.text)
            screen.run_job(jobs.send_update(self.incident_id, result.text, copied=result.copy))

        app.push_screen(UpdateDialog(draft, due), sent)
