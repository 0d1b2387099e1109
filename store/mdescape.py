"""Making user text safe to place in Markdown: literal when rendered, harmless in a terminal, readable raw.

A character is escaped only where leaving it would change what markdown-it (GFM-like: tables and
strikethrough, raw HTML on, linkify off) makes of the text: a code span, emphasis, strikethrough, a link or
image, an autolink, raw HTML or an entity (found by store.mdinline), a block at the start of a line
(heading, list, quote, rule, fence, HTML block, link definition, setext underline, table), a `|` in a table
cell, a backslash that would otherwise escape what follows it. So `max_wal_senders`, `~6-hour`, `3->32`
and `[14:45] Meeting` are written as typed, and `*x*`, `<b>` or `[a](b)` get one backslash each.

For documents (Markdown, HTML, Confluence): `clean` drops escape sequences and control characters, and
`clean_line` also squeezes every run of whitespace to one space, so `a\n\tb` is `a b`. For a terminal, use
store/text.py (`visible`, `visible_line`), which shows controls as symbols rather than dropping them.
"""

from __future__ import annotations

import re

from warroom.store.mdinline import (
    ASCII_PUNCT,
    BLOCK_TAGS,
    HTML_OPEN_CLOSE_TAG,
    TRIGGERS,
    candidates,
    destination_end,
    escape_choices,
    first_markup,
    title_end,
)

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
_CLOSING_HASHES = re.compile(r"(^| )(#+)$")
# Block starts, on a line of a paragraph or list item (first: also where only a paragraph may start).
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
_BULLET = re.compile(r"[-+*](?:[ \t]|$)")
_ORDERED = re.compile(r"(\d{1,9})[.)](?:[ \t]|$)")
_THEMATIC = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"(?:=+|-+)$")
_FENCE = re.compile(r"```+[^`]*$")
_HTML_BLOCK = re.compile(
    r"<(?:(?:script|pre|style|textarea)(?:\s|>|$)|!--|\?|![A-Za-z]|!\[CDATA\["
    r"|/?(?:" + "|".join(BLOCK_TAGS) + r")(?:\s|/?>|$))",
    re.IGNORECASE,
)
_HTML_LINE = re.compile(HTML_OPEN_CLOSE_TAG + r"\s*$")
_DEFINITION = re.compile(r"\[[^\[\]]*[^\s\[\]][^\[\]]*\]:")
_DELIMITER_CELL = re.compile(r":?-+:?$")
_PIPE = re.compile(r"\|")
#: A character `\\` escapes where it stands: markdown-it's ASCII punctuation.
_PUNCT = ASCII_PUNCT
# Text with more characters that could be markup than this is escaped the blunt way: each such character
# (see store.mdinline.candidates), without looking for the fewest. Searching costs a pass per escape.
_MAX_CANDIDATES = 64
# Past this many escapes in one block, escape every trigger at once.
_MAX_STEPS = 200


def clean(text: str) -> str:
    """Text without escape sequences or control characters, line breaks normalised to `\\n`."""
    if _UNCLEAN.search(text) is None:
        return text  # the usual case; one scan instead of three substitutions (100k timeline rows)
    text = _LINE_BREAK.sub("\n", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """`clean` text on one line for a document: every run of whitespace, newlines included, one space; ends trimmed."""
    # str.split() splits on exactly the characters `\s` matches, and drops the ends as strip() did.
    return " ".join(clean(text).split())


def escape_cell(text: str) -> str:
    """Text for one table cell: a single line that cannot end the cell or the row, shown literally."""
    if _plain_line(text):
        return text  # the usual case, and checked without copying: 100k timeline rows go through here
    line = clean_line(text)
    return _escape_block([line], cell=True, blocks=False)[0] if line else ""


def escape_line(text: str) -> str:
    """Text for the rest of a line that is not a table row (a header fact, a tag list), shown literally."""
    line = clean_line(text)
    return _escape_block([line], cell=False, blocks=False)[0] if line else ""


def _plain_line(text: str) -> bool:
    """Whether `escape_cell` would leave the text as it is: a single-spaced line, nothing to clean or escape.

    Every character `clean` removes and every whitespace character but the space is unprintable, so
    printable text has nothing to clean and no line breaks or tabs for `clean_line` to fold.
    """
    return (
        text.isprintable()
        and "|" not in text
        and TRIGGERS.isdisjoint(text)
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def escape_cell_links(text: str) -> str:
    """`escape_cell`, with each evidence link (store/links.py) written as a Markdown autolink `<URL>`.

    The cell is escaped as one piece with each link stood in for by an inert placeholder (punctuation at
    both ends, as `<` and `>` are), so emphasis or code can never pair across a link; the links then go
    in as autolinks, which nothing inside can break (a link holds no space, `<`, `>` or backslash). An
    autolink is always preceded by a space or the cell's start, so `mdparse` finds it again.
    """
    if "://" not in text or _HOLE in text:
        return escape_cell(text)
    from warroom.store.links import split_links

    links: list[str] = []
    shaped: list[str] = []
    for piece in split_links(clean_line(text)):
        if piece.is_link:
            shaped.append(f"\u27e8{_HOLE}{len(links)}{_HOLE}\u27e9")
            links.append(piece.text)
        else:
            shaped.append(piece.text)
    out = escape_cell("".join(shaped))
    for n, url in enumerate(links):
        out = out.replace(f"\u27e8{_HOLE}{n}{_HOLE}\u27e9", f"<{url}>", 1)
    return out


#: Marks a link's place while the rest of a cell is escaped (a private-use character nobody types).
_HOLE = "\ue000"


def escape_heading(text: str) -> str:
    """Text for the end of an ATX heading line; a trailing run of `#` is kept as text."""
    return _CLOSING_HASHES.sub(lambda m: m[1] + "\\#" * len(m[2]), escape_line(text))


def _lines(text: str) -> list[list[str]]:
    """Clean text as paragraphs of single-spaced lines; blank-line runs separate paragraphs."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw in clean(text).split("\n"):
        line = _WHITESPACE.sub(" ", raw).strip()
        if not line:
            if current:
                paragraphs.append(current)
                current = []
            continue
        current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def escape_paragraphs(text: str) -> list[list[str]]:
    """Multi-line text as paragraphs of escaped lines, to be joined by hard breaks (`\\` + newline)."""
    return [_escape_block(lines) for lines in _lines(text)]


def escape_lines(text: str, labelled: bool = False) -> list[str]:
    """Multi-line text as the escaped lines of one list item: its paragraphs run together by hard breaks.

    `labelled`: the first line follows a `**Label:** ` on the item's line, so it cannot start a block."""
    lines = [line for paragraph in _lines(text) for line in paragraph]
    return _escape_block(lines, lead="- ", first_starts_line=not labelled) if lines else []


def _escape_block(
    lines: list[str], cell: bool = False, blocks: bool = True, lead: str = "", first_starts_line: bool = True
) -> list[str]:
    """Escape lines that markdown-it reads as one inline block (joined by hard breaks) with as few backslashes as
    leave every character literal: block starts first, then the first inline markup left, again and again.
    `lead`: what comes before the first line on its line (a list item's `- `); `first_starts_line`: False when
    more comes between (a `**Label:** `), so the first line cannot start a block."""
    flat = "\n".join(lines)
    if not TRIGGERS.intersection(flat) and not (cell and "|" in flat) and not (blocks and _may_start_block(lines)):
        return lines
    escaped: set[int] = set()
    if cell:
        escaped.update(m.start() for m in _PIPE.finditer(flat))  # every `|` splits a table row
    fixed = frozenset(escaped)
    needs = _block_escapes(lines, lead, first_starts_line) if blocks else []
    escaped.update(need[0] for need in needs)  # the best choice first
    out, inserts = _render(flat, escaped)
    possible = candidates(out) if sum(map(flat.count, "`*_~[<&")) > _MAX_CANDIDATES else []
    if len(possible) > _MAX_CANDIDATES:
        escaped.update(_origin(p, inserts) for p in possible)
        out, inserts = _render(flat, escaped)
        if first_markup(out) is None:
            return out.split("\\\n")
    for _ in range(_MAX_STEPS):
        found = first_markup(out)
        if found is None:
            if len(escaped) - len(fixed) > 1:  # a single escape was needed when added, and still is
                escaped = _pruned(flat, escaped, fixed, needs)
                out = _render(flat, escaped)[0]
            return out.split("\\\n")
        escaped.add(_best_choice(flat, escaped, out, inserts, found))
        out, inserts = _render(flat, escaped)
    escaped.update(i for i, c in enumerate(flat) if c in TRIGGERS and c != "\\")
    return _render(flat, escaped)[0].split("\\\n")


def _pruned(flat: str, escaped: set[int], fixed: frozenset[int], needs: list[tuple[int, ...]]) -> set[int]:
    """The escapes without those the text stays literal without: one escape found early can make another found
    later unnecessary (a fence's first backtick once the next is escaped for a code span), so each is tried again.
    `needs`: for each block start, the characters of which one must stay escaped."""
    for _ in range(3):
        dropped = False
        for i in sorted(escaped - fixed):
            trial = escaped - {i}
            if all(trial.intersection(need) for need in needs) and first_markup(_render(flat, trial)[0]) is None:
                escaped = trial
                dropped = True
        if not dropped:
            break
    return escaped


def _best_choice(flat: str, escaped: set[int], out: str, inserts: list[int], found: int) -> int:
    """Of the characters that could stop the markup at `found`, the first whose escape settles its whole run
    (as an index into `flat`)."""
    choices, fallback = escape_choices(out, found)
    if len(choices) == 1:
        return _origin(choices[0], inserts)
    run_end = max(choices) + 1  # in the trial output, one character longer
    for choice in choices:
        trial = _render(flat, escaped | {_origin(choice, inserts)})[0]
        after = first_markup(trial)
        if after is None or after > run_end:
            return _origin(choice, inserts)
    return _origin(fallback, inserts)


def _render(flat: str, escaped: set[int]) -> tuple[str, list[int]]:
    """The output for `flat` (lines joined by `\\n`) with the chosen characters escaped, and where (in `flat`) a
    backslash went in: before each escaped character, before each line break (a hard break), and before a
    typed backslash that would otherwise escape what follows it (punctuation, an escape, a line break)."""
    inserts = set(escaped)
    at = flat.find("\n")
    while at >= 0:
        inserts.add(at)
        at = flat.find("\n", at + 1)
    last = len(flat) - 1
    at = flat.find("\\")
    while at >= 0:
        if at < last and (at + 1 in escaped or flat[at + 1] in _PUNCT or flat[at + 1] == "\n"):
            inserts.add(at)
        at = flat.find("\\", at + 1)
    ordered = sorted(inserts)
    pieces: list[str] = []
    start = 0
    for index in ordered:
        pieces += [flat[start:index], "\\"]
        start = index
    pieces.append(flat[start:])
    return "".join(pieces), ordered


def _origin(position: int, inserts: list[int]) -> int:
    """The index in `flat` of the output character at `position` (not itself an inserted backslash)."""
    before = 0
    for n, index in enumerate(inserts):
        if index + n >= position:
            break
        before = n + 1
    return position - before


def _may_start_block(lines: list[str]) -> bool:
    """A quick check: could any line start a block (its first character is a block marker or a digit)?"""
    return any(line[0] in "#>-+*=_`~<[|:" or line[0].isdigit() for line in lines)


def _block_escapes(lines: list[str], lead: str, first_starts_line: bool) -> list[tuple[int, ...]]:
    """For each line that would start a block: the characters (indexes in the lines joined by `\\n`) of which
    escaping any one keeps it text, best first."""
    found: list[tuple[int, ...]] = []
    offset = 0
    for k, line in enumerate(lines):
        at = _block_start(line, k, lines, lead) if k or first_starts_line else None
        if at is not None:
            found.append(tuple(offset + i for i in at))
        offset += len(line) + 1
    return found


def _block_start(line: str, k: int, lines: list[str], lead: str) -> tuple[int, ...] | None:
    """The characters of line `k`, any one of which escaped keeps the line text (None: it is text already)."""
    first = k == 0
    last = k == len(lines) - 1
    text = line if last else line + "\\"  # as markdown-it sees it: all but the last line end in a hard break
    if text.startswith("~~~"):
        return (1, 0, 2)  # `~\\~~` is neither a fence nor, with a lone `~` left on each side, strikethrough
    if _FENCE.match(text):
        return (0, 1, 2)  # a fence needs three backticks in a row
    if _ATX.match(text) or text.startswith(">") or _THEMATIC.match(text) or (first and _THEMATIC.match(lead + text)):
        return (0,)
    if _HTML_BLOCK.match(text) or (first and _HTML_LINE.match(text)):
        return (0,)
    if _BULLET.match(text) and (first or len(text) > 1):
        return (0,)  # an empty item cannot interrupt a paragraph
    ordered = _ORDERED.match(text)
    if ordered and (first or (int(ordered[1]) == 1 and len(text) > ordered.end(1) + 1)):
        return (ordered.end(1),)
    if not first and _SETEXT.match(text):
        return (0,)
    if first and _defines_link(line, more=not last):
        return (0,)
    if not first and last and _table_starts(lines[k - 1] + "\\", line):
        return (0,)
    return None


def _table_starts(header: str, delimiter: str) -> bool:
    """Whether markdown-it reads the two lines as a table's header and delimiter rows."""
    if len(delimiter) < 2 or delimiter[0] not in "|-:" or (delimiter[1] not in "|-: \t") or delimiter[:2] == "- ":
        return False
    if delimiter.strip("|-: \t") or "|" not in header:
        return False
    cells = delimiter.split("|")
    aligns = 0
    for i, cell in enumerate(cells):
        cell = cell.strip(" \t")
        if not cell and i in (0, len(cells) - 1):
            continue
        if not _DELIMITER_CELL.match(cell):
            return False
        aligns += 1
    columns = re.split(r"(?<!\\)\|", header.strip())
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    return 0 < len(columns) == aligns


def _defines_link(line: str, more: bool) -> bool:
    """Whether a paragraph starting with this line starts with a link reference definition (`[x]: url "title"`).

    `more`: other lines follow, so the line ends in a hard break's backslash and a destination or title
    could run on; then any definition still open at the end of the line counts."""
    label = _DEFINITION.match(line)
    if label is None:
        return False
    pos = label.end()
    while pos < len(line) and line[pos] in " \t":
        pos += 1
    if pos == len(line):
        return more
    end = destination_end(line, pos)
    if end < 0:
        return False
    if end >= len(line):
        return True
    after = end
    while after < len(line) and line[after] in " \t":
        after += 1
    if after == len(line):
        return True
    if after == end:
        return False
    title = title_end(line, after)
    if title < 0:
        return more and line[after] in "\"'("
    return not line[title:].strip(" \t")
