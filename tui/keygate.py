"""Keys typed in a burst take effect as if typed slowly: a command key is acted on before the next key is handed out.

Textual hands a key to the focused widget's queue and goes on to the next key at once. A pane's `e`
posts a message that opens the edit dialog a few hops later, so a `d` typed with it still reached the
pane behind the dialog (and deleted the event being edited). Here a command key (anything but a
printable character typed into a text field) waits until what was typed before it is in, and the keys
after it wait until the screen has settled: its messages handled, a dialog it opened mounted and
focused, a dialog it closed gone. Printable characters typed into a text field are not held (typing
stays as fast as before); only the command key that follows them waits for them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App, ScreenStackError
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import Input

from warroom.widgets.textual_compat import has_priority_binding, has_queued_messages

#: Keys that only move a cursor: harmless on any pane, so Escape-then-k typed fast (alt+k) still navigates.
MOVES = frozenset("jkgGhl")

#: Longest wait for the screen to settle after one key (a stuck handler must not freeze the keyboard).
SETTLE_LIMIT = 1.0
#: Rounds of "every queue of the screen handled what it had": a message bubbles up a few widgets, then a
#: dialog is composed, mounted and focused. Settled is when a round finds nothing new.
MAX_ROUNDS = 20


class KeysSettled(Message):
    """The screen has acted on the last command key; held keys can go on. Handled by the app."""


async def _handled(nodes: list[DOMNode], timeout: float) -> bool:
    """Wait until each node has handled what it had queued when asked; False on timeout."""
    done = asyncio.Event()
    count = 0

    def one_done() -> None:
        nonlocal count
        count -= 1
        if count == 0:
            done.set()

    for node in nodes:
        if node.call_later(one_done):
            count += 1
    if not count:
        return True
    try:
        await asyncio.wait_for(done.wait(), timeout)
    except TimeoutError:
        return False
    return True


async def settle(app: App[Any]) -> None:
    """Wait until the current screen (and any screen it opened or closed) has handled everything queued."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_LIMIT
    for _ in range(MAX_ROUNDS):
        try:
            screen = app.screen
        except Exception:
            return
        nodes: list[DOMNode] = [screen, *screen.walk_children(with_self=False)]
        if not await _handled(nodes, max(0.0, deadline - loop.time())):
            return
        try:
            same = app.screen is screen
        except Exception:
            return
        if same and screen.is_mounted and not any(has_queued_messages(n) for n in nodes):
            return
        if loop.time() >= deadline:
            return


class Glued(events.Key):
    """A character that arrived glued to Escape (a terminal sends Escape then "d" typed fast as alt+d)."""


class WordEscape(events.Key):
    """The Escape of ESC b or ESC f with typing after it in the same read: Escape then a word typed fast, or a Mac's
    option+left / option+right then typing. `move` is the word move it is in a dialog's text field."""

    def __init__(self, move: str) -> None:
        super().__init__("escape", "\x1b")
        self.move = move


#: ESC and these letters are also a terminal's word moves (option+left / option+right on a Mac).
WORD_MOVES = {"b": "ctrl+left", "f": "ctrl+right"}


def split_alt(key: events.Key) -> list[events.Key]:
    """alt+letter as the two keys that were typed: Escape, then the letter (marked as glued to it)."""
    name = key.key
    letter = name.removeprefix("alt+")
    character = key.character if key.character and len(key.character) == 1 else letter
    if not name.startswith("alt+") or len(character) != 1 or not character.isprintable():
        return [key]
    escape = WordEscape(WORD_MOVES[character]) if character in WORD_MOVES else events.Key("escape", "\x1b")
    return [escape, Glued(letter, character)]


def _is_text_area(widget: object) -> bool:
    """Whether `widget` is a Textual TextArea, found by name so that starting never loads TextArea and its
    document model (a few ms): only the dialogs that have one (forms, the update draft) load it."""
    return any(cls.__name__ == "TextArea" and cls.__module__.startswith("textual.") for cls in type(widget).__mro__)


class KeyGate:
    """Holds keys while the screen acts on a command key, then hands them on in the order typed."""

    def __init__(self, app: App[Any], dispatch: Callable[[events.Key], Awaitable[None]]) -> None:
        self.app = app
        self.dispatch = dispatch
        self.held: deque[events.Key] = deque()
        self.busy = False
        # Keys handed to a widget since the screen last settled (a command key waits for them to be in).
        self.unsettled = False
        self._task: asyncio.Task[None] | None = None

    def is_typing(self, key: events.Key) -> bool:
        """A printable character going into a text field: passed on at once, never held."""
        try:
            focused = self.app.focused
        except ScreenStackError:  # closing down: no screen to type into
            return False
        return key.is_printable and (isinstance(focused, Input) or _is_text_area(focused))

    def _editing_a_dialog_field(self) -> bool:
        """Whether the cursor is in a text field of a screen with no entry line to type into (a form, a dialog)."""
        try:
            focused, screen = self.app.focused, self.app.screen
        except ScreenStackError:
            return False
        typing_field = isinstance(focused, Input) or _is_text_area(focused)
        return typing_field and getattr(screen, "focus_typing", None) is None

    async def key(self, key: events.Key) -> None:
        """A key arrived from the terminal (or a test): pass it on now or hold it."""
        self.held.extend(split_alt(key))
        if not self.busy:
            await self.release()

    async def release(self) -> None:
        """Hand on held keys until one needs the screen to settle first or after."""
        self.busy = False
        while self.held:
            if not self.app.is_running or not self.app.screen_stack:
                self.held.clear()  # the app is closing: nothing left to type into
                return
            key = self.held[0]
            if isinstance(key, WordEscape) and self._editing_a_dialog_field():
                # In a dialog's text field Escape would cancel the dialog and the word after it would answer
                # "throw away what you typed?" (a "y" in it saying yes): there it is the word move typed fast.
                self.held.popleft()
                if self.held and isinstance(self.held[0], Glued):
                    self.held.popleft()
                key = events.Key(key.move, None)
                self.held.appendleft(key)
            if isinstance(key, Glued) and (self.is_typing(key) or key.character in MOVES):
                key = self.held[0] = events.Key(key.key, key.character)  # handled as the plain key it is
            if self.is_typing(key):
                self.held.popleft()
                await self.dispatch(key)
                self.unsettled = True
                continue
            if self.unsettled and has_priority_binding(self.app.screen, key.key):
                # A priority binding runs at once, ahead of the characters still queued in the text field
                # (ctrl+s would save a form without them): what was typed goes in first.
                self._wait()
                return
            if isinstance(key, Glued):
                # A letter glued to Escape is typing, never a pane command: it goes to the screen's entry line.
                self.held[0] = events.Key(key.key, key.character)
                focus_typing = getattr(self.app.screen, "focus_typing", None)
                if focus_typing is not None and focus_typing():
                    self._wait()
                else:
                    self.held.popleft()  # no line to type into here: dropped rather than run as a command
                    continue
                return
            self.held.popleft()
            await self.dispatch(key)
            self._wait()  # and what the command does is done before the next key
            return

    def _wait(self) -> None:
        self.busy = True
        self.unsettled = False

        async def wait() -> None:
            try:
                await settle(self.app)
            finally:
                self.app.post_message(KeysSettled())

        self._task = asyncio.get_running_loop().create_task(wait())
