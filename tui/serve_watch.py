"""`warroom serve` watches the database once for all its tabs and tells each tab's process when it changed.

One cheap question (`PRAGMA data_version`, which changes when another connection commits) every
CHECK seconds here replaces each tab asking twice a second. A tab is told at most every GAP seconds,
so that under a flood of pipes each tab redraws at most twice a second, not once per commit.

The tabs take turns: at most LANES of them (one core fewer than the machine has, at least one) are
reading and redrawing at any moment. A told tab holds its lane until it says it has read the change and
drawn it (or for TURN seconds), then the tab that has waited longest is told. Twenty tabs redrawing a busy
timeline together would take every core, and a key typed in one of them, the pipes' writes and this
process's own forwarding would all wait behind them; taking turns leaves a core free for those, and when
the tabs' redraws need more than their cores, each tab is told less often instead of everyone falling
behind. A tab whose turns ran out MISSES times running without its word (its process stuck, its browser
no longer reading) is still told, but holds no lane until it answers again: a few such tabs would
otherwise keep the lanes from every live one. (Once is not enough: a live tab's turn runs out now and
then on a busy machine, and taking the lanes from such tabs let every tab redraw at once again.)

A tab being typed into (a key in the last TYPING seconds) is told as soon as it is due, without waiting
for a lane or taking one: whoever types comes first, and the tab itself reads the change just after its
next key's frame (see WarroomApp.on_file_changed), when the next key is most likely a moment away, so
its own redraw does not hold a key up.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from warroom.store.db_probe import VersionProbe

#: Seconds between two looks at the file.
CHECK = 0.05
#: Fewest seconds between two words to one tab: what a tab spends redrawing is bounded under a flood.
GAP = 0.5
#: Tabs reading and redrawing at once.
LANES = max(1, (os.cpu_count() or 1) - 1)
#: The longest a told tab holds its lane (if its word that it is done never comes).
TURN = 0.25
#: Turns run out in a row, without a word, before a tab is told without a lane.
MISSES = 2
#: Seconds after a key during which a tab counts as being typed into.
TYPING = 1.0


class Tab(Protocol):
    """What the watch needs of a tab: a way to tell it, which never waits, and when it last got a key."""

    @property
    def typed_at(self) -> float: ...

    def file_changed(self) -> None: ...


class FileWatch:
    """The file's data_version, looked at every CHECK seconds; `tabs()` are told when it moved, in turns."""

    def __init__(self, db_path: Path, tabs: Callable[[], Iterable[Tab]], *, lanes: int = LANES) -> None:
        self.db_path = db_path
        self.tabs = tabs
        self.lanes = lanes
        self.probe = VersionProbe(db_path)
        self.last: int | None = None
        #: Tabs that have a change to hear of, and when each was last told.
        self.pending: set[Tab] = set()
        self.told_at: dict[Tab, float] = {}
        #: Tabs told and not yet drawn (each holds a lane), with when they were told.
        self.holding: dict[Tab, float] = {}
        #: Turns of each tab run out in a row without its word; at MISSES it is told without a lane until it answers.
        self.missed: dict[Tab, int] = {}

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
        tabs = set(self.tabs())
        now = self.version()
        if now is not None and now != self.last:
            self.last = now
            self.pending.update(tabs)
        self.pending.intersection_update(tabs)  # closed tabs are forgotten
        for gone in set(self.told_at) - tabs:
            del self.told_at[gone]
        moment = time.monotonic()
        for gone in set(self.missed) - tabs:
            del self.missed[gone]
        for tab, told in list(self.holding.items()):
            if tab not in tabs or moment - told >= TURN:
                del self.holding[tab]
                if tab in tabs:
                    self.missed[tab] = self.missed.get(tab, 0) + 1
        return self._hand_out(moment)

    def read(self, tab: Tab) -> list[Tab]:
        """`tab` has read the change and drawn it: its lane goes to the next. The tabs told."""
        self.holding.pop(tab, None)
        self.missed.pop(tab, None)
        return self._hand_out(time.monotonic())

    def _hand_out(self, moment: float) -> list[Tab]:
        """Tell due tabs: those being typed into at once, the others the longest waiting first, while lanes are free."""
        due = sorted(
            (tab for tab in self.pending if tab not in self.holding and self._due(tab, moment)),
            key=lambda tab: self.told_at.get(tab, -math.inf),
        )
        told: list[Tab] = []
        for tab in due:
            laneless = moment - tab.typed_at < TYPING or self.missed.get(tab, 0) >= MISSES
            if laneless or self._lane_free():
                self._tell(tab, moment, lane=not laneless)
                told.append(tab)
        return told

    def _due(self, tab: Tab, moment: float) -> bool:
        return moment - self.told_at.get(tab, -math.inf) >= GAP

    def _lane_free(self) -> bool:
        return len(self.holding) < self.lanes

    def _tell(self, tab: Tab, moment: float, *, lane: bool) -> None:
        self.pending.discard(tab)
        self.told_at[tab] = moment
        if lane:
            self.holding[tab] = moment
        tab.file_changed()

    def close(self) -> None:
        """Let go of the file."""
        self.probe.close()
