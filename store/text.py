"""Making user text safe to show: control characters become visible symbols, never reach a terminal.

For anything a person reads in a terminal (the TUI, the CLI's output and error lines): a control character
typed or pasted stays visible (ESC shows as ␛), so what is on screen says what is stored. `visible` keeps
the lines; `visible_line` folds them into one, keeping every other character and its spacing. Both also
mark zero-width characters (⟨U+200B⟩), which draw nothing: two titles that differ only by one look different.
`controls_visible` marks the controls alone, for text going into a field, which stores the rest as typed, and
`controls_visible_line` is its one-line form, for the text warroom writes itself from user text (a handover
note, a stakeholder update): stored, exported and copied, so a zero-width character stays what it is there.
For Markdown and the exports, use store/mdescape.py (`clean`, `clean_line`): a document drops controls
instead of showing them, and a table cell squeezes its whitespace.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which some terminals obey too); and the
# bidirectional embeddings, overrides and isolates, which reorder what a terminal shows after them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
# The same, and the zero-width characters: space, word joiner, byte order mark, non-joiner and joiner (the last
# two are kept where they shape what is drawn: see _picture); the direction marks (left-to-right, right-to-left,
# Arabic letter mark), the invisible math operators and the Mongolian vowel separator, which draw nothing either.
_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\u2061\u2062\u2063\u2064\u180e\ufeff"
_SHOWN = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069{_ZERO_WIDTH}]")
_JOINERS = "\u200c\u200d"


def _picture(match: re.Match[str]) -> str:
    """U+2400 control pictures for C0 (ESC shows as ␛), ␡ for DEL, � for C1, ⟨U+202E⟩ for bidi controls and
    zero-width characters."""
    code = ord(match.group())
    if match.group() in _JOINERS:
        # Between two characters outside ASCII a joiner shapes them (emoji sequences such as 👩‍💻, Indic and
        # Persian script); next to ASCII or at an end it only hides in a word, and beside another zero-width or
        # control character (a second joiner, a zero-width space) it shapes nothing either.
        text, at = match.string, match.start()
        if 0 < at < len(text) - 1:
            before, after = text[at - 1], text[at + 1]
            if ord(before) > 0x7F and ord(after) > 0x7F and not _SHOWN.match(before) and not _SHOWN.match(after):
                return match.group()
    if code >= 0x2000 or match.group() in _ZERO_WIDTH:
        return f"⟨U+{code:04X}⟩"
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def visible(text: str) -> str:
    """Text with every control and zero-width character replaced by a visible symbol (newlines and tabs kept)."""
    return _SHOWN.sub(_picture, text)


def controls_visible(text: str) -> str:
    """Text with every control character replaced by a visible symbol, zero-width characters kept: for what is
    pasted into a field, where only what a terminal would obey must not go (`visible` marks the rest when shown)."""
    return _CONTROL.sub(_picture, text)


#: The marks `visible` draws for zero-width characters, and the characters they stand for.
_ZERO_WIDTH_MARKS = {f"⟨U+{ord(c):04X}⟩": c for c in _ZERO_WIDTH}
_ZERO_WIDTH_MARK = re.compile("|".join(map(re.escape, _ZERO_WIDTH_MARKS)))


def zero_width_back(text: str) -> str:
    """Text edited from `visible` text, with each zero-width character's mark (⟨U+200B⟩) back to the character:
    an edit form shows the marks, and saving what it shows must not store them in place of the characters."""
    if "⟨U+" not in text:
        return text
    return _ZERO_WIDTH_MARK.sub(lambda m: _ZERO_WIDTH_MARKS[m.group()], text)


def controls_visible_line(text: str) -> str:
    """`controls_visible` text on a single line: for text that is stored (quoted into a note), not drawn."""
    return controls_visible(text).replace("\r\n", " ").replace("\n", " ").replace("\t", " ")


def visible_line(text: str) -> str:
    """`visible` text on a single line for a terminal: each newline and tab becomes a space, nothing else changes."""
    return visible(text).replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
