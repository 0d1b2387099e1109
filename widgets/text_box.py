"""A multi-line text field that stops at the store's limit while it is typed into, not when it is saved."""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

from warroom.store.kinds import MAX_TEXT


class TextBox(TextArea):
    """A TextArea that holds at most `max_length` characters (line breaks count, as they are saved).

    Without a cap, a long paste or a key stuck down filled the box with text the save then refused as
    too long: the user learned of the limit only after typing past it. Here what does not fit is not
    added, and the box says so once, until it has room again.
    """

    def __init__(self, *args: Any, max_length: int = MAX_TEXT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        #: Whether the box has said it is full since it last had room (one message, not one per key).
        self._said_full = False

    @property
    def full_hint(self) -> str:
        """What the box says when something did not fit."""
        return f"this field is at its limit of {self.max_length:,} characters; what did not fit was not added"

    def edit(self, edit: Edit) -> EditResult:
        # Every change by key, paste or the API passes here (undo and redo replay edits already capped).
        if edit.text:
            replaced = len(self.get_text_range(edit.from_location, edit.to_location))
            room = max(0, self.max_length - (len(self.text) - replaced))
            if len(edit.text) > room:
                edit.text = edit.text[:room]
                if not self._said_full:
                    self._said_full = True
                    self.notify(self.full_hint, severity="warning", timeout=6)
        result = super().edit(edit)
        if self._said_full and len(self.text) < self.max_length:
            self._said_full = False
        return result
