"""The key bar: one line naming the keys that work here, fitted to the width; Help and the palette always show."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

#: Actions that stay on the bar however narrow it gets: Help lists every key.
PINNED = {"help", "app.help"}
#: The space between keys: two when they all fit that way, else one.
GAPS = ("  ", " ")
DIM = Style(dim=True)


class Key(NamedTuple):
    """One key on the bar."""

    key: str
    display: str
    description: str
    enabled: bool
    action: str

    @property
    def width(self) -> int:
        """Cells it takes, without the gap after it."""
        return cell_len(self.display) + 1 + cell_len(self.description)


class KeyBar(Widget):
    """Textual's Footer as a single widget: redrawn, not rebuilt, when the keys change (focus, screen).

    Footer mounts a widget per key and rebuilds them all on every focus change; at start-up that was
    a sixth of the time to the first screen. At 80 columns, keys that do not fit are left out from
    the end, except Help (F1 lists them all) and the command palette on the right.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: (first cell, last cell + 1, key) of each key drawn, for clicks.
        self._spans: list[tuple[int, int, Key]] = []
        #: The keys as last drawn.
        self._drawn: tuple[list[Key], Key | None] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _: self._bindings_updated())
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def _screen_changed(self, top: Screen[object]) -> None:
        # A dialog over this screen: the bar names the dialog's keys (the ones that work), until it closes.
        if top is not self.screen and top.is_modal:
            top.bindings_updated_signal.subscribe(self, lambda _: self._bindings_updated())
        self._bindings_updated()

    def _source(self) -> Screen[object]:
        """The screen whose keys work: this bar's own, or a dialog open over it."""
        top = self.app.screen
        return top if top is not self.screen and top.is_modal else self.screen

    def _bindings_updated(self) -> None:
        # Textual signals after every focus change, several times while a screen starts: a repaint (and a
        # frame sent to the terminal) only when the keys shown change.
        if self.keys() != self._drawn:
            self.refresh()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        self.app.screen_change_signal.unsubscribe(self)

    def keys(self) -> tuple[list[Key], Key | None]:
        """The keys to show in order (one per action), and the command palette's."""
        app = self.app
        shown: dict[str, Key] = {}
        palette: Key | None = None
        for _node, binding, enabled, _tooltip in self._source().active_bindings.values():
            # A key is named (get_key_display) only when it is drawn: a screen binds three times the keys it shows.
            if app.ENABLE_COMMAND_PALETTE and binding.key == app.COMMAND_PALETTE_BINDING:
                palette = Key(binding.key, app.get_key_display(binding), "palette", enabled, binding.action)
            elif binding.show and binding.action not in shown:
                display = app.get_key_display(binding)
                shown[binding.action] = Key(binding.key, display, binding.description, enabled, binding.action)
        return list(shown.values()), palette

    def fitted(self, width: int) -> tuple[list[Key], Key | None, str]:
        """The keys that fit in `width` cells (from the start, keeping the pinned ones) and the gap between them.

        Two spaces apart when everything fits that way, else one, else keys are left out from the end.
        """
        keys, palette = self._drawn = self.keys()
        pinned = [k for k in keys if k.action in PINNED]
        for gap in GAPS:
            room = width - 1 - (palette.width + 3 if palette else 0)
            room -= sum(k.width + len(gap) for k in pinned)
            chosen: list[Key] = []
            for key in keys:
                if key not in pinned:
                    if key.width + len(gap) > room:
                        continue
                    room -= key.width + len(gap)
                chosen.append(key)
            if len(chosen) == len(keys):
                break
        return chosen, palette, gap

    def render(self) -> Text:
        width = self.size.width
        keys, palette, gap = self.fitted(width)
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        line = Text(" ", no_wrap=True, overflow="crop", end="")
        self._spans = []

        def add(key: Key) -> None:
            start = line.cell_len
            dim = Style() if key.enabled else DIM
            line.append(key.display, key_style + dim)
            line.append(" ")
            line.append(key.description, text_style + dim)
            self._spans.append((start, line.cell_len, key))

        for n, key in enumerate(keys):
            if n:
                line.append(gap)
            add(key)
        if palette is not None:
            line.append(" " * max(width - line.cell_len - palette.width - 2, 1))
            line.append("▏", DIM)
            line.append(" ")
            add(palette)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
