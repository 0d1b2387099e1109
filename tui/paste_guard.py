"""Pasted text that contains ESC stays one paste (the parser is filtered through widgets/textual_compat.py).

Textual 8's parser reads an ESC inside a bracketed paste as the start of an escape sequence and keeps
reading until it gives up, then replays everything as key presses: Enter keys in the paste log lines
that nobody confirmed, and a large paste freezes the app. Here every ESC inside a paste that does not
end it reaches the parser as U+241B (␛) instead, which is how pasted controls are shown and stored anyway.

Outside a paste, an Escape glued to what was typed after it (Escape, then typing, arriving in one read
over a slow link) is handed to the parser as the key it would become after the parser's wait: Textual
reads ESC and a letter as alt+letter only after a pause, and once 32 characters have followed it gives
up and types Escape as a "^" into the text. (tui/keygate.py then splits
alt+character back into Escape and the character.) ESC b and ESC f, which Textual reads as ctrl+left and
ctrl+right (a Mac terminal's option+arrow), are glued Escapes too when typing follows them in the same read
(Escape then "backup" typed fast): otherwise the "b" moved the cursor a word and was lost. Alone at the end
of a read, or followed by another escape sequence (option+left held down), they stay the word moves. (In a
form's or dialog's text field tui/keygate.py makes them the word moves again: there an Escape would cancel.)
"""

from __future__ import annotations

import re
from collections.abc import Callable

START = "\x1b[200~"
END = "\x1b[201~"
ESC_SHOWN = "\u241b"
#: ESC, then a character that does not begin an escape sequence, then anything: a glued Escape. ESC O begins
#: the keys of an SS3 sequence (arrows, Home, End, F1-F4 and rxvt's ctrl+arrows) only before one of their
#: letters: before any other character it is Escape then "O" typed ("Oops", "On call", "OK"), never the
#: keypad key (application keypad mode is never turned on) or a sequence waited for.
_GLUED = re.compile(r"\x1b([^\x00-\x20\x7f\x1b\[\]OP_^X\\]|O(?=[^A-DFHMP-Sa-d]))(?=.)", re.DOTALL)


def unglue(pairs: frozenset[str]) -> Callable[[str], str]:
    """A rewrite of glued Escapes as the keys Textual makes of them after its pause: a letter or digit as
    alt+character (in the kitty keyboard protocol's spelling, which Textual reads at once), any other
    character alone. The pairs Textual has a key of its own for (`pairs`: ESC b is ctrl+left) stay when
    nothing typed follows them in the read: only another ESC (the same key repeated, an arrow) or nothing."""

    def alt(found: re.Match[str]) -> str:
        character = found.group(1)
        if character in pairs and found.string[found.end() : found.end() + 1] == "\x1b":
            return found.group(0)
        return f"\x1b[{ord(character)};3u" if character.isalnum() else character

    return lambda text: _GLUED.sub(alt, text) if "\x1b" in text else text


class PasteGuard:
    """Rewrites a terminal's input stream, chunk by chunk, so that no ESC is left inside a bracketed paste."""

    def __init__(self, pairs: frozenset[str] = frozenset()) -> None:
        self.in_paste = False
        self._unglue = unglue(pairs)
        #: The end of the last chunk outside a paste (a START split across two reads is still seen).
        self._tail = ""
        #: Inside a paste: the end of a chunk that may be the start of END, held for the next chunk.
        self._held = ""

    def __call__(self, data: str) -> str:
        """The chunk as the parser should see it."""
        out: list[str] = []
        text = self._held + data
        self._held = ""
        while text:
            if not self.in_paste:
                seen = self._tail + text
                at = seen.find(START)
                if at < 0:
                    out.append(self._unglue(text))
                    self._tail = seen[-(len(START) - 1) :]
                    break
                cut = at - len(self._tail) + len(START)  # where the paste begins in `text`
                out.append(self._unglue(text[:cut]))
                text, self._tail, self.in_paste = text[cut:], "", True
                continue
            end = text.find(END)
            body = text if end < 0 else text[:end]
            if end < 0:
                # Hold back what could be the first characters of END.
                for size in range(min(len(END) - 1, len(body)), 0, -1):
                    if END.startswith(body[-size:]):
                        body, self._held = body[:-size], body[-size:]
                        break
            out.append(body.replace("\x1b", ESC_SHOWN))
            if end < 0:
                break
            out.append(END)
            text, self.in_paste = text[end + len(END) :], False
        return "".join(out)


def install() -> None:
    """Make the terminal and browser drivers parse input through a PasteGuard; a no-op if Textual changed."""
    from warroom.widgets.textual_compat import escape_pairs, filter_terminal_input

    pairs = escape_pairs()
    filter_terminal_input(lambda: PasteGuard(pairs))
