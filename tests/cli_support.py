"""The CLI run in-process on a test's database and fake clock, shared by the CLI-level test files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result

import warroom.tui.cli_common
from warroom.store.store import Store
from warroom.tui.cli import cli

if TYPE_CHECKING:
    from tests.conftest import FakeClock

#: Stores the CLI opened during one command; closed afterwards, as a real process would.
OPENED: list[Store] = []


def close_opened() -> None:
    """Close every store the CLI opened."""
    while OPENED:
        OPENED.pop().close()


@pytest.fixture(autouse=True)
def cli_env(monkeypatch: pytest.MonkeyPatch, db_path: Path, clock: FakeClock) -> Iterator[None]:
    """The CLI on this test's database, in UTC, on the fake clock."""
    for name in ("WARROOM_TZ", "WARROOM_AUTHOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WARROOM_DB", str(db_path))

    def open_store(path: Path, **kwargs: Any) -> Store:
        opened = Store(path, clock=clock, **kwargs)
        OPENED.append(opened)
        return opened

    monkeypatch.setattr(warroom.tui.cli_common, "Store", open_store)
    yield
    close_opened()


def invoke(*args: str) -> Result:
    """Run the CLI in-process (stdout and stderr kept apart)."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    close_opened()
    return result
