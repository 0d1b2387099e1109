"""A one-line form field that takes a pasted text whole."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from store.text import visible


class LineInput(Input):
    """An Input whose paste of several lines keeps them all, joined by spaces (Input keeps the first only)."""

    def _on_paste(self, event: events.Paste) -> None:
        # Input's own handler runs next and inserts the first line of event.text: make that the whole paste.
        lines = [line.strip() for line in event.text.splitlines()]
        event.text = visible(" ".join(line for line in lines if line))
