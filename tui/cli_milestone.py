"""`warroom log` with its milestone's consequences, as the TUI's entry line has them.

A resolved milestone also moves a still-open incident to resolved (in the same transaction), and an
event before the incident's start says so and how to move the start, as `!resolved` and a backdated
entry do in the TUI.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from warroom.store.resolving import resolve_on_milestone
from warroom.store.timeparse import format_duration, typed_back
from warroom.tui.cli_common import Context

RESOLVED = " · status resolved"


def logged_one(obj: Context, incident_id: str, text: str, at: dt.datetime | None, fields: dict[str, Any]) -> None:
    """Log one event (and resolve the incident on a resolved milestone); say what was done."""
    store = obj.store

    def do() -> tuple[Any, bool]:
        event = store.log_event(incident_id, text, occurred_at=at, **fields)
        return event, resolve_on_milestone(store, incident_id, fields.get("milestone"))

    event, resolves = store.write(do)
    said = f"logged event {event.id} at {obj.local(event.occurred_at)} in {incident_id}"
    click.echo(said + (RESOLVED if resolves else ""))
    _before_start(obj, incident_id, event.occurred_at)


def logged_lines(obj: Context, incident_id: str, at: dt.datetime | None, fields: dict[str, Any]) -> None:
    """`warroom log -`: one event per line of standard input; a resolved milestone resolves the incident once."""
    from warroom.tui.cli_pipe import Interrupt, log_stdin

    resolved: list[bool] = []

    def resolve() -> None:
        resolved.append(resolve_on_milestone(obj.store, incident_id, fields.get("milestone")))

    # Ctrl+C ends the input: what has arrived is stored and counted, and the exit status says it was stopped.
    with Interrupt().caught() as interrupt:
        count = log_stdin(obj.store, sys.stdin.buffer, incident_id, at, fields, with_first=resolve, interrupt=interrupt)
    resolves = any(resolved)
    said = f"logged {count} event{'s' if count != 1 else ''} in {incident_id}"
    click.echo(said + (RESOLVED if resolves else ""), err=True)
    if interrupt.seen:
        raise click.exceptions.Exit(130)


def _before_start(obj: Context, incident_id: str, moment: dt.datetime) -> None:
    """A note on stderr when the event is before the incident's start, naming the command that moves the start."""
    start = obj.store.incident(incident_id).started_at
    if moment >= start:
        return
    typed = typed_back(moment, obj.tz)
    click.echo(
        f"note: {format_duration(start - moment)} before the incident's start:"
        f" `warroom set started {typed} -i {incident_id}` moves the start",
        err=True,
    )


def set_key_time(obj: Context, incident_id: str, name: str, when: dt.datetime | None) -> None:
    """`warroom set started|detected|mitigated|resolved TIME`, as the TUI's `/resolved TIME` does it.

    A key time a milestone event decides is changed by moving that event (else the shown time would not
    change), and a resolved time moves a still-open incident to resolved.
    """
    from warroom.store.key_times import set_key_times
    from warroom.store.kinds import Status

    decided = obj.store.milestone_events(incident_id).get(name)
    touched = set_key_times(obj.store, incident_id, {name: when})
    moved = f" (event {decided[0]} moved)" if decided is not None and ("event", decided[0]) in touched else ""
    resolves = when is not None and name == "resolved" and ("incident", incident_id) in touched
    status = RESOLVED if resolves and obj.store.incident(incident_id).status is Status.RESOLVED else ""
    click.echo(f"{incident_id}: {name} {'cleared' if when is None else 'set'}{moved}{status}")
