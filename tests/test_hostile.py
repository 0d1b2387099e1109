"""Hostile input through every door (CLI arguments, pipes, the TUI, paste, export): shown literally, never obeyed.

Each class of hostile text gets its own case: Rich/Textual markup, ANSI and OSC escape sequences (colour,
cursor, hyperlinks, clipboard, title), NUL and other controls, invalid UTF-8, right-to-left and combining
characters, emoji, very long words and lines, multi-line pastes, and Markdown that tries to break the export.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.segment import Segment
from textual.widgets import Input

from tests.conftest import FakeClock
from tests.reliability_helpers import (
    TERMINAL_CONTROL,
    entry,
    one_line_error,
    run_async,
    status,
    submit,
    texts,
    timeline,
    wait_for_status,
    wait_until,
    warroom,
)
from warroom.store.errors import InputError
from warroom.store.export_md import render_markdown
from warroom.store.kinds import MAX_TEXT
from warroom.store.store import Store
from warroom.store.text import visible, zero_width_back
from warroom.store.timeparse import UTC, parse_time
from warroom.tui.app import WarroomApp, create_app
from warroom.tui.screens.form import FormScreen
from warroom.tui.screens.paste import MAX_PASTE_LINES, PasteScreen
from warroom.widgets.row_table import RowTable

INC = "INC-1"
SIZE = (100, 30)

#: One sample per class of hostile text; each goes through every door.
SAMPLES = {
    "markup": "[bold]loud[/] [link=file:///etc/passwd]click[/link] [/] [red on blue]x[/] \\[esc]",
    "ansi": "\x1b[31mred\x1b[0m \x1b[2J\x1b[H cleared \x1b[1A\x1b[10Cup \x1b[?1049h alt",
    "osc": "\x1b]8;;http://evil.test/\x07link\x1b]8;;\x07 \x1b]52;c;UFdORUQ=\x07 \x1b]0;PWNED\x1b\\ \x1b]2;t\x07",
    "c1": "\x9b31mcsi\x9bm \x9d0;osc\x9c \x85next \x84",
    "controls": "nul\x00 bell\x07 bs\x08 cr\r vt\x0b ff\x0c del\x7f esc\x1b",
    "unicode": "שלום עולם \u202eevil\u202c e\u0301\u0301\u0301 👩‍👩‍👧‍👦 🔥 Z\u0351\u0352\u0353algo \u200b\ufeff",
    "long word": "x" * 700,
    "markdown": "| a | b |\n# heading\n---\n`tick` ```fence``` <script>alert(1)</script> [x](javascript:alert(1))",
}
ALL = " ".join(SAMPLES.values())


def hostile_incident(db: Path, clock: FakeClock) -> None:
    """An incident with hostile text in every field a user can type into, on every kind of record."""
    store = Store(db, clock=clock)
    try:
        line = ALL[:500]
        store.create_incident(line, id=INC, owner=line)
        store.update_incident(
            INC,
            commander=line,
            scribe=line,
            comms=line,
            summary=ALL,
            customers_affected=ALL,
            business_impact=ALL,
            went_well=ALL,
            went_wrong=ALL,
            got_lucky=ALL,
            notes=ALL,
            tags=[SAMPLES["ansi"][:40], SAMPLES["osc"][:60], "ok"],
        )
        ids = []
        for name, text in SAMPLES.items():
            clock.advance(minutes=1)
            ids.append(store.log_event(INC, f"{name}: {text}", team=text[:500], author=text[:500]).id or 0)
        store.log_event(INC, ALL, milestone="detected", starred=True)
        store.add_factor(INC, ALL, kind="root", event_ids=ids[:2])
        store.add_factor(INC, ALL, kind="trigger")
        store.add_action(INC, line, owner=line, ticket=line)
    finally:
        store.close()


# -- the command line -------------------------------------------------------------------------------


def assert_terminal_safe(text: str, where: str) -> None:
    """No byte a terminal would act on: no ESC, CSI, OSC, BEL, NUL or other control (tab and newline aside)."""
    found = sorted({repr(c) for c in TERMINAL_CONTROL.findall(text)})
    assert not found, f"{where} prints {', '.join(found)}"


@pytest.mark.parametrize(
    "command",
    [
        ["show"],
        ["list"],
        ["list", "--json"],
        ["event", "list"],
        ["event", "history", "2"],
        ["action", "list"],
        ["action", "list", "--all-incidents"],
        ["cause", "list"],
        ["export"],
        ["export", "--format", "json"],
        ["search", "evil"],
        ["stats"],
    ],
    ids=" ".join,
)
def test_cli_output_never_carries_terminal_controls(tmp_path: Path, clock: FakeClock, command: list[str]) -> None:
    """Every command that prints user text prints it made visible: stdout and stderr are terminal-safe."""
    db = tmp_path / "w.db"
    hostile_incident(db, clock)
    store = Store(db, clock=clock)
    store.edit_event(2, text="edited " + SAMPLES["osc"])
    store.close()
    ran = warroom(db, *command)
    assert ran.code == 0, ran.err
    assert_terminal_safe(ran.out, " ".join(command))
    assert_terminal_safe(ran.err, " ".join(command) + " (stderr)")


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "x", "-i", "\x1b]0;PWNED\x07"],
        ["log", "x", "--kind", "\x1b[31mred"],
        ["log", "x", "--at", "\x1b]52;c;UFdORUQ=\x07"],
        ["new", "x", "--id", "\x9b31m"],
        ["set", "status", "\x1b[2J", "-i", INC],
        ["--tz", "\x1b]0;zone\x07", "list"],
        ["\x1b[31mverb"],
        ["schema", "\x1b]0;X\x07"],
        ["log", "x", "-i", "\u202eevil"],
    ],
    ids=lambda argv: next(a for a in argv if TERMINAL_CONTROL.search(a)).encode("unicode_escape").decode()[:16],
)
def test_error_messages_quote_hostile_input_safely(tmp_path: Path, argv: list[str]) -> None:
    """An error that repeats what was typed repeats it made safe, in one line."""
    db = tmp_path / "w.db"
    assert warroom(db, "new", "x", "--id", INC).code == 0
    ran = warroom(db, *argv)
    line = one_line_error(ran, code=ran.code)
    assert ran.code in (1, 2)
    assert_terminal_safe(line, "the error")


def test_pipe_takes_invalid_utf8_nul_and_controls_literally(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 become U+FFFD; NUL and controls are stored as sent; output shows them visibly."""
    db = tmp_path / "w.db"
    assert warroom(db, "new", "x", "--id", INC).code == 0
    raw = b"ok \xff\xfe\xc3 bad\n" + b"nul\x00 bell\x07 esc\x1b[31m\n" + SAMPLES["unicode"].encode() + b"\n"
    ran = warroom(db, "log", "-", "-i", INC, stdin=raw)
    assert ran.code == 0 and ran.err == "logged 3 events in INC-1\n"
    assert texts(db) == ["ok \ufffd\ufffd\ufffd bad", "nul\x00 bell\x07 esc\x1b[31m", SAMPLES["unicode"]]
    shown = warroom(db, "event", "list")
    assert_terminal_safe(shown.out, "event list")
    assert "nul␀ bell␇ esc␛[31m" in shown.out


def test_pipe_truncates_a_one_megabyte_line_and_says_so(tmp_path: Path) -> None:
    """A 1 MB line is cut to the limit with a note on stderr naming the line, never silently."""
    db = tmp_path / "w.db"
    assert warroom(db, "new", "x", "--id", INC).code == 0
    ran = warroom(db, "log", "-", "-i", INC, stdin=b"short\n" + b"y" * 1_000_000 + b"\nafter\n")
    assert ran.code == 0
    assert ran.err.splitlines() == [
        f"warroom: line 2 was 1,000,000 characters; kept the first {MAX_TEXT:,}",
        "logged 3 events in INC-1",
    ]
    assert [len(t) for t in texts(db)] == [5, MAX_TEXT, 5]


def test_argument_over_the_limit_is_refused(tmp_path: Path) -> None:
    """`warroom log` with a 1 MB argument is refused in one line, nothing logged."""
    db = tmp_path / "w.db"
    assert warroom(db, "new", "x", "--id", INC).code == 0
    err = one_line_error(warroom(db, "log", "z" * 1_000_000, "-i", INC), code=2)
    assert err == f"warroom: the event is 1,000,000 characters; the limit is {MAX_TEXT:,}"
    assert texts(db) == []


def test_pipe_of_many_lines_logs_each(tmp_path: Path) -> None:
    """Every piped line becomes one event, in order, once (each is committed as it arrives, so 2,000 here)."""
    db = tmp_path / "w.db"
    assert warroom(db, "new", "x", "--id", INC).code == 0
    lines = [f"line {n} | `x` [b]" for n in range(2_000)]
    ran = warroom(db, "log", "-", "-i", INC, stdin=("\n".join(lines) + "\n").encode())
    assert ran.code == 0 and ran.err == "logged 2000 events in INC-1\n"
    assert texts(db) == lines


# -- the TUI ---------------------------------------------------------------------------------------


def segments(app: WarroomApp) -> Iterator[Segment]:
    """Every segment the current screen (and any screen under a modal) would send to the terminal."""
    for strip in app.screen._compositor.render_strips():
        yield from strip


def assert_screen_safe(app: WarroomApp, where: str) -> str:
    """No control character and no link from user text on screen; returns the screen's text."""
    parts = list(segments(app))
    text = "".join(seg.text for seg in parts)
    assert_terminal_safe(text, where)
    links = {seg.style.link for seg in parts if seg.style is not None and seg.style.link}
    assert not links, f"{where} turned text into links: {links}"
    assert_terminal_safe(app.export_screenshot(), f"{where} (screenshot)")
    return text


@run_async
async def test_every_screen_shows_hostile_text_literally(tmp_path: Path, clock: FakeClock) -> None:
    """Incident screen, event and write-up forms, review, export and list: literal markup, visible controls, no links.

    (The notes, factor and action forms are the same form widget as the event form.)
    """
    db = tmp_path / "w.db"
    hostile_incident(db, clock)
    app = create_app(db, clock=clock, incident_id=INC)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = assert_screen_safe(app, "the incident screen")
        assert "[bold]loud[/]" in shown or "[link=file:///etc/passwd]" in shown
        visited = ["incident"]
        for keys, name in [
            (["escape", "up", "e"], "event form"),
            (["ctrl+y"], "write-up form"),
            (["ctrl+r"], "review"),
            (["ctrl+e"], "export preview"),
            (["ctrl+l"], "incident list"),
        ]:
            base = len(app.screen_stack)
            await pilot.press(*keys)
            await pilot.pause(0.2)
            assert_screen_safe(app, name)
            visited.append(f"{name}: {type(app.screen).__name__}")
            while len(app.screen_stack) > base:
                app.pop_screen()
                await pilot.pause()
            if name == "incident list":
                app.open_incident(INC)
                await pilot.pause(0.2)
    assert len(visited) == 6, visited


@run_async
async def test_typed_and_pasted_hostile_text_is_stored_exactly_and_shown_safely(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Markup and unicode typed are stored as typed; escapes pasted arrive as visible symbols; the screen is safe."""
    db = tmp_path / "w.db"
    Store(db, clock=clock).create_incident("x", id=INC)
    app = create_app(db, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, SAMPLES["markup"][:24])
        await submit(pilot, SAMPLES["unicode"], typed=False)
        await submit(pilot, SAMPLES["osc"], typed=False)
        await submit(pilot, SAMPLES["long word"], typed=False)
        await wait_until(pilot, lambda: timeline(app).count == 4, "four entries")
        shown = assert_screen_safe(app, "the timeline")
        assert SAMPLES["markup"][:24] in shown
        assert all(cell_width(strip) == SIZE[0] for strip in app.screen._compositor.render_strips())
    stored = texts(db)
    assert stored[0] == SAMPLES["markup"][:24].strip()
    # Pasted bidi overrides become visible marks, as pasted controls do; right-to-left text itself is kept.
    assert stored[1] == SAMPLES["unicode"].strip().replace("\u202e", "⟨U+202E⟩").replace("\u202c", "⟨U+202C⟩")
    assert "\x1b" not in stored[2] and "␛]52;c;UFdORUQ=␇" in stored[2]
    assert stored[3] == SAMPLES["long word"]


def cell_width(strip: Any) -> int:
    """How many terminal cells a rendered line takes."""
    return int(strip.cell_length)


# -- multi-line pastes and limits in the entry line --------------------------------------------------


@pytest.fixture
def incident_db(tmp_path: Path, clock: FakeClock) -> Path:
    """A database with one open incident."""
    db = tmp_path / "w.db"
    Store(db, clock=clock).create_incident("Checkout down", id=INC)
    return db


async def paste(pilot: Any, text: str) -> None:
    """Paste text the way a terminal delivers a bracketed paste."""
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


@run_async
async def test_multi_line_paste_asks_then_logs_each_line(incident_db: Path, clock: FakeClock) -> None:
    """Three pasted lines open a confirmation; Enter logs three events in order; undo removes all three."""
    app = create_app(incident_db, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await paste(pilot, "14:02 db alarms\r\n\r\n[bold]pool[/] exhausted\r\nfailover \x1b[31mstarted\r\n")
        assert isinstance(app.screen, PasteScreen)
        shown = assert_screen_safe(app, "the paste confirmation")
        assert "Paste of 3 lines" in shown and "[bold]pool[/] exhausted" in shown
        await pilot.press("enter")
        assert await wait_for_status(pilot, "logged 3 events") == "✓ logged 3 events from the paste  (ctrl+z undoes)"
        assert texts(incident_db) == ["14:02 db alarms", "[bold]pool[/] exhausted", "failover ␛[31mstarted"]
        assert entry(app).value == ""
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: timeline(app).count == 0, "the undo of the whole paste")


@run_async
async def test_multi_line_paste_can_be_joined_or_cancelled(incident_db: Path, clock: FakeClock) -> None:
    """`j` joins the lines into the entry line; Esc logs nothing and says so; nothing is dropped silently."""
    app = create_app(incident_db, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"note: ")
        await paste(pilot, "one\ntwo\nthree\n")
        await pilot.press("j")
        await pilot.pause()
        assert entry(app).value == "note: one two three"
        await paste(pilot, "four\nfive")
        await pilot.press("escape")
        said = await wait_for_status(pilot, "cancelled")
        assert said == "⚠ paste of 2 lines cancelled; nothing was logged"
        assert entry(app).value == "note: one two three"
        assert texts(incident_db) == []


@run_async
async def test_ten_thousand_line_paste_is_refused_with_the_bulk_command(incident_db: Path, clock: FakeClock) -> None:
    """A 10,000-line paste is refused in the status line, naming its size and `warroom log -`; nothing changes."""
    app = create_app(incident_db, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"kept")
        await paste(pilot, "\n".join(f"line {n}" for n in range(10_000)))
        said = await wait_for_status(pilot, "nothing was logged")
        assert said == (
            f"⚠ the paste is 10,000 lines, more than {MAX_PASTE_LINES:,} at once; nothing was logged; "
            f"pipe it in instead: warroom log - -i {INC} < FILE"
        )
        assert status(app).has_class("-error")
        assert not isinstance(app.screen, PasteScreen)
        assert entry(app).value == "kept"
    assert texts(incident_db) == []


@run_async
async def test_over_long_entry_is_refused_with_a_message(incident_db: Path, clock: FakeClock) -> None:
    """A 1 MB paste is refused (not cut); an entry over the limit is refused at Enter and kept."""
    app = create_app(incident_db, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await paste(pilot, "m" * 1_000_000)
        said = await wait_for_status(pilot, "nothing was added")
        assert said == f"⚠ the paste is 1,000,000 characters; an entry holds at most {MAX_TEXT:,}; nothing was added"
        assert entry(app).value == ""
        # A short paste refused because the line is nearly full says so, not just its own small size.
        entry(app).value = "q" * (MAX_TEXT - 10)
        await paste(pilot, "r" * 20)
        said = await wait_for_status(pilot, "already holds")
        assert said == (
            f"⚠ the paste is 20 characters and the line already holds {MAX_TEXT - 10:,};"
            f" an entry holds at most {MAX_TEXT:,}; nothing was added"
        )
        assert entry(app).value == "q" * (MAX_TEXT - 10)
        entry(app).value = "n" * (MAX_TEXT + 1)
        await pilot.press("enter")
        said = await wait_for_status(pilot, "shorten it")
        limit = f"an entry holds at most {MAX_TEXT:,}"
        assert said == f"⚠ the entry is {MAX_TEXT + 1:,} characters; {limit}; shorten it and press Enter again"
        assert len(entry(app).value) == MAX_TEXT + 1
        await paste(pilot, "line one\n" + "p" * (MAX_TEXT + 5))
        said = await wait_for_status(pilot, "line 2")
        too_long = f"{MAX_TEXT + 5:,} characters (at most {MAX_TEXT:,})"
        assert said == f"⚠ line 2 of the paste is {too_long}; nothing was logged"
    assert texts(incident_db) == []


# -- the Markdown export stays one structure whatever the text -----------------------------------------

#: Pieces of text that mean something to Markdown, HTML, a terminal or a bidi renderer, and some that do not.
PIECES = [*"ab |\\`*_~[]()<>!#&;:=+-.1)\n\r\t\x00\x1b\x9b\x07\u202e\u0301", "\x1b]8;;x\x07", "<b>", "](", "---", "1. "]
MARKDOWN_TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
FIELD_TEXT = st.one_of(MARKDOWN_TEXT, st.text(max_size=40))
_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def table_rows(tokens: list[Token]) -> list[int]:
    """The number of body rows of each table, in document order."""
    counts: list[int] = []
    in_body = False
    for tok in tokens:
        if tok.type == "table_open":
            counts.append(0)
        elif tok.type == "tbody_open":
            in_body = True
        elif tok.type == "tbody_close":
            in_body = False
        elif tok.type == "tr_open" and in_body:
            counts[-1] += 1
    return counts


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=FIELD_TEXT,
    people=FIELD_TEXT,
    prose=FIELD_TEXT,
    events=st.lists(st.tuples(FIELD_TEXT, FIELD_TEXT), min_size=0, max_size=5),
    actions=st.lists(st.tuples(FIELD_TEXT, FIELD_TEXT), min_size=0, max_size=4),
)
def test_export_structure_survives_any_text_in_any_field(
    title: str, people: str, prose: str, events: list[tuple[str, str]], actions: list[tuple[str, str]]
) -> None:
    """One timeline row per event and one action row per action item, the template's headings, no raw HTML."""
    clock = FakeClock()
    store = Store(":memory:", clock=clock)
    store.create_incident(title.strip() or "t", id=INC, owner=people)
    store.update_incident(INC, commander=people, summary=prose, went_wrong=prose, business_impact=prose, tags=[people])
    for text, team in events:
        clock.advance(minutes=1)
        store.log_event(INC, text if text.strip() else "x", team=team)
    for title_text, owner in actions:
        store.add_action(INC, title_text if title_text.strip() else "y", owner=owner)
    store.add_factor(INC, prose if prose.strip() else "z", kind="root")
    markdown = render_markdown(store, INC, UTC)
    tokens = _PARSER.parse(markdown)
    assert table_rows(tokens) == [len(events), len(actions)]
    headings = [tokens[i + 1].content for i, tok in enumerate(tokens) if tok.type == "heading_open"]
    assert headings[1:] == EXPECTED_HEADINGS
    kinds = {tok.type for tok in tokens} | {child.type for tok in tokens for child in tok.children or []}
    assert not kinds & {"html_block", "html_inline", "link_open", "image", "code_inline", "code_block", "fence", "hr"}
    assert not TERMINAL_CONTROL.search(markdown.replace("\t", " "))
    assert "<script" not in _PARSER.render(markdown)


EXPECTED_HEADINGS = [
    "Incident Summary",
    "Incident Timeline",
    "Root Cause Analysis",
    "Root Cause",
    "Contributing Factors",
    "Trigger",
    "Impact",
    "Lessons Learned",
    "What Went Well",
    "What Went Wrong",
    "Where We Got Lucky",
    "Action Items",
]


def test_json_export_escapes_every_control_character(tmp_path: Path, clock: FakeClock) -> None:
    """The JSON export keeps hostile text exactly (it round-trips) yet no raw control byte is in the file."""
    db = tmp_path / "w.db"
    hostile_incident(db, clock)
    ran = warroom(db, "export", INC, "--format", "json")
    assert ran.code == 0
    assert_terminal_safe(ran.out, "the JSON export")
    assert f"osc: {SAMPLES['osc']}" in [event["text"] for event in json.loads(ran.out)["events"]]


def test_time_parser_refuses_hostile_text_in_one_line(tmp_path: Path) -> None:
    """Escapes and markup in --at are a usage error (exit 2) with a safe message."""
    db = tmp_path / "w.db"
    assert warroom(db, "new", "x", "--id", INC).code == 0
    for bad in (SAMPLES["ansi"], SAMPLES["markup"], SAMPLES["unicode"], "\x00", "14:02\x1b[2J", "-5m\x07"):
        line = one_line_error(warroom(db, "log", "x", "--at", bad, "-i", INC), code=2)
        assert_terminal_safe(line, f"--at {bad!r}")
    assert texts(db) == []


def test_import_of_a_hand_written_hostile_file_is_shown_safely(tmp_path: Path) -> None:
    """A Markdown file with raw escapes and markup imports as text; what is printed about it is terminal-safe."""
    db = tmp_path / "w.db"
    doc = tmp_path / "pm.md"
    doc.write_text(
        "# Incident Post-Mortem: \x1b]0;PWNED\x07 [bold]title[/]\n\n- **Incident ID:** INC-9\n\n"
        "## Incident Timeline\n\n| Time (UTC) | Event Description | Responsible Team |\n|---|---|---|\n"
        f"| 14:02 | {SAMPLES['osc']} | \x9b31mteam |\n| 99:99 | \x1b[2J bad time | x |\n\n"
        "## Action Items\n\n| Action Item | Owner | Deadline | Priority | Status |\n|---|---|---|---|---|\n"
        "| <script>alert(1)</script> | \x07bob | 2026-13-45 | P9 | \x1b[31mopen |\n",
        encoding="utf-8",
    )
    ran = warroom(db, "import", str(doc))
    assert ran.code in (0, 1), ran.err
    assert_terminal_safe(ran.out, "import")
    assert_terminal_safe(ran.err, "import (stderr)")
    for command in (["show", "INC-9"], ["export", "INC-9"], ["event", "list", "-i", "INC-9"]):
        shown = warroom(db, *command)
        assert_terminal_safe(shown.out + shown.err, " ".join(command))
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"# Incident \xff\xfe\x1b]0;x\x07\n")
    err = one_line_error(warroom(db, "import", str(binary)))
    assert err == f"warroom: {binary} is not UTF-8 text; nothing imported"


TIME_PIECES = [*"0123456789:-+TZz.hmds ", "１", "٣", "\x00", "\x1b[", "\u202e", "24:00", "-5m", "2026-11-27"]


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(TIME_PIECES), max_size=12).map("".join), st.text(max_size=30)))
def test_any_time_text_parses_or_is_refused_cleanly(text: str) -> None:
    """Whatever follows --at, the parser returns an aware time or an InputError of one safe line; nothing else."""
    now = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)
    for zone in (UTC, ZoneInfo("Europe/Berlin")):
        try:
            when = parse_time(text, now, zone)
        except InputError as exc:
            message = str(exc)
            assert message and "\n" not in message
            assert_terminal_safe(message, f"the error for {text!r}")
        else:
            assert when.tzinfo is not None


# -- zero-width characters -------------------------------------------------------------------------


LOOKALIKES = {
    "INC-A": "Checkout failing",
    "INC-B": "Check\u200bout failing",
    "INC-C": "\ufeffCheckout failing",
    "INC-D": "Checkout\u2060 failing",
    "INC-E": "Checkout f\u200dailing",
}


@run_async
async def test_titles_that_differ_by_a_zero_width_character_look_different_in_the_list(
    tmp_path: Path, clock: FakeClock
) -> None:
    """The incident list (and `warroom list`) shows a zero-width space, word joiner, byte order mark or joiner in a
    title as ⟨U+200B⟩ and so on: five titles that draw the same are five different lines; the title is stored as
    typed, and a joiner inside an emoji sequence still draws the emoji."""
    db = tmp_path / "w.db"
    store = Store(db, clock=clock)
    for incident_id, title in LOOKALIKES.items():
        store.create_incident(title, id=incident_id, started_at=clock())
    store.create_incident("On call: 👩\u200d💻 paged", id="INC-F", started_at=clock())
    assert store.incident("INC-B").title == "Check\u200bout failing"
    store.close()
    app = create_app(db, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_incident_list()
        await wait_until(pilot, lambda: type(app.screen).__name__ == "IncidentListScreen", "the list")
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        titles = {key: str(table.get_row(key)[3]).strip() for key in [*LOOKALIKES, "INC-F"]}
    assert [titles[key] for key in LOOKALIKES] == [
        "Checkout failing",
        "Check⟨U+200B⟩out failing",
        "⟨U+FEFF⟩Checkout failing",
        "Checkout⟨U+2060⟩ failing",
        "Checkout f⟨U+200D⟩ailing",
    ]
    assert titles["INC-F"] == "On call: 👩\u200d💻 paged"
    listed = warroom(db, "list").out
    assert "Check⟨U+200B⟩out failing" in listed and "Checkout f⟨U+200D⟩ailing" in listed


def test_titles_that_differ_by_an_invisible_direction_mark_look_different(tmp_path: Path, clock: FakeClock) -> None:
    """The left-to-right and right-to-left marks (U+200E, U+200F), the Arabic letter mark (U+061C), the invisible
    math operators (U+2061..U+2064) and the Mongolian vowel separator (U+180E) draw nothing either: `warroom list`
    and `show` mark them as ⟨U+200E⟩ and so on, `list --json` keeps the title as stored, and an edit form's marks
    go back to the characters."""
    db = tmp_path / "w.db"
    store = Store(db, clock=clock)
    hidden = "\u200e\u200f\u061c\u2061\u2062\u2063\u2064\u180e"
    title = "Checkout" + "".join(f"{c}x" for c in hidden)
    store.create_incident(title, id="INC-M", started_at=clock())
    store.close()
    marks = "Checkout" + "".join(f"⟨U+{ord(c):04X}⟩x" for c in hidden)
    assert marks in warroom(db, "list").out
    assert marks in warroom(db, "show", "INC-M").out
    assert [i["incident"]["title"] for i in json.loads(warroom(db, "list", "--json").out)] == [title]
    assert zero_width_back(visible(title)) == title


def test_text_warroom_writes_from_user_text_keeps_its_zero_width_characters(tmp_path: Path, clock: FakeClock) -> None:
    """A stakeholder update, a handover note and a hypothesis settling note quote a title, a name or an event: what
    is logged (and exported, and copied for stakeholders) quotes it as stored, with no ⟨U+200B⟩ in the text; only
    what is drawn marks it."""
    db = tmp_path / "w.db"
    store = Store(db, clock=clock)
    store.create_incident("Check\u200bout failing", id=INC, started_at=clock())
    store.update_incident(INC, commander="ma\u200bry")
    store.log_event(INC, "maybe the \ufeffdeploy", kind="hypothesis")
    store.close()
    warroom(db, "role", "commander", "bob", "-i", INC)
    warroom(db, "update", "--log", "-i", INC)
    warroom(db, "hypothesis", "rule-out", "1", "because the deploy was rolled back", "-i", INC)
    store = Store(db, clock=clock)
    logged = [e.text for e in store.events(INC)]
    store.close()
    assert "Handover: incident commander ma\u200bry → bob" in logged
    assert any(text.startswith("Stakeholder update: Check\u200bout failing (INC-1)") for text in logged), logged
    assert any("(maybe the \ufeffdeploy)" in text for text in logged), logged
    assert not [text for text in logged if "⟨U+" in text]
    exported = warroom(db, "export", INC).out
    assert "⟨U+" not in exported and "Stakeholder update: Check\u200bout failing" in exported
    assert "ma⟨U+200B⟩ry → bob" in warroom(db, "show", INC).out  # and drawn marked


@run_async
async def test_editing_text_with_a_zero_width_character_saves_the_character_not_its_mark(
    tmp_path: Path, clock: FakeClock
) -> None:
    """The edit form shows a zero-width space as ⟨U+200B⟩; fixing a typo elsewhere in the text saves the character
    as it was, not the eight characters of its mark (which the exports would then print); deleting the mark deletes
    the character."""
    db = tmp_path / "w.db"
    store = Store(db, clock=clock)
    store.create_incident("Checkout failing", id=INC, started_at=clock())
    first = store.log_event(INC, "pool\u200bful")
    clock.advance(minutes=1)
    second = store.log_event(INC, "replica\ufeff lag")
    store.close()
    app = create_app(db, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        for event_id, keys, wanted in (
            (second.id, ["end", "s"], "replica\ufeff lags"),
            (first.id, ["home", *["right"] * 4, *["delete"] * len("⟨U+200B⟩"), "end", "l"], "poolfull"),
        ):
            await pilot.press("escape")
            timeline(app).select_event(event_id or 0)
            await pilot.press("e")
            await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the edit form")
            field = app.screen.query_one("#f-text", Input)
            assert "⟨U+" in field.value
            await pilot.press(*keys)
            await pilot.press("enter")
            await wait_until(pilot, lambda: not isinstance(app.screen, FormScreen), "the form to close")
            store = Store(db, clock=clock)
            saved = store.event(event_id or 0).text
            store.close()
            assert saved == wanted


def test_a_joiner_beside_another_zero_width_character_is_marked_too(tmp_path: Path, clock: FakeClock) -> None:
    """A joiner is left unmarked only between two characters it can shape: beside a zero-width space, a word joiner
    or another joiner it shapes nothing, and left unmarked it made two titles draw the same in `warroom list`."""
    db = tmp_path / "w.db"
    store = Store(db, clock=clock)
    titles = {
        "INC-A": "Check\u200b\u200bout failing",
        "INC-B": "Check\u200b\u200d\u200bout failing",
        "INC-C": "Check\u200b\u200c\u200bout failing",
        "INC-D": "caf\u00e9\u200d\u200d\u00e9 down",
        "INC-E": "caf\u00e9\u200d\u00e9 down",
        "INC-F": "On call: 👩\u200d💻 paged",
    }
    for incident_id, title in titles.items():
        store.create_incident(title, id=incident_id, started_at=clock())
    store.close()
    listed = warroom(db, "list").out
    for drawn in (
        "Check⟨U+200B⟩⟨U+200B⟩out failing",
        "Check⟨U+200B⟩⟨U+200D⟩⟨U+200B⟩out failing",
        "Check⟨U+200B⟩⟨U+200C⟩⟨U+200B⟩out failing",
        "caf\u00e9⟨U+200D⟩⟨U+200D⟩\u00e9 down",
        "caf\u00e9\u200d\u00e9 down",  # one joiner between two letters is left to shape them
        "On call: 👩\u200d💻 paged",  # an emoji sequence still draws as one
    ):
        assert drawn in listed, (drawn, listed)
