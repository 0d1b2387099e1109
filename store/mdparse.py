"""Reading a Markdown post-mortem back: the inverses of store.mdescape, and the document's parts from tokens.

The structure (headings, lists, tables and which source line each starts on) comes from markdown-it
tokens. Text is taken from the source the tokens point at and unescaped here, so that what
`escape_*` wrote comes back character for character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from warroom.store.kinds import FactorKind
from warroom.store.wording import with_article

if TYPE_CHECKING:
    from markdown_it.token import Token

# CommonMark: a backslash before ASCII punctuation escapes it; before anything else it is literal.
# Every backslash the escape_* functions add is of the first sort, and a typed backslash before punctuation
# is itself escaped there, so dropping one backslash of each such pair gives back exactly what was typed.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_LABELLED = re.compile(r"^\*\*(?P<label>[^*\n]+?):\*\*(?: (?P<rest>.*))?$", re.DOTALL)
# An autolink escape_cell_links wrote: an unescaped `<` at the start or after a space (every other `<` is escaped).
_AUTOLINK = re.compile(r"(?<!\S)<(https?://[^\s<>\\]+)>", re.IGNORECASE)
_ZONE = re.compile(r"^Time \((?P<zone>[^()]+)\)$")

TITLE_PREFIX = "Incident Post-Mortem:"
TEXT_PLACEHOLDERS = {"_No summary yet._", "_Not recorded._"}
FACTOR_PLACEHOLDERS = {"_Not yet identified._", "_None recorded._"}
TIMELINE_COLUMNS = 3
ACTION_COLUMNS = 5

#: Free-text sections: heading (lower case) -> incident field.
TEXT_SECTIONS = {
    "incident summary": "summary",
    "root cause analysis": "notes",
    "what went well": "went_well",
    "what went wrong": "went_wrong",
    "where we got lucky": "got_lucky",
}
FACTOR_SECTIONS = {
    "root cause": FactorKind.ROOT,
    "contributing factors": FactorKind.CONTRIBUTING,
    "trigger": FactorKind.TRIGGER,
}
#: What marks a heading after the action items as an extra section (key in `texts`: EXTRA + its title).
EXTRA = "\x00section:"
#: Level-3 headings each level-2 heading may hold.
_KNOWN = {
    "incident summary": set(),
    "incident timeline": set(),
    "root cause analysis": {*FACTOR_SECTIONS, "hypotheses considered"},
    "impact": set(),
    "lessons learned": {"what went well", "what went wrong", "where we got lucky"},
    "action items": set(),
    "related incidents": set(),
}


# -- the inverses of store.mdescape ----------------------------------------------------------------------


def unescape(text: str) -> str:
    """Inverse of escape_cell, escape_line, escape_heading and escape_paragraphs: drop each escaping backslash."""
    return _ESCAPED.sub(r"\1", text)


def unescape_cell(raw: str) -> str:
    """Inverse of escape_cell, for one cell's source text (escaped pipes included)."""
    return unescape(raw.strip())


def unescape_cell_links(raw: str) -> str:
    """Inverse of escape_cell_links: autolinks become their URL, the rest is unescaped."""
    raw = raw.strip()
    if "<" not in raw:
        return unescape(raw)
    pieces: list[str] = []
    pos = 0
    for match in _AUTOLINK.finditer(raw):
        pieces += [unescape(raw[pos : match.start()]), match[1]]
        pos = match.end()
    pieces.append(unescape(raw[pos:]))
    return "".join(pieces)


def unescape_lines(content: str) -> list[str]:
    """An inline block's source as text lines: hard breaks end a line, soft breaks join with a space."""
    lines: list[str] = []
    pending = ""
    raws = content.split("\n")
    for n, raw in enumerate(raws, 1):
        pending = f"{pending} {raw.strip()}" if pending else raw.strip()
        trailing = len(pending) - len(pending.rstrip("\\"))
        if trailing % 2 == 1 and n < len(raws):  # at the very end a backslash breaks nothing: it is text
            lines.append(unescape(pending[:-1]))
            pending = ""
        elif raw.endswith("  "):
            lines.append(unescape(pending))
            pending = ""
    if pending:
        lines.append(unescape(pending))
    return lines


def unescape_paragraphs(paragraphs: list[list[str]]) -> str:
    """Inverse of escape_paragraphs: unescaped lines joined by newlines, paragraphs by a blank line."""
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines)


def split_row(line: str) -> list[str]:
    """The raw cells of one table row, split like markdown-it does (a pipe after a backslash is text)."""
    text = line.strip()
    cells: list[str] = []
    start = 0
    for i, char in enumerate(text):
        if char == "|" and (i == 0 or text[i - 1] != "\\"):
            cells.append(text[start:i])
            start = i + 1
    cells.append(text[start:])
    if cells and not cells[0].strip():
        cells.pop(0)
    if cells and not cells[-1].strip():
        cells.pop()
    return [c.strip() for c in cells]


def labelled(raw: str) -> tuple[str, str] | None:
    """`**Label:** value` as (label, raw value), or None when the text is not of that form."""
    match = _LABELLED.match(raw.strip())
    if match is None:
        return None
    return match["label"].strip(), match["rest"] or ""


# -- the document ----------------------------------------------------------------------------------------


@dataclass
class Problem:
    """Something in the source that could not be imported, with the line it is on (1-based)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class Entry:
    """One list item, paragraph or table row: where it starts and what it holds."""

    line: int
    #: Unescaped text lines.
    lines: list[str] = field(default_factory=list)
    #: Raw source: a row's cells, a `**Label:**` item's value, or a text section's paragraphs (unescaped).
    cells: list[str] = field(default_factory=list)
    label: str = ""


@dataclass
class MarkdownPostmortem:
    """What a Markdown post-mortem says, still as text, each part with its source line."""

    title: Entry | None = None
    header: list[Entry] = field(default_factory=list)
    texts: dict[str, Entry] = field(default_factory=dict)
    zone: Entry | None = None
    timeline: list[Entry] = field(default_factory=list)
    factors: dict[FactorKind, list[Entry]] = field(default_factory=dict)
    impact: list[Entry] = field(default_factory=list)
    actions: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: `**Ruled out:** ...` items of Hypotheses considered.
    hypotheses: list[Entry] = field(default_factory=list)
    #: Whether the file has the Related Incidents section (its rows are derived: not read).
    related: bool = False


@dataclass
class _Block:
    """One top-level block of tokens."""

    type: str
    line: int
    tokens: list[Token]

    def inlines(self) -> list[Token]:
        return [t for t in self.tokens if t.type == "inline"]


#: Lists and quotes nest at most this many tokens deep (about 45 levels of list); markdown-it stops
#: reading a file silently where it goes deeper, so such a file is refused instead.
MAX_NESTING = 100


def _refuse_too_deep(tokens: list[Token]) -> None:
    """Refuse a file the parser stopped reading part-way, because its lists or quotes nest too deeply."""
    deepest = next((tok for tok in tokens if tok.level >= MAX_NESTING - 1), None)
    if deepest is None:
        return
    from warroom.store.import_doc import NothingImported

    where = f" at line {deepest.map[0] + 1}" if deepest.map else ""
    raise NothingImported(f"lists or quotes nest too deeply{where} to read the file; nothing imported")


def read_markdown(text: str) -> MarkdownPostmortem:
    """Split a post-mortem into its parts; what does not fit the template is listed in `problems`."""
    from markdown_it import MarkdownIt

    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as markdown-it does, so line numbers agree
    source = text.split("\n")
    doc = MarkdownPostmortem()
    h2 = h3 = ""
    skipping = False
    tokens = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").parse(text)
    _refuse_too_deep(tokens)
    for block in _blocks(tokens):
        if block.type == "heading":
            level = int(block.tokens[0].tag[1])
            name = unescape(block.inlines()[0].content).strip()
            if level == 1 and doc.title is None and not h2:
                doc.title = Entry(block.line, [name])
                skipping = False
                continue
            key = name.lower()
            if level == 2 and key in _KNOWN:
                h2, h3, skipping = key, "", False
                doc.related = doc.related or key == "related incidents"
                continue
            if level == 2 and (h2 == "action items" or h2.startswith(EXTRA)) and name:
                # The config file's extra sections follow the template's: any title, its text kept as written.
                h2, h3, skipping = EXTRA + name, "", False
                continue
            if level == 3 and key in _KNOWN.get(h2, set()):
                h3, skipping = key, False
                continue
            doc.problems.append(Problem(block.line, f"unknown heading {name!r}; what follows it was skipped"))
            skipping = True
            continue
        if skipping:
            continue
        _take(doc, block, h2, h3, source)
    return doc


def _take(doc: MarkdownPostmortem, block: _Block, h2: str, h3: str, source: list[str]) -> None:
    """Put one block where its section says it belongs."""
    section = h3 or h2
    if not h2:
        if block.type == "bullet_list" and doc.title is not None:
            doc.header += _labelled_items(block, doc.problems)
        else:
            doc.problems.append(Problem(block.line, f"{_describe(block)} before the first section"))
    elif section == "related incidents":
        return  # found afresh from the library at each export: whatever the file lists is not imported
    elif section in TEXT_SECTIONS:
        _take_text(doc, block, TEXT_SECTIONS[section])
    elif section.startswith(EXTRA):
        _take_text(doc, block, section)
    elif section in FACTOR_SECTIONS:
        _take_factor(doc, block, FACTOR_SECTIONS[section])
    elif section == "incident timeline" and block.type == "table":
        doc.zone, rows = _table(block, source, TIMELINE_COLUMNS, doc.problems)
        doc.timeline += rows
    elif section == "action items" and block.type == "table":
        doc.actions += _table(block, source, ACTION_COLUMNS, doc.problems)[1]
    elif section == "hypotheses considered" and block.type == "bullet_list":
        doc.hypotheses += _labelled_items(block, doc.problems)
    elif section == "impact" and block.type == "bullet_list":
        doc.impact += _labelled_items(block, doc.problems)
    else:
        doc.problems.append(Problem(block.line, f"{_describe(block)} in {section.title()}"))


def _take_text(doc: MarkdownPostmortem, block: _Block, name: str) -> None:
    """A paragraph (or a list, kept as lines) of a free-text section."""
    entry = doc.texts.setdefault(name, Entry(block.line))
    if block.type == "paragraph":
        content = block.inlines()[0].content
        if content.strip() not in TEXT_PLACEHOLDERS:
            entry.cells.append("\n".join(unescape_lines(content)))
    elif block.type in ("bullet_list", "ordered_list"):
        marks = _item_marks(block)
        entry.cells.append("\n".join(f"{mark} {' '.join(lines)}" for mark, lines in marks))
    else:
        doc.problems.append(Problem(block.line, f"{_describe(block)} in {name.replace('_', ' ')}"))


def _take_factor(doc: MarkdownPostmortem, block: _Block, kind: FactorKind) -> None:
    """Each list item (or paragraph) under a factor heading is one factor."""
    found = doc.factors.setdefault(kind, [])
    if block.type == "bullet_list":
        found += [Entry(line, lines) for line, lines in _items(block)]
    elif block.type == "paragraph":
        content = block.inlines()[0].content
        if content.strip() not in FACTOR_PLACEHOLDERS:
            found.append(Entry(block.line, unescape_lines(content)))
    else:
        doc.problems.append(Problem(block.line, f"{_describe(block)} in {kind.value} factors"))


def _blocks(tokens: list[Token]) -> list[_Block]:
    """Top-level blocks, each with all the tokens nested inside it."""
    blocks: list[_Block] = []
    i = 0
    while i < len(tokens):
        start, depth = i, 0
        while True:
            depth += tokens[i].nesting
            if depth <= 0:
                break
            i += 1
        first = tokens[start]
        line = first.map[0] + 1 if first.map else 0
        blocks.append(_Block(first.type.removesuffix("_open"), line, tokens[start : i + 1]))
        i += 1
    return blocks


def _items(block: _Block) -> list[tuple[int, list[str]]]:
    """The top-level items of a list: (line, text lines); nested content is folded into the item's lines."""
    return [(line, [ln for raw in contents for ln in unescape_lines(raw)]) for line, contents, _ in _list_items(block)]


def _item_marks(block: _Block) -> list[tuple[str, list[str]]]:
    """Items of a list with the marker that started each (`-`, `1.`)."""
    return [(mark, [ln for raw in contents for ln in unescape_lines(raw)]) for _, contents, mark in _list_items(block)]


def _list_items(block: _Block) -> list[tuple[int, list[str], str]]:
    """(line, raw inline contents, marker) of each item directly inside a list block."""
    items: list[tuple[int, list[str], str]] = []
    depth = 0
    for tok in block.tokens:
        if tok.type == "list_item_open" and depth == 1:
            mark = f"{tok.info}{tok.markup}" if tok.info else tok.markup
            items.append(((tok.map[0] + 1) if tok.map else block.line, [], mark))
        elif tok.type == "inline" and items:
            items[-1][1].append(tok.content)
        depth += tok.nesting
    return items


def _labelled_items(block: _Block, problems: list[Problem]) -> list[Entry]:
    """Items of the form `**Label:** value`; others are problems."""
    found: list[Entry] = []
    for line, contents, _ in _list_items(block):
        pair = labelled(contents[0]) if contents else None
        if pair is None:
            problems.append(Problem(line, "a list item that is not `**Label:** value`"))
            continue
        rest = [ln for raw in contents[1:] for ln in unescape_lines(raw)]
        found.append(Entry(line, unescape_lines(pair[1]) + rest, cells=[pair[1].strip()], label=pair[0]))
    return found


def _table(block: _Block, source: list[str], columns: int, problems: list[Problem]) -> tuple[Entry | None, list[Entry]]:
    """The first header cell and each body row's raw cells; rows with the wrong cell count are problems."""
    header: Entry | None = None
    rows: list[Entry] = []
    in_body = False
    for tok in block.tokens:
        if tok.type == "tbody_open":
            in_body = True
        elif tok.type == "tr_open" and tok.map:
            line = tok.map[0] + 1
            cells = split_row(source[tok.map[0]])
            if not in_body:
                match = _ZONE.match(unescape_cell(cells[0])) if cells else None
                header = Entry(line, [match["zone"]] if match else [])
            elif len(cells) != columns:
                problems.append(Problem(line, f"a row with {len(cells)} cells (expected {columns})"))
            else:
                rows.append(Entry(line, cells=cells))
    return header, rows


def _describe(block: _Block) -> str:
    """How a problem names a block."""
    names = {
        "paragraph": "text",
        "bullet_list": "a list",
        "ordered_list": "a numbered list",
        "table": "a table",
        "hr": "a horizontal rule",
        "fence": "a code block",
        "html_block": "an HTML block",
    }
    return names.get(block.type) or with_article(block.type.replace("_", " "))
