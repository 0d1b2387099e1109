"""Pasted text that contains ESC stays one paste (the parser is filtered through widgets/textual_compat.py).

Textual 8's parser reads an ESC inside a bracketed paste as the start of an escape sequence and keeps
reading until it gives up, then replays everything as key presses: Enter keys in the paste log lines
that nobody confirmed, and a large paste freezes the app. Here every ESC inside a paste that does not
end it reaches the parser as U+241B (␛) instead, which is how pasted controls are shown and stored anyway.
"""

from __future__ import annotations

START = "\x1b[200~"
END = "\x1b[201~"
ESC_SHOWN = "\u241b"


class PasteGuard:
    """Rewrites a terminal's input stream, chunk by chunk, so that no ESC is left inside a bracketed paste."""

    def __init__(self) -> None:
        self.in_paste = False
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
                    out.append(text)
                    self._tail = seen[-(len(START) - 1) :]
                    break
                cut = at - len(self._tail) + len(START)  # where the paste begins in `text`
                out.append(text[:cut])
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
    from warroom.widgets.textual_compat import filter_terminal_input

    filter_terminal_input(PasteGuard)
