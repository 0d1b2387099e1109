"""`warroom export`: the post-mortem as Markdown, JSON, HTML or Confluence, streamed, its gaps checked.

The Markdown and JSON exports lend each batch of the timeline they read to the gap check's lint, so the
events are read once: after the document without `--check`, and with `--check -o FILE` too when the
file can be written and thrown away (the document is written beside it and put in place only when
nothing is missing). Else `--check` lists the gaps before exporting anything, from its own read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from warroom.store.errors import WarroomError
from warroom.tui.cli_common import Context, choice, pass_ctx

if TYPE_CHECKING:
    from warroom.store.lint_timeline import TimelineLint
    from warroom.store.quality import Gap
    from warroom.store.store import Store


@click.command()
@click.argument("incident_id", metavar="[ID]", required=False)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE (atomically); '-' is stdout."
)
@click.option(
    "--format",
    "fmt",
    type=choice(["md", "json", "html", "confluence"]),
    default="md",
    show_default=True,
    help="md: Markdown; json: every record; html: one printable page; confluence: Confluence storage format.",
)
@click.option("--force", is_flag=True, help="Write to the file FILE links to (the link is kept).")
@click.option("--check", is_flag=True, help="Export only when nothing is missing; else list the gaps and exit 1.")
@click.option(
    "--related/--no-related",
    "related",
    default=None,
    help="Include (or leave out) the Related Incidents section; default: the choice kept for the incident.",
)
@pass_ctx
def export(
    obj: Context,
    incident_id: str | None,
    output: Path | None,
    fmt: str,
    force: bool,
    check: bool,
    related: bool | None,
) -> None:
    """Export the post-mortem as Markdown (or JSON, HTML, Confluence) to standard output or FILE; gaps are warned
    about on stderr."""
    from warroom.store.files import write_atomic
    from warroom.tui.cli_postmortem import report_gaps, wants_related

    incident_id = obj.incident_id(incident_id)
    order, shown = obj.config.section_titles, wants_related(obj, incident_id, related)
    to_file = output is not None and str(output) != "-"  # '-' is standard output, as for import
    # --check into a file: when only blaming language could be missing, the export's own read of the timeline
    # is linted and the file kept only if nothing is (a missing field fails the check without any export).
    checked_once = (
        check and fmt in ("md", "json") and output is not None and to_file and _replaceable(output)
    ) and not _fields_missing(obj, incident_id)
    # Without --check the gaps are only warnings: the Markdown and JSON exports feed their own read of the
    # timeline to the gap check's lint, and the warnings follow the document instead of preceding it.
    lint = None
    if (checked_once or not check) and fmt in ("md", "json"):
        from warroom.store.lint_timeline import TimelineLint

        # Into a file that is kept only without gaps, the timeline is not rendered past the first blaming line.
        allow = [*obj.config.lint_allow, *obj.store.lint_allowlist(incident_id)] if checked_once else None
        lint = TimelineLint(obj.store, incident_id, obj.tz, until_found=allow)
    chunks: Callable[[Store, str, dt.tzinfo], Generator[str, None, None]]
    if fmt == "json":
        from warroom.store.export_json import json_chunks

        def chunks(store: Store, incident_id: str, tz: dt.tzinfo) -> Generator[str, None, None]:
            return json_chunks(store, incident_id, tz, order=order, related=shown, lint=lint)
    elif fmt in ("html", "confluence"):
        # One page, rendered from the Markdown export: written whole (it is for people, not for 1M events).
        from warroom.store.export_confluence import render_confluence
        from warroom.store.export_html import render_html

        render = render_html if fmt == "html" else render_confluence

        def whole(store: Store, incident_id: str, tz: dt.tzinfo) -> Generator[str, None, None]:
            yield render(store, incident_id, tz, order=order, related=shown)

        chunks = whole
    else:
        from warroom.store.export_md import markdown_chunks

        def chunks(store: Store, incident_id: str, tz: dt.tzinfo) -> Generator[str, None, None]:
            return markdown_chunks(store, incident_id, tz, order=order, related=shown, lint=lint)

    if lint is None:
        report_gaps(obj, incident_id, check=check)
    # Streamed, a batch of events at a time: memory stays flat however long the timeline is.
    with contextlib.closing(chunks(obj.store, incident_id, obj.tz)) as pieces:
        if output is None or not to_file:
            for piece in pieces:
                click.echo(piece, nl=False)
        elif checked_once and lint is not None:
            _write_checked(obj, incident_id, output, pieces, lint, force=force)
        else:
            write_atomic(output, pieces, follow_symlink=force, database=obj.store.path)
    if lint is not None and not checked_once:
        report_gaps(obj, incident_id, check=False, linted=lint)
    if output is not None and to_file:
        from warroom.store.text import visible_line

        click.echo(f"wrote {visible_line(str(output))}", err=True)  # a name's escapes shown, never run by the terminal


class _HasGaps(Exception):
    """The finished check found gaps: the document is not kept (`write_atomic` removes its temporary file)."""


def _write_checked(
    obj: Context, incident_id: str, output: Path, pieces: Iterator[str], lint: TimelineLint, *, force: bool
) -> None:
    """Write `pieces` to `output` as `write_atomic` does, kept only when the finished lint finds no gap.

    What is said is what `--check` says listing the gaps first: the gaps and exit 1 (`output` untouched),
    or nothing. A file that cannot be written lists the gaps first too, as it did before any writing.
    """
    from warroom.store.files import write_atomic
    from warroom.store.quality import gaps
    from warroom.tui.cli_postmortem import report_gaps, say_gaps

    found: list[Gap] = []

    def checked() -> Iterator[str]:
        yield from pieces
        config = obj.config
        found.extend(gaps(obj.store, incident_id, obj.tz, None, config.lint_allow, config.required_sections, lint))
        if found:
            raise _HasGaps

    try:
        write_atomic(output, checked(), follow_symlink=force, database=obj.store.path)
    except _HasGaps:
        say_gaps(incident_id, found, check=True)
    except WarroomError:  # refused, or could not be written: the gaps come first, as before any writing
        report_gaps(obj, incident_id, check=True)
        raise


def _replaceable(output: Path) -> bool:
    """Whether `output` is a file `write_atomic` replaces (or makes): not a pipe, terminal or other device."""
    from warroom.store.files import standard_stream

    if standard_stream(output) is not None:
        return False  # written through the descriptor, never replaced
    try:
        found = os.stat(output)
    except OSError:
        return True  # a new file, or one write_atomic explains it cannot write (after the gaps)
    return stat.S_ISREG(found.st_mode)


def _fields_missing(obj: Context, incident_id: str) -> bool:
    """Whether a gap other than blaming language is there already (the check fails whatever the events say)."""
    from warroom.store.quality import field_gaps

    return bool(field_gaps(obj.store, incident_id, obj.tz, obj.config.required_sections))
