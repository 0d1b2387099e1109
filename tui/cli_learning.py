"""`warroom related`: earlier incidents like this one, for learning across the library."""

from __future__ import annotations

import json

import click

from warroom.store.text import visible_line
from warroom.tui.cli_common import Context, pass_ctx


@click.command()
@click.argument("incident", required=False, metavar="[ID]")
@click.option("--limit", type=click.IntRange(1, 50), default=5, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@pass_ctx
def related(obj: Context, incident: str | None, limit: int, as_json: bool) -> None:
    """Incidents that share title and cause words, tags or teams with ID (default: the current one)."""
    incident_id = obj.incident_id(incident)
    found = obj.store.related(incident_id, limit)
    if as_json:
        click.echo(json.dumps({"incident_id": incident_id, "related": [r.to_json() for r in found]}, indent=2))
        return
    if not found:
        click.echo(f"no incident shares enough with {incident_id} to call it related", err=True)
        return
    for r in found:
        day = obj.local(r.started_at, "%Y-%m-%d")
        shared = ", ".join(visible_line(s) for s in r.shared)
        click.echo(f"{r.incident_id}  {day}  {r.severity}  {visible_line(r.title)}  (shares: {shared})")
