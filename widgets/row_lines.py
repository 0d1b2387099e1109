"""The lines of a RowTable's rows: each cell cut to its column and styled, with its row and column as meta.

What it cuts and styles is kept by the cells' identity, so a row drawn again at another position (a filter
moving it up or down) only has its position's meta added, and a cell shown on many rows (a severity) is styled
once. `styles_changed` forgets it all.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

#: A cell: Text, or a str drawn as Text(str) would be (no style of its own).
Cell = Text | str
#: Rows' lines (and their pieces, and the metas of positions) kept drawn: a few screenfuls.
MAX_STRIPS = 512
#: Cells with styled parts kept cut and styled (see `RowLines._styled`).
MAX_STYLED_CELLS = 4096


class RowLines:
    """Makes a table row's line from its cells; keeps the work for the next time the same cells are drawn."""

    def __init__(self) -> None:
        #: Each drawn row's cells cut and styled for their columns, by the cells' identity.
        self._pieces: dict[int, tuple[Sequence[Cell], tuple[object, ...], list[tuple[str, Style, int]]]] = {}
        #: The meta styles of each row position's cells (see `_metas_of`).
        self._metas: dict[int, list[Style]] = {}
        #: Cells with styled parts (or cut), cut and styled, by the cells' identity (see `_styled`).
        self._styled_cells: dict[int, tuple[Cell, tuple[int, Style, Style], list[tuple[str, Style]]]] = {}

    def styles_changed(self) -> None:
        """The table's styles changed: every piece is styled again."""
        self._pieces.clear()
        self._styled_cells.clear()

    def line(
        self,
        cells: Sequence[Cell],
        widths: Sequence[int],
        pre: Style,
        post: Style,
        width: int,
        row: int,
        console: Console,
    ) -> Strip:
        """One line: each cell cut to its column (an ellipsis where the cell asks for one), the rest blank.

        Each cell's style carries its row and column as meta, as DataTable's do (the same segments, drawn alike).
        """
        # The meta added last: the same style as adding it first (it holds nothing but the meta), and the rest is
        # worked out once per row's cells and look.
        metas = self._metas_of(row, min(len(cells), len(widths)))
        segments = [Segment(text, style + metas[n]) for text, style, n in self._cut(cells, widths, pre, post, console)]
        # The rest of the line, even when none is left (DataTable's lines end so; the snapshots show it).
        rest = max(width - sum(widths), 0)
        segments.append(Segment(" " * rest, pre + metas[-1]))
        return Strip(segments).adjust_cell_length(width, pre).simplify()

    def _metas_of(self, row: int, columns: int) -> list[Style]:
        """The meta styles of a row's cells, then of the rest of its line. Kept by position: the rows a filter puts
        in sight sit where the last ones did, and a style summed with the same meta again is one Rich has cached."""
        metas = self._metas.get(row)
        if metas is None or len(metas) != columns + 1:
            metas = [Style.from_meta({"row": row, "column": n}) for n in range(columns)]
            metas.append(Style.from_meta({"row": row, "column": 0, "out_of_bounds": True}))
            if len(self._metas) > MAX_STRIPS:
                self._metas.clear()
            self._metas[row] = metas
        return metas

    def _cut(
        self, cells: Sequence[Cell], widths: Sequence[int], pre: Style, post: Style, console: Console
    ) -> list[tuple[str, Style, int]]:
        """A row's pieces of text with their styles (no meta) and columns: its cells cut to their widths."""
        look = (tuple(widths), pre, post)
        known = self._pieces.get(id(cells))
        if known is not None and known[0] is cells and known[1] == look:
            return known[2]
        pieces: list[tuple[str, Style, int]] = []
        blank = pre + post
        for n, (cell, room) in enumerate(zip(cells, widths, strict=False)):
            used = cell_len(cell) if isinstance(cell, str) else cell_len(cell.plain)
            if used > room or (isinstance(cell, Text) and cell.spans):
                styled = self._styled(cell, room, pre, post, console)
                pieces.extend((text, style, n) for text, style in styled)
                used = sum(cell_len(text) for text, _ in styled)
            elif isinstance(cell, str):
                pieces.append((cell, blank, n))
            else:  # Text.render leaves the text's own style out when it has no spans
                style = console.get_style(cell.style, default=Style.null()) if cell.style else Style.null()
                pieces.append((cell.plain, pre + style + post, n))
            if used < room:
                pieces.append((" " * (room - used), blank, n))
        if len(self._pieces) > MAX_STRIPS:
            self._pieces.clear()
        self._pieces[id(cells)] = (cells, look, pieces)
        return pieces

    def _styled(self, cell: Cell, room: int, pre: Style, post: Style, console: Console) -> list[tuple[str, Style]]:
        """A cell with styled parts (or too wide for its column) cut to `room` as pieces of text with their styles;
        kept by the cell's identity, so a cell shown on many rows (a severity) is rendered once."""
        look = (room, pre, post)
        known = self._styled_cells.get(id(cell))
        if known is not None and known[0] is cell and known[1] == look:
            return known[2]
        text = Text(cell) if isinstance(cell, str) else cell
        if cell_len(text.plain) > room:
            text = text.copy()
            text.truncate(room, overflow=text.overflow or "fold")
        if text.spans:
            blank = pre + post
            styled = [(s.text, pre + s.style + post if s.style else blank) for s in text.render(console)]
        else:  # Text.render leaves the text's own style out when it has no spans
            style = console.get_style(text.style, default=Style.null()) if text.style else Style.null()
            styled = [(text.plain, pre + style + post)]
        if len(self._styled_cells) > MAX_STYLED_CELLS:
            self._styled_cells.clear()
        self._styled_cells[id(cell)] = (cell, look, styled)
        return styled
