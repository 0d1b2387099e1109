"""Screens that show a saved change in the very next frame: the paint is held while it is saved, then done at once."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.screen import Screen

#: The longest a paint is held: a slow or busy database must never freeze the screen.
AT_MOST = 0.04


class HeldPaint(Screen[None]):
    """A screen whose edits can hold painting until they are saved, and then paint without waiting.

    Enter in the quick-entry line clears the line at once and the new row comes back from the writer
    a few ms later. Painted separately, the row would land one or two frames after the cleared line:
    Textual paces frames at 60 a second, and after a paint (the last key typed, the header's clock) the
    next one waits up to two frame slots. Held and then painted at once, both show together, in the
    first frame after the row is saved.
    """

    _paint_now = False

    def hold_paint(self, at_most: float = AT_MOST) -> Callable[[], None]:
        """Hold painting until the returned release is called, or `at_most` seconds have passed."""
        app = self.app
        batch = app.batch_update()
        batch.__enter__()
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                timer.stop()
                batch.__exit__(None, None, None)
                self._paint_now = True

        # The app's timer, not the screen's: it fires even if the screen is gone by then.
        timer = app.set_timer(at_most, release, name="hold-paint")
        return release

    def on_idle(self, event: events.Idle) -> None:
        # Runs before Screen's own idle handler, which would wait for the next frame slot. The widgets have
        # posted their updates by now; paint them in this frame. (Screen's frame callback: Textual is pinned,
        # tests/test_paint.py fails if it goes away.)
        if self._paint_now:
            self._paint_now = False
            self._on_timer_update()
