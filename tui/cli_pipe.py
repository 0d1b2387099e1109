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
import os
import select
import stat
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import click

from warroom.store.errors import WarroomError
from warroom.store.kinds import MAX_TEXT
from warroom.store.store import Store

#: Most bytes taken in one read: a file or a full pipe is stored in transactions of about this size.
READ_BYTES = 1 << 20


def arrived_blocks(stream: BinaryIO) -> Iterator[bytes]:
    """The complete lines each read returns, as one block without its last newline, as they arrive.

    `read1` returns what is already there without waiting for the buffer to fill, so a line written
    alone comes back alone, at once. A line cut between reads waits for its end; the last line may
    lack its newline. A block is split into lines by its consumer, so a flood costs no Python work
    per line here.
    """
    pending: list[bytes] = []  # the start of a line cut between reads, in pieces (a huge line is not copied each read)
    read1: Callable[[int], bytes] | None = getattr(stream, "read1", None)  # (BinaryIO does not declare it)
    _widen_pipe(stream)
    while True:
        chunk = read1(READ_BYTES) if read1 is not None else stream.readline()
        # A pipe hands over at most its buffer a read: what is already waiting behind it joins the batch.
        if chunk and read1 is not None and len(chunk) < READ_BYTES and _waiting(stream):
            pieces, size = [chunk], len(chunk)
            while size < READ_BYTES and _waiting(stream):
                more = read1(READ_BYTES - size)
                if not more:
                    break
                pieces.append(more)
                size += len(more)
            chunk = b"".join(pieces)
        if not chunk:
            if pending:
                yield b"".join(pending)
            return
        cut = chunk.rfind(b"\n")
        if cut < 0:
            pending.append(chunk)
            continue
        yield b"".join([*pending, chunk[:cut]])
        pending = [chunk[cut + 1 :]] if cut + 1 < len(chunk) else []


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

    for block in arrived_blocks(stream):
        # One decode and one split a block: "\n" is never part of another character in UTF-8, so the
        # lines are those of splitting the bytes, and each invalid byte becomes U+FFFD as it would alone.
        lines = block.decode("utf-8", errors="replace").split("\n")
        first_number = number + 1
        number += len(lines)
        if max(map(len, lines)) > MAX_TEXT:
            batch = _cut_to_limit(lines, first_number)
            texts = [line for _, line in batch]
        else:
            texts = [text for text in map(str.strip, lines) if text]
            batch = []
        if not texts:
            continue
        try:
            count += stored(texts)
            continue
        except WarroomError:
            pass
        for line_number, line in batch or _numbered(lines, first_number):
            try:
                stored([line])
            except WarroomError as exc:
                # Say how far it got: the lines before were saved, this one and the rest were not.
                before = f"{count:,} event{'s' if count != 1 else ''} from the lines before it were logged"
                raise type(exc)(f"{exc} (line {line_number}; {before})") from None
            count += 1
    return count


def _numbered(lines: list[str], first: int) -> list[tuple[int, str]]:
    """The non-blank lines with their line numbers (the first is number `first`), without their line ends."""
    return [(number, line.rstrip("\r\n")) for number, line in enumerate(lines, first) if line.strip()]


def _cut_to_limit(lines: list[str], first: int) -> list[tuple[int, str]]:
    """`_numbered`, each line over the limit cut to it, with a note on stderr naming the line."""
    batch = []
    for number, line in _numbered(lines, first):
        if len(line) > MAX_TEXT:
            click.echo(f"warroom: line {number} was {len(line):,} characters; kept the first {MAX_TEXT:,}", err=True)
            line = line[:MAX_TEXT]
        batch.append((number, line))
    return batch


def _widen_pipe(stream: BinaryIO) -> None:
    """Let a pipe hold a whole read (1 MiB, Linux's limit for anyone) instead of 64 KiB; a larger one is kept.

    While a transaction commits, the writer fills the pipe; with 64 KiB it stops after a thousand
    lines and the next transaction holds only those, so a fast pipe took about three times the
    commits a file does. A file, a terminal or a system that cannot do it is left as it is.
    """
    try:
        import fcntl

        fd = stream.fileno()
        if stat.S_ISFIFO(os.fstat(fd).st_mode) and fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ) < READ_BYTES:
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, READ_BYTES)
    except (ImportError, AttributeError, OSError, ValueError):
        pass


def _waiting(stream: BinaryIO) -> bool:
    """Whether more input can be read from `stream` at once, without waiting for it to arrive."""
    try:
        return bool(select.select([stream.fileno()], [], [], 0)[0]) and hasattr(stream, "read1")
    except (OSError, ValueError, io.UnsupportedOperation):
        return False
