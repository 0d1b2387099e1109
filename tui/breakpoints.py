"""A screen's breakpoint classes from its first frame, not after it."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def set_breakpoints_now(screen: Screen[Any]) -> None:
    """Give `screen` its -narrow/-wide (and similar) classes for the terminal's present size.

    Textual sets them on the screen's first resize, which comes after its first paint: every widget is
    then restyled and the screen laid out and painted again (~20 ms for the incident screen). Set
    while composing, the first frame already has the layout for this terminal; Textual's own update
    on resize then changes nothing.
    """
    app = screen.app
    horizontal = app.HORIZONTAL_BREAKPOINTS if screen.HORIZONTAL_BREAKPOINTS is None else screen.HORIZONTAL_BREAKPOINTS
    vertical = app.VERTICAL_BREAKPOINTS if screen.VERTICAL_BREAKPOINTS is None else screen.VERTICAL_BREAKPOINTS
    classes: dict[str, bool] = {}
    for breakpoints, size in ((horizontal or [], app.size.width), (vertical or [], app.size.height)):
        # As Textual does: the class of the largest breakpoint the size reaches.
        reached = [name for threshold, name in sorted(breakpoints) if size >= threshold]
        for _threshold, name in breakpoints:
            classes[name] = bool(reached) and name == reached[-1]
    screen.update_classes(classes, animate=False)
