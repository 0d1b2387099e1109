"""Action items across incidents, one line each under their follow-through group's heading."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from warroom.store.records import ActionItem
from warroom.store.text import visible_line

#: Heading style per group name (see store/followup.py for the groups).
GROUP_STYLES = {"overdue": "bold red", "due this week": "bold yellow", "later": "bold", "no deadline": "bold"}


def due_words(item: ActionItem, today: dt.date) -> str:
    """How the deadline stands: `3 d late`, `today`, `in 5 d`, or the closing status."""
    if item.is_closed:
        return item.status.value
    if item.deadline is None:
        return ""
    ahead = (item.deadline - today).days
    if ahead < 0:
        return f"{-ahead} d late"
    return "today" if ahead == 0 else f"in {ahead} d"


class FollowupList(OptionList):
    """Group headings (not selectable) and action items; asks for changes with messages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x,space", "toggle_done", "Done", tooltip="Mark the highlighted item done (or open again)"),
        Binding("e", "deadline", "Deadline", tooltip="Change the highlighted item's deadline"),
        Binding("enter", "open", "Open", tooltip="Open the incident the item belongs to"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    DEFAULT_CSS = """
    FollowupList { border: none; padding: 0; height: 1fr; max-height: 100%; scrollbar-gutter: stable; }
    FollowupList:focus { border: none; }
    FollowupList > .option-list--option-disabled { color: $foreground; }
    """

    class ItemMessage(Message):
        """Something was asked of one action item."""

        def __init__(self, followup_list: FollowupList, item: ActionItem) -> None:
            super().__init__()
            self.followup_list = followup_list
            self.item = item

        @property
        def control(self) -> FollowupList:
            """The list that sent it."""
            return self.followup_list

    class ToggleRequested(ItemMessage):
        """Mark the item done, or open again. Handled by `on_followup_list_toggle_requested`."""

    class DeadlineRequested(ItemMessage):
        """Change the item's deadline. Handled by `on_followup_list_deadline_requested`."""

    class OpenRequested(ItemMessage):
        """Open the item's incident. Handled by `on_followup_list_open_requested`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self._rows: list[tuple[str, int, ActionItem | None]] = []
        self._items: dict[str, ActionItem] = {}
        self._today = dt.date.today()
        self._width = 0

    def show(self, rows: list[tuple[str, int, ActionItem | None]], today: dt.date) -> None:
        """Replace the lines: (group name, group size, None) for a heading, (group name, 0, item) for an item.

        The highlight stays on the same item when it is still listed, else at the same place.
        """
        kept_key = self.current_key
        kept_index = self.highlighted
        self._rows, self._today = rows, today
        self._items = {_key(item): item for _, _, item in rows if item is not None}
        self._rebuild()
        keys = [_key(item) if item else None for _, _, item in rows]
        if kept_key is not None and kept_key in keys:
            self.highlighted = keys.index(kept_key)
        elif kept_index is not None and keys:
            below = [i for i in range(min(kept_index, len(keys) - 1), len(keys)) if keys[i]]
            above = [i for i in range(min(kept_index, len(keys) - 1), -1, -1) if keys[i]]
            self.highlighted = next(iter(below or above), None)
        else:
            self.highlighted = next((i for i, k in enumerate(keys) if k), None)

    @property
    def current_key(self) -> str | None:
        """`INCIDENT#NUMBER` of the highlighted item."""
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    @property
    def current(self) -> ActionItem | None:
        """The highlighted action item."""
        key = self.current_key
        return self._items.get(key) if key else None

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            kept = self.highlighted
            self._rebuild()
            self.highlighted = kept

    def _rebuild(self) -> None:
        """Lay the lines out for the current width."""
        self._width = self.scrollable_content_region.width
        options = []
        for group, count, item in self._rows:
            if item is None:
                heading = Text(f" {group.upper()} · {count}", GROUP_STYLES.get(group, "bold dim"), no_wrap=True)
                options.append(Option(heading, disabled=True))
            else:
                options.append(Option(self._line(item), id=_key(item)))
        self.set_options(options)

    def _line(self, item: ActionItem) -> Text:
        """One item: incident, number, title (the flexible part), owner, deadline, how it stands, priority."""
        width = max(self._width, 40)
        closed = item.is_closed
        late = item.is_overdue(self._today)
        style = "dim strike" if closed else ""
        owner = visible_line(item.owner) or "unassigned"
        owner = set_cell_size(owner, min(cell_len(owner), 12))
        due = item.deadline.strftime("%d %b") if item.deadline else "—"
        stand = due_words(item, self._today)
        head = f" {visible_line(item.incident_id)} #{item.number}"
        tail_width = 13 + 7 + 10 + 3  # owner, deadline, how it stands, priority (each with its leading space)
        title_width = max(width - cell_len(head) - 2 - tail_width, 8)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(head, "bold" if not closed else "dim")
        line.append("  " + _fit(visible_line(item.title), title_width), style)
        line.append(" " + set_cell_size(owner, 12), "italic yellow" if not item.owner else style)
        line.append(" " + set_cell_size(due, 6), "italic yellow" if not item.deadline and not closed else style)
        line.append(" " + f"{stand:>9}", "bold red" if late else ("dim" if closed else ""))
        line.append(f" P{item.priority.value[1]}", style)
        return line

    def action_toggle_done(self) -> None:
        """Ask for the highlighted item to be marked done (or open again)."""
        if (item := self.current) is not None:
            self.post_message(self.ToggleRequested(self, item))

    def action_deadline(self) -> None:
        """Ask to change the highlighted item's deadline."""
        if (item := self.current) is not None:
            self.post_message(self.DeadlineRequested(self, item))

    def action_open(self) -> None:
        """Ask to open the highlighted item's incident."""
        if (item := self.current) is not None:
            self.post_message(self.OpenRequested(self, item))


def _key(item: ActionItem) -> str:
    """A unique key for an action item (incident ids never hold `#`)."""
    return f"{item.incident_id}#{item.number}"


def _fit(text: str, width: int) -> str:
    """Text cut (with an ellipsis) or padded to exactly `width` cells."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
