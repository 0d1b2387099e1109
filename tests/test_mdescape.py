"""Minimal escaping: any text renders exactly as typed, and every backslash the export adds is one it needs.

Both directions are checked on generated text (hostile pieces and arbitrary Unicode) against markdown-it
itself: GFM-like (tables, strikethrough), raw HTML on so any HTML would show up, linkify off, and every
link destination accepted so that a link is caught whatever its target.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from warroom.store.mdescape import (
    _lines,
    clean_line,
    escape_cell,
    escape_heading,
    escape_line,
    escape_lines,
    escape_paragraphs,
)

#: Pieces that mean something to Markdown somewhere, and some that do not.
PIECES = [
    *"ab é1 |\\`*_~[]()<>!#&;:=+-.)\"'\n\t",
    "**",
    "__",
    "~~",
    "``",
    "```",
    "~~~",
    "![",
    "](",
    "<b>",
    "</b>",
    "<div",
    "<!--",
    "-->",
    "<?",
    "?>",
    "<http://e.test>",
    "<a@b.co>",
    "&amp;",
    "&#60;",
    "&nosuch;",
    "1. ",
    "2) ",
    "- ",
    "+ ",
    "* ",
    "# ",
    "> ",
    "---",
    "===",
    "|---|",
    "[x]: y",
    "http://e.test",
    "a_b",
    "3->32",
    *("\x1b[31m", "\x1b]8;;http://e.test\x07", "\x00", "\x9b", "\r\n", "\u202e", "\u00a0", "\u3000"),
]
MARKDOWN = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)
ANY_TEXT = st.one_of(MARKDOWN, st.text(max_size=40))
PROPERTY = settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: What user text may become when rendered: text and line breaks, nothing else.
LITERAL = {"text", "softbreak", "hardbreak"}


def renderer() -> MarkdownIt:
    """markdown-it as the export is read: GFM-like without linkify, HTML on, any link target accepted."""
    md = MarkdownIt("gfm-like", {"linkify": False, "html": True})
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


MD = renderer()


def inline_of(source: str, wanted: str) -> Token:
    """The one inline token of the block `wanted` (a cell, list item paragraph, heading or paragraph)."""
    tokens = MD.parse(source)
    blocks = [t.type for t in tokens if t.nesting == 1]
    assert (
        blocks
        == {
            "cell": ["table_open", "thead_open", "tr_open", "th_open", "tbody_open", "tr_open", "td_open"],
            "item": ["bullet_list_open", "list_item_open", "paragraph_open"],
            "heading": ["heading_open"],
            "paragraph": ["paragraph_open"],
        }[wanted]
    ), (source, blocks)
    return [t for t in tokens if t.type == "inline"][-1]


def shown(inline: Token) -> str:
    """The text an inline token shows, after checking it holds nothing but text and line breaks."""
    kinds = {child.type for child in inline.children or []}
    assert kinds <= LITERAL, (inline.content, kinds - LITERAL)
    return "".join("\n" if c.type.endswith("break") else c.content for c in inline.children or [])


def cell_source(cell: str) -> str:
    return f"| a |\n|---|\n| {cell} |\n"


def item_source(line: str) -> str:
    return f"- Owner: {line}\n"


def heading_source(line: str) -> str:
    return f"# Incident Post-Mortem: {line}\n"


def paragraph_source(lines: list[str]) -> str:
    return "\\\n".join(lines) + "\n"


def bullet_source(lines: list[str]) -> str:
    return "- " + "\\\n  ".join(lines) + "\n"


def added(raw: str, out: str) -> list[int]:
    """Positions in `out` of the backslashes the escape added to `raw` (it only ever inserts backslashes)."""
    positions: list[int] = []
    i = 0
    for j, char in enumerate(out):
        if i < len(raw) and raw[i] == char:
            i += 1
        else:
            assert char == "\\", (raw, out)
            positions.append(j)
    assert i == len(raw), (raw, out)
    return positions


def assert_each_backslash_needed(raw: str, out: str, source: Callable[[str], str]) -> None:
    """Dropping any one added backslash changes what markdown-it renders."""
    rendered = MD.render(source(out))
    for j in added(raw, out):
        without = out[:j] + out[j + 1 :]
        assert MD.render(source(without)) != rendered, f"needless backslash at {j} in {out!r}"


def assert_lines_minimal(raw: list[str], out: list[str], source: Callable[[list[str]], str]) -> None:
    """The same for a block of lines: each added backslash, dropped alone, changes the rendering."""
    rendered = MD.render(source(out))
    for k, (raw_line, out_line) in enumerate(zip(raw, out, strict=True)):
        for j in added(raw_line, out_line):
            changed = [*out[:k], out_line[:j] + out_line[j + 1 :], *out[k + 1 :]]
            assert MD.render(source(changed)) != rendered, f"needless backslash at {j} of line {k} in {out!r}"


# -- the real-world sample -------------------------------------------------------------------------------------

SAMPLE = (
    "a ~6-hour-old LVM snapshot; max_wal_senders raised 3->32; pg_basebackup restarted; "
    "[14:45] Meeting; C:\\temp kept; 2 * 3 = 6; snake_case_name; ~/.ssh; a > b; x_1 = y_2; issue #12"
)


def test_the_real_world_sample_has_no_backslash() -> None:
    """Text that renders the same unescaped is written as typed, in a cell, a line and a paragraph."""
    assert escape_cell(SAMPLE) == SAMPLE
    assert escape_line(SAMPLE) == SAMPLE
    assert escape_heading(SAMPLE) == SAMPLE
    assert escape_paragraphs(SAMPLE + "\nnext line -> ok") == [[SAMPLE, "next line -> ok"]]


def test_markup_gets_one_backslash_where_it_starts() -> None:
    """What would become markup is escaped once, at the character that starts it; the rest reads as typed."""
    assert escape_cell("<script>alert(1)</script>") == "\\<script>alert(1)\\</script>"
    assert escape_cell("see *this* and **that**") == "see \\*this* and \\*\\*that**"
    assert escape_cell("[x](javascript:alert(1))") == "\\[x](javascript:alert(1))"
    assert escape_cell("run `make` now") == "run \\`make` now"
    assert escape_cell("~~gone~~ but ~6h") == "\\~~gone~~ but ~6h"
    assert escape_cell("a | b") == "a \\| b"
    assert escape_line("a | b") == "a | b"
    assert escape_cell("&amp; &nosuch; & x") == "\\&amp; &nosuch; & x"
    assert escape_cell("a\\*b") == "a\\\\*b"
    assert escape_paragraphs("# not a heading\n1. one\n- two\n> three\n---") == [
        ["\\# not a heading", "1\\. one", "\\- two", "\\> three", "\\---"]
    ]
    assert escape_paragraphs("2. steps\nthen 2. more\n===") == [["2\\. steps", "then 2. more", "\\==="]]


# -- both directions on generated text -------------------------------------------------------------------------


@PROPERTY
@given(ANY_TEXT)
@example("a\\")
@example("*a**b*")
@example("` ``x``")
@example("[a ![b](c)](d)")
def test_cell_shows_exactly_the_text_with_only_needed_backslashes(text: str) -> None:
    """A table cell shows the text, one line, exactly; no added backslash could be dropped."""
    cell = escape_cell(text)
    assert shown(inline_of(cell_source(cell), "cell")) == clean_line(text)
    assert_each_backslash_needed(clean_line(text), cell, cell_source)


@PROPERTY
@given(ANY_TEXT)
def test_line_and_heading_show_exactly_the_text_with_only_needed_backslashes(text: str) -> None:
    """A header fact and the title show the text exactly; no added backslash could be dropped."""
    line = escape_line(text)
    if clean_line(text):
        assert shown(inline_of(item_source(line), "item")) == "Owner: " + clean_line(text)
        assert_each_backslash_needed(clean_line(text), line, item_source)
    heading = escape_heading(text)
    if clean_line(text):
        assert shown(inline_of(heading_source(heading), "heading")) == "Incident Post-Mortem: " + clean_line(text)


@PROPERTY
@given(ANY_TEXT)
@example("a\n-")
@example("a|b\n-|-")
@example("[x]: y")
@example("*a\nb*")
def test_paragraphs_show_exactly_the_text_with_only_needed_backslashes(text: str) -> None:
    """Each paragraph shows its lines exactly, as text; no added backslash could be dropped."""
    for raw, out in zip(_lines(text), escape_paragraphs(text), strict=True):
        assert shown(inline_of(paragraph_source(out), "paragraph")) == "\n".join(raw)
        assert_lines_minimal(raw, out, paragraph_source)


@PROPERTY
@given(ANY_TEXT)
def test_list_item_shows_exactly_the_text_with_only_needed_backslashes(text: str) -> None:
    """A factor's list item shows all its lines exactly; no added backslash could be dropped."""
    raw = [line for paragraph in _lines(text) for line in paragraph]
    out = escape_lines(text)
    if raw:
        assert shown(inline_of(bullet_source(out), "item")) == "\n".join(raw)
        assert_lines_minimal(raw, out, bullet_source)


def labelled_source(lines: list[str]) -> str:
    return "- Impact: " + "\\\n  ".join(lines) + "\n"


@PROPERTY
@given(ANY_TEXT)
@example("# not a heading\n- nor a list")
def test_labelled_item_shows_exactly_the_text_with_only_needed_backslashes(text: str) -> None:
    """An Impact field after its label: the first line starts nothing, so it needs fewer escapes."""
    raw = [line for paragraph in _lines(text) for line in paragraph]
    out = escape_lines(text, labelled=True)
    if raw:
        assert shown(inline_of(labelled_source(out), "item")) == "Impact: " + "\n".join(raw)
        assert_lines_minimal(raw, out, labelled_source)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(ANY_TEXT)
def test_escaping_is_deterministic(text: str) -> None:
    """Same text, same bytes."""
    assert escape_cell(text) == escape_cell(text)
    assert escape_paragraphs(text) == escape_paragraphs(text)


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=80, max_size=300).map("".join))
def test_text_full_of_markup_still_shows_exactly_as_typed(text: str) -> None:
    """Past 64 characters that could be markup the escape stops searching for the fewest backslashes and
    escapes each of them; the text still renders exactly, in a cell and as paragraphs."""
    assert shown(inline_of(cell_source(escape_cell(text)), "cell")) == clean_line(text)
    for raw, out in zip(_lines(text), escape_paragraphs(text), strict=True):
        assert shown(inline_of(paragraph_source(out), "paragraph")) == "\n".join(raw)
