"""`warroom serve` watches the database once for all its tabs and tells each tab's process when it changed.

One cheap question (`PRAGMA data_version`, which changes when another connection commits) every
CHECK seconds here replaces each tab asking twice a second. A tab is told at most every GAP seconds,
so that under a flood of pipes each tab redraws twice a second, not once per commit. While the flood
lasts the tabs are told a few at a time, spread over the GAP, rather than all at once: twenty tabs
redrawing together queue on the cores, and a key typed in one of them waits behind all twenty.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from warroom.store.db_probe import VersionProbe

#: Seconds between two looks at the file.
CHECK = 0.05
#: Fewest seconds between two words to one tab: what a tab spends redrawing is bounded under a flood.
GAP = 0.5


class Tab(Protocol):
    """What the watch needs of a tab: a way to tell it, which never waits."""

    def file_changed(self) -> None: ...


class FileWatch:
    """The file's data_version, looked at every CHECK seconds; `tabs()` are told when it moved."""

    def __init__(self, db_path: Path, tabs: Callable[[], Iterable[Tab]]) -> None:
        self.db_path = db_path
        self.tabs = tabs
        self.probe = VersionProbe(db_path)
        self.last: int | None = None
        #: Tabs that have a change to hear of, and when each was last told.
        self.pending: set[Tab] = set()
        self.told_at: dict[Tab, float] = {}

    def version(self) -> int | None:
        """The file's data_version now (None while it cannot be read: the tabs' own polls carry on)."""
        return self.probe.version()

    async def run(self) -> None:
        """Watch until cancelled."""
        self.last = self.version()
        try:
            while True:
                await asyncio.sleep(CHECK)
                self.step()
        finally:
            self.close()

    def step(self) -> list[Tab]:
        """One look at the file; tell the tabs whose turn it is. The tabs told."""
        tabs = list(self.tabs())
        now = self.version()
        if now is not None and now != self.last:
            self.last = now
            self.pending.update(tabs)
        self.pending.intersection_update(tabs)  # closed tabs are forgotten
        for gone in set(self.told_at) - set(tabs):
            del self.told_at[gone]
        moment = time.monotonic()
        due = sorted(
            (tab for tab in self.pending if moment - self.told_at.get(tab, -math.inf) >= GAP),
            key=lambda tab: self.told_at.get(tab, -math.inf),
        )
        # A tab that has heard nothing for a while is told at once (one event after a quiet spell shows
        # everywhere straight away); the others a few a look, the longest waiting first, so that under
        # a flood their redraws spread over the GAP.
        quiet = [tab for tab in due if moment - self.told_at.get(tab, -math.inf) >= 2 * GAP]
        busy = [tab for tab in due if tab not in quiet]
        told = quiet + busy[: math.ceil(2 * len(tabs) * CHECK / GAP)]  # twice the bare need: nobody falls behind
        for tab in told:
            self.pending.discard(tab)
            self.told_at[tab] = moment
            tab.file_changed()
        return told

    def close(self) -> None:
        """Let go of the file."""
        self.probe.close()
