"""The export's fast paths give what the records give: the plain-tuple timeline, its clock, the JSON events."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import time
from pathlib import Path

import pytest

from warroom.store import export_rows, models
from warroom.store.export_clock import TimelineClock
from warroom.store.export_json import render_json
from warroom.store.export_md import _all_plain, _plain, render_markdown
from warroom.store.export_rows import COLUMNS, read_timeline, timeline_of
from warroom.store.hypotheses import HypothesisStatus, hypotheses, hypotheses_json, settle
from warroom.store.links import links_in
from warroom.store.mdescape import escape_cell_links, escape_line
from warroom.store.records import json_values
from warroom.store.store import Store
from warroom.store.timeparse import UTC, from_db, to_db, zone

START = dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
#: What the JSON writes as \u escapes (export_json's _UNSAFE).
UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029]")
TRICKY_TEXTS = [
    'quotes " and \\ backslash, 100% sure, %s %(x)s',
    "tab\tnew\nline\rreturn \x00nul \x07bell \x1b[31mred\x1b[0m",
    "del\x7f c1\x85\x9b line\u2028para\u2029 nbsp\xa0 zero\u200bwidth",
    "unicode: naïve 数据库 🚀 İstanbul \u212aelvin ſ Σ",
    "  spaced   out  ",
    "| pipes | and *markup* _here_ <b>&amp;</b> ~~x~~ `y` [z]",
]


def tricky_store(path: Path) -> tuple[Store, str]:
    """An incident whose events are hard to render: every kind, stars, milestones, teams, deleted ones, odd text."""
    store = Store(path, clock=lambda: START)
    inc = store.create_incident("Tricky", started_at=START).id
    kinds = ["note", "detection", "hypothesis", "decision", "action", "comms"]
    teams = ["", "sre", "x|y", " spaced ", "Ünïcode", "100%"]
    ids = []
    for n, text in enumerate(TRICKY_TEXTS * 3):
        event = store.log_event(
            inc,
            text,
            occurred_at=START + dt.timedelta(minutes=n * 7, seconds=n, microseconds=(n % 3) * 250_000),
            kind=kinds[n % len(kinds)],
            team=teams[n % len(teams)],
            author=["", "bob", "Ü%"][n % 3],
            milestone={2: "detected", 9: "mitigated", 15: "resolved"}.get(n),
            starred=n % 4 == 0,
            source=["cli", "tui", "pipe", "import"][n % 4],
        )
        ids.append(event.id)
    store.delete_event(ids[3])
    store.add_factor(inc, "Root", kind="root", event_ids=[ids[5], ids[3], ids[1]])
    # A time in another ISO-8601 form, as a hand edit of the file could leave it.
    store.conn.execute("UPDATE events SET occurred_at = ? WHERE id = ?", ("2026-11-27T15:10:07+00:00", ids[7]))
    return store, inc


@pytest.fixture
def tricky(tmp_path: Path) -> tuple[Store, str]:
    """The tricky incident in a fresh database."""
    store, inc = tricky_store(tmp_path / "w.db")
    yield store, inc
    store.close()


def test_read_timeline_gives_the_records_values(tricky: tuple[Store, str]) -> None:
    """Each row is the live event's stored values, in timeline order: what Store.events gives as records."""
    store, inc = tricky
    events = store.events(inc)
    timeline = read_timeline(store, inc, ("id", "occurred_at", "text", "kind", "team", "milestone", "starred"))
    assert timeline.column("id") == [e.id for e in events]
    assert [from_db(stamp) for stamp in timeline.column("occurred_at")] == [e.occurred_at for e in events]
    assert timeline.column("text") == [e.text for e in events]
    assert timeline.column("team") == [e.team for e in events]
    assert timeline.column("kind") == [e.kind.value for e in events]
    assert [m or None for m in timeline.column("milestone")] == [e.milestone and e.milestone.value for e in events]
    assert [bool(s) for s in timeline.column("starred")] == [e.starred for e in events]
    assert timeline.rows_of(("team", "id")) == [(e.team, e.id) for e in events]


def test_a_given_timeline_renders_as_a_fresh_read(tricky: tuple[Store, str]) -> None:
    """Either document from a timeline read by the caller, of its own columns or more, is the same."""
    store, inc = tricky
    more = ("deleted_at", *reversed(COLUMNS), "incident_id")
    for columns in (COLUMNS, more):
        timeline = read_timeline(store, inc, columns)
        assert render_markdown(store, inc, UTC, timeline) == render_markdown(store, inc, UTC)
    for columns in (COLUMNS, more):
        timeline = read_timeline(store, inc, columns)
        assert render_json(store, inc, UTC, timeline) == render_json(store, inc, UTC)


def test_a_timeline_is_only_taken_for_its_own_incident(tricky: tuple[Store, str]) -> None:
    """Another incident's timeline is refused rather than rendered under this one's title."""
    store, inc = tricky
    other = store.create_incident("Other", started_at=START).id
    with pytest.raises(ValueError, match="timeline of"):
        timeline_of(store, other, COLUMNS, read_timeline(store, inc, COLUMNS))


# -- the clock ---------------------------------------------------------------------------------------------


def shown_one_by_one(stamps: list[str], tz: dt.tzinfo) -> list[str]:
    """Each stored time converted on its own, the date shown when the local dates differ.

    Across an offset change, a wall time that happens twice also shows its UTC offset (`02:10+02:00`).
    """
    local = [from_db(stamp).astimezone(tz) for stamp in stamps]  # type: ignore[union-attr]
    pattern = "%Y-%m-%d %H:%M" if len({moment.date() for moment in local}) > 1 else "%H:%M"
    crosses = len({moment.utcoffset() for moment in local}) > 1

    def offset(moment: dt.datetime) -> str:
        if not crosses or moment.replace(fold=1 - moment.fold).utcoffset() == moment.utcoffset():
            return ""
        minutes = int(moment.utcoffset().total_seconds()) // 60  # type: ignore[union-attr]
        return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    return [moment.strftime(pattern) + offset(moment) for moment in local]


def stamps_around(moment: dt.datetime, hours: int = 3, step: int = 37) -> list[str]:
    """Stored times every `step` seconds (with odd fractions) for `hours` either side of `moment`."""
    start = moment - dt.timedelta(hours=hours)
    count = hours * 2 * 3600 // step
    moments = (start + dt.timedelta(seconds=i * step, microseconds=i * 7919 % 1_000_000) for i in range(count))
    return [to_db(moment) or "" for moment in moments]


@pytest.mark.parametrize(
    ("zone_name", "moment"),
    [
        ("UTC", dt.datetime(2026, 11, 27, 23, 30, tzinfo=UTC)),
        ("Europe/Berlin", dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # clocks go forward
        ("Europe/Berlin", dt.datetime(2026, 10, 25, 1, 0, tzinfo=UTC)),  # and back: 02:00-03:00 twice
        ("America/Sao_Paulo", dt.datetime(2018, 2, 18, 2, 0, tzinfo=UTC)),  # back at midnight: a date repeats
        ("Europe/Amsterdam", dt.datetime(1937, 6, 30, 22, 40, tzinfo=UTC)),  # +00:19:32 to +00:20
        ("Australia/Lord_Howe", dt.datetime(2026, 4, 4, 15, 0, tzinfo=UTC)),  # half-hour shift
        ("Asia/Kathmandu", dt.datetime(2026, 11, 27, 6, 0, tzinfo=UTC)),  # +05:45, all on one day
    ],
)
def test_clock_shows_each_time_as_converting_it_alone(zone_name: str, moment: dt.datetime) -> None:
    """Worked out per minute, every time still shows what its own conversion shows, across zone changes."""
    tz = zone(zone_name)
    stamps = stamps_around(moment)
    stamps[5] = stamps[5][:19] + "+00:00"  # not to_db's form: converted on its own
    stamps[6] = stamps[6].replace("T", " ")
    clock = TimelineClock(stamps, tz)
    expected = shown_one_by_one(stamps, tz)
    assert clock.column(stamps) == expected
    assert [clock(stamp) for stamp in stamps[::50]] == expected[::50]


def test_clock_keeps_a_time_without_a_zone_apart_from_the_minute_it_reads_like(monkeypatch: pytest.MonkeyPatch) -> None:
    """`2026-11-27T14:02` (no zone: the machine's local time, as converting it alone takes it) is not 14:02 UTC."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        stamps = ["2026-11-27T14:02:09.000000Z", "2026-11-27T14:02"]
        assert TimelineClock(stamps, UTC).column(stamps) == shown_one_by_one(stamps, UTC) == ["14:02", "05:02"]
    finally:
        monkeypatch.undo()
        time.tzset()


def test_clock_dates_a_timeline_only_when_it_spans_days_there() -> None:
    """Two UTC times on one day can be two days in Berlin, and the other way round."""
    evening = ["2026-11-27T22:40:00.000000Z", "2026-11-27T23:10:00.000000Z"]
    assert TimelineClock(evening, UTC).column(evening) == ["22:40", "23:10"]
    assert TimelineClock(evening, zone("Europe/Berlin")).column(evening) == ["2026-11-27 23:40", "2026-11-28 00:10"]


# -- the JSON events ---------------------------------------------------------------------------------------


def test_json_events_are_the_records_dump(tricky: tuple[Store, str]) -> None:
    """Every event as its record's JSON values (pydantic's JSON of it) and its links, written as json.dumps would."""
    store, inc = tricky
    store.log_event(inc, "graphs https://grafana.example/d/1?a=b and http://10.0.0.1:3000/x.")
    text = render_json(store, inc, UTC)
    document = json.loads(text)
    events = store.events(inc)
    assert document["events"] == [{**json_values(event), "links": links_in(event.text)} for event in events]
    dumps = [models.Event(**json_values(event)).model_dump(mode="json") for event in events]
    assert [{k: v for k, v in e.items() if k != "links"} for e in document["events"]] == dumps
    assert ["https://grafana.example/d/1?a=b", "http://10.0.0.1:3000/x"] in [e["links"] for e in document["events"]]
    assert "2026-11-27T15:10:07Z" in [event["occurred_at"] for event in document["events"]]
    (factor,) = store.factors(inc)
    assert document["factors"][0]["event_ids"] == sorted({e.id for e in store.events(inc)} & set(factor.event_ids))
    standard = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert text == UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", standard)


def test_a_line_the_export_writes_as_it_is_is_one_the_escaping_leaves_alone() -> None:
    """The render's fast path (`_plain`) only passes texts that escape_cell_links and escape_line give unchanged."""
    rng = random.Random(5)
    alphabet = "ab |*_`~[<&\\:/#-!>()\xa0\u2028\ue000\t\n\x1b.1"
    texts = [*TRICKY_TEXTS, "http://x.example/a b", "a  b", " a", "a ", "plain words #12", ""]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))) for _ in range(20_000)]
    passed = [text for text in texts if _plain(text)]
    assert len(passed) > 1_000  # the fast path is taken, so the comparison below means something
    for text in passed:
        assert escape_cell_links(text) == text
        assert escape_line(text) == text


def test_a_batch_one_scan_finds_plain_holds_only_plain_lines() -> None:
    """One scan of a batch's texts (`_all_plain`) says plain only when each text is, and does for plain batches."""
    rng = random.Random(7)
    alphabet = "ab |*_`~[<&\\:/#-!>()\x7f\x1f\xa0\u2028\t\n.1"
    said_plain = 0
    for _ in range(20_000):
        texts = ["".join(rng.choice(alphabet[:6] + alphabet[-3:]) for _ in range(rng.randint(0, 6)))]
        texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3))) for _ in range(rng.randint(0, 3))]
        if _all_plain(texts):
            said_plain += 1
            assert all(_plain(text) for text in texts), texts
    assert said_plain > 1_000
    assert _all_plain(["plain words #12", "a", "b¤c"]) and _all_plain(["plain", "words"])
    assert not _all_plain(["a ", "b"]) and not _all_plain(["a", " b"]) and not _all_plain(["a", "b  c"])
    assert not _all_plain(["a", "b\x7f"]) and not _all_plain(["a", "b\xa0"]) and _all_plain(["a:", "//b"])


def _old_markdown_hypotheses(store: Store, inc: str, tz: dt.tzinfo) -> list[str]:
    """The section as the export wrote it from `Hypothesis` records (before it read rows)."""
    found = hypotheses(store, inc)
    if not found:
        return []
    stamps = {e.id: to_db(e.occurred_at) for e in store.events(inc)}
    clock = TimelineClock(stamps.values(), tz)
    lines = ["", "### Hypotheses considered", ""]
    for h in found:
        text = escape_line(h.event.text) or "—"
        times = [clock(stamps[h.number])]
        if h.settlement is not None:
            text += f" — {escape_line(h.settlement.reason) or '—'}"
            if h.settlement.settled_by in stamps:
                times.append(clock(stamps[h.settlement.settled_by]))
        lines.append(f"- **{h.status.value.capitalize()}:** {text} (see {', '.join(times)})")
    return lines


def test_hypotheses_export_as_their_records_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Open, ruled out and confirmed hypotheses (hostile text, a settling note deleted) in both exports, across
    batches: what the records give, in the Markdown section and the JSON list."""
    monkeypatch.setattr(export_rows, "BATCH_ROWS", 2)
    store = Store(tmp_path / "h.db", clock=lambda: START)
    inc = store.create_incident("Hypotheses", started_at=START).id
    texts = ["pool *exhausted*?", '100% %s "dns" \u2028 <b>', "  cert   expired ", "plain guess", "x|y `z`"]
    numbers = []
    for n, text in enumerate(texts):
        at = START + dt.timedelta(minutes=5 * n)
        numbers.append(store.log_event(inc, text, kind="hypothesis", occurred_at=at).id or 0)
        store.log_event(inc, f"note {n}", occurred_at=at + dt.timedelta(minutes=1))
    settle(store, inc, numbers[0], HypothesisStatus.RULED_OUT, "rollback changed nothing at 40%s")
    _, note = settle(store, inc, numbers[1], HypothesisStatus.CONFIRMED, 'the "resolver" | _was_ down\u2029')
    settle(store, inc, numbers[3], HypothesisStatus.CONFIRMED, "yes")
    store.delete_event(note.id or 0)
    markdown = render_markdown(store, inc, UTC)
    expected = "\n".join(_old_markdown_hypotheses(store, inc, UTC))
    assert expected.count("\n- **") == 5 and expected in markdown
    live = {e.id for e in store.events(inc) if e.id is not None}
    assert json.loads(render_json(store, inc, UTC))["hypotheses"] == hypotheses_json(store, inc, live)
    store.close()
