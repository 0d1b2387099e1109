"""Snapshots of what the config file adds to the screens: an extra post-mortem section in the write-up form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_snapshots import SIZES, fixed_clock, keys
from warroom.store.config import parse
from warroom.store.demo import seed_demo
from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app

CONFIG = parse(
    """\
[[sections]]
title = "Detection"
prompt = "How did we find out, and how could we have found out sooner?"
required = true
"""
)


def config_app(folder: Path) -> WarroomApp:
    """The demo incident, with a config file that adds a required Detection section."""
    path = folder / "snap.db"
    store = Store(path, clock=fixed_clock)
    incident_id = seed_demo(store)
    store.close()
    return create_app(path, clock=fixed_clock, incident_id=incident_id, config=CONFIG)


@pytest.mark.parametrize("size", SIZES)
def test_writeup_form_with_a_section_of_the_config(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """ctrl+y, then Tab past the lessons: the Detection section under its title and prompt."""
    pressed = ("ctrl+y", *["tab"] * 6, *"Paged by the checkout alert")
    assert snap_compare(config_app(tmp_path), terminal_size=size, run_before=keys(*pressed))
