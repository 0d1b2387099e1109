"""Several processes logging to one incident at once while a TUI has it open (the full run: tests/soak/soak.py)."""

from __future__ import annotations

from pathlib import Path

from tests.soak.soak import concurrency

#: The standalone soak runs 8 x 1,000; this keeps the suite quick but still contended.
WRITERS, EVENTS = 4, 200


def test_concurrent_writers_with_a_tui_open(tmp_path: Path) -> None:
    """All 4 x 200 events (and the TUI's own entries) are stored exactly once; no one ever sees "locked"."""
    report = concurrency(tmp_path, WRITERS, EVENTS, log=lambda _line: None, timeout=300)
    assert report.failures == [], report.failures[:10]
    assert report.acked == WRITERS * EVENTS
    assert report.events >= WRITERS * EVENTS
