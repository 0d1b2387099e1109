"""The root-cause pane: root cause, contributing factors and trigger, then the free-form notes.

A line-API view: each entry is wrapped at the pane's width while the screen is laid out (the height it
asks for is already the wrapped one, so there is no second layout), and only the lines in sight are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, cast

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from warroom.store.kinds import FactorKind
from warroom.store.records import Factor
from warroom.store.text import visible
from warroom.widgets.item_messages import DeleteItem, EditItem
from warroom.widgets.textual_compat import set_virtual_size_quietly

KIND_TITLES = {FactorKind.ROOT: "ROOT", FactorKind.CONTRIBUTING: "CONTRIB", FactorKind.TRIGGER: "TRIGGER"}
KIND_STYLES = {FactorKind.ROOT: "bold red", FactorKind.CONTRIBUTING: "yellow", FactorKind.TRIGGER: "magenta"}
ORDER = [FactorKind.ROOT, FactorKind.TRIGGER, FactorKind.CONTRIBUTING]
EMPTY_HINT = "No factors yet: /cause, /contrib, /trigger"


@dataclass(frozen=True)
class Entry:
    """One entry of the pane: a factor ("factor-N"), the notes ("notes") or the empty hint (None)."""

    key: str | None
    content: Content

    @property
    def disabled(self) -> bool:
        """The hint cannot be highlighted or acted on."""
        return self.key is None


def entries_for(factors: list[Factor], notes: str) -> list[Entry]:
    """The pane's entries: factors root cause first, then trigger and contributing, then the notes."""
    ordered = sorted(factors, key=lambda f: (ORDER.index(f.kind), f.number))
    shown: list[Entry] = []
    for f in ordered:
        # User text is appended as plain text: markup typed in a factor shows literally.
        line = Text(no_wrap=False)
        line.append(f"{KIND_TITLES[f.kind]:<8}", KIND_STYLES[f.kind])
        line.append(visible(f.text))
        shown.append(Entry(f"factor-{f.number}", Content.from_rich_text(line)))
    if not ordered:
        shown.append(Entry(None, Content.from_rich_text(Text(EMPTY_HINT, "dim italic"))))
    if notes.strip():
        shown.append(Entry("notes", Content.from_rich_text(Text.assemble(("NOTES   ", "bold"), visible(notes)))))
    return shown


class FactorsPane(ScrollView, can_focus=True):
    """Factors, root cause first; the notes follow as a last, read-only entry."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e,enter", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete"),
        # No description: the help lists what the pane does, not how a cursor moves (as before).
        Binding("up,k", "cursor(-1)", show=False),
        Binding("down,j", "cursor(1)", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "factors--entry",
        "factors--highlighted",
        "factors--disabled",
        "factors--hover",
    }

    # The look of Textual's OptionList, which this pane used to be.
    DEFAULT_CSS = """
    FactorsPane {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        background: $surface;
        border: none;
        padding: 0;
        & > .factors--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .factors--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .factors--disabled { color: $text-disabled; }
        & > .factors--hover { background: $block-hover-background; }
    }
    """

    highlighted: reactive[int | None] = reactive(None, always_update=True)

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.entries: list[Entry] = []
        #: (entry index, line within the entry) of every line, wrapped at `_wrapped_at` cells.
        self._line_at: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._wrapped_at = -1
        #: The wraps made since the entries changed, by width: the layout asks at a width and, when the lines
        #: overflow the pane, at one column less for the scrollbar, pass after pass.
        self._wraps: dict[int, tuple[list[tuple[int, int]], list[int]]] = {}
        #: The entry under the mouse pointer.
        self._hover: int | None = None
        #: Each entry's drawn lines by (entry index, its look, width): reused until the entries or styles change.
        self._strips: dict[tuple[int, str, int], list[Strip]] = {}

    # -- data --------------------------------------------------------------------------------

    def show(self, factors: list[Factor], notes: str) -> None:
        """Replace the contents, keeping the highlight where it was."""
        keep = self.highlighted
        self.entries = entries_for(factors, notes)
        self._strips.clear()
        self._wrapped_at = -1
        self._wraps.clear()
        width = self.scrollable_content_region.width
        if width > 0:
            self._wrap(width)
        # Its height follows its lines (height: auto): the layout asks for them at the width it gives.
        self.refresh(layout=True)
        self.set_reactive(FactorsPane.highlighted, None)
        if keep is not None and self.entries:
            self.highlighted = min(keep, len(self.entries) - 1)

    @property
    def highlighted_key(self) -> str | None:
        """The key of the highlighted entry ("factor-N", "notes"), None when nothing is highlighted."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index].key

    def highlight_number(self, number: int) -> None:
        """Put the highlight on factor `number` (after it was restored), if it is shown."""
        for index, entry in enumerate(self.entries):
            if entry.key == f"factor-{number}":
                self.highlighted = index
                return

    def _current_number(self) -> int | None:
        key = self.highlighted_key or ""
        return int(key.removeprefix("factor-")) if key.startswith("factor-") else None

    # -- layout ------------------------------------------------------------------------------

    def _wrap(self, width: int) -> int:
        """Wrap every entry at `width` cells; the number of lines."""
        if width == self._wrapped_at:
            return len(self._line_at)
        if width in self._wraps:
            self._line_at, self._starts = self._wraps[width]
            self._wrapped_at = width
            return len(self._line_at)
        lines: list[tuple[int, int]] = []
        starts: list[int] = []
        rules = cast(RulesMap, self.styles)
        for index, entry in enumerate(self.entries):
            starts.append(len(lines))
            height = entry.content.get_height(rules, width) if width > 0 else 1
            lines.extend((index, offset) for offset in range(height))
        self._line_at, self._starts, self._wrapped_at = lines, starts, width
        self._wraps[width] = (lines, starts)
        return len(lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # The layout gives the width here: the entries are wrapped at it in this same pass. Lines beyond the
        # pane's maximum height bring the scrollbar, which takes a column: then they are wrapped without it.
        height = self._wrap(width)
        max_height = self.styles.max_height
        if max_height is not None and height > max_height.resolve(container, viewport):
            width = max(width - self.styles.scrollbar_size_vertical, 1)
            height = self._wrap(width)
        self._set_virtual(Size(width, height))
        return height

    def _set_virtual(self, size: Size) -> None:
        if size != self.virtual_size and not set_virtual_size_quietly(self, size):
            self.virtual_size = size

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._wrapped_at:
            self._strips.clear()
            self._set_virtual(Size(width, self._wrap(width)))
        self._scroll_to_highlight()

    # -- rendering ---------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._wrapped_at:
            # A scrollbar came or went since the layout: wrap at the width there is now.
            self._strips.clear()
            self._set_virtual(Size(width, self._wrap(width)))
        line = int(self.scroll_offset.y) + y
        if not 0 <= line < len(self._line_at):
            return Strip.blank(width, self.get_visual_style("factors--entry").rich_style)
        index, offset = self._line_at[line]
        strips = self._entry_strips(index, width)
        if offset >= len(strips):
            return Strip.blank(width, self.get_visual_style("factors--entry").rich_style)
        return strips[offset]

    def _entry_strips(self, index: int, width: int) -> list[Strip]:
        """An entry's lines, drawn in its look (highlighted, disabled, under the mouse, plain)."""
        entry = self.entries[index]
        if entry.disabled:
            look = "factors--disabled"
        elif index == self.highlighted:
            look = "factors--highlighted"
        elif index == self._hover:
            look = "factors--hover"
        else:
            look = ""
        key = (index, look + (":focus" if self.has_focus else ""), width)
        strips = self._strips.get(key)
        if strips is None:
            style = self.get_visual_style("factors--entry", look) if look else self.get_visual_style("factors--entry")
            drawn = Visual.to_strips(self, entry.content, width, None, style)
            rich = style.rich_style
            strips = [strip.extend_cell_length(width, rich).apply_meta({"entry": index}) for strip in drawn]
            self._strips[key] = strips
        return strips

    # -- the highlight -----------------------------------------------------------------------

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self.entries:
            return None
        return max(0, min(value, len(self.entries) - 1))

    def watch_highlighted(self) -> None:
        self._scroll_to_highlight()
        self.refresh()

    def _scroll_to_highlight(self) -> None:
        """Bring the whole highlighted entry into view (its first line, if it is taller than the pane)."""
        index, height = self.highlighted, self.scrollable_content_region.height
        if index is None or height <= 0 or index >= len(self._starts):
            return
        first = self._starts[index]
        last = (self._starts[index + 1] if index + 1 < len(self._starts) else len(self._line_at)) - 1
        top = int(self.scroll_offset.y)
        if first < top or last - first >= height:
            target = first
        elif last >= top + height:
            target = last - height + 1
        else:
            return
        self.scroll_to(y=target, animate=False, force=True, immediate=True)

    def _enabled(self, start: int, step: int) -> int | None:
        """The first entry that can be highlighted from `start` on, going by `step`."""
        index = start
        while 0 <= index < len(self.entries):
            if not self.entries[index].disabled:
                return index
            index += step
        return None

    def on_focus(self) -> None:
        # Focused with nothing highlighted, e and d would do nothing until an arrow key was pressed.
        if self.highlighted is None:
            self.action_first()
        self._strips.clear()

    def on_blur(self) -> None:
        self._strips.clear()

    def action_cursor(self, step: int) -> None:
        """Highlight the next (1) or previous (-1) entry."""
        if self.highlighted is None:
            self.action_first() if step > 0 else self.action_last()
            return
        found = self._enabled(self.highlighted + step, step)
        if found is not None:
            self.highlighted = found

    def action_first(self) -> None:
        """Highlight the first entry."""
        found = self._enabled(0, 1)
        if found is not None:
            self.highlighted = found

    def action_last(self) -> None:
        """Highlight the last entry."""
        found = self._enabled(len(self.entries) - 1, -1)
        if found is not None:
            self.highlighted = found

    def action_page(self, direction: int) -> None:
        """Move the highlight a pane's height of lines."""
        if self.highlighted is None or not self._line_at:
            self.action_cursor(direction)
            return
        line = self._starts[self.highlighted] + direction * max(self.scrollable_content_region.height, 1)
        index = self._line_at[max(0, min(line, len(self._line_at) - 1))][0]
        if index == self.highlighted:  # an entry taller than the pane: the next one, never the same again
            index += direction
        found = self._enabled(index, direction)
        if found is None:
            found = self._enabled(index, -direction)
        if found is not None:
            self.highlighted = found

    # -- the mouse ---------------------------------------------------------------------------

    def _entry_at(self, event: events.MouseEvent) -> int | None:
        index = event.style.meta.get("entry")
        return index if isinstance(index, int) and 0 <= index < len(self.entries) else None

    def on_click(self, event: events.Click) -> None:
        index = self._entry_at(event)
        if index is not None and not self.entries[index].disabled:
            self.highlighted = index

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._entry_at(event))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, index: int | None) -> None:
        if index != self._hover:
            self._hover = index
            self.refresh()

    # -- actions -----------------------------------------------------------------------------

    def action_edit(self) -> None:
        """Edit the highlighted factor (or the notes)."""
        number = self._current_number()
        if number is not None:
            self.post_message(EditItem(self, number))
        elif self.highlighted_key == "notes":
            self.post_message(EditItem(self, 0))

    def action_delete(self) -> None:
        """Delete the highlighted factor."""
        number = self._current_number()
        if number is not None:
            self.post_message(DeleteItem(self, number))
