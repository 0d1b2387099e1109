"""The trash: an incident's deleted events, factors and action items, each one key away from coming back."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from warroom.store.text import visible_line
from warroom.tui.screens.pick_list import PickListScreen

#: What the trash hands back when something is to be restored: (record type, event id or item number).
Restore = tuple[str, int]


def describe(kind: str, record: Any, tz: dt.tzinfo) -> Text:
    """One line per deleted record, its text shown literally."""
    line = Text(no_wrap=True, overflow="ellipsis")
    if kind == "event":
        line.append(f"event {record.id:<5} ", "bold")
        line.append(record.occurred_at.astimezone(tz).strftime("%H:%M:%S") + "  ", "dim")
        line.append(visible_line(record.text))
    elif kind == "factor":
        line.append(f"factor {record.number:<4} ", "bold")
        line.append(f"{record.kind.value}  ", "dim")
        line.append(visible_line(record.text))
    else:
        line.append(f"action item {record.number:<3} ", "bold")
        line.append(visible_line(record.title))
    return line


class TrashScreen(PickListScreen[Restore]):
    """Deleted records of one incident, most recently deleted first; Enter restores the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,r", "pick", "Restore", tooltip="Bring the highlighted record back"),
        Binding("escape", "close", "Close"),
    ]

    DEFAULT_CSS = """
    TrashScreen > Vertical { border: thick $warning; }
    """

    def __init__(self, incident_id: str, records: list[tuple[str, Any]], tz: dt.tzinfo) -> None:
        super().__init__(
            f"Trash of {incident_id}: deleted, never gone",
            [describe(kind, r, tz) for kind, r in records],
            "Nothing deleted.",
            "Enter or r restores · Escape closes",
        )
        self.incident_id = incident_id
        self.records = records

    def picked(self, index: int) -> Restore:
        """The record to restore: its type and its event id or item number."""
        kind, record = self.records[index]
        return kind, record.id if kind == "event" else record.number
