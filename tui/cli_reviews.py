"""Post-mortem reviews in the shell's follow-through listing and stats: overdue ones, and the share held on time."""

from __future__ import annotations

import click

from warroom.store.review_followup import OverdueReview, ReviewShare, overdue_reviews, review_share
from warroom.store.text import visible_line
from warroom.tui.cli_common import Context


def overdue_reviews_of(obj: Context, owner: str | None = None) -> list[OverdueReview]:
    """Every incident's overdue post-mortem review (only `owner`'s when given), most late first."""
    states, today = obj.store.postmortems(obj.config, obj.tz), obj.today()
    late = [pm for pm in states.values() if pm.overdue(today)]
    return overdue_reviews(late, obj.store.incident_titles(pm.incident_id for pm in late), today, owner)


def print_overdue_reviews(reviews: list[OverdueReview]) -> None:
    """The overdue reviews as their own group, above the action items, so nobody reads them as items."""
    if not reviews:
        return
    click.echo(f"OVERDUE POST-MORTEM REVIEWS ({len(reviews)})")
    for r in reviews:
        click.echo(
            f"  {visible_line(r.incident_id)}  review due {r.due.isoformat()}  {r.days_late} d late  "
            f"{r.status:<9}  {visible_line(r.owner) or 'unassigned'}  {visible_line(r.title)}"
        )
    click.echo("")


def review_share_of(obj: Context, incident_ids: set[str]) -> ReviewShare:
    """The share of these incidents' post-mortems reviewed by their due date."""
    states = obj.store.postmortems(obj.config, obj.tz)
    return review_share((pm for i, pm in states.items() if i in incident_ids), obj.today(), obj.tz)
