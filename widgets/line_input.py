"""A one-line text field that keeps up with fast typing and takes a pasted text whole."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.binding import BindingsMap
from textual.widgets import Input

from warroom.store.kinds import MAX_TEXT
from warroom.store.text import controls_visible
from warroom.widgets.textual_compat import take_queued

#: A line's own keys (Enter, Backspace, arrows, ...) and what they do.
_OWN_KEYS = BindingsMap(Input.BINDINGS).key_to_bindings
#: The most keys put into the line in one insert.
_BURST = 4096


def _is_typed(message: object) -> bool:
    """A printable key that goes into the line as it is (not a key of the line's own, nor a binding)."""
    return (
        type(message) is events.Key
        and message.is_printable
        and bool(message.character)
        and message.key not in _OWN_KEYS
    )


class LineInput(Input):
    """An Input whose keys take effect in the order they were typed, and which keeps every line of a paste.

    Keys often arrive in bursts: a fast typist over SSH, a terminal that sends a paste as keys. Textual
    resolves a widget's key bindings only once the key has bubbled up to the app, and by then the letters
    typed after it are in the line: "dwo", Backspace, Backspace, "own" gave "dwoown". Here the line's own
    keys (Enter, Backspace, the arrows) run as they arrive, as letters do. A paste of several lines keeps
    them all, joined by spaces (Input keeps the first only).

    The line holds at most `max_length` characters (the store's limit for a text unless told otherwise):
    Input paints its whole value on every key, so an uncapped line fed 45,000 characters froze the app.
    """

    #: Whether the line has said it is full since it last had room (one message, not one per key).
    _said_full = False

    def __init__(self, *args: Any, max_length: int = MAX_TEXT, **kwargs: Any) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)

    @property
    def full_hint(self) -> str:
        """What the line says when it is full."""
        return f"the line is at its limit of {self.max_length:,} characters; what you type now is not added"

    def restricted(self) -> None:
        # Input rings the bell for each refused key; a fast typist gets one message instead.
        if self._said_full or not self.max_length or len(self.value) < self.max_length:
            return
        self._said_full = True
        self.say_full()

    def say_full(self) -> None:
        """Tell the user, once, that the line is full."""
        self.notify(self.full_hint, severity="warning", timeout=6)

    def watch_value(self, value: str) -> None:
        if self._said_full and len(value) < (self.max_length or 0):
            self._said_full = False

    async def _on_key(self, event: events.Key) -> None:
        own = _OWN_KEYS.get(event.key)
        if own:
            event.prevent_default()
            event.stop()
            await self.run_action(own[0].action)
        elif event.is_printable and event.character:
            self._type_burst(event)

    def _type_burst(self, event: events.Key) -> None:
        """A printable key and the printable keys queued right behind it go in as one insert.

        Input redoes work the length of the whole line for each key; a burst of thousands of keys (a
        paste the terminal sends as keys) went in one by one and froze the app. The keys are the same
        and in the same order; only the number of inserts changes.
        """
        followers = take_queued(self, _is_typed, _BURST)
        if not followers:
            return  # Input's own handler inserts the one key
        event.prevent_default()
        event.stop()
        text = (event.character or "") + "".join(k.character or "" for k in followers if isinstance(k, events.Key))
        start, end = sorted(self.selection)
        if self.max_length:
            room = max(0, self.max_length - (len(self.value) - (end - start)))
            if len(text) > room:
                text = text[:room]
                self.restricted()
        if text:
            self.replace(text, start, end)

    def _on_paste(self, event: events.Paste) -> None:
        # Input's own handler runs next and inserts the first line of event.text: make that the whole paste.
        lines = event.text.splitlines()
        if len(lines) > 1:
            event.text = " ".join(line.strip() for line in lines if line.strip())
        event.text = controls_visible(event.text)
        start, end = sorted(self.selection)
        room = (self.max_length or 0) - (len(self.value) - (end - start))
        if self.max_length and len(event.text) > room:
            # Input drops a paste that does not fit without a word: say so, as the entry line does.
            event.prevent_default()
            held = f" and the line already holds {len(self.value):,}" if self.value else ""
            self.notify(
                f"the paste is {len(event.text):,} characters{held}; the line holds at most"
                f" {self.max_length:,}; nothing was added",
                severity="warning",
                timeout=6,
            )
