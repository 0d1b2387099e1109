"""A line of Rich text whose Textual content is made only once it is drawn: long lists lay out in no time."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions


class LazyLine(Visual):
    """Rich `Text` shown as Textual shows it (`Content.from_rich_text`), made into content when first drawn.

    An OptionList asks every option for its height when it is added, which converts and wraps each one: 5,000
    lines take half a second. A line no wider than the space it gets is one line high, as content would say
    (it wraps only when wider), so that is answered without converting it; anything else asks the content.
    """

    __slots__ = ("_cells", "_content", "_make", "_text")

    def __init__(self, text: Text) -> None:
        self._text: Text | None = text
        self._make: Callable[[], Text] | None = None
        self._cells = text.cell_len if "\n" not in text.plain else -1
        self._content: Content | None = None

    @classmethod
    def later(cls, make: Callable[[], Text], cells: int) -> LazyLine:
        """A line whose text is made only when drawn (or measured wider than fits): `cells` wide, one line."""
        line = cls.__new__(cls)
        line._text, line._make, line._cells, line._content = None, make, cells, None
        return line

    def __str__(self) -> str:
        return self.text.plain

    @property
    def text(self) -> Text:
        """The Rich text shown."""
        if self._text is None:
            assert self._make is not None
            self._text = self._make()
        return self._text

    @property
    def content(self) -> Content:
        """The line as Textual content (made the first time it is asked for)."""
        if self._content is None:
            self._content = Content.from_rich_text(self.text)
        return self._content

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        """The content's strips."""
        return self.content.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """The content's width."""
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        """The content's minimal width."""
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        """One line when it fits the width (after the line padding content leaves), else what the content says."""
        if 0 <= self._cells <= width - rules.get("line_pad", 0) * 2:
            return 1
        return self.content.get_height(rules, width)
