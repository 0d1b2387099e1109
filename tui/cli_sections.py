"""`warroom set section TITLE TEXT`: the config file's extra post-mortem sections written from the shell.

Required sections are gaps in `export --check`; without this, a script could not close them.
"""

from __future__ import annotations

import sys

import click

from warroom.store.errors import InputError, WarroomError
from warroom.store.text import visible_line
from warroom.tui.cli_common import Context, limit_text


def set_section(obj: Context, incident_id: str, title: str, text: str | None) -> None:
    """Write (or, with an empty TEXT, clear) one configured section; TEXT '-' reads it from standard input."""
    from warroom.store.sections import read_sections, save_sections

    known = obj.config.section_titles
    if not known:
        raise InputError("the config file lists no extra post-mortem sections ([[sections]]); see `warroom config`")
    matched = [t for t in known if t.casefold() == title.strip().casefold()]
    if not matched:
        names = ", ".join(repr(t) for t in known)
        raise InputError(f"no section called {visible_line(title)!r} in the config file; the sections are {names}")
    if text is None:
        raise click.UsageError("give the section's TEXT ('-' reads it from standard input, '' clears it)")
    if text == "-":
        text = _stdin()
    title = matched[0]
    text = limit_text(text, f"section {title!r}")
    before = read_sections(obj.store, incident_id).get(title, "")
    save_sections(obj.store, incident_id, {title: text})
    if not text.strip():
        click.echo(f"{incident_id}: section {visible_line(title)!r} {'cleared' if before else 'was already empty'}")
    else:
        click.echo(f"{incident_id}: section {visible_line(title)!r} {'replaced' if before else 'set'}")


def _stdin() -> str:
    """All of standard input, as UTF-8 text; a file saved on Windows (byte order mark, CRLF) reads as any other,
    as `warroom import` and `warroom log -` read it."""
    try:
        text = sys.stdin.buffer.read().decode("utf-8-sig")
        return text.replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise WarroomError("standard input is not UTF-8 text; nothing was changed") from None
