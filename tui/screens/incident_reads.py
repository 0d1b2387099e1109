"""What the incident screen reads: what changed in the file since the last look, handed to its panes.

Composed into `IncidentScreen` (`screen.reader`); the screen reads on mount, on its poll, when a served tab
is told the file changed, and after each of its own writes.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from warroom.tui.sources import StoreTimelineSource
from warroom.tui.tab_signal import safety_poll_due
from warroom.widgets.actions import ActionsPane
from warroom.widgets.factors import FactorsPane
from warroom.widgets.incident_header import IncidentHeader
from warroom.widgets.timeline import TimelineView

if TYPE_CHECKING:
    from warroom.tui.screens.incident import IncidentScreen


class IncidentReader:
    """Re-reads one incident for `screen`: only new and revised rows, never the whole timeline."""

    def __init__(self, screen: IncidentScreen, incident_id: str, source: StoreTimelineSource) -> None:
        self.screen = screen
        self.incident_id = incident_id
        self.source = source
        self._data_version = -1
        self._overdue = 0

    def poll(self) -> None:
        """Pick up writes from other processes (and our writer) cheaply."""
        try:
            self.refresh()
        except sqlite3.DatabaseError as exc:
            # A file damaged (or swapped for a damaged one) under us: say so and keep the screen and the entry.
            from warroom.store.db import describe

            self.screen.say(f"cannot read the database: {describe(exc)}; what you type is kept", error=True)

    def look_now_and_then(self) -> None:
        """The screen's own poll (in a served tab a safety net, skipped while `warroom serve`'s words come)."""
        if safety_poll_due():
            self.poll()

    def refresh(self, *, force: bool = False) -> None:
        """Re-read what changed since the last look: only new and revised rows, never the whole timeline."""
        screen = self.screen
        store = screen.wapp.store
        version = store.data_version
        if version == self._data_version and not force:
            return
        self._data_version = version
        if force:
            self.source.reset()
        changes = self.source.sync()
        timeline_changed = changes is None or bool(changes.moves)
        self._show_hypotheses()
        others = force or changes is None or changes.others
        if not (timeline_changed or others):
            return  # another incident, a draft or a setting changed
        if others or changes is None or changes.milestones:
            # The header's key times come from milestone events; plain entries leave it as it is.
            incident = store.incident(self.incident_id)
            if others:
                today = store.now().astimezone(screen.wapp.tz).date()
                items = store.actions(self.incident_id)
                self._overdue = sum(1 for a in items if a.is_overdue(today))
                screen.query_one(FactorsPane).show(store.factors(self.incident_id), incident.notes)
                screen.query_one(ActionsPane).show(items, today)
            header = screen.query_one(IncidentHeader)
            header.overdue = self._overdue
            header.incident = incident
            header.refresh()
        if timeline_changed or others or (changes is not None and changes.milestones):
            self._refresh_cadence()
        if timeline_changed:
            # Rows before the earliest change keep their cached pages (all of them when events were only added).
            screen.query_one(TimelineView).reload(keep_before=self.source.unchanged_before)

    def _show_hypotheses(self) -> None:
        """Mark the timeline's settled hypotheses (a few rows at most, read on each change of the file)."""
        states = self.screen.wapp.store.hypothesis_statuses(self.incident_id)
        self.screen.query_one(TimelineView).show_hypotheses({k: v.value for k, v in states.items()})

    def _refresh_cadence(self) -> None:
        """When the next stakeholder update is due: after the last one logged, else after the start."""
        from warroom.store.comms import incident_cadence

        app = self.screen.wapp
        cadence = incident_cadence(app.store, self.incident_id, app.config)
        header = self.screen.query_one(IncidentHeader)
        if header.update_due != cadence.due_at:
            header.update_due = cadence.due_at
            header.refresh()
