"""`warroom log -`: one event per line of standard input, stored with group commit.

Whatever has already arrived when a read returns goes into one transaction, so a flood (an alert
storm, `kubectl logs | warroom log -`, a file) costs one commit per read instead of one per line,
while a line that arrives alone is read at once and committed on its own: it is never held back
waiting for more. Nothing is counted as logged before its transaction has committed, so the final
"logged N events" is true even if the process is killed half-way.

Ctrl+C (SIGINT) stops the reading, not the storing: what has arrived by then (what the pipe holds too,
and a last line without its newline) is stored, the usual "logged N events" is said, and the exit status
is 130. The signal only sets a flag and wakes the wait for input, so it never lands mid-read or
mid-transaction; a second Ctrl+C aborts at once, as before.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import select
import signal
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

import click

from warroom.store.errors import WarroomError
from warroom.store.kinds import MAX_TEXT
from warroom.store.store import Store

#: Most bytes taken in one read: a file or a full pipe is stored in transactions of about this size.
READ_BYTES = 1 << 20


class Interrupt:
    """Whether Ctrl+C has been pressed, and a file descriptor that becomes readable when it is.

    Outside the main thread (or on a system without it) nothing is caught and `fd` is None: Ctrl+C then
    raises KeyboardInterrupt as usual.
    """

    def __init__(self) -> None:
        self.seen = False
        self.fd: int | None = None
        self._previous: Any = signal.default_int_handler

    @contextmanager
    def caught(self) -> Iterator[Interrupt]:
        """SIGINT sets `seen` (and wakes `fd`) while inside; the second one restores the usual KeyboardInterrupt."""
        try:
            wake_r, wake_w = os.pipe()
        except OSError:
            yield self
            return
        old_wakeup = -1
        try:
            os.set_blocking(wake_w, False)
            try:
                old_wakeup = signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
                self._previous = signal.getsignal(signal.SIGINT)
                signal.signal(signal.SIGINT, self._on_sigint)
            except (ValueError, OSError):  # not the main thread: leave Ctrl+C as it is
                pass
            else:
                self.fd = wake_r
            yield self
        finally:
            if self.fd is not None:
                if signal.getsignal(signal.SIGINT) == self._on_sigint:
                    signal.signal(signal.SIGINT, self._previous)
                signal.set_wakeup_fd(old_wakeup)
            self.fd = None
            os.close(wake_r)
            os.close(wake_w)

    def _on_sigint(self, _signum: int, _frame: object) -> None:
        self.seen = True
        signal.signal(signal.SIGINT, self._previous)


def arrived_blocks(stream: BinaryIO, interrupt: Interrupt | None = None) -> Iterator[bytes]:
    """The complete lines each read returns, as one block without its last newline, as they arrive.

    `read1` returns what is already there without waiting for the buffer to fill, so a line written
    alone comes back alone, at once. A line cut between reads waits for its end; the last line may
    lack its newline. A block is split into lines by its consumer, so a flood costs no Python work
    per line here. Once `interrupt` is seen, what is already waiting is read without waiting for
    more and the rest is the last block, a line without its newline included.
    """
    pending: list[bytes] = []  # the start of a line cut between reads, in pieces (a huge line is not copied each read)
    read1: Callable[[int], bytes] | None = getattr(stream, "read1", None)  # (BinaryIO does not declare it)
    _widen_pipe(stream)
    while True:
        stopping = interrupt is not None and (interrupt.seen or not _arrives(stream, interrupt))
        if stopping and not _waiting(stream):
            chunk = b""
        else:
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
        if not chunk or stopping:
            if pending or chunk:
                yield b"".join([*pending, chunk])
            return
        cut = chunk.rfind(b"\n")
        if cut < 0:
            pending.append(chunk)
            continue
        yield b"".join([*pending, chunk[:cut]])
        pending = [chunk[cut + 1 :]] if cut + 1 < len(chunk) else []


def _arrives(stream: BinaryIO, interrupt: Interrupt) -> bool:
    """Wait until input can be read from `stream` (True) or Ctrl+C is pressed (False)."""
    if interrupt.fd is None:
        return True
    try:
        fd = stream.fileno()
    except (OSError, ValueError, io.UnsupportedOperation, AttributeError):
        return True
    while not interrupt.seen:
        ready = select.select([fd, interrupt.fd], [], [])[0]
        if fd in ready:
            return not interrupt.seen
    return False


def log_stdin(
    store: Store,
    stream: BinaryIO,
    incident_id: str,
    occurred: dt.datetime | None,
    fields: dict[str, Any],
    with_first: Callable[[], object] | None = None,
    interrupt: Interrupt | None = None,
) -> int:
    """Store each non-blank line of `stream` as an event; how many were stored.

    With `interrupt`, Ctrl+C ends the input there (see `arrived_blocks`): what has arrived is stored
    and counted, and `interrupt.seen` tells the caller it was pressed.

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

    for block in arrived_blocks(stream, interrupt):
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
