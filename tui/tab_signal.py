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

from textual.message import Message

#: The meta packet's type `warroom serve` sends (textual-serve's own are resize, focus, blur, quit...).
CHANGED = "warroom-file-changed"
#: The meta packet's type a tab sends back once it has read the change and drawn what it showed (its turn is over).
READ = "warroom-file-read"
#: The driver a served tab runs (tui/tab_driver.py), for TEXTUAL_DRIVER in its environment.
DRIVER = "warroom.tui.tab_driver:TabDriver"
#: A served tab's own look at the file, for a change the serve process's word missed (a replaced file).
SAFETY_POLL = 3.0

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
