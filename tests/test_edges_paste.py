"""A paste containing ESC stays one paste: the real TUI in a pseudo-terminal asks before logging its lines."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.edge_support import INC, integrity_ok, rows, seeded
from tests.soak.pty_app import PtyApp
from warroom.tui.paste_guard import PasteGuard

PASTE = "line one \x1b[31mred\nline two\nline three"


@pytest.mark.parametrize("split", range(0, 60, 1))
def test_guard_keeps_esc_inside_a_paste_whatever_the_reads(split: int) -> None:
    """However the terminal's bytes are split into reads, ESC inside a paste becomes ␛ and nothing else changes."""
    stream = f"ab\x1b[200~{PASTE}\x1b[201~\x1b[A\x1b"
    guard = PasteGuard()
    out = guard(stream[:split]) + guard(stream[split:])
    assert out == f"ab\x1b[200~{PASTE.replace(chr(27), '␛')}\x1b[201~\x1b[A\x1b"


def test_paste_with_escape_asks_before_logging(tmp_path: Path) -> None:
    """Three pasted lines with an ESC in them: the paste prompt appears and Escape logs nothing."""
    db = seeded(tmp_path / "w.db")
    app = PtyApp(db, INC)
    try:
        assert app.wait_for("Type what happened"), app.text()[-2000:]
        app.type(f"\x1b[200~{PASTE}\x1b[201~")
        assert app.wait_for("Paste of 3 lines"), app.text()[-2000:]
        time.sleep(0.3)
        app.type("\x1b")
        assert app.wait_for("nothing was logged"), app.text()[-2000:]
        many = "\n".join(f"line {n} \x1b[31mred\x1b[0m" for n in range(999))
        app.type(f"\x1b[200~{many}\x1b[201~")
        assert app.wait_for("Paste of 999 lines"), app.text()[-2000:]
    finally:
        app.kill()
    assert rows(db, "SELECT text FROM events ORDER BY id") == [("first",)]
    integrity_ok(db)


def test_a_read_held_back_whole_never_ends_the_input() -> None:
    """A read that is only the first characters of a paste's end reaches the parser as nothing, not as EOF.

    Textual's parser takes an empty string for the end of input and fails on the next read; under load a
    read can end exactly inside `ESC [ 2 0 1 ~`, so a large paste crashed the app now and then.
    """
    from textual._xterm_parser import XTermParser

    from warroom.tui import paste_guard

    paste_guard.install()
    from textual.drivers import linux_driver

    parser = linux_driver.XTermParser()
    assert type(parser) is not XTermParser  # the guarded one
    events = []
    for chunk in ("\x1b[200~line one\nline two", "\x1b[20", "1~", "x"):
        events += list(parser.feed(chunk))
    names = [type(e).__name__ for e in events]
    assert "Paste" in names and names[-1] == "Key"


def keys_parsed(chunk: str) -> list[tuple[str, str | None]]:
    """(key, character) of each key the terminal parser makes of one read, through the installed filter."""
    from textual._xterm_parser import XTermParser

    from warroom.widgets.textual_compat import escape_pairs

    parser = XTermParser()
    guard = PasteGuard(escape_pairs())
    return [(e.key, e.character) for e in parser.feed(guard(chunk)) if hasattr(e, "key")]


@pytest.mark.parametrize("length", [5, 31, 32, 80])
def test_escape_glued_to_typing_is_alt_and_the_text_whatever_its_length(length: int) -> None:
    """Escape then typing in one read: alt+first letter and the rest as typed, never a "^" in the text."""
    text = ("rolled back " * 10)[:length]
    keys = keys_parsed("\x1b" + text)
    assert keys[0][0] == "alt+r"
    assert "".join(c or "" for _, c in keys[1:]) == text[1:]
    assert "circumflex_accent" not in [k for k, _ in keys]


def test_escape_sequences_and_textuals_own_pairs_are_left_alone() -> None:
    """Arrows, ESC b (ctrl+left) alone or repeated, Escape Escape and a non-letter glued to Escape read as before."""
    assert keys_parsed("\x1b[Aok") == [("up", None), ("o", "o"), ("k", "k")]
    assert keys_parsed("\x1bb") == [("ctrl+left", None)]
    assert keys_parsed("\x1bb\x1bb\x1bf") == [("ctrl+left", None), ("ctrl+left", None), ("ctrl+right", None)]
    assert keys_parsed("\x1bf\x1b[D") == [("ctrl+right", None), ("left", None)]
    assert keys_parsed("\x1b\x1bhi")[:2] == [("escape", "\x1b"), ("alt+h", None)]
    assert keys_parsed("\x1b.ok") == [("full_stop", "."), ("o", "o"), ("k", "k")]
    # Inside a paste an ESC is still shown as a symbol, not read as a key.
    from textual._xterm_parser import XTermParser

    pasted = list(XTermParser().feed(PasteGuard()("\x1b[200~a\x1bhello\x1b[201~x")))
    assert [getattr(e, "text", None) for e in pasted][:1] == ["a\u241bhello"]


@pytest.mark.parametrize("text", ["backup restored", "failover done", "b", "f2"])
def test_escape_glued_to_a_word_beginning_with_b_or_f_types_the_word(text: str) -> None:
    """Escape then "backup restored" or "failover done" in one read: alt+b / alt+f (Escape, then the letter) and
    the rest, as for every other letter; Textual alone read ESC b as ctrl+left and the "b" was lost."""
    keys = keys_parsed("\x1b" + text + "\r")
    assert keys[0][0] == f"alt+{text[0]}"
    assert "".join(c or "" for _, c in keys[1:]) == text[1:] + "\r"


def test_escape_glued_to_digits_types_the_digits() -> None:
    """Escape then "12345 errors" in one read: alt+1 (Escape, then 1) and the rest, never Textual's "¡" for ESC 1."""
    keys = keys_parsed("\x1b12345 errors")
    assert keys[0][0] == "alt+1"
    assert "".join(c or "" for _, c in keys[1:]) == "2345 errors"
    assert keys_parsed("\x1b-5m rollback")[0] == ("minus", "-")


def test_escape_glued_to_a_word_beginning_with_o_types_the_word() -> None:
    """Escape then "Oops", "On call", "OK" in one read: alt+O and the rest, not a keypad key or nothing at all;
    the arrows and F1-F4 that terminals send as ESC O and a letter still read as those keys."""
    for text in ("Oops the db is down", "On call paged", "OK rollback done"):
        keys = keys_parsed("\x1b" + text)
        assert keys[0][0] == "alt+O", (text, keys[:3])
        assert "".join(c or "" for _, c in keys[1:]) == text[1:]
    assert keys_parsed("\x1bOAok") == [("up", None), ("o", "o"), ("k", "k")]
    assert keys_parsed("\x1bOPok")[0][0] == "f1"
