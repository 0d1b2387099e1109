"""Python's full garbage collections moved off the keys: run while nobody types, never in the middle of an entry."""

from __future__ import annotations

import gc
import time

#: Seconds without a key before a full collection may run.
QUIET = 1.0
#: The longest a full collection is put off, however busy the keyboard.
AT_MOST = 30.0
#: Python's thresholds as they were before any collector changed them.
_PYTHON_THRESHOLDS = gc.get_threshold()


class IdleCollector:
    """Full (generation 2) collections only in quiet moments.

    A full collection stops the program for 10-15 ms with a large incident open, and Python starts one
    whenever enough objects have piled up: now and then in the frame that was to show a key or a new
    row. Automatic full collections are switched off; `tick` runs one once the keyboard has been quiet.
    The young generations are still collected as usual (well under a millisecond each).

    Only when Python itself would have wanted one, though: after as many middle-generation collections
    as its threshold (10). A tab that sits idle, or only repaints its clock, makes nothing old, and
    collecting its whole heap every two seconds anyway cost 10-50 ms a time: twenty idle browser tabs
    spent a quarter of a core on it, and a key arriving meanwhile waited.
    """

    def __init__(self) -> None:
        self.last_key = time.monotonic()
        self.last_collection = time.monotonic()

    def start(self) -> None:
        """Switch Python's own full collections off."""
        young, middle, _ = _PYTHON_THRESHOLDS
        gc.set_threshold(young, middle, 1_000_000)  # the third is how many middle collections before a full one

    def key(self) -> bool:
        """A key was pressed. True when a full collection is overdue (the keys have not paused for AT_MOST): the
        caller runs `collect` once this key's frame is drawn, the likeliest moment for the next key to be a
        while away (a tick's own moment could land just before a key and hold it up)."""
        now = time.monotonic()
        self.last_key = now
        if now - self.last_collection < AT_MOST or gc.get_count()[2] < _PYTHON_THRESHOLDS[2]:
            return False
        self.last_collection = now  # one collection asked for, not one per key until it runs
        return True

    def tick(self) -> None:
        """Called every few seconds: collect fully if the keyboard is quiet."""
        if gc.get_count()[2] < _PYTHON_THRESHOLDS[2]:
            return  # too little has reached the old generation for a full collection to be worth its pause
        if time.monotonic() - self.last_key >= QUIET:
            self.collect()

    def collect(self) -> None:
        """A full collection now."""
        gc.collect()
        self.last_collection = time.monotonic()

    def stop(self) -> None:
        """Give Python back its own full collections."""
        gc.set_threshold(*_PYTHON_THRESHOLDS)
