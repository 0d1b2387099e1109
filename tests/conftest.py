"""Shared fixtures: a hand-driven clock and a fresh database per test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from warroom.store.store import Store

START = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)


class FakeClock:
    """A clock that only moves when told to: call it for now (aware UTC), `advance` it by hand."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        """The current fake time."""
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        """Move forward by a timedelta's keyword arguments (`minutes=5`) and return the new time."""
        self.now += dt.timedelta(**delta)
        return self.now

    def set(self, moment: dt.datetime) -> None:
        """Jump to an exact aware time."""
        self.now = moment


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock starting at 2026-11-27T14:00:00Z."""
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where this test's database file lives (not created yet)."""
    return tmp_path / "w.db"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[Store]:
    """A Store on a fresh file, driven by the fake clock."""
    opened = Store(db_path, clock=clock)
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def no_personal_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the config file of the person running them: an empty config folder, no WARROOM_CONFIG."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config-home")))
    monkeypatch.delenv("WARROOM_CONFIG", raising=False)
