"""The stakeholder-update dialog: the drafted update, editable; send logs it (and can copy it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from warroom.store.kinds import MAX_TEXT
from warroom.widgets.key_bar import KeyBar
from warroom.widgets.text_box import TextBox


@dataclass(frozen=True)
class Sent:
    """What the dialog closed with: the text to log, and whether to copy it to the clipboard too."""

    text: str
    copy: bool


class UpdateDialog(ModalScreen[Sent | None]):
    """Edit the drafted stakeholder update; ctrl+s logs it, ctrl+k logs and copies it, Escape drops it."""

    AUTO_FOCUS = "#update-text"

    DEFAULT_CSS = """
    UpdateDialog { align: center middle; }
    UpdateDialog > Vertical {
        width: 96%; max-width: 110; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    UpdateDialog #update-title { text-style: bold; }
    UpdateDialog #update-text { height: 12; }
    UpdateDialog #update-help { color: $text-muted; }
    UpdateDialog #update-error { color: $error; text-style: bold; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send(False)", "Send", priority=True, tooltip="Log the update as a comms event"),
        Binding("ctrl+k", "send(True)", "Send & copy", priority=True, tooltip="Log it and copy it to the clipboard"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without logging anything"),
    ]

    def __init__(self, draft: str, due: str = "") -> None:
        super().__init__()
        self.draft = draft
        self.due = due

    def compose(self) -> ComposeResult:
        with Vertical():
            title = "Stakeholder update" + (f" · {self.due}" if self.due else "")
            yield Static(title, id="update-title", markup=False)
            yield TextBox(self.draft, id="update-text", soft_wrap=True)
            yield Static("", id="update-error", markup=False)
            yield Static(
                "ctrl+s sends (logs it as a comms event) · ctrl+k sends and copies · Escape drops it",
                id="update-help",
                markup=False,
            )
        yield KeyBar()

    def on_mount(self) -> None:
        # At the end: the usual edit is a line added under the draft (a bridge link, who to ask).
        area = self.query_one("#update-text", TextArea)
        area.move_cursor(area.document.end)

    def action_send(self, copy: bool) -> None:
        """Close with the edited text; empty or over-long text is refused here, in one line."""
        text = self.query_one("#update-text", TextArea).text.strip()
        error = self.query_one("#update-error", Static)
        if not text:
            error.update("the update is empty: write something, or Escape to drop it")
            return
        if len(text) > MAX_TEXT:
            error.update(f"the update is {len(text):,} characters; the limit is {MAX_TEXT:,}")
            return
        self.dismiss(Sent(text, copy))

    def action_cancel(self) -> None:
        """Close without logging."""
        self.dismiss(None)
