"""The find bar: one line under the timeline to type what to look for, with the match count beside it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from warroom.widgets.line_input import LineInput


class FindBar(Horizontal):
    """Mounted when first opened, hidden when closed; posts `Changed` as the user types, `Step` and `Closed`."""

    DEFAULT_CSS = """
    FindBar { display: none; height: 1; background: $boost; }
    FindBar.-open { display: block; }
    FindBar > #find-prompt { width: 8; padding-left: 1; color: $accent; text-style: bold; }
    FindBar > #find-input { width: 1fr; height: 1; border: none; padding: 0; background: $boost; }
    FindBar > #find-input:focus { border: none; background: $boost; }
    FindBar > #find-count { width: auto; min-width: 12; padding: 0 1; color: $text-muted; text-align: right; }
    FindBar > #find-count.-none { color: $error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close find", show=False),
        Binding("down", "step(1)", "Next match", show=False),
        Binding("up", "step(-1)", "Previous match", show=False),
    ]

    class Changed(Message):
        """The text to find changed. Handled by `on_find_bar_changed`."""

        def __init__(self, bar: FindBar, text: str) -> None:
            super().__init__()
            self.bar = bar
            self.text = text

        @property
        def control(self) -> FindBar:
            """The find bar that sent it."""
            return self.bar

    class Step(Message):
        """Go to the next (1) or previous (-1) match; `accept` when Enter was pressed. Handled by `on_find_bar_step`."""

        def __init__(self, bar: FindBar, direction: int, *, accept: bool = False) -> None:
            super().__init__()
            self.bar = bar
            self.direction = direction
            self.accept = accept

        @property
        def control(self) -> FindBar:
            """The find bar that sent it."""
            return self.bar

    class Closed(Message):
        """The user closed the find bar. Handled by `on_find_bar_closed`."""

        def __init__(self, bar: FindBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> FindBar:
            """The find bar that was closed."""
            return self.bar

    def __init__(self, *, id: str | None = None, open_now: bool = False) -> None:
        super().__init__(id=id)
        #: Opened as soon as it is mounted (a screen mounts it the first time find is asked for).
        self._open_now = open_now

    def on_mount(self) -> None:
        if self._open_now:
            self.open()

    def compose(self) -> ComposeResult:
        yield Static("find › ", id="find-prompt")
        yield LineInput(placeholder="words to find (the last one may be a prefix)", id="find-input")
        yield Static("", id="find-count", markup=False)

    @property
    def is_open(self) -> bool:
        """Whether the bar is showing."""
        return self.has_class("-open")

    @property
    def text(self) -> str:
        """What is being looked for ("" until the bar's field is there)."""
        fields = self.query("#find-input").results(Input)
        return next((field.value for field in fields), "")

    def open(self) -> None:
        """Show the bar and put the cursor in it, the previous text selected for overtyping."""
        self.add_class("-open")
        field = next(self.query("#find-input").results(Input), None)
        if field is None:
            self._open_now = True  # not composed yet: on_mount opens it
            return
        field.focus()
        field.select_all()

    def close(self) -> None:
        """Hide the bar (its text is kept for next time)."""
        self.remove_class("-open")
        self.show_count(None, 0)

    def show_count(self, index: int | None, total: int) -> None:
        """Show "3 of 41", "no matches" or nothing (no query)."""
        label = self.query_one("#find-count", Static)
        if not self.text.strip():
            text = ""
        elif total == 0:
            text = "no matches"
        else:
            text = f"{index + 1} of {total}" if index is not None else f"{total} matches"
        label.update(text)
        label.set_class(bool(self.text.strip()) and total == 0, "-none")

    @on(Input.Changed, "#find-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Step(self, 1, accept=True))

    def action_step(self, direction: int) -> None:
        """Go to the next or previous match without leaving the bar."""
        self.post_message(self.Step(self, direction))

    def action_close(self) -> None:
        """Close the bar."""
        self.close()
        self.post_message(self.Closed(self))
