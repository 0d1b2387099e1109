"""Earlier incidents like this one, from the review meeting: what they share, and Enter opens one."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.binding import Binding, BindingType

from warroom.store.related import RelatedIncident
from warroom.store.text import visible_line
from warroom.tui.related_view import related_line
from warroom.tui.screens.pick_list import PickListScreen


class RelatedScreen(PickListScreen[str]):
    """Incidents that share words of the title and causes, tags or teams; Enter hands back the one to open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pick", "Open", tooltip="Open the highlighted incident"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, incident_id: str, related: list[RelatedIncident], tz: dt.tzinfo) -> None:
        super().__init__(
            f"Incidents like {visible_line(incident_id)}: learn from what happened before",
            [related_line(r, tz) for r in related],
            "No other incident shares enough with this one.",
            "Enter opens it · Escape closes",
        )
        self.incident_id = incident_id
        self.related = related

    def picked(self, index: int) -> str:
        """The incident to open."""
        return self.related[index].incident_id
