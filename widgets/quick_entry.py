"""The quick-entry line: remembers when its first key was pressed, completes slash commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.suggester import Suggester

from warroom.store.kinds import MAX_TEXT
from warroom.store.text import controls_visible
from warroom.widgets.line_input import LineInput
from warroom.widgets.paint_hold import hold_paint


class CommandSuggester(Suggester):
    """Inline completion for slash commands and @teams, from a function the app supplies."""

    def __init__(self, complete: Callable[[str], list[str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.complete = complete

    async def get_suggestion(self, value: str) -> str | None:
        options = self.complete(value)
        return options[0] if options else None


class QuickEntry(LineInput):
    """One line to log anything; Enter posts `Entered` with the text and the first-key time."""

    DEFAULT_CSS = """
    QuickEntry { border: tall $accent; }
    QuickEntry:focus { border: tall $accent; }
    """

    #: Input sets its virtual size on every keystroke, and Widget's reactive lays out the whole screen for it
    #: (a few ms per key, and per Enter). The line's size is set by CSS and scrolls within itself: repaint it.
    virtual_size = Reactive(Size(0, 0), layout=False)

    class Entered(Message):
        """The user pressed Enter. Handled by `on_quick_entry_entered`."""

        def __init__(self, entry: QuickEntry, text: str, started_at: dt.datetime, release: Callable[[], None]) -> None:
            super().__init__()
            self.entry = entry
            self.text = text
            self.started_at = started_at
            #: The line was emptied with painting held, so that the saved row can show in the same frame:
            #: call once the outcome is on screen (it also lets go by itself after a moment).
            self.release = release

        @property
        def control(self) -> QuickEntry:
            """The entry line that sent it."""
            return self.entry

    class PastedLines(Message):
        """Several lines were pasted; none was inserted. Handled by `on_quick_entry_pasted_lines`."""

        def __init__(self, entry: QuickEntry, lines: list[str]) -> None:
            super().__init__()
            self.entry = entry
            #: The pasted lines that are not blank, control characters made visible.
            self.lines = lines

        @property
        def control(self) -> QuickEntry:
            """The entry line that was pasted into."""
            return self.entry

    class Refused(Message):
        """Input was refused (too long); `reason` says why. Handled by `on_quick_entry_refused`."""

        def __init__(self, entry: QuickEntry, reason: str) -> None:
            super().__init__()
            self.entry = entry
            self.reason = reason

        @property
        def control(self) -> QuickEntry:
            """The entry line that refused it."""
            return self.entry

    def __init__(
        self,
        clock: Callable[[], dt.datetime],
        complete: Callable[[str], list[str]],
        *,
        placeholder: str = "",
        id: str | None = None,
        limit: int = MAX_TEXT,
    ) -> None:
        super().__init__(
            placeholder=placeholder,
            id=id,
            suggester=CommandSuggester(complete),
            select_on_focus=False,
            max_length=limit,
        )
        self.clock = clock
        self.complete = complete
        self.started_at: dt.datetime | None = None
        #: The longest entry accepted; a longer paste is refused with a message, never cut, and typing stops there.
        self.limit = limit

    def complete_now(self) -> bool:
        """Tab: finish the slash command or @team being typed (as → does at the end); False when nothing to finish."""
        value = self.value
        if self.cursor_position != len(value):
            return False
        options = self.complete(value)
        if not options or options[0] == value:
            return False
        self.value = options[0]
        self.cursor_position = len(self.value)
        return True

    def watch_value(self, value: str) -> None:
        # Stamp the moment the first character goes in: "mark now, describe later".
        if not value:
            self.started_at = None
        elif self.started_at is None:
            self.started_at = self.clock()

    def _on_paste(self, event: events.Paste) -> None:
        # Escape codes in pasted text would reach the terminal as they are; Input's own handler, which runs
        # next, inserts them as visible symbols instead.
        lines = controls_visible(event.text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
        filled = [line for line in lines if line.strip()]
        if len(filled) > 1:
            # Input would keep the first line and drop the rest without a word: the screen decides instead.
            event.prevent_default()
            self.post_message(self.PastedLines(self, filled))
            return
        line = filled[0] if filled else ""
        if len(self.value) + len(line) > self.limit:
            event.prevent_default()
            self.post_message(self.Refused(self, f"the paste is {self.adding(len(line))}; {self.limit_hint}"))
            return
        event.text = line

    def restore(self, text: str, started_at: dt.datetime | None) -> None:
        """Put text back (a draft after restart, or an entry that failed to save)."""
        self.value = text
        self.started_at = started_at if text else None
        self.cursor_position = len(text)

    @property
    def full_hint(self) -> str:
        """What the line says, once, when typing reaches the limit."""
        return f"the entry is at its limit of {self.limit:,} characters; nothing more is added (Enter logs it)"

    def say_full(self) -> None:
        self.post_message(self.Refused(self, self.full_hint))

    def adding(self, length: int) -> str:
        """`length` characters, and what the line already holds when that is why they do not fit."""
        held = f" and the line already holds {len(self.value):,}" if self.value else ""
        return f"{length:,} characters{held}"

    @property
    def limit_hint(self) -> str:
        """How long an entry may be, for a refusal."""
        return f"an entry holds at most {self.limit:,}; nothing was added"

    async def action_submit(self) -> None:
        text = self.value
        if not text.strip():
            return
        if len(text) > self.limit:
            limit = f"an entry holds at most {self.limit:,}; shorten it and press Enter again"
            self.post_message(self.Refused(self, f"the entry is {len(text):,} characters; {limit}"))
            return
        started_at = self.started_at or self.clock()
        # Emptied now, not when the screen gets the message: what is typed next is the next entry.
        release = hold_paint(self.app)
        self.value = ""
        self.post_message(self.Entered(self, text, started_at, release))
