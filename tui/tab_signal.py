"""`warroom serve`'s word to a tab's process that the database changed, and how a tab's screens use it.

Twenty tabs each asking SQLite twice a second whether anything changed is twenty wake-ups for one
answer. `warroom serve` asks once for all of them (tui/serve_watch.py) and tells each tab's process,
in the packet stream that carries its keys (tui/tab_driver.py); a tab then reads what changed at
once, and otherwise sleeps. Its screens keep a slow poll of their own, in case a word is ever missed;
it is skipped while words keep coming (a look at a moment of its own would redraw the tab outside its
turn, and hold up a key typed just then).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App

#: The meta packet's type `warroom serve` sends (textual-serve's own are resize, focus, blur, quit...).
CHANGED = "warroom-file-changed"
#: The meta packet's type a tab sends back once it has read the change and drawn what it showed (its turn is over).
READ = "warroom-file-read"
#: The driver a served tab runs (tui/tab_driver.py), for TEXTUAL_DRIVER in its environment.
DRIVER = "warroom.tui.tab_driver:TabDriver"
#: A served tab's own look at the file, for a change the serve process's word missed (a replaced file).
SAFETY_POLL = 3.0
#: The longest a word that came while the tab is typed into waits for the next key's frame.
HOLD = 0.3
#: Seconds for a key handed on to reach its widget and ask for a frame.
KEY_SETTLE = 0.01

_told = False
#: When the last word came (time.monotonic()).
_heard_at = -math.inf


class FileChanged(Message):
    """Another connection committed to the database (the App has every open screen that follows it look).

    `done`, when given, is called once the screens have read the change and the frame showing it is drawn.
    """

    def __init__(self, done: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.done = done


def told_of_changes() -> None:
    """This process is a served tab: `warroom serve` tells it of every change (called by its driver)."""
    global _told
    _told = True


def heard() -> None:
    """A word from `warroom serve` came (called by the App as it handles FileChanged)."""
    global _heard_at
    _heard_at = time.monotonic()


def safety_poll_due() -> bool:
    """Whether a screen's own poll should look now: always in a terminal; in a tab, only after SAFETY_POLL seconds
    without a word from `warroom serve`."""
    return not _told or time.monotonic() - _heard_at >= SAFETY_POLL


def poll_interval(terminal: float) -> float:
    """How often a screen looks at the file itself: `terminal` in a terminal, a slow safety net in a tab."""
    return max(terminal, SAFETY_POLL) if _told else terminal


class WordGate:
    """When a served tab reads the server's words: at once, or, while it is being typed into, just after the next
    key's frame, at most HOLD seconds later. Reading and redrawing a busy tab takes 25-45 ms; at a moment of
    its own it could hold up a key typed just then, while just after a key the next is most likely a moment
    away."""

    #: Seconds after a key during which the tab counts as being typed into.
    TYPING = 1.0

    def __init__(self, app: App[Any], look: Callable[[], None]) -> None:
        self.app = app
        self.look = look
        self.typed_at = -math.inf
        #: Words held until the next key's frame (each `done` is called once they are read).
        self.waiting: list[FileChanged] = []

    def word(self, message: FileChanged) -> None:
        """A word from `warroom serve` (FileChanged)."""
        heard()
        if time.monotonic() - self.typed_at < self.TYPING:
            if not self.waiting:
                self.app.set_timer(HOLD, self.read_waiting)
            self.waiting.append(message)
            return
        self._read([message])

    def key_handled(self) -> None:
        """A key was handed on: words waiting are read once its frame is drawn.

        The key reaches the focused widget through its queue, so the screen may have nothing to draw yet:
        after KEY_SETTLE the widget has taken it and asked for its frame, and `call_after_refresh` waits for it.
        """
        self.typed_at = time.monotonic()
        if self.waiting:
            self.app.set_timer(KEY_SETTLE, lambda: self.app.call_after_refresh(self.read_waiting))

    def read_waiting(self) -> None:
        words, self.waiting = self.waiting, []
        if words:
            self._read(words)

    def _read(self, words: list[FileChanged]) -> None:
        self.look()
        for message in words:
            if message.done is not None:
                self.app.call_after_refresh(message.done)
