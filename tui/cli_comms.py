"""`warroom update`, `warroom catchup` and `warroom role`: talking to stakeholders and to whoever joins."""

from __future__ import annotations

import json
import os

import click

from warroom.tui.cli_common import Context, incident_option, pass_ctx


@click.command()
@incident_option
@click.option("--log", "log_it", is_flag=True, help="Log the draft as it is, as a stakeholder update (comms event).")
@pass_ctx
def update(obj: Context, incident: str | None, log_it: bool) -> None:
    """Print a stakeholder update drafted from the incident as it stands (or log it with --log)."""
    from warroom.store.comms import draft_update, incident_cadence, log_update

    incident_id = obj.incident_id(incident)
    draft = draft_update(obj.store, incident_id, obj.config, obj.tz)
    if not log_it:
        click.echo(draft)
        return
    author = os.environ.get("WARROOM_AUTHOR") or obj.config.author  # as `warroom log` takes it
    event = log_update(obj.store, incident_id, draft, author=author)
    due = incident_cadence(obj.store, incident_id, obj.config).text(obj.store.now())
    click.echo(f"logged stakeholder update as event {event.id} in {incident_id}" + (f"; {due}" if due else ""))


@click.command()
@incident_option
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON (times in UTC).")
@pass_ctx
def catchup(obj: Context, incident: str | None, as_json: bool) -> None:
    """The state of the incident for someone joining: roles, impact, hypotheses, actions, last update."""
    from warroom.store.catchup import catch_up, lines

    state = catch_up(obj.store, obj.incident_id(incident), obj.config)
    if as_json:
        click.echo(json.dumps(state.as_json(), indent=2, ensure_ascii=False, sort_keys=True))
        return
    for line, _ in lines(state, obj.tz, width=10_000):
        click.echo(line)


@click.command()
@click.argument("role", metavar="ic|scribe|comms")
@click.argument("name")
@incident_option
@pass_ctx
def role(obj: Context, role: str, name: str, incident: str | None) -> None:
    """Give a role to someone; when someone else held it, the handover is logged on the timeline."""
    from warroom.store.roles import ROLE_NAMES, set_role
    from warroom.store.text import visible_line

    incident_id = obj.incident_id(incident)
    change = set_role(obj.store, incident_id, role, name)
    holder = visible_line(getattr(change.incident, change.field))
    before = visible_line(change.before)
    handover = f"; handover from {before} logged as event {change.handover.id}" if change.handover else ""
    click.echo(f"{incident_id}: {ROLE_NAMES[change.field]} is {holder}{handover}")
