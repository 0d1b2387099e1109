"""The post-mortem in Confluence storage format: the XHTML a Confluence page body is stored as.

Made from the Markdown export's tokens, so it holds the same sections, lists and table rows. What
Confluence does differently: tables keep their header row inside `<tbody>` (as Confluence writes
them), line breaks are `<br />`, and the incident's status and each action item's status are status
lozenges (the `status` macro), coloured by where they stand. Paste it into the page's source
editor, or upload it as the page body with the REST API (`"representation": "storage"`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from warroom.store.export_html import markdown_renderer
from warroom.store.export_md import render_markdown
from warroom.store.export_rows import COLUMNS, Timeline
from warroom.store.kinds import ActionStatus, Status
from warroom.store.store import Store

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["COLUMNS", "STATUS_COLOURS", "render_confluence"]

#: The lozenge colour of each incident and action item status.
STATUS_COLOURS = {
    Status.INVESTIGATING.value: "Red",
    Status.IDENTIFIED.value: "Yellow",
    Status.MONITORING.value: "Blue",
    Status.RESOLVED.value: "Green",
    Status.CLOSED.value: "Grey",
    ActionStatus.OPEN.value: "Yellow",
    ActionStatus.IN_PROGRESS.value: "Blue",
    ActionStatus.DONE.value: "Green",
    ActionStatus.WONT_DO.value: "Grey",
}
_ACTION_COLUMNS = 5


def render_confluence(
    store: Store,
    incident_id: str,
    tz: dt.tzinfo,
    timeline: Timeline | None = None,
    order: Sequence[str] = (),
    related: bool = False,
) -> str:
    """The post-mortem of one incident as a Confluence storage-format page body, times shown in `tz`.

    `order` and `related` are render_markdown's: the page holds the sections the Markdown does, in its order.
    """
    md = markdown_renderer()
    md.options["xhtmlOut"] = True
    tokens = md.parse(render_markdown(store, incident_id, tz, timeline, order, related))
    _mark_statuses(tokens)
    for name in ("thead_open", "thead_close", "tbody_open", "tbody_close"):
        md.add_render_rule(name, _nothing)
    md.add_render_rule("table_open", lambda *_: "<table><tbody>\n")
    md.add_render_rule("table_close", lambda *_: "</tbody></table>\n")
    md.add_render_rule("status", _status)
    return str(md.renderer.render(tokens, md.options, {}))


def _nothing(*_: Any) -> str:
    return ""


def _status(_self: Any, tokens: Sequence[Token], idx: int, *_: Any) -> str:
    """A status lozenge; its title is the status as the Markdown shows it."""
    from markdown_it.common.utils import escapeHtml

    title = tokens[idx].content
    colour = STATUS_COLOURS.get(title, "Grey")
    return (
        '<ac:structured-macro ac:name="status">'
        f'<ac:parameter ac:name="colour">{colour}</ac:parameter>'
        f'<ac:parameter ac:name="title">{escapeHtml(title)}</ac:parameter>'
        "</ac:structured-macro>"
    )


def _mark_statuses(tokens: list[Token]) -> None:
    """Turn the header's `**Status:** value` and the action items' Status cells into status tokens."""
    from markdown_it.token import Token

    section = ""
    cell = 0
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            section = tokens[i + 1].content
        elif tok.type == "tr_open":
            cell = 0
        elif tok.type == "td_open":
            cell += 1
        elif tok.type != "inline" or not tok.children:
            continue
        elif not section:
            children = [c for c in tok.children if c.type != "text" or c.content]  # the parser leaves an empty text
            kinds = [c.type for c in children]
            if kinds == ["strong_open", "text", "strong_close", "text"] and children[1].content == "Status:":
                value = children[3].content.strip()
                tok.children = [*children[:3], Token("text", "", 0, content=" "), Token("status", "", 0, content=value)]
        elif section == "Action Items" and cell == _ACTION_COLUMNS and [c.type for c in tok.children] == ["text"]:
            tok.children = [Token("status", "", 0, content=tok.children[0].content)]
