"""Evidence links: only plain http(s) URLs in an event's text are links; they export as safe Markdown autolinks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.test_exit_status import run
from warroom.store.links import links_in, split_links, valid_url
from warroom.store.mdescape import escape_cell_links
from warroom.store.mdparse import unescape_cell_links


@pytest.mark.parametrize(
    "url",
    [
        "https://grafana.example/d/abc?orgId=1&from=now-1h",
        "http://10.0.0.1:3000/x",
        "https://tickets.example/browse/OPS-12#comment-3",
        "https://wiki.example/Page_(disambiguation)",
        "HTTPS://EXAMPLE.COM",
    ],
)
def test_plain_http_urls_are_links(url: str) -> None:
    """What a dashboard, graph or ticket URL looks like is accepted."""
    assert valid_url(url)
    assert links_in(f"see {url} now") == [url]


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "ftp://files.example/x",
        "file:///etc/passwd",
        "https://",
        "https://example.com/<script>",
        'https://example.com/"onmouseover=x',
        "https://example.com/a|b",
        "https://example.com/a\\b",
        "https://[::1]/",
        "https://example.com/%zz",
        "https://-bad-.example/",
        "data:text/html,<b>x</b>",
        "https://example.com/\x1b]8;;evil\x07",
        "https://\u212aeys.example/",  # Kelvin sign, which ignoring case would take for k
        "https://example.com/\u017fecret",  # long s
        "https://g\u0131thub.example/",  # dotless i
        "http\u017f://example.com/",  # long s in the scheme, which ignores case
        "HTTP\u017f://example.com/",
    ],
)
def test_anything_else_stays_literal_text(text: str) -> None:
    """Other schemes, and URLs with characters that could break out of a link, are not links."""
    assert not valid_url(text)
    assert links_in(f"see {text}") == []


def test_sentence_punctuation_is_not_part_of_the_link() -> None:
    """`see https://x.example/d/1.` links the dashboard, not the full stop; a closing parenthesis too."""
    assert links_in("(see https://x.example/d/1.) or https://y.example/a,") == [
        "https://x.example/d/1",
        "https://y.example/a",
    ]


@given(st.text(alphabet=st.sampled_from(list("ab :/.<>|\\()[]_&?#-htps")), max_size=80) | st.text(max_size=80))
def test_split_links_keeps_every_character(text: str) -> None:
    """The pieces joined again are the text exactly; every link piece is a valid URL."""
    pieces = list(split_links(text))
    assert "".join(p.text for p in pieces) == text
    assert all(valid_url(p.text) for p in pieces if p.is_link)


def _rendered(cell: str) -> str:
    """The HTML markdown-it makes of a timeline row holding the cell."""
    return MarkdownIt("commonmark").enable("table").render(f"| a | b |\n|---|---|\n| x | {cell} |\n")


def test_exported_links_are_autolinks_and_nothing_else_is_markup() -> None:
    """Links become <a href>; a hostile look-alike, HTML and a javascript: URL stay text; the row stays one row."""
    text = 'ok https://g.example/d?a=1&b=_x_ <https://no.example> [x](javascript:alert(1)) https://e.example/"><b>|'
    html = _rendered(escape_cell_links(text))
    assert html.count("<a href") == 1
    assert 'href="https://g.example/d?a=1&amp;b=_x_"' in html
    assert "<b>" not in html and "javascript:alert" not in html.split("href")[1].split(">")[0]
    assert html.count("<td>") == 2  # the body row has its two cells: the pipe in the text did not add one


@given(st.text(alphabet=st.sampled_from(list("ab :/.<>|\\()[]_&?#-htps*`\n")), max_size=80))
def test_escape_cell_links_round_trips(text: str) -> None:
    """What the export writes in a cell reads back as the same (one-line) text."""
    from warroom.store.mdescape import clean_line

    assert unescape_cell_links(escape_cell_links(text)) == clean_line(text)


def test_log_link_through_the_installed_command(tmp_path: Path) -> None:
    """`warroom log --link URL` adds the link; it exports as an autolink and in the JSON; a bad one exits 2."""
    db = tmp_path / "w.db"
    assert run(db, "new", "Checkout errors", "--id", "INC-1").returncode == 0
    good = run(db, "log", "Pool graph", "--link", "https://grafana.example/d/pool?var=orders", "--team", "dba")
    assert good.returncode == 0, good.stderr
    bad = run(db, "log", "Sneaky", "--link", "javascript:alert(1)")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "warroom: --link 'javascript:alert(1)' is not an http(s) URL such as https://grafana.example/d/abc"
    )
    md = run(db, "export", "--format", "md").stdout
    assert "| Pool graph <https://grafana.example/d/pool?var=orders> | dba |" in md
    assert "Sneaky" not in md
    [event] = json.loads(run(db, "export", "--format", "json").stdout)["events"]
    assert event["links"] == ["https://grafana.example/d/pool?var=orders"]


def test_timeline_shows_links_as_links_and_o_opens_the_first(tmp_path: Path) -> None:
    """The URL on the row carries a link style (the terminal's hyperlink); `o` asks the app to open it."""
    import asyncio

    from tests.tui_helpers import timeline
    from warroom.store.store import Store
    from warroom.tui.app import create_app

    db = tmp_path / "w.db"
    store = Store(db)
    store.create_incident("Checkout errors", id="INC-1")
    store.log_event("INC-1", "[b]graph[/b] https://grafana.example/d/pool then javascript:alert(1)")
    store.close()
    opened: list[str] = []

    async def drive() -> None:
        app = create_app(db, incident_id="INC-1")
        app.open_url = lambda url, *, new_tab=True: opened.append(url)  # type: ignore[method-assign]
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            view = timeline(app)
            line = view.render_line(0)
            links = {segment.style.link for segment in line if segment.style and segment.style.link}
            assert links == {"https://grafana.example/d/pool"}
            assert "[b]graph[/b] https://grafana.example/d/pool then" in line.text  # literal, not markup
            view.focus()
            await pilot.press("o")
            await pilot.pause()

    asyncio.run(drive())
    assert opened == ["https://grafana.example/d/pool"]
