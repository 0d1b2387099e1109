"""Earlier incidents like this one, from the review meeting: what they share, and Enter opens one."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from warroom.store.related import RelatedIncident
from warroom.store.text import one_line
from warroom.tui.related_view import related_line


class RelatedScreen(ModalScreen[str | None]):
    """Incidents that share words of the title and causes, tags or teams; Enter hands back the one to open."""

    AUTO_FOCUS = "OptionList"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the highlighted incident"),
        Binding("escape", "close", "Close"),
    ]

    DEFAULT_CSS = """
    RelatedScreen { align: center middle; }
    RelatedScreen > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    RelatedScreen .related-title { text-style: bold; }
    RelatedScreen OptionList { height: auto; max-height: 20; border: none; }
    RelatedScreen .related-help { color: $text-muted; }
    """

    def __init__(self, incident_id: str, related: list[RelatedIncident], tz: dt.tzinfo) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.related = related
        self.tz = tz

    def compose(self) -> ComposeResult:
        with Vertical():
            title = f"Incidents like {one_line(self.incident_id)}: learn from what happened before"
            yield Static(title, classes="related-title", markup=False)
            if self.related:
                yield OptionList(*[Option(related_line(r, self.tz), id=r.incident_id) for r in self.related])
            else:
                yield Static("No other incident shares enough with this one.", markup=False)
            yield Static("Enter opens it · Escape closes", classes="related-help", markup=False)

    def on_mount(self) -> None:
        for options in self.query(OptionList):
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_open(self) -> None:
        """Close, handing back the highlighted incident to open."""
        options = self.query(OptionList)
        if not options or options.first().highlighted is None:
            return
        self.dismiss(self.related[options.first().highlighted or 0].incident_id)

    def action_close(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)
