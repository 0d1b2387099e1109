"""`warroom export --format html|confluence`: the same sections and rows as the Markdown, inert, deterministic.

Each page is parsed (HTML with html.parser, Confluence storage format as XML) into an outline of
blocks: headings, paragraphs, list items and table rows with their text. The outline must equal the
one markdown-it makes of the Markdown export of the same incident, block for block and row for row.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it.token import Token
from test_export import HOSTILE, build_sample, hostile_store

from tests.process_support import clean_env
from tests.process_support import script as warroom_script
from warroom.store.demo import seed_demo
from warroom.store.export_confluence import STATUS_COLOURS, render_confluence
from warroom.store.export_html import markdown_renderer, render_html
from warroom.store.export_md import render_markdown
from warroom.store.store import Store
from warroom.store.timeparse import UTC

Block = tuple[str, str | tuple[str, ...]]
AC = "http://www.atlassian.com/schema/confluence/4/ac/"
RI = "http://www.atlassian.com/schema/confluence/4/ri/"
TEXT_BLOCKS = {"h1", "h2", "h3", "p", "li"}


def text_of(inline: Token) -> str:
    """What an inline token shows: its text, line breaks as newlines, markup dropped."""
    out = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def markdown_outline(markdown: str) -> list[Block]:
    """The blocks markdown-it makes of the Markdown export."""
    tokens = markdown_renderer().parse(markdown)
    blocks: list[Block] = []
    row: list[str] | None = None
    container = ""
    for tok in tokens:
        if tok.type in ("heading_open", "list_item_open"):
            container = tok.tag
        elif tok.type == "paragraph_open" and not container:
            container = "p"
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close" and row is not None:
            blocks.append(("tr", tuple(row)))
            row = None
        elif tok.type == "inline" and row is not None:
            row.append(text_of(tok))
        elif tok.type == "inline":
            blocks.append((container, text_of(tok)))
        elif tok.type in ("heading_close", "list_item_close") or (tok.type == "paragraph_close" and container == "p"):
            container = ""
    return blocks


class _Outline(HTMLParser):
    """Blocks of an HTML page's <main>, the same shape as `markdown_outline`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.block: str | None = None
        self.text: list[str] = []
        self.row: list[str] | None = None
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        if tag in TEXT_BLOCKS and self.block is None or tag in ("th", "td"):
            self.block, self.text = tag, []
        elif tag == "tr":
            self.row = []
        elif tag == "br":
            self.text.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == self.block:
            text = "".join(self.text).replace("\n\n", "\n").strip("\n")
            if tag in ("th", "td") and self.row is not None:
                self.row.append(text)
            else:
                self.blocks.append((tag, text))
            self.block = None
        elif tag == "tr" and self.row is not None:
            self.blocks.append(("tr", tuple(self.row)))
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.block is not None:
            self.text.append(data)


def html_outline(page: str) -> list[Block]:
    """The blocks of the HTML export's main element."""
    main = page.split("<main>\n", 1)[1].split("</main>", 1)[0]
    parser = _Outline()
    parser.feed(main.replace("<br />\n", "<br />"))
    return parser.blocks


def confluence_outline(body: str) -> tuple[list[Block], list[tuple[str, str]]]:
    """The blocks of a Confluence storage-format body (a status lozenge reads as its title), and the lozenges."""
    root = ET.fromstring(f'<root xmlns:ac="{AC}" xmlns:ri="{RI}">{body}</root>')
    blocks: list[Block] = []
    lozenges: list[tuple[str, str]] = []

    def inner(element: ET.Element) -> str:
        if element.tag == f"{{{AC}}}structured-macro":
            params = {p.get(f"{{{AC}}}name"): p.text or "" for p in element}
            lozenges.append((params["colour"], params["title"]))
            return params["title"]
        if element.tag == "br":
            return "\n"
        parts = [element.text or ""]
        for child in element:
            tail = child.tail or ""
            parts += [inner(child), tail[1:] if child.tag == "br" and tail.startswith("\n") else tail]
        return "".join(parts)

    for element in root.iter():
        if element.tag in TEXT_BLOCKS:
            blocks.append((element.tag, inner(element)))
        elif element.tag == "tr":
            blocks.append(("tr", tuple(inner(cell) for cell in element)))
    return blocks, lozenges


def demo_store(path: Path) -> tuple[Store, str]:
    """The demo incident at a fixed time."""
    store = Store(path, clock=lambda: dt.datetime(2026, 11, 27, 14, 45, tzinfo=dt.UTC))
    return store, seed_demo(store)


@pytest.mark.parametrize("build", [build_sample, demo_store, hostile_store])
def test_html_has_the_markdown_sections_and_rows(tmp_path: Path, build: object) -> None:
    """Block for block and row for row, the HTML page holds what the Markdown holds."""
    store, inc = build(tmp_path / "w.db")  # type: ignore[operator]
    expected = markdown_outline(render_markdown(store, inc, UTC))
    assert ("h2", "Action Items") in expected and any(kind == "tr" for kind, _ in expected)
    assert html_outline(render_html(store, inc, UTC)) == expected


@pytest.mark.parametrize("build", [build_sample, demo_store, hostile_store])
def test_confluence_has_the_markdown_sections_rows_and_status(tmp_path: Path, build: object) -> None:
    """Well-formed XHTML with the Markdown's blocks and rows; the statuses are coloured lozenges."""
    store, inc = build(tmp_path / "w.db")  # type: ignore[operator]
    expected = markdown_outline(render_markdown(store, inc, UTC))
    blocks, lozenges = confluence_outline(render_confluence(store, inc, UTC))
    assert blocks == expected
    incident = store.incident(inc)
    statuses = [incident.status.value] + [a.status.value for a in sorted(store.actions(inc), key=lambda a: a.number)]
    assert lozenges == [(STATUS_COLOURS[s], s) for s in statuses]


def test_hostile_text_stays_text_in_html_and_confluence(tmp_path: Path) -> None:
    """Scripts, links, images, HTML comments and entities typed into every field come out as text.

    The one kind of link that comes out as a link is an evidence link: a whole word that is an http(s) URL.
    """
    store, inc = hostile_store(tmp_path / "w.db")
    page = render_html(store, inc, UTC)
    body = page.split("<main>", 1)[1]
    for needle in ("<script", "<img", "<iframe", "<div", "<!--", "<code", "<pre", "<blockquote", "<hr"):
        assert needle not in body
    assert 'href="javascript' not in body and "href='javascript" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "[x](javascript:alert(1))" in body
    parser = _Outline()
    parser.feed(page)
    assert set(parser.tags) <= {
        *("html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p", "ul", "li", "br"),
        *("strong", "em", "table", "thead", "tbody", "tr", "th", "td", "a"),
    }
    assert {name for name, _ in parser.attributes} <= {"lang", "charset", "http-equiv", "content", "name", "href"}
    assert all(value.startswith(("http://", "https://")) for name, value in parser.attributes if name == "href")

    body = render_confluence(store, inc, UTC)
    root = ET.fromstring(f'<root xmlns:ac="{AC}" xmlns:ri="{RI}">{body}</root>')
    namespaced = {e.tag for e in root.iter() if e.tag.startswith("{")}
    assert namespaced == {f"{{{AC}}}structured-macro", f"{{{AC}}}parameter"}
    assert {e.get(f"{{{AC}}}name") for e in root.iter(f"{{{AC}}}structured-macro")} == {"status"}
    assert {e.tag for e in root.iter()} - namespaced <= {
        *("root", "h1", "h2", "h3", "p", "ul", "li", "br", "strong", "em", "table", "tbody", "tr", "th", "td", "a"),
    }
    assert all(e.get("href", "").startswith(("http://", "https://")) for e in root.iter("a"))
    assert HOSTILE.split("\n")[0][:20] in "".join(root.itertext())


def test_html_page_is_self_contained_and_printable(tmp_path: Path) -> None:
    """Its own CSS, a policy that forbids fetching or running anything, nothing to fetch, print styles."""
    store, inc = build_sample(tmp_path / "w.db")
    page = render_html(store, inc, UTC)
    assert page.startswith("<!DOCTYPE html>\n")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp is not None and "default-src 'none'" in csp[1]
    assert "<style>" in page and "@media print" in page
    for fetch in ("<script", "<link", "src=", "href=", "@import", "url(", "http://", "https://"):
        assert fetch not in page
    assert "<title>Incident Post-Mortem: Checkout API latency in eu-west-1</title>" in page


def test_the_installed_command_writes_each_format_the_same_every_time(tmp_path: Path) -> None:
    """`warroom export --format html|confluence`: exit 0, same bytes twice, to stdout and to -o FILE."""
    db = tmp_path / "w.db"
    store, inc = build_sample(db)
    store.close()
    script = warroom_script()
    for fmt, starts in (("html", "<!DOCTYPE html>"), ("confluence", "<h1>Incident Post-Mortem:")):
        runs = [
            subprocess.run(
                [script, "--db", str(db), "export", inc, "--format", fmt],
                capture_output=True,
                text=True,
                env=clean_env(),
                timeout=120,
            )
            for _ in range(2)
        ]
        assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
        assert runs[0].stdout == runs[1].stdout and runs[0].stdout.startswith(starts)
        target = tmp_path / f"pm.{fmt}"
        wrote = subprocess.run(
            [script, "--db", str(db), "export", inc, "--format", fmt, "-o", str(target)],
            capture_output=True,
            text=True,
            env=clean_env(),
            timeout=120,
        )
        assert wrote.returncode == 0 and target.read_text(encoding="utf-8") == runs[0].stdout
    bad = subprocess.run(
        [script, "--db", str(db), "export", inc, "--format", "pdf"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "'md', 'json', 'html', 'confluence'" in bad.stderr
