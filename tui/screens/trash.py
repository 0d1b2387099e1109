"""The trash: an incident's deleted events, factors and action items, each one key away from coming back."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from warroom.store.text import one_line

#: What the trash hands back when something is to be restored: (record type, event id or item number).
Restore = tuple[str, int]


def describe(kind: str, record: Any, tz: dt.tzinfo) -> Text:
    """One line per deleted record, its text shown literally."""
    line = Text(no_wrap=True, overflow="ellipsis")
    if kind == "event":
        line.append(f"event {record.id:<5} ", "bold")
        line.append(record.occurred_at.astimezone(tz).strftime("%H:%M:%S") + "  ", "dim")
        line.append(one_line(record.text))
    elif kind == "factor":
        line.append(f"factor {record.number:<4} ", "bold")
        line.append(f"{record.kind.value}  ", "dim")
        line.append(one_line(record.text))
    else:
        line.append(f"action item {record.number:<3} ", "bold")
        line.append(one_line(record.title))
    return line


class TrashScreen(ModalScreen[Restore | None]):
    """Deleted records of one incident, most recently deleted first; Enter restores the highlighted one."""

    AUTO_FOCUS = "OptionList"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,r", "restore", "Restore", tooltip="Bring the highlighted record back"),
        Binding("escape", "close", "Close"),
    ]

    DEFAULT_CSS = """
    TrashScreen { align: center middle; }
    TrashScreen > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    TrashScreen .trash-title { text-style: bold; }
    TrashScreen OptionList { height: auto; max-height: 20; border: none; }
    TrashScreen .trash-help { color: $text-muted; }
    """

    def __init__(self, incident_id: str, records: list[tuple[str, Any]], tz: dt.tzinfo) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.records = records
        self.tz = tz

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Trash of {self.incident_id}: deleted, never gone", classes="trash-title", markup=False)
            if self.records:
                yield OptionList(*[Option(describe(kind, r, self.tz)) for kind, r in self.records])
            else:
                yield Static("Nothing deleted.", markup=False)
            yield Static("Enter or r restores · Escape closes", classes="trash-help", markup=False)

    def on_mount(self) -> None:
        for options in self.query(OptionList):
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_restore()

    def action_restore(self) -> None:
        """Close, handing back the highlighted record to restore."""
        options = self.query(OptionList)
        if not options or options.first().highlighted is None:
            return
        kind, record = self.records[options.first().highlighted or 0]
        self.dismiss((kind, record.id if kind == "event" else record.number))

    def action_close(self) -> None:
        """Close without restoring anything."""
        self.dismiss(None)
