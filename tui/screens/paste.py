"""A multi-line paste into the entry line: log each line as an event, join them into one entry, or cancel.

Textual's Input keeps the first line of a paste and drops the rest silently; warroom asks instead. A paste
too large for one screen of confirmation is refused with the command that handles bulk input.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from warroom.store.kinds import MAX_TEXT
from warroom.store.store import Store
from warroom.store.text import visible_line
from warroom.tui import jobs
from warroom.widgets.key_bar import KeyBar

#: The most lines one paste may log; a bigger paste is refused and pointed at `warroom log -`.
MAX_PASTE_LINES = 1_000
#: Lines shown in the confirmation.
PREVIEW = 6


class PasteScreen(ModalScreen[str | None]):
    """Asks what a paste of several lines should become: "each", "join", or None to cancel."""

    DEFAULT_CSS = """
    PasteScreen { align: center middle; }
    PasteScreen > Vertical {
        width: 90%; max-width: 100; height: auto; border: tall $accent; background: $surface; padding: 0 1;
    }
    PasteScreen #paste-title { text-style: bold; }
    PasteScreen #paste-preview { color: $text-muted; margin: 1 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose('each')", "Log each line", tooltip="Log every line as its own event, now"),
        Binding("j", "choose('join')", "Join", tooltip="Put the lines into the entry line as one entry"),
        Binding("escape", "choose(None)", "Cancel", tooltip="Log nothing"),
    ]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        shown = Text()
        for line in self.lines[:PREVIEW]:
            shown.append(visible_line(line)[:200] + "\n")
        if len(self.lines) > PREVIEW:
            shown.append(f"… and {len(self.lines) - PREVIEW:,} more lines")
        with Vertical():
            yield Static(f"Paste of {len(self.lines):,} lines", id="paste-title")
            yield Static(shown, id="paste-preview")
            yield Static(
                f"Enter: log {len(self.lines):,} events, one per line · j: join them into one entry · Esc: cancel",
                markup=False,
            )
        yield KeyBar()

    def action_choose(self, choice: str | None) -> None:
        """Close with the user's choice."""
        self.dismiss(choice)


def refusal(lines: list[str], incident_id: str) -> str | None:
    """Why a paste cannot be taken in the TUI (too many or too long lines), or None when it can."""
    bulk = f"pipe it in instead: warroom log - -i {incident_id} < FILE"
    if len(lines) > MAX_PASTE_LINES:
        return f"the paste is {len(lines):,} lines, more than {MAX_PASTE_LINES:,} at once; nothing was logged; {bulk}"
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_TEXT:
            too_long = f"{len(line):,} characters (at most {MAX_TEXT:,})"
            return f"line {number:,} of the paste is {too_long}; nothing was logged"
    return None


def log_lines(incident_id: str, lines: list[str], stamp: dt.datetime) -> jobs.Job[jobs.Outcome]:
    """Log every line as its own note at `stamp`, all in one transaction; undo deletes them all."""

    def job(store: Store) -> jobs.Outcome:
        def log_all() -> list[int]:
            return [
                store.log_event(incident_id, line, occurred_at=stamp, source="tui").id or 0
                for line in lines
                if line.strip()
            ]

        ids = store.write(log_all)

        def undo(s: Store) -> Any:
            return s.write(lambda: [s.delete_event(event_id) for event_id in ids])

        return jobs.Outcome(f"logged {len(ids):,} events from the paste", undo, ids[-1] if ids else None)

    return job
