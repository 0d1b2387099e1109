"""The post-mortem's workflow as the export screen shows and edits it: one line of state, one small form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text

from warroom.store.postmortem_flow import PostmortemState, ReviewStatus, parse_due
from warroom.store.text import visible_line
from warroom.tui.screens.form import Field, FormScreen


def state_line(pm: PostmortemState, today: dt.date) -> Text:
    """`Post-mortem: in-review · owner sam · review due 2026-12-04 · 2 d overdue`, overdue in red (fits 80 columns)."""
    line = Text(" Post-mortem: ", "bold")
    line.append(pm.status.value, "bold")
    line.append(" · owner ")
    line.append(visible_line(pm.owner) or "nobody yet")
    if pm.due is None:
        line.append(" · no review due date")
    else:
        line.append(f" · review due {pm.due.isoformat()}")
        if pm.overdue(today):
            line.append(f" · {(today - pm.due).days} d overdue", "bold red")
    return line


def postmortem_form(pm: PostmortemState) -> FormScreen:
    """Change the stage, owner and review due date; the result holds only what changed."""

    def validate(v: dict[str, str]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        status = ReviewStatus(v["status"])
        if status is not pm.status:
            changes["status"] = status
        owner = v["owner"].strip().removeprefix("@")
        if owner != pm.owner:
            changes["owner"] = owner
        due = parse_due(v["due"])
        if due is None and pm.due_is_set:
            changes["review_due"] = None
        elif due is not None and (due != pm.due or not pm.due_is_set):
            changes["review_due"] = due
        return changes

    return FormScreen(
        "Post-mortem",
        [
            Field("status", "Stage", pm.status.value, options=[s.value for s in ReviewStatus]),
            Field("owner", "Owner", pm.owner),
            Field("due", "Review due", pm.due.isoformat() if pm.due_is_set and pm.due else "auto"),
        ],
        validate,
        help="Review due: YYYY-MM-DD, or auto (by severity) · Enter saves · Escape cancels",
    )


def describe(changes: dict[str, Any]) -> str:
    """What the status line says after a save: `post-mortem in-review · owner sam`."""
    parts = []
    if "status" in changes:
        parts.append(f"post-mortem {changes['status'].value}")
    if "owner" in changes:
        parts.append(f"post-mortem owner {visible_line(changes['owner']) or '(the incident owner)'}")
    if "review_due" in changes:
        due = changes["review_due"]
        parts.append(f"review due {due.isoformat() if due else 'by severity'}")
    return " · ".join(parts)
