"""A table that draws only the rows in sight: a header line, one line per row, a row cursor.

Rows are kept as their cells (rich Text, or a plain str for a cell with no style of its own: one object instead of
three for the garbage collector to go through, in a table of 10,000 rows); a row's line is made when it scrolls into
view and kept until the rows, the widths or the cursor on it change. One column (`flex_column`) takes the width the
others leave.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from warroom.widgets.row_lines import MAX_STRIPS, Cell, RowLines
from warroom.widgets.textual_compat import SteadyScrollView, set_virtual_size_quietly

#: Lines of the header (the column labels), always at the top.
HEADER = 1


class RowTable(SteadyScrollView, can_focus=True):
    """Labelled columns and keyed rows of Text, drawn literally and cut to their column's width."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Select", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-table--header", "row-table--cursor"}

    # DataTable's look: the same colours for the header and the cursor, focused or not.
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .row-table--header { background-tint: $foreground 5%; }
        }
        & > .row-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .row-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    #: The column that takes the width the others leave, and the least it gets.
    flex_column = "title"
    min_flex_width = 12

    class TableMessage(Message):
        """What every message of the table carries (never posted itself)."""

        def __init__(self, table: RowTable, cursor_row: int, key: str | None) -> None:
            super().__init__()
            self.table = table
            #: The row's position and key.
            self.cursor_row = cursor_row
            self.key = key

        @property
        def control(self) -> RowTable:
            """The table that sent it."""
            return self.table

    class RowHighlighted(TableMessage):
        """The cursor moved to a row. Handled by `on_row_table_row_highlighted`."""

    class RowSelected(TableMessage):
        """Enter, or a click on the highlighted row. Handled by `on_row_table_row_selected`."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._keys_of_columns: list[str] = []
        self._labels: list[Text] = []
        #: Each column's width as measured from its label and cells (the flexible one's is worked out per width).
        self._measured: list[int] = []
        self._rows: list[Sequence[Cell]] = []
        self._keys: list[str | None] = []
        #: How many rows `set_rows` said there will be once the rest are added (the scrollbar counts them).
        self._coming = 0
        self._cursor = 0
        #: End was pressed while rows were still to come: the highlight follows the last row as they are added.
        self._to_last = False
        #: Drawn lines by row: ((cursor on it, widths), the row's cells, strip); emptied when the styles change. A
        #: line is reused only while the same cells (the same object) are at its row: rows put back by `set_rows`
        #: unchanged (a filter typed further that lets the same ones through) are not drawn again.
        self._strips: dict[int, tuple[tuple[bool, tuple[int, ...]], Sequence[Cell], Strip]] = {}
        #: Makes the rows' lines, keeping what it cut and styled (widgets/row_lines.py).
        self._line_maker = RowLines()
        self._styles: dict[str, Style] = {}

    # -- columns and rows --------------------------------------------------------------------

    def add_column(self, label: Text, *, key: str) -> None:
        """A column, after those there are (its label is shown as is, never as markup)."""
        self._keys_of_columns.append(key)
        self._labels.append(label)
        self._measured.append(cell_len(label.plain))
        self._strips.clear()
        self.refresh()

    def add_rows(self, rows: Iterable[tuple[str | None, Sequence[Cell]]]) -> None:
        """Rows (key, cells) after those there are; only their widths are measured now."""
        first = len(self._rows)
        widened = self._append(rows)
        self._sized(first if not widened else 0)
        if self._to_last and self._rows:
            self.action_last()

    def set_rows(self, rows: Iterable[tuple[str | None, Sequence[Cell]]], *, total: int = 0) -> None:
        """These rows (key, cells) in place of those there are, the cursor on the first: as `clear` then
        `add_rows`, with the scrollable height changed once (clearing first would make it the header's alone for
        a moment, and the screen would be laid out again for that).

        `total`: how many rows there will be once the rest are added with `add_rows`, a batch at a time. The
        scrollbar counts them from now (the rows not added yet are blank), so it does not shrink its thumb at
        each batch, and a batch below the rows in sight repaints nothing.
        """
        self._rows, self._keys = [], []
        self._coming = total
        self._cursor = 0
        self._to_last = False
        self._append(rows)
        self._sized()

    def _append(self, rows: Iterable[tuple[str | None, Sequence[Cell]]]) -> bool:
        """Keep the rows and widen the columns their cells need; True if any column was widened."""
        measured = self._measured
        widened = False
        for key, cells in rows:
            self._rows.append(cells)
            self._keys.append(key)
            for n, cell in enumerate(cells):
                width = cell_len(cell if isinstance(cell, str) else cell.plain)
                if width > measured[n]:
                    measured[n] = width
                    widened = True
        return widened

    def add_row(self, *cells: Text, key: str | None = None) -> None:
        """One row after those there are."""
        self.add_rows([(key, cells)])

    def clear(self) -> None:
        """Remove every row; the columns keep their widths (as DataTable's do), so a filter never makes them jump."""
        self.set_rows(())

    @property
    def row_count(self) -> int:
        """How many rows there are."""
        return len(self._rows)

    @property
    def row_keys(self) -> list[str | None]:
        """Every row's key, top to bottom."""
        return list(self._keys)

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of the row at `index` (as Text, those given as str too)."""
        return [Text(cell) if isinstance(cell, str) else cell for cell in self._rows[index]]

    def get_row(self, key: str) -> list[Text]:
        """The cells of the row with `key`."""
        return self.get_row_at(self.get_row_index(key))

    def get_row_index(self, key: str) -> int:
        """Where the row with `key` is (ValueError if there is none)."""
        return self._keys.index(key)

    def _table_lines(self) -> int:
        """The scrollable height: the header's line and a line per row (and per row still to come)."""
        return max(len(self._rows), self._coming) + HEADER

    def _sized(self, changed_from: int = 0) -> None:
        """Make the scrollable height the rows' and the header's, laying out the screen only when it must; repaint
        unless the rows from `changed_from` on are all below those in sight and the height stays."""
        size = Size(self.size.width, self._table_lines())
        if size == self.virtual_size:
            if changed_from <= int(self.scroll_offset.y) + self.scrollable_content_region.height:
                self.refresh()
            return
        height = self.scrollable_content_region.height
        old = self.virtual_size
        # The rows' count changes the table's own height only when that is `auto` and they do not all fill it;
        # otherwise it moves the scrollbar alone (showing or hiding it lays the screen out by itself).
        auto = self.styles.height is None or self.styles.height.is_auto
        steady = height and size.width == old.width and (not auto or min(size.height, old.height) > height)
        if not (steady and set_virtual_size_quietly(self, size)):
            self.virtual_size = size
        if self.scroll_offset.y > max(size.height - self.scrollable_content_region.height, 0):
            self.scroll_to(y=0, animate=False, force=True, immediate=True)  # fewer rows: none would show
        self.refresh()

    # -- the cursor --------------------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        """The highlighted row (0 when there are none)."""
        return self._cursor

    @property
    def following_last(self) -> bool:
        """Whether End was pressed while rows were still to come, and the highlight goes to each as it is added."""
        return self._to_last

    @property
    def current_key(self) -> str | None:
        """The key of the highlighted row."""
        return self._keys[self._cursor] if self._rows else None

    def move_cursor(self, *, row: int) -> None:
        """Highlight row `row` (kept within the rows) and scroll it into view."""
        row = max(0, min(row, len(self._rows) - 1))
        self._to_last = False
        if row != self._cursor:
            self._strips.pop(self._cursor, None)
            self._strips.pop(row, None)
            self._cursor = row
            self.refresh()
        self._scroll_to_cursor()
        self.call_after_refresh(self._scroll_to_cursor)  # before the first layout the height is not known yet
        if self._rows:
            self.post_message(self.RowHighlighted(self, row, self._keys[row]))

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height - HEADER
        if height <= 0:
            return
        top = int(self.scroll_offset.y)
        if self._cursor < top:
            target = self._cursor
        elif self._cursor >= top + height:
            target = self._cursor - height + 1
        else:
            return
        self.scroll_to(y=target, animate=False, force=True, immediate=True)

    def on_resize(self) -> None:
        self._strips.clear()
        size = Size(self.size.width, self._table_lines())
        if size != self.virtual_size and not (
            size.height == self.virtual_size.height and set_virtual_size_quietly(self, size)
        ):
            self.virtual_size = size
        self.call_after_refresh(self._scroll_to_cursor)

    def action_cursor(self, delta: int) -> None:
        """Move the cursor up or down."""
        if self._rows:
            self.move_cursor(row=self._cursor + delta)

    def action_page(self, direction: int) -> None:
        """Move the cursor a screenful."""
        if self._rows:
            self.move_cursor(row=self._cursor + direction * max(self.scrollable_content_region.height - HEADER, 1))

    def action_first(self) -> None:
        """Go to the first row."""
        if self._rows:
            self.move_cursor(row=0)

    def action_last(self) -> None:
        """Go to the last row; if rows are still to come (`set_rows`'s total), to each as it is added."""
        if self._rows:
            self.move_cursor(row=len(self._rows) - 1)
            self._to_last = self._coming > len(self._rows)

    def action_select(self) -> None:
        """Say which row Enter chose."""
        if self._rows:
            self.post_message(self.RowSelected(self, self._cursor, self._keys[self._cursor]))

    async def _on_click(self, event: events.Click) -> None:
        # As DataTable: a click highlights a row, a click on the highlighted row selects it.
        index = int(self.scroll_offset.y) + event.y - HEADER
        if event.y < HEADER or not 0 <= index < len(self._rows):
            return
        event.stop()
        if index == self._cursor:
            self.action_select()
        else:
            self.move_cursor(row=index)

    # -- drawing -----------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles.clear()
        self._strips.clear()
        self._line_maker.styles_changed()
        super().notify_style_update()

    def on_focus(self) -> None:
        self._styles.clear()  # the focused table is tinted, its cursor brighter
        self._strips.clear()

    def on_blur(self) -> None:
        self._styles.clear()
        self._strips.clear()

    def _style(self, name: str) -> Style:
        """The widget's style ("") or a component's, worked out once per style change (it walks every ancestor)."""
        styles = self._styles
        if not styles:
            styles[""] = self.rich_style
            styles["row-table--header"] = self.get_component_styles("row-table--header").rich_style
            styles["row-table--cursor"] = self.get_component_rich_style("row-table--cursor")
        return styles[name]

    def column_widths(self) -> tuple[int, ...]:
        """Each column's width now: as measured, the flexible one taking what the others leave."""
        widths = list(self._measured)
        if self.flex_column in self._keys_of_columns:
            n = self._keys_of_columns.index(self.flex_column)
            others = sum(widths) - widths[n]
            widths[n] = max(self.scrollable_content_region.width - others, self.min_flex_width)
        return tuple(widths)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self.column_widths()
        if y < HEADER:
            header = self._style("row-table--header")
            return self._line_maker.line(self._labels, widths, header, Style(), width, -1, self.app.console)
        index = int(self.scroll_offset.y) + y - HEADER
        if index >= len(self._rows):
            return Strip.blank(width, self._style(""))
        on_cursor = index == self._cursor
        shape = (on_cursor, widths)
        cells = self._rows[index]
        cached = self._strips.get(index)
        if cached is not None and cached[0] == shape and cached[1] is cells:
            return cached[2]
        base = self._style("")
        console = self.app.console
        if on_cursor:
            cursor = self._style("row-table--cursor")
            strip = self._line_maker.line(
                cells, widths, base + cursor, Style.from_color(cursor.color), width, index, console
            )
        else:
            strip = self._line_maker.line(cells, widths, base, Style(), width, index, console)
        if len(self._strips) > MAX_STRIPS:
            self._strips.clear()
        self._strips[index] = (shape, cells, strip)
        return strip
