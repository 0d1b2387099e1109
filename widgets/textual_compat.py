"""Every use of Textual's private API, in one place, each guarded so that an upgrade degrades, never crashes.

Textual is pinned exactly (pyproject.toml), and tests/test_textual_compat.py checks that each attribute
below still exists in the pinned version. If a future Textual renames one, the function using it falls
back to Textual's public behaviour: a key's change waits for the next frame slot, a scrollbar update
takes a full layout, pasted text reaches the parser unfiltered, a frame watcher hears of no frame.
Slower (or less guarded, or less observed), still running.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Iterable
from math import ceil
from typing import Any

from textual.app import App
from textual.geometry import Size
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widget import Widget

#: (owner, attribute) of every private name used here; the test checks each exists.
PRIVATE_ATTRIBUTES: tuple[tuple[type, str], ...] = (
    (App, "_batch_count"),
    (Screen, "_layout_required"),
    (Screen, "_scroll_required"),
    (Screen, "_repaint_required"),
    (Screen, "_dirty_widgets"),
    (Screen, "_on_timer_update"),
    (Screen, "_push_result_callback"),
    (Screen, "_binding_chain"),
    (Screen, "_compositor_refresh"),
    (Screen, "_compositor"),
    (Widget, "_scroll_update"),
    (Widget, "_size_updated"),
    (Widget, "_vertical_scrollbar"),
    (App, "_start_widget"),
    (MessagePump, "_message_queue"),
    (MessagePump, "_pending_message"),
)

#: (private module, attribute) of every private module used here; the test checks each exists.
PRIVATE_MODULE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("textual._xterm_parser", "XTermParser"),
    ("textual._ansi_sequences", "ANSI_SEQUENCES_KEYS"),
)
#: The drivers (terminal, inline terminal, browser) whose input parser `filter_terminal_input` replaces.
PARSER_DRIVERS = ("textual.drivers.linux_driver", "textual.drivers.linux_inline_driver", "textual.drivers.web_driver")

_PAINT_FLAGS = ("_layout_required", "_scroll_required", "_repaint_required", "_dirty_widgets")


def updates_held(app: App[Any]) -> bool:
    """True while the app batches its updates (`App.batch_update`): nothing may be painted yet."""
    return bool(getattr(app, "_batch_count", 0))


def paint_pending(screen: Screen[Any]) -> bool:
    """True when the screen has a layout, scroll or repaint waiting for its next frame."""
    return any(getattr(screen, flag, False) for flag in _PAINT_FLAGS)


def paint_now(screen: Screen[Any]) -> bool:
    """Paint what the screen has waiting now, not at the next frame slot; False if this Textual cannot."""
    update = getattr(screen, "_on_timer_update", None)
    if not callable(update):
        return False
    update()
    return True


def adopt_as_main_screen(screen: Screen[Any]) -> None:
    """Give a screen returned by `App.get_default_screen` what `switch_screen` gives the screens it installs.

    Without it, replacing that first screen later with `switch_screen` finds no result callback to pop.
    """
    push = getattr(screen, "_push_result_callback", None)
    if callable(push):
        push(screen, None)


def after_each_frame(screen: Screen[Any], callback: Callable[[Screen[Any]], None]) -> bool:
    """Call `callback(screen)` each time the screen has painted a frame (sent it to the terminal).

    False (nothing changed) where this Textual cannot.
    """
    paint = getattr(screen, "_compositor_refresh", None)
    if not callable(paint):
        return False

    def painted() -> None:
        paint()
        callback(screen)

    setattr(screen, "_compositor_refresh", painted)  # noqa: B010 (this screen only, not its class)
    return True


def frame_lines(screen: Screen[Any]) -> list[str] | None:
    """The screen's lines as last composed for the terminal, as plain text; None where this Textual cannot say."""
    render = getattr(getattr(screen, "_compositor", None), "render_strips", None)
    if not callable(render):
        return None
    return [strip.text for strip in render()]


def set_virtual_size_quietly(widget: Widget, size: Size) -> bool:
    """Give a widget a new virtual size, updating its scrollbars without laying out the whole screen.

    False (and nothing changed) where this Textual cannot: the caller assigns `virtual_size` as usual.
    """
    update = getattr(widget, "_scroll_update", None)
    if not callable(update):
        return False
    widget.set_reactive(type(widget).virtual_size, size)
    update(size)
    return True


def thumb_eighths(size: int, virtual: int, window: int, position: float) -> tuple[int, int] | None:
    """Where ScrollBarRender draws a vertical thumb, in eighths of a cell from the top (None: no thumb)."""
    if not (window and size and virtual and size != virtual):
        return None
    eighths = len(ScrollBarRender.VERTICAL_BARS)
    thumb_size = max(1, window / (virtual / size))
    start = int((size - thumb_size) * (position / (virtual - window)) * eighths)
    return (start, start + ceil(thumb_size * eighths))


class SteadyScrollBar(ScrollBar):
    """A vertical scrollbar that is redrawn only when what it draws changed.

    Textual redraws a scrollbar whenever the scroll position or the scrollable size changes at all. A
    timeline following new events moves both by a row per event, while its thumb, a few cells in a
    screen-high bar, moves by a cell only every few dozen events: each redraw of a 100-row bar cost a third
    of a browser tab's redraw of the whole screen. The thumb's cells are worked out as Textual's
    ScrollBarRender draws them (in eighths of a cell); with a renderer of another kind, every change redraws.
    """

    _drawn: tuple[object, ...] | None = None

    def refresh(self, *regions: Any, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Any:
        if not regions and repaint and not layout and not recompose:
            drawn = self._looks()
            if drawn is not None and drawn == self._drawn:
                return self
            self._drawn = drawn
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _looks(self) -> tuple[object, ...] | None:
        """What the bar draws, as a value: equal values draw the same cells; None when it cannot be told."""
        if type(self).renderer is not ScrollBarRender or not self.vertical or self.parent is None:
            return None
        window = self.window_size if self.window_size < self.window_virtual_size else 0
        thumb = thumb_eighths(self.size.height, ceil(self.window_virtual_size), ceil(window), self.position)
        styles = self.parent.styles
        colours = (styles.scrollbar_color, styles.scrollbar_background, self.screen.styles.scrollbar_color)
        return (self.size, thumb, self.mouse_over, self.grabbed, self.thickness, colours)


class SteadyScrollView(ScrollView):
    """A ScrollView whose scrollbars a layout redraws only when its size or its scrollable size changed.

    Each layout of the screen gives a ScrollView the size of its region as "virtual size", never its own, so
    Textual takes every layout as a change of the scrollable size and redraws the scrollbars (a few ms for a
    screen-high one): every key typed in a line next to it lays the screen out. Where Textual no longer calls
    `_size_updated`, this is a plain ScrollView. Its vertical scrollbar is a SteadyScrollBar (where Textual
    still creates scrollbars as this expects).
    """

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if getattr(self, "_vertical_scrollbar", False) is None and callable(getattr(self.app, "_start_widget", None)):
            bar = SteadyScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
            return bar
        return super().vertical_scrollbar

    #: (size, scrollable size, container size) when a layout last updated the scrollbars.
    _scrolled_for: tuple[Size, Size, Size] | None = None

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        if (size, self.virtual_size, container_size) == self._scrolled_for:
            return self.container_size != container_size  # what Textual answers (send a Resize?) when unchanged
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        self._scrolled_for = (size, self.virtual_size, container_size)
        return changed


def take_queued(pump: MessagePump, wanted: Callable[[Message], bool], most: int) -> list[Message]:
    """Take the messages waiting at the front of a widget's queue while `wanted` holds, up to `most` of them.

    A burst of keys is queued on the focused widget before it handles the first: taking the characters
    that follow lets a line insert them in one go. [] (each handled on its own, as usual) if this Textual
    or asyncio keeps its queue differently.
    """
    queue = getattr(pump, "_message_queue", None)
    waiting = getattr(queue, "values", None)  # Textual's own queue: a deque, with get_nowait
    if not isinstance(waiting, deque) or not callable(getattr(queue, "get_nowait", None)):
        return []
    taken: list[Message] = []
    # The message loop has peeked at the next message (to combine messages): it comes first.
    peeked = getattr(pump, "_pending_message", None)
    if peeked is not None:
        if not (isinstance(peeked, Message) and wanted(peeked)):
            return []
        taken.append(peeked)
        pump._pending_message = None
    while waiting and len(taken) < most and isinstance(waiting[0], Message) and wanted(waiting[0]):
        taken.append(queue.get_nowait())  # type: ignore[union-attr]
    return taken


def filter_terminal_input(make_filter: Callable[[], Callable[[str], str]]) -> bool:
    """Make the drivers' input parsers read each chunk through a filter (a new one per parser) before parsing it.

    A filter may hold characters back for its next chunk. False (nothing changed) where this Textual cannot.
    """
    try:
        from textual import _xterm_parser

        parser: Any = _xterm_parser.XTermParser
    except Exception:
        return False
    if getattr(parser, "filtered_input", False):
        return True  # installed already: one filter per parser, not one per install

    class FilteredParser(parser):  # type: ignore[misc]
        """Textual's parser behind a filter."""

        filtered_input = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._input_filter = make_filter()

        def feed(self, data: str) -> Iterable[Any]:
            filtered = self._input_filter(data)
            if data and not filtered:
                # All of it held back: nothing to parse yet. An empty string would tell the parser the input
                # has ended, and the next read would crash it.
                return ()
            result: Iterable[Any] = super().feed(filtered)
            return result

    # A driver takes the parser by name when it is first imported, so the drivers imported from now on get the
    # filtered one without being imported here (a start-up does not load drivers it will not use); the ones
    # already imported are given it.
    setattr(_xterm_parser, "XTermParser", FilteredParser)  # noqa: B010 (a private module, as a plain object)
    for name in PARSER_DRIVERS:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "XTermParser", None) is parser:
            setattr(module, "XTermParser", FilteredParser)  # noqa: B010 (mypy cannot see a module found by name)
    return True


def escape_pairs() -> frozenset[str]:
    """The characters that make a key of their own after ESC in Textual's table (ESC b is ctrl+left, ...).

    Only those read as keys: the table also turns ESC and a digit, "-" or "=" into a character of a Mac's
    option key ("¡", "™", ...), which would put "¡2345" in the line for Escape then "12345" typed fast.
    Empty where this Textual keeps no such table: glued Escapes are then all read as alt+character.
    """
    try:
        from textual._ansi_sequences import ANSI_SEQUENCES_KEYS

        return frozenset(
            k[1] for k, v in ANSI_SEQUENCES_KEYS.items() if len(k) == 2 and k[0] == "\x1b" and not isinstance(v, str)
        )
    except Exception:
        return frozenset()


def has_priority_binding(screen: Screen[Any], key: str) -> bool:
    """Whether a priority binding takes `key` on `screen` (run at once by the app, ahead of keys still queued
    in a widget). True where this Textual keeps no binding chain: waiting is the safe choice."""
    try:
        chain = screen._binding_chain
        return any(b.priority for _, bindings in chain for b in bindings.key_to_bindings.get(key, ()))
    except Exception:
        return True


def has_queued_messages(pump: MessagePump) -> bool:
    """Whether a widget still has messages to handle (Textual keeps no public count of them); False where
    this Textual keeps its queue elsewhere, so that keys are never held for good."""
    queue = getattr(pump, "_message_queue", None)
    try:
        return bool(queue is not None and not queue.empty())
    except Exception:
        return False
