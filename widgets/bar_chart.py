"""Horizontal stacked bars drawn with block characters: one row per label, one segment per series."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget


@dataclass(frozen=True)
class Series:
    """One kind of segment: its name in the legend, its colour, and its character (told apart without colour)."""

    name: str
    style: str
    char: str = "█"


@dataclass(frozen=True)
class Bar:
    """One row: a label and a value per series (in the chart's series order)."""

    label: str
    values: tuple[int, ...]

    @property
    def total(self) -> int:
        """The sum of the bar's values."""
        return sum(self.values)


def segment_widths(values: Sequence[int], scale: float, room: int) -> list[int]:
    """Cells per segment: proportional, at least one for any non-zero value, never more than `room` in all."""
    widths = [max(1, round(v * scale)) if v > 0 else 0 for v in values]
    while sum(widths) > room and max(widths) > 1:
        widths[widths.index(max(widths))] -= 1
    return widths


class BarChart(Widget):
    """A stacked horizontal bar chart with a legend; it takes its data in and opens nothing."""

    DEFAULT_CSS = """
    BarChart { height: auto; padding: 0 1; }
    """

    def __init__(
        self,
        series: Sequence[Series],
        bars: Sequence[Bar] = (),
        *,
        empty_text: str = "Nothing to chart.",
        legend: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.series = list(series)
        self.bars = list(bars)
        self.empty_text = empty_text
        self.legend = legend

    def show(self, bars: Sequence[Bar]) -> None:
        """Replace the bars and redraw (the height follows the number of bars)."""
        self.bars = list(bars)
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One line per bar, plus the legend."""
        return max(len(self.bars), 1) + (1 if self.legend and self.bars else 0)

    def render(self) -> Text:
        """The bars, scaled so the longest fills the width left after labels and totals."""
        if not self.bars:
            return Text(self.empty_text, style="dim italic")
        width = self.content_region.width or self.size.width
        label_width = max(cell_len(b.label) for b in self.bars)
        biggest = max(b.total for b in self.bars)
        total_width = len(str(biggest))
        room = max(width - label_width - total_width - 2, 1)
        scale = room / biggest if biggest else 0.0
        lines = []
        for bar in self.bars:
            line = Text(no_wrap=True, overflow="crop")
            line.append(set_cell_size(bar.label, label_width) + " ")
            used = 0
            for series, cells in zip(self.series, segment_widths(bar.values, scale, room), strict=False):
                line.append(series.char * cells, series.style)
                used += cells
            line.append(" " * (room - used) + " ")
            line.append(f"{bar.total:>{total_width}}", "bold" if bar.total else "dim")
            lines.append(line)
        if self.legend:
            legend = Text(" " * (label_width + 1), no_wrap=True, overflow="ellipsis")
            for i, series in enumerate(self.series):
                legend.append(("  " if i else "") + series.char, series.style)
                legend.append(" " + series.name, "dim")
            lines.append(legend)
        return Text("\n").join(lines)
