"""`warroom stats`, `warroom search`, the list filters and the follow-through listing, from the shell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from warroom.store.errors import InputError
from warroom.store.followup import days_late, plan
from warroom.store.library import IncidentFilter, build_filter
from warroom.store.records import ActionItem, json_values
from warroom.store.store import IncidentListing
from warroom.store.text import visible_line
from warroom.store.timeparse import format_duration, zone_name
from warroom.tui.cli_common import Context, pass_ctx
from warroom.tui.cli_json import dumps, dumps_presorted, dumps_sorted_bytes, echo_bytes
from warroom.tui.cli_output import print_listing

if TYPE_CHECKING:  # metrics (and fractions) only for `stats`, which imports them itself
    from warroom.store.metrics import LibraryMetrics, TimeSummary

F = TypeVar("F", bound=Callable[..., Any])


def filter_options(fn: F) -> F:
    """--severity, --status, --tag, --since and --until, shared by `list` and `stats`."""
    options = [
        click.option("--severity", metavar="SEV", help="1, SEV2, a range 1-2 or a list 1,3."),
        click.option("--status", metavar="STATUS", help="open (still being worked on) or a status name; a,b for both."),
        click.option("--tag", "tags", metavar="TAG", multiple=True, help="Carries this tag (repeatable: all of them)."),
        click.option("--since", metavar="DATE", help="Started on or after YYYY-MM-DD (YYYY-MM: the month)."),
        click.option("--until", metavar="DATE", help="Started on or before YYYY-MM-DD (YYYY-MM: the month)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def incident_filter(filters: dict[str, Any]) -> IncidentFilter:
    """The filter the options ask for (a bad value is one clear error, exit status 2)."""
    return build_filter(**filters)


def filter_listings(obj: Context, listings: list[IncidentListing], filters: dict[str, Any]) -> list[IncidentListing]:
    """The listings whose incident matches the filter options (dates in the display zone)."""
    only = incident_filter(filters)
    return [item for item in listings if only.matches(item.incident, obj.tz)]


# -- follow-through --------------------------------------------------------------------------


def _due(item: ActionItem, today: dt.date) -> str:
    """The deadline and how it stands today."""
    if item.deadline is None:
        return f"{'no deadline':<22}"
    late = days_late(item, today)
    if late:
        note = f"{late} d late"
    elif item.is_closed:
        note = item.status.value
    else:
        ahead = (item.deadline - today).days
        note = "today" if ahead == 0 else f"in {ahead} d"
    return f"{item.deadline.isoformat()}  {note:<10}"


def print_followup(items: list[ActionItem], today: dt.date, *, include_closed: bool = True) -> None:
    """Every action item in its follow-through group, by owner within the group."""
    groups = plan(items, today, include_closed=include_closed)
    if not groups:
        click.echo("no action items")
        return
    for group in groups:
        click.echo(f"{group.group.value.upper()} ({group.count})")
        for owner in group.owners:
            click.echo(f"  {visible_line(owner.owner) or 'unassigned'}")
            for a in owner.items:
                click.echo(
                    f"    {visible_line(a.incident_id)} #{a.number:<3} {a.priority.value}  {_due(a, today)}  "
                    f"{visible_line(a.title)}"
                )


def followup_json(items: list[ActionItem], today: dt.date) -> list[dict[str, Any]]:
    """Action items in follow-through order, each with its `group`."""
    return [
        {**json_values(item), "group": group.group.value}
        for group in plan(items, today, include_closed=True)
        for item in group.items
    ]


# -- stats -----------------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    """Seconds as a duration, or a dash."""
    return format_duration(None if value is None else dt.timedelta(seconds=value))


def print_stats(obj: Context, m: LibraryMetrics) -> None:
    """The metrics as plain text: counts per month, response times, follow-through, then each incident."""
    if not m.incidents:
        # Incidents there are, none started in the dates asked for; or none at all yet.
        some = bool(obj.store.list_incidents(today=obj.today()))
        click.echo("no incident matches" if some else "no incidents yet: start one with `warroom new TITLE`")
        return
    first, last = m.incidents[0].started_at, m.incidents[-1].started_at
    click.echo(
        f"{len(m.incidents)} incidents, started {obj.local(first, '%Y-%m-%d')} to {obj.local(last, '%Y-%m-%d')} "
        f"({zone_name(obj.tz)})\n"
    )
    columns = list(m.per_month[0][1]) if m.per_month else []
    click.echo(f"{'Incidents per month':<20}" + "".join(f"{s:>6}" for s in columns) + f"{'Total':>7}")
    for month, counts in m.per_month:
        click.echo(f"{month:<20}" + "".join(f"{counts[s]:>6}" for s in columns) + f"{sum(counts.values()):>7}")
    click.echo(f"\n{'Response times':<20}{'Incidents':>10}{'Median':>14}{'p90':>14}")
    rows: list[tuple[str, TimeSummary]] = [
        ("Time to detect", m.detect),
        ("Time to mitigate", m.mitigate),
        ("Time to resolve", m.resolve),
    ]
    for label, summary in rows:
        left_out = f"  (left out: {summary.left_out})" if summary.left_out else ""
        click.echo(
            f"{label:<20}{summary.count:>10}{_seconds(summary.median_seconds):>14}{_seconds(summary.p90_seconds):>14}"
            + left_out
        )
    a = m.actions
    share = f"{a.closed_on_time} of {a.decided} ({a.share:.0%})" if a.share is not None else "none due yet"
    click.echo(f"\nAction items closed by their deadline: {share}")
    click.echo(f"  on time {a.closed_on_time} · closed late {a.closed_late} · open past deadline {a.open_overdue}")
    click.echo(f"\n{'ID':<16} {'SEV':<4} {'STARTED':<16} {'TTD':>12} {'TTM':>12} {'TTR':>12}  TITLE")
    for t in m.incidents:
        ttr = "ongoing" if t.ongoing else t.span_text("resolved")
        click.echo(
            f"{visible_line(t.incident_id):<16} {t.severity:<4} {obj.local(t.started_at, '%Y-%m-%d %H:%M'):<16} "
            f"{t.span_text('detected'):>12} {t.span_text('mitigated'):>12} {ttr:>12}  {visible_line(t.title)}"
        )


@click.command()
@click.option("--since", metavar="DATE", help="Incidents started on or after YYYY-MM-DD (YYYY-MM: the month).")
@click.option("--until", metavar="DATE", help="Incidents started on or before YYYY-MM-DD (YYYY-MM: the month).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (seconds).")
@pass_ctx
def stats(obj: Context, since: str | None, until: str | None, as_json: bool) -> None:
    """Incidents per month, median and p90 time to detect / mitigate / resolve, action items closed on time."""
    from warroom.store import metrics
    from warroom.tui.cli_reviews import review_share_of

    result = metrics.load(obj.store, obj.tz, build_filter(since=since, until=until), obj.config.severity_names)
    reviews = review_share_of(obj, {t.incident_id for t in result.incidents})
    if as_json:
        click.echo(dumps_presorted({**result.to_json(), "postmortem_reviews": reviews.to_json()}, "incidents"))
    else:
        print_stats(obj, result)
        if result.incidents:
            click.echo(f"\nPost-mortems reviewed by their due date: {reviews.text()}")
            click.echo(f"  on time {reviews.on_time} · reviewed late {reviews.late} · overdue {reviews.overdue}")


# -- search ----------------------------------------------------------------------------------


@click.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def search(obj: Context, query: str, limit: int, as_json: bool) -> None:
    """Search every incident's timeline, factors, action items and write-up; best matches first, match in «»."""
    if not any(ch.isalnum() for ch in query):
        raise InputError("give some words to search for")
    notes: list[str] = []
    results = obj.store.search_results(query, limit, notes)
    for note in notes:
        click.echo(f"warroom: {note}", err=True)
    if as_json:
        click.echo(dumps([r.to_json() for r in results]))
        return
    if not results:
        click.echo("no matches")
        return
    for r in results:
        where = r.where + (f" {obj.local(r.occurred_at, '%Y-%m-%d %H:%M')}" if r.occurred_at else "")
        click.echo(f"{visible_line(r.incident_id):<16} {where:<28} {r.snippet}")


@click.command(name="list")
@click.option("--open", "open_only", is_flag=True, help="Only incidents still being worked on.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@filter_options
@pass_ctx
def list_(obj: Context, /, open_only: bool, as_json: bool, **filters: object) -> None:
    """List incidents, most recent first (filtered by severity, status, tag and start date)."""
    if as_json:
        only = incident_filter(filters)
        keep = None if only.is_empty else lambda incident: only.matches(incident, obj.tz)
        found = obj.store.list_incidents_json(obj.config, obj.tz, today=obj.today(), open_only=open_only, keep=keep)
        echo_bytes(dumps_sorted_bytes(found))
        return
    listings = filter_listings(obj, obj.store.list_incidents(open_only=open_only, today=obj.today()), filters)
    if not listings and (open_only or any(filters.values())):
        # Incidents there are, none of them matching: "no incidents yet" would send someone to `warroom new`.
        total = len(obj.store.list_incidents(today=obj.today()))
        if total:
            click.echo(f"no incident matches: `warroom list` without filters shows all {total}")
        else:
            print_listing(obj, listings)
    else:
        print_listing(obj, listings)
