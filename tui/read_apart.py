"""A long read off the UI thread: on a connection of its own, in a Textual thread worker, never the UI's.

The export preview, the follow-through list and the stats figures each read for long enough on a big
file to hold up keys. Their screens start a thread worker that calls `read_apart` and posts what it
returned (or why it failed) to the screen as a message, which Textual drops if the screen has closed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from warroom.store.reads_records import Clock
from warroom.store.store import Store

T = TypeVar("T")


def read_apart(path: Path, clock: Clock, read: Callable[[Store], T]) -> tuple[T | None, BaseException | None]:
    """`read` on a new connection to the file at `path` (closed after): what it returned, or what it raised."""
    try:
        store = Store(path, clock, create=False)
        try:
            return read(store), None
        finally:
            store.close()
    except Exception as exc:  # noqa: BLE001 - the screen shows it on its status line
        return None, exc
