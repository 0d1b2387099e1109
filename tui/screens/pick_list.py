"""A modal list to pick one thing from (the trash, related incidents): Enter hands it back, Escape closes."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

T = TypeVar("T")


class PickListScreen(ModalScreen[T | None], Generic[T]):
    """A title, one line per choice (or a line saying there is none), and a help line.

    Subclasses give the lines and `picked(index)`, what Enter hands back for the highlighted line.
    """

    AUTO_FOCUS = "OptionList"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pick", "Pick", tooltip="Take the highlighted line"),
        Binding("escape", "close", "Close"),
    ]

    DEFAULT_CSS = """
    PickListScreen { align: center middle; }
    PickListScreen > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    PickListScreen .pick-title { text-style: bold; }
    PickListScreen OptionList { height: auto; max-height: 20; border: none; }
    PickListScreen .pick-help { color: $text-muted; }
    """

    def __init__(self, title: str, lines: list[Text], empty: str, help_line: str) -> None:
        super().__init__()
        self._title, self._option_lines, self._empty, self._help = title, lines, empty, help_line

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, classes="pick-title", markup=False)
            if self._option_lines:
                yield OptionList(*[Option(line) for line in self._option_lines])
            else:
                yield Static(self._empty, markup=False)
            yield Static(self._help, classes="pick-help", markup=False)

    def on_mount(self) -> None:
        for options in self.query(OptionList):
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick()

    def picked(self, index: int) -> T:
        """What the line at `index` stands for."""
        raise NotImplementedError

    def action_pick(self) -> None:
        """Close, handing back what the highlighted line stands for."""
        options = self.query(OptionList)
        if not options or options.first().highlighted is None:
            return
        self.dismiss(self.picked(options.first().highlighted or 0))

    def action_close(self) -> None:
        """Close without picking anything."""
        self.dismiss(None)
