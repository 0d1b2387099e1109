"""Screens that answer a key in the very next moment, not at Textual's next frame slot."""

from __future__ import annotations

import time

from textual import events
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
