"""The action-items pane: title, owner, deadline and priority; overdue items stand out, closed ones are struck."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from warroom.store.records import ActionItem
from warroom.store.text import visible_line
from warroom.widgets.item_messages import DeleteItem, EditItem, ToggleItem
from warroom.widgets.row_table import RowTable

#: Cells an owner takes at most (longer names end in an ellipsis).
OWNER_WIDTH = 12


class ActionsPane(RowTable):
    """Action items of one incident, one row each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e,enter", "edit", "Edit"),
        Binding("x,space", "toggle_done", "Done/undone"),
        Binding("d,delete", "delete", "Delete"),
    ]

    DEFAULT_CSS = """
    ActionsPane { background: $surface; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)

    def on_mount(self) -> None:
        # No cell padding (the pane is narrow at 80 columns): each cell carries one space of its own.
        self.add_column(Text(" # "), key="n")
        self.add_column(Text("Action item"), key="title")
        self.add_column(Text(" Owner"), key="owner")
        self.add_column(Text(" Due"), key="due")
        self.add_column(Text(" P"), key="pri")

    def show(self, items: list[ActionItem], today: dt.date) -> None:
        """Replace the rows, keeping the cursor where it was."""
        row = self.cursor_row
        self.clear()
        rows: list[tuple[str | None, tuple[Text, ...]]] = []
        for a in items:
            style = "bold red" if a.is_overdue(today) else ("dim strike" if a.is_closed else "")
            due = a.deadline.strftime("%d %b") if a.deadline else "—"
            if a.is_overdue(today):
                due += "!"
            mark = {"done": "✓", "won't do": "✗", "in progress": "…"}.get(a.status.value, "")
            named = visible_line(a.owner.strip(" "))  # spaces alone are no one
            owner = Text(" " + (named or "unassigned"), style if named else "italic yellow")
            owner.truncate(OWNER_WIDTH + 1, overflow="ellipsis")
            cells = (
                Text(f" {a.number}{mark} ", style),
                # Cut with an ellipsis, never mid-word into the owner column (the column keeps a space after it).
                Text(visible_line(a.title), style, no_wrap=True, overflow="ellipsis", end=""),
                owner,
                Text(" " + due, style if a.deadline else "italic yellow"),
                Text(" " + a.priority.value[1], style),
            )
            rows.append((str(a.number), cells))
        self.add_rows(rows)
        if items:
            self.move_cursor(row=min(row, len(items) - 1))

    def highlight_number(self, number: int) -> None:
        """Put the cursor on action item `number` (after it was restored), if it is shown."""
        with contextlib.suppress(ValueError):  # deleted again by then
            self.move_cursor(row=self.get_row_index(str(number)))

    def _current_number(self) -> int | None:
        key = self.current_key
        return int(key) if key else None

    def action_edit(self) -> None:
        """Edit the highlighted item."""
        if (n := self._current_number()) is not None:
            self.post_message(EditItem(self, n))

    def action_toggle_done(self) -> None:
        """Mark the highlighted item done, or open again."""
        if (n := self._current_number()) is not None:
            self.post_message(ToggleItem(self, n))

    def action_delete(self) -> None:
        """Delete the highlighted item."""
        if (n := self._current_number()) is not None:
            self.post_message(DeleteItem(self, n))
