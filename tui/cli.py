"""The `warroom` command line. Every field the TUI edits can be written from here too."""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from warroom.store.errors import InputError, WarroomError
from warroom.store.kinds import EventKind, Milestone, Status
from warroom.tui.cli_common import (
    Context,
    SeverityOption,
    choice,
    default_db_path,
    incident_option,
    limit_text,
    pass_ctx,
)
from warroom.tui.cli_lazy import LazyGroup

if TYPE_CHECKING:
    pass

SET_FIELDS = {
    "title": "title",
    "severity": "severity",
    "status": "status",
    "owner": "owner",
    "commander": "commander",
    "scribe": "scribe",
    "comms": "comms",
    "summary": "summary",
    "customers": "customers_affected",
    "business-impact": "business_impact",
    "went-well": "went_well",
    "went-wrong": "went_wrong",
    "lucky": "got_lucky",
    "notes": "notes",
    "tags": "tags",
    "started": "started_at",
    "detected": "detected_at",
    "mitigated": "mitigated_at",
    "resolved": "resolved_at",
    "postmortem": "postmortem",
    "postmortem-owner": "postmortem_owner",
    "review-due": "review_due",
    "section": "section",
}


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=True, path_type=Path),
    envvar="WARROOM_DB",
    default=default_db_path,
    show_default="user data dir/warroom/warroom.db",
    help="Database file (env WARROOM_DB).",
)
@click.option(
    "--tz",
    "tz",
    envvar="WARROOM_TZ",
    default=None,
    show_default="the config file's timezone, else UTC",
    help="Display zone (env WARROOM_TZ).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="WARROOM_CONFIG",
    default=None,
    show_default="user config dir/warroom/config.toml",
    help="Config file (env WARROOM_CONFIG).",
)
@click.version_option(package_name="warroom")
@click.pass_context
def cli(ctx: click.Context, db: Path, tz: str | None, config_path: Path | None) -> None:
    """Keyboard-first incident capture. With no command, opens the TUI."""
    ctx.obj = Context(db, tz, config_path)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand != "config":
        ctx.obj.check_config()
    if ctx.invoked_subcommand is None:
        run_tui(ctx.obj, None)


def run_tui(obj: Context, incident_id: str | None, *, demo: bool = False) -> None:
    """Start the TUI (imports Textual only now, so shell commands stay fast)."""
    # What is built while starting (Textual, the first screen) lives on: the cyclic collector's passes over it
    # are wasted (~5-10 ms). The app turns collection back on once its first screen is up.
    gc.disable()
    try:
        from warroom.tui.app import run

        author = os.environ.get("WARROOM_AUTHOR") or obj.config.author
        status = run(obj.db_path, tz=obj.tz, incident_id=incident_id, demo=demo, author=author, config=obj.config)
    finally:
        gc.enable()
    if status:
        # Textual has printed the traceback; scripts and supervisors must see a failure, not a clean quit.
        click.echo("warroom: the TUI stopped after an unexpected error (above); every saved entry is kept", err=True)
        raise click.exceptions.Exit(status)


@cli.command()
@click.argument("title")
@click.option("--id", "incident_id", metavar="ID", help="Use this id instead of INC-<year>-<n>.")
@click.option(
    "--severity",
    cls=SeverityOption,
    metavar="LEVEL",
    default="SEV3",
    show_default=True,
    help="A level's name or number (SEV1 is the worst of the built-in ones).",
)
@click.option("--owner", default="", help="Who owns the incident.")
@click.option("--started", metavar="TIME", help="When it started (default: now).")
@pass_ctx
def new(obj: Context, title: str, incident_id: str | None, severity: str, owner: str, started: str | None) -> None:
    """Open a new incident and print its id."""
    incident = obj.store.create_incident(
        title,
        id=incident_id,
        severity=obj.config.choose_severity(severity),
        owner=owner,
        started_at=obj.parse_time(started),
    )
    click.echo(incident.id)


@cli.command(name="open")
@click.argument("incident_id", metavar="[ID]", required=False)
@pass_ctx
def open_(obj: Context, incident_id: str | None) -> None:
    """Open the TUI on an incident."""
    run_tui(obj, obj.incident_id(incident_id))


@cli.command()
@pass_ctx
def demo(obj: Context) -> None:
    """Open the TUI on a sample incident in a throwaway database."""
    run_tui(obj, None, demo=True)


@cli.command()
@click.argument("text")
@incident_option
@click.option("--at", metavar="TIME", help="When it happened: 14:02, -5m, or ISO-8601 (default: now).")
@click.option("--kind", type=choice([k.value for k in EventKind]), default="note", show_default=True)
@click.option("--team", default="", help="Responsible team.")
@click.option("--milestone", type=choice([m.value for m in Milestone]), help="Sets the incident's key time.")
@click.option("--author", envvar="WARROOM_AUTHOR", default="", help="Who logged it (env WARROOM_AUTHOR).")
@click.option("--star", is_flag=True, help="Star the event.")
@click.option("--link", "links", multiple=True, metavar="URL", help="Evidence link, http(s) only (repeatable).")
@pass_ctx
def log(
    obj: Context,
    text: str,
    incident: str | None,
    at: str | None,
    kind: str,
    team: str,
    milestone: str | None,
    author: str,
    star: bool,
    links: tuple[str, ...],
) -> None:
    """Log a timeline event. TEXT '-' logs one event per line of standard input, each as it arrives."""
    if links:
        from warroom.tui.cli_links import with_links

        text = with_links(text, links)
    incident_id = obj.incident_id(incident)
    fields: dict[str, Any] = dict(
        kind=kind, team=team, milestone=milestone, author=author or obj.config.author, starred=star
    )
    from warroom.tui.cli_milestone import logged_lines, logged_one

    if text != "-":
        logged_one(obj, incident_id, limit_text(text, "the event"), obj.parse_time(at), fields)
        return
    logged_lines(obj, incident_id, obj.parse_time(at), fields)


class LiteralValues(click.Command):
    """A command whose arguments are taken as typed, even when they start with '-'.

    Only -i/--incident and --help are options: `set resolved -2h` is a time (not -2 and -h), and
    `set summary "- fixed it"` is that text (click would read a cluster of short options, `-i` among them,
    and keep "- f"). The options are moved first and the rest follows `--`.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """-i/--incident and --help as options; every other argument as a value, whatever it starts with."""
        options: list[str] = []
        values: list[str] = []
        rest = iter(args)
        for arg in rest:
            if arg == "--":
                values.extend(rest)
            elif arg in ("-i", "--incident"):
                given = next(rest, None)
                if given is None:
                    raise click.UsageError(f"Option '{arg}' requires an argument.", ctx)
                options += [arg, given]
            elif arg.startswith("--incident=") or arg == "--help":
                options.append(arg)
            else:
                values.append(arg)
        return super().parse_args(ctx, [*options, "--", *values])


@cli.command(name="set", cls=LiteralValues, context_settings={"help_option_names": ["--help"]})
@click.argument("field", type=choice(list(SET_FIELDS)))
@click.argument("value")
@click.argument("text", required=False, metavar="[TEXT]")
@incident_option
@pass_ctx
def set_(obj: Context, field: str, value: str, text: str | None, incident: str | None) -> None:
    """Set one field of an incident (tags: comma-separated; times: TIME, or '' to clear).

    `set section TITLE TEXT` writes one of the config file's extra sections ('-': standard input; '': clear).
    """
    attr = SET_FIELDS[field.lower()]
    if text is not None and attr != "section":
        raise click.UsageError(f"Got unexpected extra argument ({text})")
    incident_id = obj.incident_id(incident)
    if attr == "section":
        from warroom.tui.cli_sections import set_section

        set_section(obj, incident_id, value, text)
        return
    if attr in ("postmortem", "postmortem_owner", "review_due"):
        from warroom.tui.cli_review import set_postmortem_field

        set_postmortem_field(obj, incident_id, attr, limit_text(value, field))
        return
    new_value: object = limit_text(value, field)
    if attr == "tags":
        new_value = sorted({t.strip().lower() for t in value.split(",") if t.strip()})
    elif attr.endswith("_at"):
        from warroom.tui.cli_milestone import set_key_time

        set_key_time(obj, incident_id, field.lower(), obj.parse_time(value) if value.strip() else None)
        return
    elif attr == "severity":
        new_value = obj.config.choose_severity(value)
    elif attr == "status":
        new_value = value.lower()
        if new_value not in {s.value for s in Status}:
            raise InputError(f"status must be one of {', '.join(s.value for s in Status)}")
        from warroom.store.resolving import set_status

        # As the TUI's /status: resolving an incident with no resolved time records it as now, reopening clears it.
        done = set_status(obj.store, incident_id, str(new_value))
        click.echo(f"{incident_id}: {field} set{done.note(lambda when: obj.local(when, '%H:%M'))}")
        return
    elif attr in ("commander", "scribe", "comms") and value.strip():
        # Through the roles, so that a handover from someone else is logged on the timeline.
        from warroom.store.roles import set_role
        from warroom.store.text import visible_line

        change = set_role(obj.store, incident_id, attr, limit_text(value, field))
        before = visible_line(change.before)
        handover = f"; handover from {before} logged as event {change.handover.id}" if change.handover else ""
        click.echo(f"{incident_id}: {field} set{handover}")
        return
    elif attr == "title" and not value.strip():
        raise InputError("an incident needs a title")
    obj.store.update_incident(incident_id, **{attr: new_value})
    click.echo(f"{incident_id}: {field} set")


@cli.command()
@click.argument("incident_id", metavar="[ID]", required=False)
@pass_ctx
def show(obj: Context, incident_id: str | None) -> None:
    """Show an incident: key times, timeline, factors and action items."""
    from warroom.tui.cli_output import print_incident

    print_incident(obj, obj.incident_id(incident_id))


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI; every failure is one line on stderr and exit 1 or 2."""
    try:
        # Outside standalone mode click does not raise the status a command exits with
        # (`raise click.exceptions.Exit(1)` in lint and export --check): it returns it.
        status = cli.main(args=argv, prog_name="warroom", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo("warroom: aborted", err=True)
        return 130
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        # click lists a missing choice argument's values one per line: still one line here.
        _say(f"{' '.join(exc.format_message().split())}{hint}")
        return 2
    except click.ClickException as exc:
        _say(exc.format_message())
        return exc.exit_code
    except WarroomError as exc:
        _say(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except SystemExit:
        # click meets a broken pipe inside a command by muting stdout and exiting 1: the reader went away,
        # as below, which is not a failure of the command.
        if type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):  # click's wrapper (renamed in click 8.2)
            return 0
        raise
    except BrokenPipeError:
        # The reader went away (`warroom list | head`): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except sqlite3.Error as exc:
        # A read the store does not wrap (a damaged page met mid-query): still one line, never a traceback.
        from warroom.store.db import describe

        click.echo(f"warroom: cannot read the database: {describe(exc)}; nothing was changed", err=True)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"{where}{exc.strerror or exc}")
        return 1
    return status if isinstance(status, int) else 0


def _say(message: str) -> None:
    """One `warroom:` line on stderr; controls and bidi overrides quoted from the command line show as symbols."""
    from warroom.store.text import visible_line

    click.echo(f"warroom: {visible_line(message)}", err=True)


if __name__ == "__main__":
    sys.exit(main())
