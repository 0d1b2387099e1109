"""`warroom import`, `warroom schema` and `warroom lint`: the post-mortem's round trip and its blameless check.

The store modules these need (markdown-it above all) are imported inside each command, so that
`warroom log` from an alert hook never pays for them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from warroom.store.errors import InputError, WarroomError
from warroom.store.text import visible_line
from warroom.tui.cli_common import Context, pass_ctx

if TYPE_CHECKING:
    from warroom.store.export_rows import Timeline
    from warroom.store.lint_timeline import TimelineLint
    from warroom.store.quality import Gap


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--as", "as_id", metavar="NEW_ID", help="Import under this id instead of the file's.")
@pass_ctx
def import_(obj: Context, file: Path, as_id: str | None) -> None:
    """Import a JSON export or a Markdown post-mortem ('-' reads standard input).

    A new id creates the incident; an existing one takes the file's edits (nothing is deleted).
    What cannot be imported is listed on stderr as `not imported: line N: ...`.
    """
    from warroom.store.importer import import_text

    report = import_text(obj.store, _read(file), as_id=as_id, titles=obj.config.section_titles)
    for problem in report.problems:
        click.echo(f"not imported: {visible_line(str(problem))}", err=True)
    click.echo(visible_line(report.summary()))


def _read(file: Path) -> str:
    """The file's text (UTF-8), or one clear error."""
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as exc:
        raise WarroomError(f"cannot read {visible_line(str(file))}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise WarroomError(f"{visible_line(str(file))} is not UTF-8 text; nothing imported") from None


@click.command()
def schema() -> None:
    """Print the JSON Schema of `warroom export --format json`."""
    from warroom.store.export_schema import schema_json

    click.echo(schema_json(), nl=False)


@click.command()
@click.argument("incident_id", metavar="[ID]", required=False)
@click.option("--allow", multiple=True, metavar="PHRASE", help="Accept PHRASE (or LOCATION:PHRASE) this once.")
@click.option("--allow-add", multiple=True, metavar="PHRASE", help="Accept PHRASE for this incident from now on.")
@click.option("--allow-remove", multiple=True, metavar="PHRASE", help="Take PHRASE off the incident's allowlist.")
@pass_ctx
def lint(
    obj: Context,
    incident_id: str | None,
    allow: tuple[str, ...],
    allow_add: tuple[str, ...],
    allow_remove: tuple[str, ...],
) -> None:
    """Check the post-mortem for blaming language. Exit 0 when clean, 1 when there are findings.

    --allow-add and --allow-remove change the incident's saved allowlist first; the check then runs.
    """
    from warroom.store.lint import lint_incident

    incident_id = obj.incident_id(incident_id)
    for phrase in allow_add:
        kept = obj.store.allow_lint_phrase(incident_id, phrase)
        click.echo(f"{incident_id}: allowing {visible_line(kept)!r} from now on", err=True)
    for phrase in allow_remove:
        if not obj.store.disallow_lint_phrase(incident_id, phrase):
            raise InputError(f"{phrase!r} is not on {incident_id}'s allowlist")
        click.echo(f"{incident_id}: no longer allowing {visible_line(phrase)!r}", err=True)
    findings = lint_incident(obj.store, incident_id, [*allow, *obj.config.lint_allow], tz=obj.tz)
    for finding in findings:
        click.echo(visible_line(str(finding)))
    if findings:
        raise click.exceptions.Exit(1)
    click.echo(f"{incident_id}: no blaming language found", err=True)


def report_gaps(
    obj: Context,
    incident_id: str,
    *,
    check: bool,
    timeline: Timeline | None = None,
    linted: TimelineLint | None = None,
) -> None:
    """Print what the post-mortem lacks on stderr; with `check`, stop with exit 1 when anything does.

    `timeline` is the export's own read of the events, so the check does not read them again; `linted` the
    timeline's lint fed by an export as it read them.
    """
    from warroom.store.quality import gaps

    config = obj.config
    found = gaps(obj.store, incident_id, obj.tz, timeline, config.lint_allow, config.required_sections, linted)
    say_gaps(incident_id, found, check=check)


def say_gaps(incident_id: str, found: Sequence[Gap], *, check: bool) -> None:
    """`report_gaps` for gaps already found."""
    for gap in found:
        click.echo(f"{'' if check else 'warning: '}{visible_line(gap.message)}", err=True)
    if check and found:
        click.echo(f"warroom: {incident_id} has {len(found)} gap(s); nothing was exported", err=True)
        raise click.exceptions.Exit(1)


def wants_related(obj: Context, incident_id: str, flag: bool | None) -> bool:
    """Whether the export includes Related Incidents: `--related/--no-related`, else the incident's kept choice."""
    if flag is not None:
        return flag
    return obj.store.shows_related_section(incident_id)
