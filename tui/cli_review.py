"""The post-mortem's workflow from the shell: `warroom set postmortem|postmortem-owner|review-due`."""

from __future__ import annotations

import datetime as dt

import click

from warroom.store.errors import InputError
from warroom.store.text import visible_line
from warroom.tui.cli_common import Context


def set_postmortem_field(obj: Context, incident_id: str, attr: str, value: str) -> None:
    """Move the post-mortem to a stage, give it an owner, or set (or, with `auto`, recompute) its due date."""
    from warroom.store.postmortem_flow import ReviewStatus, parse_status

    if attr == "postmortem":
        status = parse_status(value)
        obj.store.set_postmortem(incident_id, status=status)
        after = obj.store.postmortem(incident_id, obj.config, obj.tz)
        click.echo(f"{incident_id}: post-mortem {status.value}")
        if status is ReviewStatus.PUBLISHED and after.reviewed_at is None:
            click.echo(f"{incident_id}: note: published without a review (it counts as not reviewed)", err=True)
    elif attr == "postmortem_owner":
        obj.store.set_postmortem(incident_id, owner=value)
        click.echo(f"{incident_id}: post-mortem owner {visible_line(value.strip()) or '(the incident owner)'}")
    else:
        due: dt.date | None
        if value.strip().lower() in ("", "auto"):
            due = None
        else:
            try:
                due = dt.date.fromisoformat(value.strip())
            except ValueError:
                raise InputError(f"review-due must be a date like 2026-12-04, or 'auto': {value!r}") from None
            if not dt.date(1970, 1, 1) <= due <= dt.date(9999, 12, 30):
                raise InputError("review-due must be between 1970 and 9999")
        obj.store.set_postmortem(incident_id, review_due=due)
        now = obj.store.postmortem(incident_id, obj.config, obj.tz)
        shown = now.due.isoformat() if now.due else "none (no resolution or no review days for its severity)"
        click.echo(f"{incident_id}: review due {shown}")
