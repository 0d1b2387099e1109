"""Plain-text output of the CLI: lists and overviews, user text always made visible-safe."""

from __future__ import annotations

import datetime as dt

import click

from warroom.store.records import ActionItem, Event
from warroom.store.roles import roles_line
from warroom.store.spans import format_span
from warroom.store.store import IncidentListing
from warroom.store.text import visible_line
from warroom.store.timeparse import format_duration
from warroom.tui.cli_common import Context

#: Events read and printed at a time by `warroom show`.
SHOW_PAGE = 2_000


def print_listing(obj: Context, listings: list[IncidentListing]) -> None:
    """One line per incident."""
    if not listings:
        click.echo("no incidents yet: start one with `warroom new TITLE`")
        return
    now = obj.store.now()
    click.echo(f"{'ID':<16} {'SEV':<4} {'STATUS':<13} {'STARTED':<16} {'DURATION':<14} {'OPEN AI':>7}  TITLE")
    for item in listings:
        inc = item.incident
        end = inc.resolved_at or now
        actions = f"{item.open_actions}" + (f" ({item.overdue_actions}!)" if item.overdue_actions else "")
        click.echo(
            f"{visible_line(inc.id):<16} {inc.severity:<4} {inc.status.value:<13} "
            f"{obj.local(inc.started_at, '%Y-%m-%d %H:%M'):<16} {format_span(end - inc.started_at):<14} "
            f"{actions:>7}  {visible_line(inc.title)}"
        )


def event_lines(obj: Context, events: list[Event]) -> list[str]:
    """The timeline's lines, one per event, with ids for `warroom event edit` (`show` and `event list`)."""
    lines = []
    for ev in events:
        marks = ("*" if ev.starred else " ") + ("x" if ev.deleted_at else " ")
        label = ev.milestone.value.upper() if ev.milestone else ev.kind.value
        team = f" @{visible_line(ev.team)}" if ev.team else ""
        lines.append(f"{ev.id:>6} {marks} {obj.local(ev.occurred_at)}  {label:<10} {visible_line(ev.text)}{team}")
    return lines


def print_actions(items: list[ActionItem], today: dt.date, *, show_incident: bool) -> None:
    """Action items, overdue ones marked."""
    if not items:
        click.echo("no action items")
        return
    for a in items:
        where = f"{a.incident_id} " if show_incident else ""
        due = a.deadline.isoformat() if a.deadline else "no deadline"
        late = "  OVERDUE" if a.is_overdue(today) else ""
        click.echo(
            f"{where}#{a.number:<3} {a.priority.value} {a.status.value:<11} "
            f"{visible_line(a.owner.strip(' ')) or 'unassigned':<14} {due:<11} {visible_line(a.title)}{late}"
        )


def print_incident(obj: Context, incident_id: str) -> None:
    """An overview of one incident."""
    store = obj.store
    inc = store.incident(incident_id)
    now = store.now()
    click.echo(f"{inc.id}  {inc.severity}  {inc.status.value}  {visible_line(inc.title)}")
    click.echo(f"owner: {visible_line(inc.owner) or '—'}   tags: {visible_line(', '.join(inc.tags)) or '—'}")
    click.echo(f"roles: {roles_line(inc)}")
    click.echo(f"started:   {obj.local(inc.started_at)}")
    for name in ("detected", "mitigated", "resolved"):
        when = getattr(inc, f"{name}_at")
        offset = ""
        if when:
            delta = when - inc.started_at
            early = delta < dt.timedelta(0)
            offset = f"({format_duration(-delta)} before start)" if early else f"(+{format_duration(delta)})"
        click.echo(f"{name + ':':<10} {obj.local(when)}  {offset}".rstrip())
    click.echo(f"elapsed:   {format_span((inc.resolved_at or now) - inc.started_at)}")
    click.echo(postmortem_line(obj, incident_id))
    click.echo(f"\ntimeline ({store.count_events(incident_id)} events):")
    # A page at a time, by key: memory stays flat and each page is one write, however long the timeline.
    for page in store.event_pages(incident_id, SHOW_PAGE):
        click.echo("\n".join(event_lines(obj, page)))
    factors = store.factors(incident_id)
    if factors:
        click.echo("\nfactors:")
        for f in factors:
            click.echo(f"  {f.number:>3} {f.kind.value:<12} {visible_line(f.text)}")
    items = store.actions(incident_id)
    click.echo("\naction items:")
    print_actions(items, now.astimezone(obj.tz).date(), show_incident=False)


def postmortem_line(obj: Context, incident_id: str) -> str:
    """`post-mortem: in-review · owner sam · review due 2026-11-30 (overdue)`."""
    pm = obj.store.postmortem(incident_id, obj.config, obj.tz)
    today = obj.today()
    due = "no review date" if pm.due is None else f"review due {pm.due.isoformat()}"
    late = " (overdue)" if pm.overdue(today) else ""
    owner = visible_line(pm.owner) or "no owner"
    return f"post-mortem: {pm.status.value} · {owner} · {due}{late}"
