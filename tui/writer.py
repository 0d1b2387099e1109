"""One thread that owns the writing connection, so database writes never block the UI."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from textual.message import Message

from warroom.store.errors import WarroomError
from warroom.store.store import Clock, Store

T = TypeVar("T")
#: A write for the writer thread: given its Store, it returns what the screen reports (tui/jobs.py: an Outcome).
Job = Callable[[Store], T]
#: Seconds without a write before the WAL is folded into the file (and the search index tidied).
IDLE_CHECKPOINT = 0.5
#: Writes in a row after which it is folded in anyway.
MAX_PENDING = 500
Done = Callable[[Any, BaseException | None], None]
#: Called on the writer thread with a finished job's report (`done` bound to its result); hands it to the UI.
Deliver = Callable[[Callable[[], None]], object]


class WriteDone(Message, bubble=False):
    """A write finished on the writer thread; `callback` reports it on the UI thread.

    Posted to the screen that asked for the write (or to the App). `gone` runs instead when that screen has
    closed in the meantime: it may keep what the write did (its undo), never touch the screen.
    """

    def __init__(self, callback: Callable[[], None], gone: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.callback = callback
        self.gone = gone


class StoreWriter:
    """Runs store writes in order on its own thread; results come back through `deliver`."""

    def __init__(self, path: Path | str, clock: Clock, deliver: Deliver, *, author: str = "") -> None:
        self._jobs: queue.Queue[tuple[Job[Any], Done, Deliver | None] | None] = queue.Queue()
        self._deliver = deliver
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._author = author
        self._thread = threading.Thread(target=self._run, args=(path, clock), name="warroom-writer", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error:
            raise self._error

    def _run(self, path: Path | str, clock: Clock) -> None:
        try:
            store = Store(path, clock)
            store.author = self._author
        except BaseException as exc:  # reported to the constructor, which re-raises it
            self._error = exc
            self._ready.set()
            return
        # The WAL is folded into the file, and the search index merged, when the writer is idle: never inside
        # the commit of an entry.
        store.defer_checkpoints()
        self._ready.set()
        pending = 0  # writes since the last checkpoint
        while True:
            try:
                item = self._jobs.get(timeout=IDLE_CHECKPOINT if pending else None)
            except queue.Empty:
                store.tidy()
                pending = 0
                continue
            if item is None:
                break
            job, done, deliver = item
            error: BaseException | None
            try:
                result, error = job(store), None
            except WarroomError as exc:
                result, error = None, exc
            except Exception as exc:  # noqa: BLE001 - any failure must reach the screen, not kill the thread
                result, error = None, exc
            (deliver or self._deliver)(partial(done, result, error))
            pending += 1
            if pending >= MAX_PENDING:  # a long burst (a paste of many lines) still keeps the WAL short
                store.tidy()
                pending = 0
        store.close()

    def submit(self, job: Job[Any], done: Done, deliver: Deliver | None = None) -> None:
        """Queue a write; `done(result, error)` is called on the UI thread afterwards (`deliver` says how)."""
        self._jobs.put((job, done, deliver))

    def close(self) -> None:
        """Finish queued writes, then stop."""
        self._jobs.put(None)
        self._thread.join(timeout=10)
