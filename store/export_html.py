"""The post-mortem as one printable HTML page: the Markdown export rendered by markdown-it, with its own CSS.

The page is made from the Markdown, not beside it, so both always hold the same sections and rows.
It is self-contained and inert: styles inline, no scripts, no images, no fonts or anything else
fetched, and a Content-Security-Policy that forbids all of it should a viewer be tempted. Raw HTML
in the Markdown is shown as text (the renderer's `html` option is off) on top of the escaping that
already keeps user text literal.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from warroom.store.export_md import render_markdown
from warroom.store.export_rows import COLUMNS, Timeline
from warroom.store.mdescape import clean_line
from warroom.store.store import Store

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["COLUMNS", "render_html", "markdown_renderer"]

CSS = """\
:root { color-scheme: light; }
body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1f2328; background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 1rem; padding-bottom: .4rem; border-bottom: 2px solid #d0d7de; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid #d8dee4; }
h3 { font-size: 1.05rem; margin: 1.3rem 0 .4rem; }
p, ul { margin: .4rem 0 .8rem; }
ul { padding-left: 1.4rem; }
li { margin: .15rem 0; }
em { color: #57606a; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #d0d7de; padding: .35rem .55rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f6f8fa; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
td:first-child { white-space: nowrap; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""
#: Nothing may be fetched or run: inline styles only.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def markdown_renderer() -> MarkdownIt:
    """markdown-it as the exports render the Markdown: GFM-like tables and strikethrough, no raw HTML, no linkify."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like", {"html": False, "linkify": False, "typographer": False})


def render_html(
    store: Store,
    incident_id: str,
    tz: dt.tzinfo,
    timeline: Timeline | None = None,
    order: Sequence[str] = (),
    related: bool = False,
) -> str:
    """The post-mortem of one incident as a standalone HTML page, times shown in `tz`.

    `order` and `related` are render_markdown's: the page holds the sections the Markdown does, in its order.
    """
    markdown = render_markdown(store, incident_id, tz, timeline, order, related)
    body = markdown_renderer().render(markdown)
    title = html.escape(f"Incident Post-Mortem: {clean_line(store.incident(incident_id).title)}", quote=False)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="warroom">\n'
        f"<title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
