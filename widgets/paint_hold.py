"""Holding an app's painting for a moment, so a change made in two steps reaches the terminal as one frame."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

#: The longest a paint is held: a slow or busy database must never freeze the screen.
AT_MOST = 0.04


def hold_paint(app: App[object], at_most: float = AT_MOST) -> Callable[[], None]:
    """Hold painting until the returned release is called (once is enough), or `at_most` seconds have passed."""
    batch = app.batch_update()
    batch.__enter__()
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            timer.stop()
            batch.__exit__(None, None, None)

    # The app's timer, not a widget's: it fires even if the widget is gone by then.
    timer = app.set_timer(at_most, release, name="hold-paint")
    return release
