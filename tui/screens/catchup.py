"""The catch-up screen: the state of the incident for someone joining the bridge, on one screen."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from warroom.store.catchup import CatchUp, catch_up, lines
from warroom.tui.screens.base import WarroomScreen
from warroom.widgets.key_bar import KeyBar

#: How each kind of laid-out line looks.
STYLES = {"title": "bold", "heading": "bold $accent", "warn": "bold white on red", "dim": "dim", "": ""}


class CatchUpScreen(WarroomScreen):
    """Severity, status, roles, impact, key times, open hypotheses, actions, decisions and the last update."""

    DEFAULT_CSS = """
    CatchUpScreen #catchup { padding: 0 1; height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", tooltip="Back to the incident"),
        Binding("q", "close", "Back", show=False),
        Binding("u", "update", "Draft update", tooltip="Draft a stakeholder update from this state"),
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self._data_version = -1
        self._state: CatchUp | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="catchup")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show()
        # Every second: the elapsed time and the update clock move even when nothing is written.
        self.set_interval(1.0, self.show)

    def on_resize(self) -> None:
        self.show()

    def show(self) -> None:
        """Read the incident (only when the file changed) and lay it out to the screen's size."""
        app = self.wapp
        version = app.store.data_version
        if version != self._data_version or self._state is None:
            self._data_version = version
            self._state = catch_up(app.store, self.incident_id, app.config)
        state = replace(self._state, now=app.store.now())
        view = self.query_one("#catchup", Static)
        width = max(view.content_region.width, 20) if view.content_region.width else self.size.width - 2
        height = self.size.height - 1 if self.size.height else None
        text = Text(no_wrap=True, overflow="ellipsis")
        accent = self.app.current_theme.accent or "cyan"
        for i, (line, kind) in enumerate(lines(state, app.tz, width, height)):
            if i:
                text.append("\n")
            style = STYLES[kind].replace("$accent", accent)
            text.append(line, style)
        view.update(text)

    def action_close(self) -> None:
        """Back to the incident screen."""
        self.dismiss()

    def action_update(self) -> None:
        """Draft a stakeholder update (the incident screen opens the dialog)."""
        from warroom.tui.screens.incident import IncidentScreen

        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        self.dismiss()
        if isinstance(below, IncidentScreen):
            below.action_update()
