"""A one-line text field that keeps up with fast typing and takes a pasted text whole."""

from __future__ import annotations

from textual import events
from textual.binding import BindingsMap
from textual.widgets import Input

from warroom.store.text import visible

#: A line's own keys (Enter, Backspace, arrows, ...) and what they do.
_OWN_KEYS = BindingsMap(Input.BINDINGS).key_to_bindings


class LineInput(Input):
    """An Input whose keys take effect in the order they were typed, and which keeps every line of a paste.

    Keys often arrive in bursts: a fast typist over SSH, a terminal that sends a paste as keys. Textual
    resolves a widget's key bindings only once the key has bubbled up to the app, and by then the letters
    typed after it are in the line: "dwo", Backspace, Backspace, "own" gave "dwoown". Here the line's own
    keys (Enter, Backspace, the arrows) run as they arrive, as letters do. A paste of several lines keeps
    them all, joined by spaces (Input keeps the first only).
    """

    async def _on_key(self, event: events.Key) -> None:
        own = _OWN_KEYS.get(event.key)
        if own:
            event.prevent_default()
            event.stop()
            await self.run_action(own[0].action)

    def _on_paste(self, event: events.Paste) -> None:
        # Input's own handler runs next and inserts the first line of event.text: make that the whole paste.
        lines = event.text.splitlines()
        if len(lines) > 1:
            event.text = " ".join(line.strip() for line in lines if line.strip())
        event.text = visible(event.text)
