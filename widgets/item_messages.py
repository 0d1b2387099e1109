"""Messages a pane of numbered items (factors, action items) posts about its current item."""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget


class ItemMessage(Message):
    """Something was asked of item `number` in a pane."""

    def __init__(self, pane: Widget, number: int) -> None:
        super().__init__()
        self.pane = pane
        self.number = number

    @property
    def control(self) -> Widget:
        """The pane that sent it."""
        return self.pane


class EditItem(ItemMessage):
    """Edit the item. Handled by `on_edit_item`."""


class DeleteItem(ItemMessage):
    """Delete the item. Handled by `on_delete_item`."""


class ToggleItem(ItemMessage):
    """Toggle the item's done state. Handled by `on_toggle_item`."""
