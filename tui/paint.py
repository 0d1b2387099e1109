"""Painting: a key answered in the very next moment, and nothing drawn (sent to a browser) that need not be."""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

from warroom.widgets.textual_compat import paint_now, paint_pending, updates_held

#: How long after a key its changes are still painted at once; later changes wait for a frame slot as usual.
KEY_WINDOW = 0.1


class PromptPaint(Screen[None]):
    """A screen that paints the result of a key at once.

    Textual paces frames at 60 a second, and after a paint (the last key, the header's clock, rows
    streaming in) the next one waits up to two frame slots: up to 33 ms before a key shows. Here the
    first paint after a key happens as soon as the key's changes are in. Changes nobody asked for
    (other writers, the clock) keep Textual's pacing.

    Enter in the quick-entry line empties the line at once, holding the paint (widgets/paint_hold.py),
    and the new row comes back from the writer a few ms later: once it is in, `key_pressed` has both
    painted together, in the first frame after the row is saved.
    """

    _key_at = -1.0

    def key_pressed(self) -> None:
        """A key reached this screen: paint what it changes without waiting for a frame slot."""
        self._key_at = time.monotonic()

    def on_idle(self, event: events.Idle) -> None:
        # Runs before Screen's own idle handler, which would resume the frame timer and wait for its slot.
        if self._key_at < 0 or updates_held(self.app):
            return
        if time.monotonic() - self._key_at > KEY_WINDOW:
            self._key_at = -1.0
            return
        if paint_pending(self):
            self._key_at = -1.0
            paint_now(self)


def steady_cursor(app: App[Any], node: DOMNode) -> None:
    """In a browser tab (`warroom serve`), a focused field's cursor stays lit instead of blinking.

    Each blink is a frame drawn and sent to the browser, twice a second for as long as the tab is open:
    with twenty responders' tabs idle on one machine that was two thirds of everything they drew. A
    terminal blinks its cursor for free, so there the fields keep blinking.
    """
    if app.is_web and hasattr(node, "cursor_blink"):
        node.cursor_blink = False
