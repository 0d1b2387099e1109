"""Search results, two lines each: where the match is, then the words around it with the match highlighted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from warroom.store.text import visible_line

MATCH_STYLE = "bold black on yellow"


@dataclass(frozen=True)
class ResultRow:
    """One result as shown: a key to hand back, the heading (incident, where) and the snippet in pieces."""

    key: str
    incident: str
    where: str
    title: str
    parts: tuple[tuple[str, bool], ...]  # (text, is_match)


class SearchList(OptionList):
    """Ranked results; Enter (or a click) asks for the highlighted one to be opened."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the incident at the match"),
    ]

    DEFAULT_CSS = """
    SearchList { border: none; padding: 0; height: 1fr; max-height: 100%; scrollbar-gutter: stable; }
    SearchList:focus { border: none; }
    """

    class OpenRequested(Message):
        """Open a result. Handled by `on_search_list_open_requested`."""

        def __init__(self, search_list: SearchList, key: str) -> None:
            super().__init__()
            self.search_list = search_list
            self.key = key

        @property
        def control(self) -> SearchList:
            """The list that sent it."""
            return self.search_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self._rows: list[ResultRow] = []
        self._width = 0

    def show(self, rows: list[ResultRow]) -> None:
        """Replace the results, the best one highlighted."""
        self._rows = list(rows)
        self._rebuild()
        self.highlighted = 0 if rows else None

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            kept = self.highlighted
            self._rebuild()
            self.highlighted = kept

    def _rebuild(self) -> None:
        self._width = max(self.scrollable_content_region.width, 30)
        self.set_options([Option(self._prompt(row), id=row.key) for row in self._rows])

    def _prompt(self, row: ResultRow) -> Text:
        """Two lines cut to the width: `INC-1 · timeline 14:03 · title`, then the snippet."""
        width = self._width
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(" " + visible_line(row.incident), "bold")
        head.append(" · " + visible_line(row.where), "italic")
        head.append(" · " + visible_line(row.title), "dim")
        head.truncate(width, overflow="ellipsis")
        body = Text("  ↳ ", "dim", no_wrap=True, overflow="ellipsis")
        used = 4
        for text, is_match in row.parts:
            piece = visible_line(text)
            room = width - used
            if room <= 0:
                break
            if cell_len(piece) > room:
                piece = set_cell_size(piece, room - 1) + "…"
            body.append(piece, MATCH_STYLE if is_match else "")
            used += cell_len(piece)
        return Text("\n").join([head, body])

    @property
    def current_key(self) -> str | None:
        """The key of the highlighted result."""
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def action_open(self) -> None:
        """Ask for the highlighted result to be opened."""
        if (key := self.current_key) is not None:
            self.post_message(self.OpenRequested(self, key))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.OpenRequested(self, event.option.id))
