"""A DataTable whose one flexible column takes whatever width the others leave."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey


class FittedTable(DataTable[Any]):
    """Keeps every column visible: the `flex_column` shrinks or grows with the table."""

    flex_column = "title"
    min_flex_width = 12

    def on_resize(self) -> None:
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give the flexible column the width the other columns leave."""
        flex = self.columns.get(ColumnKey(self.flex_column))
        if flex is None:
            return
        padding = 2 * self.cell_padding
        others = sum(c.get_render_width(self) for key, c in self.columns.items() if key.value != self.flex_column)
        width = max(self.scrollable_content_region.width - others - padding, self.min_flex_width)
        if flex.auto_width or flex.width != width:
            flex.auto_width = False
            flex.width = width
            # DataTable re-measures only when told; these are its own flags for that.
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh()
