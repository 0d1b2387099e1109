"""The post-mortem export: Markdown structure, escaping of hostile text, time display, JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from warroom.store.export_json import render_json
from warroom.store.export_md import render_markdown
from warroom.store.mdescape import _escape_block, clean, clean_line, escape_cell, escape_heading, escape_paragraphs
from warroom.store.store import Store
from warroom.store.timeparse import UTC, zone

GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("WARROOM_UPDATE_GOLDEN") == "1"
START = dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
BERLIN = zone("Europe/Berlin")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
EXPECTED_HEADINGS = [
    ("h2", "Incident Summary"),
    ("h2", "Incident Timeline"),
    ("h2", "Root Cause Analysis"),
    ("h3", "Root Cause"),
    ("h3", "Contributing Factors"),
    ("h3", "Trigger"),
    ("h2", "Impact"),
    ("h2", "Lessons Learned"),
    ("h3", "What Went Well"),
    ("h3", "What Went Wrong"),
    ("h3", "Where We Got Lucky"),
    ("h2", "Action Items"),
]
#: With hypotheses, their section follows the trigger (it is left out when there are none).
WITH_HYPOTHESES = [*EXPECTED_HEADINGS[:6], ("h3", "Hypotheses considered"), *EXPECTED_HEADINGS[6:]]
HOSTILE = (
    "a | b || c\\|\n# Heading\n---\n===\n`code` ``x`` **bold** _em_ ~~gone~~ [x](javascript:alert(1)) "
    "![img](http://e.test/i.png) <https://e.test> <script>alert(1)</script> <!-- c --> &amp; &#60;\n"
    "\x1b[31mred\x1b[0m \x1b]8;;http://e.test\x07osc\x1b]8;;\x07 nul\x00 del\x7f csi\x9b2J bell\x07\r\n"
    "> quote\n- item\n+ item\n* item\n1. one\n2) two\n    indented code\n```\nfence\n~~~\n"
    "[ref]: http://e.test\n| x | y |\n|---|---|\ntrailing  \nback\\\n\n\n<div>block</div>\nend #"
)
BLOCK_TYPES_NEVER_EMITTED = {
    "hr",
    "code_block",
    "fence",
    "blockquote_open",
    "html_block",
    "ordered_list_open",
}
INLINE_TYPES_ALLOWED = {"text", "softbreak", "hardbreak", "em_open", "em_close", "strong_open", "strong_close"}


class FixedClock:
    """A clock that says what it is told; `advance` moves it on."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        """The time the clock was set to."""
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.now += dt.timedelta(**delta)


def parser() -> MarkdownIt:
    """CommonMark plus tables, HTML allowed so that any raw HTML would show up as tokens."""
    return MarkdownIt("commonmark").enable("table")


def at(hhmm: str, day: int = 27) -> dt.datetime:
    """A UTC moment on the incident's day (or another November day)."""
    hour, minute = (int(p) for p in hhmm.split(":"))
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def plain(inline: Token) -> str:
    """The text an inline token renders to, markup dropped, line breaks as newlines."""
    out = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def headings(tokens: list[Token]) -> list[tuple[str, str]]:
    """(tag, text) of every heading in document order."""
    return [(tok.tag, plain(tokens[i + 1])) for i, tok in enumerate(tokens) if tok.type == "heading_open"]


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Each table's body rows, each row its cells' rendered text."""
    found: list[list[list[str]]] = []
    in_body = False
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            found.append([])
        elif tok.type == "tbody_open":
            in_body = True
        elif tok.type == "tbody_close":
            in_body = False
        elif in_body and tok.type == "tr_open":
            found[-1].append([])
        elif in_body and tok.type == "td_open":
            found[-1][-1].append(plain(tokens[i + 1]))
    return found


def section(tokens: list[Token], title: str) -> list[Token]:
    """The tokens after the heading `title` up to the next heading."""
    positions = [i for i, tok in enumerate(tokens) if tok.type == "heading_open"]
    for n, i in enumerate(positions):
        if plain(tokens[i + 1]) == title:
            end = positions[n + 1] if n + 1 < len(positions) else len(tokens)
            return tokens[i + 3 : end]
    raise AssertionError(f"no heading {title!r}")


def paragraphs_text(tokens: list[Token]) -> list[str]:
    """Rendered text of every inline token among `tokens`."""
    return [plain(tok) for tok in tokens if tok.type == "inline"]


def expected_paragraphs(text: str) -> list[str]:
    """What a paragraph field should render to: its lines trimmed, blank runs as paragraph breaks."""
    blocks = re.split(r"\n\s*\n", "\n".join(re.sub(r"\s+", " ", line).strip() for line in clean(text).split("\n")))
    return [b.strip("\n") for b in blocks if b.strip()]


def build_sample(path: Path) -> tuple[Store, str]:
    """A realistic resolved incident with every kind of record, including deleted ones."""
    clock = FixedClock(START + dt.timedelta(minutes=3))
    store = Store(path, clock=clock)
    inc = store.create_incident("Checkout API latency in eu-west-1", severity="SEV2", owner="alex", started_at=START).id

    def log(hhmm: str, text: str, **kw: Any) -> int:
        clock.advance(minutes=1)
        event = store.log_event(inc, text, occurred_at=at(hhmm), **kw)
        assert event.id is not None
        return event.id

    detected = log("14:05", "PagerDuty pages on-call: checkout p99 latency > 2 s", milestone="detected", team="sre")
    cause = log(
        "14:09",
        "Connection pool to orders_db exhausted since the 13:45 deploy",
        kind="hypothesis",
        team="platform",
    )
    log("14:15", "Status page updated: degraded checkout in EU", kind="comms", team="support")
    log("14:21", "Roll back checkout-api to v4.12.3", kind="decision", team="platform", starred=True)
    noise = log("14:30", "test test, please ignore", team="sre")
    store.delete_event(noise)
    log("14:40", "Rollback complete; p99 back under 400 ms", milestone="mitigated", team="platform", starred=True)
    log("14:52", "Raised pool size from 20 to 60 on orders-db replicas", kind="action", team="dba")
    log("15:23", "Error-budget burn back to normal", milestone="resolved", team="sre")
    # Backdated: logged last, but it happened first.
    first = log("14:02", "Error rate on /checkout starts climbing (seen later on the dashboard)", team="platform")

    store.add_factor(
        inc,
        "Release 4.13.0 opened one database connection per request instead of using the shared pool.",
        kind="root",
        event_ids=[cause],
    )
    store.link_factor(inc, 1, noise)  # a link to a deleted event is not shown
    store.add_factor(inc, "Pool-size alarms were routed to a muted channel.", kind="contributing")
    store.add_factor(
        inc, "The release's load test ran against a staging database with a larger pool.", kind="contributing"
    )
    dropped = store.add_factor(inc, "Cosmic rays.", kind="contributing")
    store.edit_factor(inc, dropped.number, deleted_at=clock())
    store.add_factor(
        inc, "Black Friday traffic peak: three times the usual checkout volume.", kind="trigger", event_ids=[first]
    )
    store.link_factor(inc, 5, detected)

    store.add_action(
        inc,
        "Add a connection-count panel to the deploy dashboard",
        owner="alex",
        deadline=dt.date(2026, 12, 1),
        priority="P1",
    )
    store.add_action(inc, "Route pool-size alarms to #sre-pages", owner="maria", deadline=dt.date(2026, 12, 4))
    store.edit_action(inc, 2, status="in progress")
    store.add_action(inc, "Load-test releases against production-sized pools", priority="P2")
    store.add_action(inc, "duplicate of 1", owner="alex")
    store.edit_action(inc, 4, deleted_at=clock())
    store.add_action(
        inc, "Write a runbook for checkout rollbacks", owner="sam", deadline=dt.date(2026, 11, 30), priority="P3"
    )
    store.edit_action(inc, 5, status="done")

    store.update_incident(
        inc,
        status="resolved",
        commander="maria",
        scribe="sam",
        comms="lee",
        tags=["checkout", "database"],
        summary=(
            "A checkout-api release opened a new database connection per request and exhausted the orders-db "
            "pool during the Black Friday peak.\n\n"
            "EU customers saw slow or failed checkouts for about 40 minutes, until the release was rolled back."
        ),
        customers_affected="About 18% of EU checkout attempts failed or timed out.",
        business_impact="Roughly 2,400 orders delayed; no data lost.",
        went_well="Rollback took under 20 minutes.\nThe status page was up 10 minutes after the first page.",
        went_wrong="The deploy dashboard did not show connection counts.\n\nThe first hypothesis (CDN) cost time.",
        got_lucky="The on-call DBA was already online for a planned migration.",
    )
    return store, inc


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[tuple[Store, str]]:
    """The sample incident in a fresh database."""
    store, inc = build_sample(tmp_path / "w.db")
    yield store, inc
    store.close()


def hostile_store(path: Path) -> tuple[Store, str]:
    """An incident with HOSTILE in every free-text field, on every kind of record."""
    clock = FixedClock(START)
    store = Store(path, clock=clock)
    inc = store.create_incident(HOSTILE[:500], owner=HOSTILE[:500], started_at=START).id
    ids = []
    for minute, (kind, milestone) in enumerate(
        [("note", None), ("hypothesis", None), ("decision", None), ("note", "detected"), ("comms", "resolved")]
    ):
        clock.advance(minutes=1)
        event = store.log_event(
            inc,
            HOSTILE,
            occurred_at=START + dt.timedelta(minutes=minute),
            kind=kind,
            milestone=milestone,
            team=HOSTILE[:500],
            starred=minute == 2,
        )
        ids.append(event.id)
    for kind in ("root", "contributing", "trigger"):
        store.add_factor(inc, HOSTILE, kind=kind, event_ids=ids[:2])
    store.add_action(inc, HOSTILE[:500], owner=HOSTILE[:500])
    store.add_action(inc, HOSTILE[:500])
    fields = ("summary", "customers_affected", "business_impact", "went_well", "went_wrong", "got_lucky")
    store.update_incident(
        inc,
        commander=HOSTILE[:500],
        scribe=HOSTILE[:500],
        comms=HOSTILE[:500],
        tags=[HOSTILE[:500], "x|y", "<b>"],
        **dict.fromkeys(fields, HOSTILE),
    )
    return store, inc


# -- the whole document ----------------------------------------------------------------------------------


def test_markdown_matches_golden_file(sample: tuple[Store, str]) -> None:
    """The sample incident renders exactly as the reviewed golden file."""
    store, inc = sample
    text = render_markdown(store, inc, UTC)
    golden = GOLDEN / "postmortem.md"
    if UPDATE_GOLDEN:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_json_matches_golden_file(sample: tuple[Store, str]) -> None:
    """The sample incident's JSON export is exactly the reviewed golden file."""
    store, inc = sample
    text = render_json(store, inc, UTC)
    golden = GOLDEN / "postmortem.json"
    if UPDATE_GOLDEN:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_headings_in_exact_order(sample: tuple[Store, str]) -> None:
    """The template's headings, and only those, appear in the template's order."""
    store, inc = sample
    tokens = parser().parse(render_markdown(store, inc, UTC))
    assert headings(tokens) == [("h1", "Incident Post-Mortem: Checkout API latency in eu-west-1"), *WITH_HYPOTHESES]


def test_header_facts(sample: tuple[Store, str]) -> None:
    """Date, id, owner, severity, status and the optional roles and tags are listed under the title."""
    store, inc = sample
    text = render_markdown(store, inc, UTC)
    head = text.split("## Incident Summary")[0]
    assert head.splitlines()[2:] == [
        "- **Date:** 2026-11-27",
        f"- **Incident ID:** {inc}",
        "- **Owner:** alex",
        "- **Severity:** SEV2",
        "- **Status:** resolved",
        "- **Commander:** maria",
        "- **Scribe:** sam",
        "- **Comms:** lee",
        "- **Tags:** checkout, database",
        "",
    ]


def test_empty_incident_uses_placeholders(tmp_path: Path) -> None:
    """A brand-new incident exports with placeholders, an owner dash and empty tables."""
    store = Store(tmp_path / "w.db", clock=FixedClock(START))
    inc = store.create_incident("Quiet", started_at=START).id
    text = render_markdown(store, inc, UTC)
    for line in ("- **Owner:** —", "_No summary yet._", "_Not yet identified._", "- **Duration:** ongoing"):
        assert line in text
    assert text.count("_None recorded._") == 2
    assert text.count("_Not recorded._") == 5
    assert "- **Time to resolve:** —" in text
    assert "**Commander:**" not in text and "**Tags:**" not in text
    tokens = parser().parse(text)
    assert tables(tokens) == [[], []]
    assert headings(tokens)[1:] == EXPECTED_HEADINGS


def test_output_ends_with_one_newline_and_has_no_trailing_spaces(sample: tuple[Store, str]) -> None:
    """Clean bytes for git: one final newline, no trailing whitespace, no blank-line runs."""
    store, inc = sample
    text = render_markdown(store, inc, UTC)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert "\n\n\n" not in text


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    """The same data gives the same bytes, rendered twice or built twice in separate files."""
    one, inc = build_sample(tmp_path / "a.db")
    two, inc_two = build_sample(tmp_path / "b.db")
    assert inc == inc_two
    assert render_markdown(one, inc, BERLIN) == render_markdown(one, inc, BERLIN) == render_markdown(two, inc, BERLIN)
    assert render_json(one, inc, UTC) == render_json(one, inc, UTC) == render_json(two, inc, UTC)


# -- timeline ----------------------------------------------------------------------------------------------


def test_one_table_row_per_live_event_and_action_item(sample: tuple[Store, str]) -> None:
    """Each live event and action item is exactly one row; deleted ones are left out."""
    store, inc = sample
    text = render_markdown(store, inc, UTC)
    timeline, actions = tables(parser().parse(text))
    assert len(timeline) == len(store.events(inc)) == 8
    assert len(actions) == len(store.actions(inc)) == 4
    assert all(len(row) == 3 for row in timeline) and all(len(row) == 5 for row in actions)
    assert "please ignore" not in text and "duplicate of 1" not in text and "Cosmic rays" not in text


def test_timeline_rows_in_time_order_with_labels(sample: tuple[Store, str]) -> None:
    """Rows follow occurred-at (a backdated event comes first) and carry star, milestone and kind labels."""
    store, inc = sample
    timeline, _ = tables(parser().parse(render_markdown(store, inc, UTC)))
    assert [row[0] for row in timeline] == ["14:02", "14:05", "14:09", "14:15", "14:21", "14:40", "14:52", "15:23"]
    descriptions = [row[1] for row in timeline]
    assert descriptions[1] == "Detected: PagerDuty pages on-call: checkout p99 latency > 2 s"
    assert descriptions[2].startswith("Hypothesis: Connection pool to orders_db")
    assert descriptions[4] == "★ Decision: Roll back checkout-api to v4.12.3"
    assert descriptions[5].startswith("★ Mitigated: Rollback complete")
    assert descriptions[0].startswith("Error rate on /checkout")
    assert [row[2] for row in timeline][:3] == ["platform", "sre", "platform"]


def test_ties_ordered_by_logged_time_then_id(tmp_path: Path) -> None:
    """Events at the same minute keep the order they were logged in."""
    clock = FixedClock(START)
    store = Store(tmp_path / "w.db", clock=clock)
    inc = store.create_incident("Ties", started_at=START).id
    for text in ("first", "second", "third"):
        clock.advance(seconds=10)
        store.log_event(inc, text, occurred_at=at("14:30"))
    clock.advance(seconds=10)
    store.log_event(inc, "earlier", occurred_at=at("14:29"))
    timeline, _ = tables(parser().parse(render_markdown(store, inc, UTC)))
    assert [row[1] for row in timeline] == ["earlier", "first", "second", "third"]


def test_multi_day_timeline_shows_the_date_on_every_row(tmp_path: Path) -> None:
    """Crossing midnight puts YYYY-MM-DD on each row, and the date line becomes a range."""
    clock = FixedClock(at("23:40"))
    store = Store(tmp_path / "w.db", clock=clock)
    inc = store.create_incident("Night", started_at=at("23:40")).id
    store.log_event(inc, "paged", occurred_at=at("23:50"), milestone="detected")
    store.log_event(inc, "still broken", occurred_at=at("23:59"))
    store.log_event(inc, "fixed", occurred_at=at("00:20", day=28), milestone="resolved")
    text = render_markdown(store, inc, UTC)
    timeline, _ = tables(parser().parse(text))
    assert [row[0] for row in timeline] == ["2026-11-27 23:50", "2026-11-27 23:59", "2026-11-28 00:20"]
    assert "- **Date:** 2026-11-27 – 2026-11-28" in text
    assert "- **Duration:** 40 min" in text
    assert "- **Time to detect:** 10 min" in text


def test_single_day_timeline_shows_times_only(sample: tuple[Store, str]) -> None:
    """Within one day the rows carry no date."""
    store, inc = sample
    timeline, _ = tables(parser().parse(render_markdown(store, inc, UTC)))
    assert all(re.fullmatch(r"\d\d:\d\d", row[0]) for row in timeline)


def test_display_zone_shifts_times_and_names_the_zone(sample: tuple[Store, str]) -> None:
    """--tz Europe/Berlin names the zone in the heading and shows times an hour later (CET)."""
    store, inc = sample
    text = render_markdown(store, inc, BERLIN)
    assert "| Time (Europe/Berlin) | Event Description | Responsible Team |" in text
    timeline, _ = tables(parser().parse(text))
    assert [row[0] for row in timeline][:3] == ["15:02", "15:05", "15:09"]
    assert "(see 15:09)" in text
    assert "| Time (UTC) |" in render_markdown(store, inc, UTC)


def test_days_are_counted_in_the_display_zone(tmp_path: Path) -> None:
    """One UTC day can be two Berlin days: dates appear in Berlin only."""
    store = Store(tmp_path / "w.db", clock=FixedClock(at("23:50")))
    inc = store.create_incident("Late", started_at=at("22:30")).id
    store.log_event(inc, "a", occurred_at=at("22:40"))
    store.log_event(inc, "b", occurred_at=at("23:10"), milestone="resolved")
    utc_rows, _ = tables(parser().parse(render_markdown(store, inc, UTC)))
    berlin_text = render_markdown(store, inc, BERLIN)
    berlin_rows, _ = tables(parser().parse(berlin_text))
    assert [r[0] for r in utc_rows] == ["22:40", "23:10"]
    assert [r[0] for r in berlin_rows] == ["2026-11-27 23:40", "2026-11-28 00:10"]
    assert "- **Date:** 2026-11-27 – 2026-11-28" in berlin_text


# -- root cause, impact, actions ---------------------------------------------------------------------------


def test_factors_by_kind_with_linked_event_times(sample: tuple[Store, str]) -> None:
    """Each factor kind has its own list; links show the linked events' times in timeline order."""
    store, inc = sample
    tokens = parser().parse(render_markdown(store, inc, UTC))
    assert paragraphs_text(section(tokens, "Root Cause")) == [
        "Release 4.13.0 opened one database connection per request instead of using the shared pool. (see 14:09)"
    ]
    assert len(paragraphs_text(section(tokens, "Contributing Factors"))) == 2
    assert paragraphs_text(section(tokens, "Trigger")) == [
        "Black Friday traffic peak: three times the usual checkout volume. (see 14:02, 14:05)"
    ]


def test_impact_metrics(sample: tuple[Store, str]) -> None:
    """Duration and times to detect / mitigate / resolve are measured from the start."""
    store, inc = sample
    text = render_markdown(store, inc, UTC)
    for line in (
        "- **Customers affected:** About 18% of EU checkout attempts failed or timed out.",
        "- **Duration:** 1 h 23 min",
        "- **Time to detect:** 5 min",
        "- **Time to mitigate:** 40 min",
        "- **Time to resolve:** 1 h 23 min",
    ):
        assert line in text.splitlines()


def test_action_items_table(sample: tuple[Store, str]) -> None:
    """Rows by number, with _unassigned_ / _none_ for missing owner and deadline, enum values as text."""
    store, inc = sample
    _, actions = tables(parser().parse(render_markdown(store, inc, UTC)))
    assert actions == [
        ["Add a connection-count panel to the deploy dashboard", "alex", "2026-12-01", "P1", "open"],
        ["Route pool-size alarms to #sre-pages", "maria", "2026-12-04", "P2", "in progress"],
        ["Load-test releases against production-sized pools", "unassigned", "none", "P2", "open"],
        ["Write a runbook for checkout rollbacks", "sam", "2026-11-30", "P3", "done"],
    ]


def test_paragraph_fields_keep_their_lines_and_paragraphs(sample: tuple[Store, str]) -> None:
    """Line breaks in lessons stay line breaks; blank lines stay paragraph breaks."""
    store, inc = sample
    tokens = parser().parse(render_markdown(store, inc, UTC))
    assert paragraphs_text(section(tokens, "What Went Well")) == [
        "Rollback took under 20 minutes.\nThe status page was up 10 minutes after the first page."
    ]
    assert len(paragraphs_text(section(tokens, "What Went Wrong"))) == 2
    assert len(paragraphs_text(section(tokens, "Incident Summary"))) == 2


# -- hostile text ------------------------------------------------------------------------------------------


def test_hostile_text_cannot_break_structure(tmp_path: Path) -> None:
    """Pipes, newlines, HTML, links, fences and escapes in every field leave the template intact."""
    store, inc = hostile_store(tmp_path / "w.db")
    text = render_markdown(store, inc, UTC)
    tokens = parser().parse(text)
    types = {tok.type for tok in tokens}
    inline_types = {child.type for tok in tokens for child in tok.children or []}

    assert not CONTROL.search(text), "control characters reach the output"
    assert not types & BLOCK_TYPES_NEVER_EMITTED
    # The one plain http URL in the text ("[ref]: http://e.test") is an evidence link: an autolink, nothing else.
    assert inline_types - {"link_open", "link_close"} <= INLINE_TYPES_ALLOWED, inline_types - INLINE_TYPES_ALLOWED
    links = [child for tok in tokens for child in tok.children or [] if child.type == "link_open"]
    assert {(link.markup, link.attrs["href"]) for link in links} == {("autolink", "http://e.test")}
    assert all(tok.level == 0 for tok in tokens if tok.type == "bullet_list_open"), "a list nested inside a list"
    assert sum(tok.type == "bullet_list_open" for tok in tokens) == 6  # header, 3 factor kinds, hypotheses, impact
    assert headings(tokens) == [("h1", f"Incident Post-Mortem: {clean_line(HOSTILE[:500])}"), *WITH_HYPOTHESES]

    timeline, actions = tables(tokens)
    literal = clean_line(HOSTILE)
    team = clean_line(HOSTILE[:500])
    assert [row[1] for row in timeline] == [
        literal,
        f"Hypothesis: {literal}",
        f"★ Decision: {literal}",
        f"Detected: {literal}",
        f"Resolved: {literal}",
    ]
    assert all(row[2] == team for row in timeline)
    assert actions == [[team, team, "none", "P2", "open"], [team, "unassigned", "none", "P2", "open"]]

    for title in ("Incident Summary", "What Went Well", "What Went Wrong", "Where We Got Lucky"):
        assert paragraphs_text(section(tokens, title)) == expected_paragraphs(HOSTILE)
    root = paragraphs_text(section(tokens, "Root Cause"))
    assert root == ["\n".join(expected_paragraphs(HOSTILE)) + " (see 14:00, 14:01)"]


def test_hostile_text_renders_as_inert_html(tmp_path: Path) -> None:
    """Rendered with or without HTML enabled, nothing active comes out: no tags or code; links only to http(s)."""
    store, inc = hostile_store(tmp_path / "w.db")
    text = render_markdown(store, inc, UTC)
    for md in (parser(), MarkdownIt("commonmark", {"html": False}).enable("table")):
        html = md.render(text)
        for needle in ("<script", "<div", "<img", "<code", "<pre", "<blockquote", "<ol", "<hr", "<!--"):
            assert needle not in html
        # The text's one plain http URL is an evidence link; no other anchor comes out.
        assert html.count("<a ") == html.count('<a href="http://e.test">http://e.test</a>') > 0
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "[x](javascript:alert(1))" in html
        assert "**bold**" in html
        assert "&amp;amp;" in html


def test_hostile_header_values_stay_on_their_lines(tmp_path: Path) -> None:
    """Roles and tags with newlines stay one bullet each; the tag list keeps its separators."""
    store, inc = hostile_store(tmp_path / "w.db")
    tokens = parser().parse(render_markdown(store, inc, UTC))
    header = paragraphs_text(tokens[: next(i for i, t in enumerate(tokens) if t.tag == "h2")])
    assert len(header) == 1 + 9
    assert header[-1] == f"Tags: {clean_line(HOSTILE[:500])}, x|y, <b>"


# -- escaping helpers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]8;;http://e.test\x07link\x1b]8;;\x1b\\", "link"),
        ("a\x00b\x7fc\x9bd\x85e", "abc\ne"),
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("tab\tkept", "tab\tkept"),
        ("\x1bcreset", "reset"),
    ],
)
def test_clean_strips_escape_sequences_and_controls(raw: str, cleaned: str) -> None:
    """Terminal escapes go as a whole; other controls are dropped; line breaks become \\n."""
    assert clean(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("# title", "\\# title"),
        ("1. one", "1\\. one"),
        ("12) twelve", "12\\) twelve"),
        ("3.14 is pi", "3.14 is pi"),
        ("---", "\\---"),
        ("===", "==="),
        ("a\n===", "\\==="),
        ("+ plus", "\\+ plus"),
        ("> quote", "\\> quote"),
        ("issue #12", "issue #12"),
    ],
)
def test_line_starts_are_escaped(raw: str, escaped: str) -> None:
    """Block markers at the start of a line are escaped, the same characters elsewhere are not."""
    assert escape_paragraphs(raw)[0][-1] == escaped


def test_heading_keeps_trailing_hashes() -> None:
    """A title ending in `#` keeps it rather than losing it as a closing sequence."""
    for title in ("Outage #", "##", "C#"):
        tokens = parser().parse(f"# Incident Post-Mortem: {escape_heading(title)}\n")
        assert plain(tokens[1]) == f"Incident Post-Mortem: {title}"


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text())
def test_any_text_is_literal_in_a_table_cell(text: str) -> None:
    """Whatever the text, one cell of one row shows exactly its cleaned, one-line form."""
    cell = escape_cell(text)
    tokens = parser().parse(f"| a | b |\n|---|---|\n| {cell} | z |\n")
    assert tables(tokens) == [[[clean_line(text), "z"]]]
    assert {c.type for t in tokens for c in t.children or []} <= {"text"}


@settings(max_examples=500, derandomize=True, deadline=None)
@given(
    st.text()
    | st.lists(
        st.sampled_from(["a", "b ", " ", "  ", "\t", "\n", "\r", "\x0b", "\x1c", "\x85", "\xa0", "\u2028", "\u3000"])
        | st.sampled_from(["\x00", "\x1b[31m", "\x7f", "\x9b", "\u200b", "é", "|", "*", "_", "\\", "`", "~", "<", "&"])
    ).map("".join)
)
@example("a  b")
@example(" a")
@example("a ")
@example("a\u2028b")
def test_cell_text_left_as_it_is_only_when_escaping_changes_nothing(text: str) -> None:
    """Text taken as it is (a plain single-spaced line) is exactly what the full escape gives."""
    line = clean_line(text)
    assert escape_cell(text) == (_escape_block([line], cell=True, blocks=False)[0] if line else "")


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab #>-+=*_`~[]()<>&|\\!1.)\n\t :")))
def test_any_text_is_literal_as_paragraphs(text: str) -> None:
    """Markdown-heavy text comes back as the same lines and paragraphs, with no markup."""
    lines = ["\\\n".join(p) for p in escape_paragraphs(text)]
    tokens = parser().parse("\n\n".join(lines) + "\n")
    assert {t.type for t in tokens} <= {"paragraph_open", "paragraph_close", "inline"}
    assert paragraphs_text(tokens) == expected_paragraphs(text)


# -- JSON --------------------------------------------------------------------------------------------------


def test_json_export_has_events_in_order_with_the_same_ids(sample: tuple[Store, str]) -> None:
    """The JSON names its format, lists live events in time order with their ids, and derives metrics."""
    store, inc = sample
    doc = json.loads(render_json(store, inc, BERLIN))
    assert doc["format"] == "warroom-postmortem" and doc["version"] == 1
    assert doc["display_zone"] == "Europe/Berlin"
    assert doc["incident"]["id"] == inc and doc["incident"]["status"] == "resolved"
    assert [e["id"] for e in doc["events"]] == [e.id for e in store.events(inc)]
    occurred = [e["occurred_at"] for e in doc["events"]]
    assert occurred[0] == "2026-11-27T14:02:00Z" and occurred == sorted(occurred)
    assert all(e["logged_at"].endswith("Z") for e in doc["events"])
    assert "test test, please ignore" not in {e["text"] for e in doc["events"]}
    assert [f["number"] for f in doc["factors"]] == [1, 2, 3, 5]
    assert doc["factors"][0]["event_ids"] == [doc["events"][2]["id"]]
    assert [a["number"] for a in doc["action_items"]] == [1, 2, 3, 5]
    assert doc["metrics"] == {
        "duration_seconds": 4980,
        "time_to_detect_seconds": 300,
        "time_to_mitigate_seconds": 2400,
        "time_to_resolve_seconds": 4980,
    }


def test_json_event_ids_match_markdown_rows(sample: tuple[Store, str]) -> None:
    """The JSON events and the Markdown timeline list the same events in the same order."""
    store, inc = sample
    doc = json.loads(render_json(store, inc, UTC))
    timeline, _ = tables(parser().parse(render_markdown(store, inc, UTC)))
    expected = [dt.datetime.fromisoformat(e["occurred_at"]).strftime("%H:%M") for e in doc["events"]]
    assert [row[0] for row in timeline] == expected


def test_json_keeps_hostile_text_exactly_but_escapes_terminal_controls(tmp_path: Path) -> None:
    """The JSON is a faithful copy of the text, yet no raw control character reaches a terminal."""
    store, inc = hostile_store(tmp_path / "w.db")
    text = render_json(store, inc, UTC)
    assert not CONTROL.search(text.replace("\n", ""))
    doc = json.loads(text)
    assert doc["events"][0]["text"] == store.events(inc)[0].text
    assert doc["incident"]["summary"] == HOSTILE
    assert text.endswith("}\n")


# -- dependencies ------------------------------------------------------------------------------------------


def test_export_modules_import_neither_markdown_it_nor_textual() -> None:
    """The exporters stay light: the CLI's fast paths must not pull in a Markdown parser or the TUI."""
    code = (
        "import sys, warroom.store.export_md, warroom.store.export_json, warroom.store.mdescape; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('markdown_it', 'textual')))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_notes_lead_the_root_cause_analysis(tmp_path: Path) -> None:
    """The free-form notes are in the post-mortem, under Root Cause Analysis and before its fixed headings."""
    store = Store(tmp_path / "notes.db", clock=lambda: dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC))
    incident_id = store.create_incident("Notes").id
    store.update_incident(incident_id, notes="Dashboards: db panel 3\n[14:32] Meeting: **owner** unclear")
    text = render_markdown(store, incident_id, dt.UTC)
    section = text.split("## Root Cause Analysis\n", 1)[1].split("### Root Cause\n", 1)[0]
    assert "Dashboards: db panel 3" in section
    assert "\\*\\*owner** unclear" in section  # shown literally, not bold
