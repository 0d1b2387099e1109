"""`warroom cause`, `warroom action` and `warroom event`: the items inside an incident."""

from __future__ import annotations

import click

from warroom.store.errors import InputError, WarroomError
from warroom.store.kinds import ActionStatus, ActionType, EventKind, FactorKind, Milestone, Priority
from warroom.store.records import json_values
from warroom.store.text import visible_line
from warroom.store.timeparse import from_db, parse_date
from warroom.tui.cli_common import NUMBER, Context, choice, incident_option, limit_text, pass_ctx
from warroom.tui.cli_json import dumps, dumps_sorted_bytes, echo_bytes
from warroom.tui.cli_library import print_followup
from warroom.tui.cli_output import print_actions


def refuse_deleted(deleted: object, what: str, restore: str) -> None:
    """Editing a deleted record would change something nobody sees: say so, and how to bring it back."""
    if deleted is not None:
        raise WarroomError(f"{what} is deleted; `warroom {restore}` brings it back first")


@click.group()
def cause() -> None:
    """Root cause, contributing factors and trigger."""


@cause.command(name="add")
@click.argument("text")
@incident_option
@click.option("--kind", type=choice([k.value for k in FactorKind]), default="contributing", show_default=True)
@click.option(
    "--event", "event_ids", type=NUMBER, multiple=True, metavar="EVENT_ID", help="Link to an event (repeatable)."
)
@pass_ctx
def cause_add(obj: Context, text: str, incident: str | None, kind: str, event_ids: tuple[int, ...]) -> None:
    """Record a factor."""
    incident_id = obj.incident_id(incident)
    for event_id in event_ids:
        if obj.store.event(event_id).incident_id != incident_id:
            raise InputError(f"event {event_id} belongs to another incident")
    factor = obj.store.add_factor(incident_id, limit_text(text, "the factor"), kind=kind, event_ids=event_ids)
    click.echo(f"added {factor.kind.value} factor {factor.number} to {incident_id}")


@cause.command(name="list")
@incident_option
@pass_ctx
def cause_list(obj: Context, incident: str | None) -> None:
    """List the factors."""
    incident_id = obj.incident_id(incident)
    factors = obj.store.factors(incident_id)
    if not factors:
        click.echo(f"no root cause or factors in {incident_id}: add one with `warroom cause add TEXT`")
    for factor in factors:
        click.echo(f"{factor.number:>3}  {factor.kind.value:<12}  {visible_line(factor.text)}")


@cause.command(name="edit")
@click.argument("number", type=NUMBER)
@incident_option
@click.option("--text", help="New text.")
@click.option("--kind", type=choice([k.value for k in FactorKind]))
@pass_ctx
def cause_edit(obj: Context, number: int, incident: str | None, text: str | None, kind: str | None) -> None:
    """Change a factor (the previous version is kept)."""
    changes = {k: v for k, v in {"text": text, "kind": kind}.items() if v is not None}
    if not changes:
        raise InputError("nothing to change: give --text or --kind")
    incident_id = obj.incident_id(incident)
    refuse_deleted(obj.store.factor(incident_id, number).deleted_at, f"factor {number}", f"cause restore {number}")
    obj.store.edit_factor(incident_id, number, **changes)
    click.echo(f"factor {number} updated")


@cause.command(name="delete")
@click.argument("number", type=NUMBER)
@incident_option
@pass_ctx
def cause_delete(obj: Context, number: int, incident: str | None) -> None:
    """Remove a factor from the post-mortem (it stays in the file's history)."""
    incident_id = obj.incident_id(incident)
    if obj.store.factor(incident_id, number).deleted_at is not None:
        raise WarroomError(f"factor {number} is already deleted")
    obj.store.edit_factor(incident_id, number, deleted_at=obj.store.now())
    click.echo(f"factor {number} deleted")


@cause.command(name="restore")
@click.argument("number", type=NUMBER)
@incident_option
@pass_ctx
def cause_restore(obj: Context, number: int, incident: str | None) -> None:
    """Bring a deleted factor back."""
    incident_id = obj.incident_id(incident)
    if obj.store.factor(incident_id, number).deleted_at is None:
        raise WarroomError(f"factor {number} is not deleted")
    obj.store.edit_factor(incident_id, number, deleted_at=None)
    click.echo(f"factor {number} restored")


def _refuse_deleted_action(obj: Context, incident_id: str, number: int) -> None:
    item = obj.store.action(incident_id, number)
    refuse_deleted(item.deleted_at, f"action item {number}", f"action restore {number}")


@click.group()
def action() -> None:
    """Action items: follow-up work with owners and deadlines."""


def _action_fields(
    owner: str | None,
    deadline: str | None,
    priority: str | None,
    type_: str | None,
    ticket: str | None,
    status: str | None = None,
) -> dict[str, object]:
    """The action-item options a user gave, converted."""
    fields: dict[str, object] = {}
    if owner is not None:
        fields["owner"] = owner
    if deadline is not None:
        fields["deadline"] = parse_date(deadline) if deadline.strip() else None
    if priority is not None:
        fields["priority"] = priority.upper()
    if type_ is not None:
        fields["type"] = type_.lower()
    if ticket is not None:
        fields["ticket"] = ticket
    if status is not None:
        fields["status"] = status.lower()
    return fields


@action.command(name="add")
@click.argument("title")
@incident_option
@click.option("--owner", help="Who will do it.")
@click.option("--deadline", metavar="YYYY-MM-DD", help="When it is due.")
@click.option("--priority", type=choice([p.value for p in Priority]), default="P2", show_default=True)
@click.option("--type", "type_", type=choice([t.value for t in ActionType]), default="prevent", show_default=True)
@click.option("--ticket", help="Link to the tracking ticket.")
@pass_ctx
def action_add(
    obj: Context,
    title: str,
    incident: str | None,
    owner: str | None,
    deadline: str | None,
    priority: str,
    type_: str,
    ticket: str | None,
) -> None:
    """Add an action item."""
    incident_id = obj.incident_id(incident)
    item = obj.store.add_action(
        incident_id, limit_text(title, "the title"), **_action_fields(owner, deadline, priority, type_, ticket)
    )
    click.echo(f"added action item {item.number} to {incident_id}")


@action.command(name="list")
@incident_option
@click.option("--all-incidents", is_flag=True, help="Every incident's items by group (this week: due within 7 days).")
@click.option("--overdue", is_flag=True, help="Only open items past their deadline.")
@click.option("--owner", help="Only this owner's items.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def action_list(
    obj: Context, incident: str | None, all_incidents: bool, overdue: bool, owner: str | None, as_json: bool
) -> None:
    """List action items: of one incident, or of all grouped overdue / due this week / later / no deadline / closed."""
    incident_id = None if all_incidents else obj.incident_id(incident)
    today = obj.today()
    if all_incidents and as_json:
        from warroom.store.followup import followup_json
        from warroom.tui.cli_reviews import overdue_reviews_of

        reviews = overdue_reviews_of(obj, owner)
        rows = followup_json(obj.store, today, owner=owner, overdue=overdue, item="action")
        echo_bytes(dumps_sorted_bytes([dict(sorted(r.to_json().items())) for r in reviews] + rows))
        return
    items = obj.store.actions(incident_id, owner=owner)
    if overdue:
        items = [a for a in items if a.is_overdue(today)]
    if not items and not as_json and (overdue or owner is not None) and obj.store.actions(incident_id):
        # Items there are, none of them matching: say so rather than "no action items".
        if all_incidents:
            from warroom.tui.cli_reviews import overdue_reviews_of, print_overdue_reviews

            print_overdue_reviews(overdue_reviews_of(obj, owner))
        click.echo("no action item matches: `warroom action list` without --overdue or --owner shows them all")
        return
    if all_incidents:
        from warroom.tui.cli_reviews import overdue_reviews_of, print_overdue_reviews

        print_overdue_reviews(overdue_reviews_of(obj, owner))
        print_followup(items, today)
    elif as_json:
        click.echo(dumps([json_values(a) for a in items]))
    else:
        print_actions(items, today, show_incident=False)


@action.command(name="done")
@click.argument("number", type=NUMBER)
@incident_option
@pass_ctx
def action_done(obj: Context, number: int, incident: str | None) -> None:
    """Mark action item N done."""
    incident_id = obj.incident_id(incident)
    refuse_deleted(
        obj.store.action(incident_id, number).deleted_at, f"action item {number}", f"action restore {number}"
    )
    obj.store.edit_action(incident_id, number, status="done")
    click.echo(f"action item {number} done")


@action.command(name="set")
@click.argument("number", type=NUMBER)
@incident_option
@click.option("--title", help="New title.")
@click.option("--owner")
@click.option("--deadline", metavar="YYYY-MM-DD", help="'' clears it.")
@click.option("--priority", type=choice([p.value for p in Priority]))
@click.option("--type", "type_", type=choice([t.value for t in ActionType]))
@click.option("--ticket")
@click.option("--status", type=choice([s.value for s in ActionStatus]))
@pass_ctx
def action_set(
    obj: Context,
    number: int,
    incident: str | None,
    title: str | None,
    owner: str | None,
    deadline: str | None,
    priority: str | None,
    type_: str | None,
    ticket: str | None,
    status: str | None,
) -> None:
    """Change action item N."""
    fields = _action_fields(owner, deadline, priority, type_, ticket, status)
    if title is not None:
        fields["title"] = limit_text(title, "the title")
    if not fields:
        raise InputError("nothing to change: give at least one option")
    incident_id = obj.incident_id(incident)
    refuse_deleted(
        obj.store.action(incident_id, number).deleted_at, f"action item {number}", f"action restore {number}"
    )
    obj.store.edit_action(incident_id, number, **fields)
    click.echo(f"action item {number} updated")


@action.command(name="delete")
@click.argument("number", type=NUMBER)
@incident_option
@pass_ctx
def action_delete(obj: Context, number: int, incident: str | None) -> None:
    """Remove action item N (it stays in the file; `action restore N` brings it back)."""
    incident_id = obj.incident_id(incident)
    if obj.store.action(incident_id, number).deleted_at is not None:
        raise WarroomError(f"action item {number} is already deleted")
    obj.store.edit_action(incident_id, number, deleted_at=obj.store.now())
    click.echo(f"action item {number} deleted")


@action.command(name="restore")
@click.argument("number", type=NUMBER)
@incident_option
@pass_ctx
def action_restore(obj: Context, number: int, incident: str | None) -> None:
    """Bring a deleted action item back."""
    incident_id = obj.incident_id(incident)
    if obj.store.action(incident_id, number).deleted_at is None:
        raise WarroomError(f"action item {number} is not deleted")
    obj.store.edit_action(incident_id, number, deleted_at=None)
    click.echo(f"action item {number} restored")


@click.group()
def event() -> None:
    """Timeline events: list, correct, delete, restore, history."""


@event.command(name="list")
@incident_option
@click.option("--deleted", is_flag=True, help="Include deleted events.")
@pass_ctx
def event_list(obj: Context, incident: str | None, deleted: bool) -> None:
    """The timeline with event ids."""
    from warroom.tui.cli_output import SHOW_PAGE, event_lines

    incident_id = obj.incident_id(incident)
    # A page at a time, by key, as `show` prints it: memory stays flat however long the timeline is.
    empty = True
    for page in obj.store.event_pages(incident_id, SHOW_PAGE, include_deleted=deleted):
        click.echo("\n".join(event_lines(obj, page)))
        empty = False
    if empty:
        click.echo(f"no events in {incident_id}: log one with `warroom log TEXT`")


@event.command(name="edit")
@click.argument("event_id", type=NUMBER)
@click.option("--text")
@click.option("--at", metavar="TIME", help="Correct when it happened.")
@click.option("--kind", type=choice([k.value for k in EventKind]))
@click.option("--team")
@click.option("--milestone", type=choice([m.value for m in Milestone] + ["none"]))
@click.option("--star/--unstar", default=None)
@pass_ctx
def event_edit(
    obj: Context,
    event_id: int,
    text: str | None,
    at: str | None,
    kind: str | None,
    team: str | None,
    milestone: str | None,
    star: bool | None,
) -> None:
    """Correct an event; the previous revision is kept."""
    changes: dict[str, object] = {}
    if text is not None:
        changes["text"] = limit_text(text, "the event")
    if at is not None:
        changes["occurred_at"] = obj.parse_time(at)
    if kind is not None:
        changes["kind"] = kind
    if team is not None:
        changes["team"] = team
    if milestone is not None:
        changes["milestone"] = None if milestone == "none" else milestone
    if star is not None:
        changes["starred"] = star
    if not changes:
        raise InputError("nothing to change: give at least one option")
    refuse_deleted(obj.store.event(event_id).deleted_at, f"event {event_id}", f"event restore {event_id}")
    obj.store.edit_event(event_id, **changes)
    click.echo(f"event {event_id} updated")


@event.command(name="delete")
@click.argument("event_id", type=NUMBER)
@pass_ctx
def event_delete(obj: Context, event_id: int) -> None:
    """Remove an event from the timeline (it stays in the file; `event restore` brings it back)."""
    if obj.store.event(event_id).deleted_at is not None:
        raise WarroomError(f"event {event_id} is already deleted")
    obj.store.delete_event(event_id)
    click.echo(f"event {event_id} deleted")


@event.command(name="restore")
@click.argument("event_id", type=NUMBER)
@pass_ctx
def event_restore(obj: Context, event_id: int) -> None:
    """Bring a deleted event back."""
    if obj.store.event(event_id).deleted_at is None:
        raise WarroomError(f"event {event_id} is not deleted")
    obj.store.restore_event(event_id)
    click.echo(f"event {event_id} restored")


@event.command(name="history")
@click.argument("event_id", type=NUMBER)
@pass_ctx
def event_history(obj: Context, event_id: int) -> None:
    """Every earlier version of an event."""
    current = obj.store.event(event_id)
    for rev in obj.store.revisions("event", event_id):
        replaced, occurred = from_db(rev["replaced_at"]), from_db(rev["occurred_at"])
        click.echo(f"until {obj.local(replaced)}: [{obj.local(occurred)}] {visible_line(rev['text'])}")
    click.echo(f"now: [{obj.local(current.occurred_at)}] {visible_line(current.text)}")
