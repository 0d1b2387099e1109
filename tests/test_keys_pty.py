"""Bursts of keys sent to the real TUI in a pseudo-terminal, in one write each, as a laggy SSH link delivers them."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.soak.pty_app import PtyApp
from warroom.store.store import Store

INC = "INC-1"


@pytest.fixture
def app(db_path: Path) -> Iterator[PtyApp]:
    """The real TUI on an incident with four events, at 80x24, on the entry line."""
    seed = Store(db_path)
    seed.create_incident("Checkout failing", id=INC)
    for n in range(4):
        seed.log_event(INC, f"event {n}")
    seed.close()
    running = PtyApp(db_path, INC, size=(80, 24))
    try:
        assert running.wait_for("event 3"), running.text()[-2000:]
        time.sleep(0.5)
        yield running
    finally:
        running.kill()


def send(app: PtyApp, keys: bytes) -> None:
    """One write to the terminal: every key in it arrives at once."""
    os.write(app.master, keys)


def events(db_path: Path) -> list[tuple[str, bool]]:
    """(text, deleted) of every event in the file."""
    store = Store(db_path)
    try:
        return [(e.text, e.deleted_at is not None) for e in store.events(INC, include_deleted=True)]
    finally:
        store.close()


def wait_for(condition: object, timeout: float = 10.0) -> bool:
    """Poll `condition()` until it holds or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_ed_in_one_write_opens_the_editor_and_deletes_nothing(app: PtyApp, db_path: Path) -> None:
    """On a timeline row, "ed" as one write: the edit dialog opens with the d typed into it; no event is deleted."""
    send(app, b"\x1b")  # Escape alone: to the timeline
    time.sleep(0.5)
    send(app, b"ed")
    assert app.wait_for("Edit event"), app.text()[-2000:]
    time.sleep(0.5)
    assert all(not deleted for _, deleted in events(db_path))
    send(app, b"\x13")  # ctrl+s saves the form: the event now ends in "d"
    assert wait_for(lambda: ("event 3d", False) in events(db_path)), events(db_path)
    assert all(not deleted for _, deleted in events(db_path))


def test_escape_glued_to_a_word_types_the_word(app: PtyApp, db_path: Path) -> None:
    """On the timeline, Escape and "done" in one write (the terminal's alt+d): "done" is logged, nothing deleted."""
    send(app, b"\x1b")
    time.sleep(0.5)
    send(app, b"\x1bdone\r")
    assert wait_for(lambda: ("done", False) in events(db_path)), (events(db_path), app.text()[-1500:])
    assert [deleted for _, deleted in events(db_path)].count(True) == 0


def test_escape_glued_to_a_long_line_types_the_line_without_a_caret(app: PtyApp, db_path: Path) -> None:
    """Escape and a 60-character line in one write: the line is logged as typed (Textual alone gave up after 32
    characters and typed the Escape as "^" into it)."""
    line = "rolled back payments-api on every node in eu-west and us-east"
    send(app, b"\x1b")
    time.sleep(0.5)
    send(app, b"\x1b" + line.encode() + b"\r")
    assert wait_for(lambda: (line, False) in events(db_path)), (events(db_path), app.text()[-1500:])
    assert not any("^" in text for text, _ in events(db_path))


@pytest.mark.parametrize("line", ["backup restored", "failover done"])
def test_escape_glued_to_a_word_beginning_with_b_or_f_types_the_word(app: PtyApp, db_path: Path, line: str) -> None:
    """On the timeline, Escape and a word beginning with b or f in one write: the word is logged whole (the
    terminal's ESC b / ESC f were read as a word move, which ate the first letter)."""
    send(app, b"\x1b")
    time.sleep(0.5)
    send(app, b"\x1b" + line.encode() + b"\r")
    assert wait_for(lambda: (line, False) in events(db_path)), (events(db_path), app.text()[-1500:])
    assert [deleted for _, deleted in events(db_path)].count(True) == 0


def test_option_left_then_typing_in_a_form_moves_a_word_and_keeps_the_form(app: PtyApp, db_path: Path) -> None:
    """In the edit form, a Mac's option+left (ESC b) and the word typed straight after it in one write: the cursor
    moves a word back and the word goes in there. Read as Escape, it cancelled the form and the "y" of "yes"
    answered "throw away what you typed?", losing the edit."""
    send(app, b"\x1b")  # to the timeline
    time.sleep(0.5)
    send(app, b"e")
    assert app.wait_for("Edit event"), app.text()[-2000:]
    time.sleep(0.5)
    send(app, b" fixed")
    time.sleep(0.3)
    send(app, b"\x1bbyes \x1bf!")
    time.sleep(1.0)
    send(app, b"\x13")  # ctrl+s saves the form
    assert wait_for(lambda: ("event 3 yes fixed!", False) in events(db_path)), (events(db_path), app.text()[-1500:])
