"""Making user text safe to show: control characters become visible symbols, never reach a terminal.

For anything a person reads in a terminal (the TUI, the CLI's output and error lines): a control character
typed or pasted stays visible (ESC shows as ␛), so what is on screen says what is stored. `visible` keeps
the lines; `visible_line` folds them into one, keeping every other character and its spacing.
For Markdown and the exports, use store/mdescape.py (`clean`, `clean_line`): a document drops controls
instead of showing them, and a table cell squeezes its whitespace.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which some terminals obey too); and the
# bidirectional embeddings, overrides and isolates, which reorder what a terminal shows after them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    """U+2400 control pictures for C0 (ESC shows as ␛), ␡ for DEL, � for C1, ⟨U+202E⟩ for bidi controls."""
    code = ord(match.group())
    if code >= 0x2000:
        return f"⟨U+{code:04X}⟩"
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def visible(text: str) -> str:
    """Text with every control character replaced by a visible symbol (newlines and tabs kept)."""
    return _CONTROL.sub(_picture, text)


def visible_line(text: str) -> str:
    """`visible` text on a single line for a terminal: each newline and tab becomes a space, nothing else changes."""
    return visible(text).replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
