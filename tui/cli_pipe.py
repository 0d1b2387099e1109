"""`warroom log -`: one event per line of standard input, stored with group commit.

Whatever has already arrived when a read returns goes into one transaction, so a flood (an alert
storm, `kubectl logs | warroom log -`, a file) costs one commit per read instead of one per line,
while a line that arrives alone is read at once and committed on its own: it is never held back
waiting for more. Nothing is counted as logged before its transaction has committed, so the final
"logged N events" is true even if the process is killed half-way.
"""

from __future__ import annotations

import datetime as dt
import io
import select
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import click

from warroom.store.errors import WarroomError
from warroom.store.kinds import MAX_TEXT
from warroom.store.store import Store

#: Most bytes taken in one read: a file or a full pipe is stored in transactions of about this size.
READ_BYTES = 1 << 20


def arrived_lines(stream: BinaryIO) -> Iterator[list[bytes]]:
    """The complete lines each read returns (the last line may lack its newline), as they arrive.

    `read1` returns what is already there without waiting for the buffer to fill, so a line written
    alone comes back alone, at once.
    """
    pending = b""
    read1: Callable[[int], bytes] | None = getattr(stream, "read1", None)  # (BinaryIO does not declare it)
    while True:
        chunk = read1(READ_BYTES) if read1 is not None else stream.readline()
        # A pipe hands over at most its buffer (64 KiB) a read: what is already waiting behind it joins the batch.
        while chunk and read1 is not None and len(chunk) < READ_BYTES and _waiting(stream):
            more = read1(READ_BYTES - len(chunk))
            if not more:
                break
            chunk += more
        if not chunk:
            if pending:
                yield [pending]
            return
        lines = (pending + chunk).split(b"\n")
        pending = lines.pop()
        if lines:
            yield lines


def log_stdin(
    store: Store,
    stream: BinaryIO,
    incident_id: str,
    occurred: dt.datetime | None,
    fields: dict[str, Any],
    with_first: Callable[[], object] | None = None,
) -> int:
    """Store each non-blank line of `stream` as an event; how many were stored.

    On a failure the message names the line and how many lines before it were stored: a batch that
    cannot be stored whole is stored line by line, so the lines before the bad one are kept, as they
    would have been had they arrived one at a time. `with_first` runs in the transaction of the first
    line stored (a resolved milestone resolves the incident then, not when the pipe ends: a killed
    `log -` leaves no resolved time on an incident still open).
    """
    count = 0
    number = 0
    first = [with_first] if with_first is not None else []

    def stored(texts: list[str]) -> int:
        def write() -> int:
            done = store.log_events(incident_id, texts, occurred_at=occurred, source="pipe", **fields)
            while first and done:
                first.pop()()
            return done

        return store.write(write)

    for raw_lines in arrived_lines(stream):
        batch: list[tuple[int, str]] = []
        for raw in raw_lines:
            number += 1
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if not line.strip():
                continue
            if len(line) > MAX_TEXT:
                note = f"warroom: line {number} was {len(line):,} characters; kept the first {MAX_TEXT:,}"
                click.echo(note, err=True)
                line = line[:MAX_TEXT]
            batch.append((number, line))
        if not batch:
            continue
        try:
            texts = [line for _, line in batch]
            count += stored(texts)
            continue
        except WarroomError:
            pass
        for line_number, line in batch:
            try:
                stored([line])
            except WarroomError as exc:
                # Say how far it got: the lines before were saved, this one and the rest were not.
                before = f"{count:,} event{'s' if count != 1 else ''} from the lines before it were logged"
                raise type(exc)(f"{exc} (line {line_number}; {before})") from None
            count += 1
    return count


def _waiting(stream: BinaryIO) -> bool:
    """Whether more input can be read from `stream` at once, without waiting for it to arrive."""
    try:
        return bool(select.select([stream.fileno()], [], [], 0)[0]) and hasattr(stream, "read1")
    except (OSError, ValueError, io.UnsupportedOperation):
        return False
