"""`warroom hypothesis`: list the incident's hypotheses, rule one out or confirm it (saying why), reopen it."""

from __future__ import annotations

import json

import click

from warroom.store.hypotheses import HypothesisStatus, hypotheses, settle, unsettle
from warroom.store.text import visible_line
from warroom.tui.cli_common import NUMBER, Context, incident_option, limit_text, pass_ctx


@click.group()
def hypothesis() -> None:
    """Hypotheses: open until ruled out or confirmed, each with the reason."""


@hypothesis.command(name="list")
@incident_option
@click.option("--open", "open_only", is_flag=True, help="Only the open ones.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def hypothesis_list(obj: Context, incident: str | None, open_only: bool, as_json: bool) -> None:
    """Every hypothesis with its number (#N), where it stands and why."""
    incident_id = obj.incident_id(incident)
    found = [h for h in hypotheses(obj.store, incident_id) if not open_only or h.status is HypothesisStatus.OPEN]
    if as_json:
        rows = [
            {
                "number": h.number,
                "text": h.event.text,
                "occurred_at": h.event.occurred_at.isoformat().replace("+00:00", "Z"),
                "status": h.status.value,
                "reason": h.settlement.reason if h.settlement else None,
                "settled_by": h.settlement.settled_by if h.settlement else None,
            }
            for h in found
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not found:
        which = "open hypotheses" if open_only else "hypotheses"
        click.echo(f"no {which} in {incident_id}: log one with `warroom log --kind hypothesis TEXT`")
        return
    for h in found:
        why = f"  because {visible_line(h.settlement.reason)}" if h.settlement else ""
        when = obj.local(h.event.occurred_at, "%H:%M")
        click.echo(f"#{h.number:<5} {h.status.value:<10} {when}  {visible_line(h.event.text)}{why}")


def _settle(
    obj: Context, incident: str | None, number: int, status: HypothesisStatus, reason: str, at: str | None
) -> None:
    """Settle one hypothesis and say what was logged."""
    incident_id = obj.incident_id(incident)
    when = obj.parse_time(at)
    found, note = settle(obj.store, incident_id, number, status, limit_text(reason, "the reason"), at=when)
    click.echo(f"hypothesis #{number} {found.status.value} in {incident_id} (logged event {note.id})")


@hypothesis.command(name="rule-out")
@click.argument("number", type=NUMBER)
@click.argument("reason")
@incident_option
@click.option("--at", metavar="TIME", help="When it was settled: 14:02, -5m, or ISO-8601 (default: now).")
@pass_ctx
def hypothesis_rule_out(obj: Context, number: int, reason: str, incident: str | None, at: str | None) -> None:
    """Rule out hypothesis NUMBER because REASON (logs a note saying so)."""
    _settle(obj, incident, number, HypothesisStatus.RULED_OUT, reason, at)


@hypothesis.command(name="confirm")
@click.argument("number", type=NUMBER)
@click.argument("reason")
@incident_option
@click.option("--at", metavar="TIME", help="When it was settled: 14:02, -5m, or ISO-8601 (default: now).")
@pass_ctx
def hypothesis_confirm(obj: Context, number: int, reason: str, incident: str | None, at: str | None) -> None:
    """Confirm hypothesis NUMBER because REASON (logs a note saying so)."""
    _settle(obj, incident, number, HypothesisStatus.CONFIRMED, reason, at)


@hypothesis.command(name="reopen")
@click.argument("number", type=NUMBER)
@incident_option
@pass_ctx
def hypothesis_reopen(obj: Context, number: int, incident: str | None) -> None:
    """Undo a settlement: the hypothesis is open again and the note that settled it is deleted."""
    incident_id = obj.incident_id(incident)
    unsettle(obj.store, incident_id, number)
    click.echo(f"hypothesis #{number} is open again in {incident_id}")
