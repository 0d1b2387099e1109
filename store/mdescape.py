"""Making user text safe to place in Markdown: literal when rendered, harmless in a terminal."""

from __future__ import annotations

import re

# Escape sequences go as a whole, so no stray "[31m" is left behind: CSI (7-bit and 8-bit),
# string commands (OSC, DCS, SOS, PM, APC) up to their terminator, then any other ESC sequence.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
)
# C0 controls except tab and newline, DEL, C1 controls, and bidi embeddings, overrides and isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# Every character any of the three patterns above can start with.
_UNCLEAN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"\s+")
# Characters that can start markup anywhere in a line (`|` for tables, `~` for strikethrough).
_ACTIVE = re.compile(r"[\\`*_\[\]<>&~|]")
# The same as a translation table: one C-level pass instead of a regex calling back into Python per match.
_ACTIVE_ESCAPED = str.maketrans({c: "\\" + c for c in "\\`*_[]<>&~|"})
# What a line may not start with: ATX heading, quote, bullet, setext underline, ordered list.
_LINE_START = re.compile(r"^(?:[#>+=-]|\d{1,9}[.)](?= |$))")
_CLOSING_HASHES = re.compile(r"(^| )(#+)$")


def clean(text: str) -> str:
    """Text without escape sequences or control characters, line breaks normalised to `\\n`."""
    if _UNCLEAN.search(text) is None:
        return text  # the usual case; one scan instead of three substitutions (100k timeline rows)
    text = _LINE_BREAK.sub("\n", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def escape_inline(text: str) -> str:
    """Backslash-escape every character that could start inline markup or split a table cell."""
    return text.translate(_ACTIVE_ESCAPED) if _ACTIVE.search(text) else text


def escape_line_start(line: str) -> str:
    """Escape a line's first character if it would begin a block (heading, list, quote, underline)."""
    match = _LINE_START.match(line)
    if match is None:
        return line
    end = match.end()
    return f"{line[: end - 1]}\\{line[end - 1 :]}"


def one_line(text: str) -> str:
    """Clean text with every run of whitespace, newlines included, made one space."""
    # str.split() splits on exactly the characters `\s` matches, and drops the ends as strip() did.
    return " ".join(clean(text).split())


def escape_cell(text: str) -> str:
    """Text for one table cell: a single line that cannot end the cell or the row."""
    if _plain_line(text):
        return text  # the usual case, and checked without copying: 100k timeline rows go through here
    return escape_inline(one_line(text))


def _plain_line(text: str) -> bool:
    """Whether `escape_cell` would leave the text as it is: a single-spaced line, nothing to clean or escape.

    Every character `clean` removes and every whitespace character but the space is unprintable, so
    printable text has nothing to clean and no line breaks or tabs for `one_line` to fold.
    """
    return (
        text.isprintable()
        and _ACTIVE.search(text) is None
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def escape_heading(text: str) -> str:
    """Text for the end of an ATX heading line; a trailing run of `#` is kept as text."""
    return _CLOSING_HASHES.sub(lambda m: m[1] + "\\#" * len(m[2]), escape_cell(text))


def escape_paragraphs(text: str) -> list[list[str]]:
    """Multi-line text as paragraphs of escaped lines; blank-line runs separate paragraphs."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw in clean(text).split("\n"):
        line = _WHITESPACE.sub(" ", raw).strip()
        if not line:
            if current:
                paragraphs.append(current)
                current = []
            continue
        current.append(escape_line_start(escape_inline(line)))
    if current:
        paragraphs.append(current)
    return paragraphs
