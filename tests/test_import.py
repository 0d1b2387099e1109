"""`warroom import` and `warroom schema`: export -> import -> export gives the same bytes; edits merge."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_support import cli_env, close_opened, invoke  # noqa: F401 (cli_env: autouse fixture)
from warroom.store.demo import DEMO_ID, seed_demo
from warroom.store.export_json import render_json
from warroom.store.export_md import render_markdown
from warroom.store.export_schema import SCHEMA_ID, ExportDocument
from warroom.store.hypotheses import HypothesisStatus, hypotheses, settle
from warroom.store.import_md import duration_range
from warroom.store.importer import import_text
from warroom.store.mdescape import clean_line, escape_cell, escape_heading, escape_paragraphs
from warroom.store.mdparse import split_row, unescape, unescape_cell, unescape_lines, unescape_paragraphs
from warroom.store.store import Store
from warroom.store.timeparse import UTC, format_duration, zone
from warroom.tui.cli import cli, main

if TYPE_CHECKING:
    from tests.conftest import FakeClock

START = dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
BERLIN = zone("Europe/Berlin")
HOSTILE = (
    "Pipes | a \\| b || end\nBackticks `code` ``x`` and ```fence```\n"
    "<script>alert(1)</script> [x](javascript:alert(1)) ![i](x.png) <https://e.test>\n"
    "# leading heading\n---\n===\n- bullet\n+ plus\n1. numbered\n2) other\n> quote\n"
    "**bold** _em_ ~~gone~~ &amp; &#60; back\\slash\\\n\n\nsecond paragraph ends with #"
)
#: Links among text that only looks like them: only the plain http(s) URLs become links.
LINKS = (
    "see https://grafana.example/d/a_b?x=1&y=[2] https://ok.example/p_(1). <https://no.example> "
    'javascript:alert(1) https://x.example/"><script> http://10.0.0.1:3000/#top,'
)
RENDERERS = {"md": render_markdown, "json": render_json}


# -- helpers ----------------------------------------------------------------------------------------------


def fresh(tmp_path: Path, name: str, clock: FakeClock) -> Store:
    """Another, empty database."""
    return Store(tmp_path / f"{name}.db", clock=clock)


def round_trip(source: Store, incident_id: str, fmt: str, tz: dt.tzinfo, target: Store) -> tuple[str, str]:
    """Export from `source`, import into `target`, export again: both texts."""
    first = RENDERERS[fmt](source, incident_id, tz)
    report = import_text(target, first)
    assert report.created and not report.problems, [str(p) for p in report.problems]
    return first, RENDERERS[fmt](target, incident_id, tz)


def hostile_incident(store: Store) -> str:
    """An incident over two days with HOSTILE text in every free-text field and record."""
    inc = store.create_incident(HOSTILE[:400], id="INC-HOSTILE", owner="#owner | x", started_at=START).id
    ids = []
    for minutes, kind, milestone in [
        (0, "note", None),
        (3, "hypothesis", None),
        (5, "decision", "detected"),
        (6, "comms", None),
        (40, "action", "mitigated"),
        (24 * 60 + 5, "note", "resolved"),
    ]:
        at = START + dt.timedelta(minutes=minutes, seconds=17)
        event = store.log_event(inc, HOSTILE, occurred_at=at, kind=kind, milestone=milestone, team="|t`e<am>")
        ids.append(event.id or 0)
    store.edit_event(ids[1], starred=True)
    store.log_event(inc, LINKS, occurred_at=START + dt.timedelta(minutes=7), team="sre")
    settle(store, inc, ids[1], HypothesisStatus.RULED_OUT, HOSTILE + " " + LINKS)
    for kind in ("root", "contributing", "trigger"):
        store.add_factor(inc, HOSTILE, kind=kind, event_ids=ids[:2])
    store.add_action(inc, HOSTILE[:300], owner="_me_ | you", deadline=dt.date(2026, 12, 1), priority="P1")
    store.add_action(inc, "[x](javascript:alert(1))")
    store.edit_action(inc, 2, status="won't do")
    fields = ("summary", "customers_affected", "business_impact", "went_well", "went_wrong", "got_lucky", "notes")
    store.update_incident(
        inc,
        status="resolved",
        severity="SEV1",
        commander="<script>",
        scribe="`sam`",
        tags=["a|b", "<i>"],
        **dict.fromkeys(fields, HOSTILE),
    )
    return inc


# -- round trips ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "json"])
@pytest.mark.parametrize("tz", [UTC, BERLIN], ids=["UTC", "Berlin"])
def test_demo_round_trips_byte_for_byte(store: Store, tmp_path: Path, clock: FakeClock, fmt: str, tz: Any) -> None:
    """The demo incident exported, imported into a fresh file and exported again is the same document."""
    seed_demo(store)
    first, second = round_trip(store, DEMO_ID, fmt, tz, fresh(tmp_path, "other", clock))
    assert second == first


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_hostile_text_round_trips_byte_for_byte(store: Store, tmp_path: Path, clock: FakeClock, fmt: str) -> None:
    """Pipes, backticks, HTML, javascript links, heading marks, rules and newlines come back exactly as shown."""
    inc = hostile_incident(store)
    first, second = round_trip(store, inc, fmt, UTC, fresh(tmp_path, "other", clock))
    assert second == first
    assert "2026-11-28" in first  # the two-day timeline shows dates on every row


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_hypotheses_and_links_survive_the_round_trip(store: Store, tmp_path: Path, clock: FakeClock, fmt: str) -> None:
    """A ruled-out hypothesis keeps its status and reason, and the links their text, in the imported file."""
    inc = hostile_incident(store)
    target = fresh(tmp_path, "other", clock)
    round_trip(store, inc, fmt, UTC, target)
    [ruled] = hypotheses(target, inc)
    assert ruled.status is HypothesisStatus.RULED_OUT and ruled.settlement is not None
    assert "javascript:alert(1)" in ruled.settlement.reason
    [linked] = [e for e in target.events(inc) if e.text == LINKS]
    assert linked.team == "sre"


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_hypotheses_settled_in_the_same_minute_all_come_back(
    store: Store, tmp_path: Path, clock: FakeClock, fmt: str
) -> None:
    """Two hypotheses and their notes in one minute: each keeps its own status, reason and note."""
    inc = store.create_incident("Checkout failing", id="INC-MINUTE", started_at=START).id
    first = store.log_event(inc, "the deploy broke it", kind="hypothesis").id or 0
    store.log_event(inc, "pool graph at 40%")
    second = store.log_event(inc, "the batch job holds connections", kind="hypothesis").id or 0
    store.log_event(inc, "DNS", kind="hypothesis")
    settle(store, inc, second, HypothesisStatus.CONFIRMED, "pg_stat_activity shows it")
    settle(store, inc, first, HypothesisStatus.RULED_OUT, "rollback changed nothing")
    target = fresh(tmp_path, "other", clock)
    first_text, second_text = round_trip(store, inc, fmt, UTC, target)
    assert second_text == first_text
    got = {h.event.text: (h.status, h.settlement and h.settlement.reason) for h in hypotheses(target, inc)}
    assert got == {
        "the deploy broke it": (HypothesisStatus.RULED_OUT, "rollback changed nothing"),
        "the batch job holds connections": (HypothesisStatus.CONFIRMED, "pg_stat_activity shows it"),
        "DNS": (HypothesisStatus.OPEN, None),
    }
    notes = {
        h.event.text: target.event(h.settlement.settled_by or 0).text for h in hypotheses(target, inc) if h.settlement
    }
    assert notes["the deploy broke it"].startswith("Ruled out #")
    assert notes["the batch job holds connections"].startswith("Confirmed #")


def test_markdown_import_rebuilds_what_the_document_shows(store: Store, tmp_path: Path, clock: FakeClock) -> None:
    """Star, milestone, kind, team, links, the start and the action fields are records again, not just text."""
    seed_demo(store)
    target = fresh(tmp_path, "other", clock)
    import_text(target, render_markdown(store, DEMO_ID, UTC))
    original, copy = store.incident(DEMO_ID), target.incident(DEMO_ID)
    assert copy.started_at == original.started_at
    assert (copy.severity, copy.status, copy.commander, copy.tags) == ("SEV2", "resolved", "Priya", original.tags)
    assert copy.notes == original.notes and "Pool graphs" in copy.notes
    assert [(e.starred, e.milestone, e.team, e.text) for e in target.events(DEMO_ID)] == [
        (e.starred, e.milestone, e.team, e.text) for e in store.events(DEMO_ID)
    ]
    assert {e.source for e in target.events(DEMO_ID)} == {"import"}
    for linked, original_factor in zip(target.factors(DEMO_ID), store.factors(DEMO_ID), strict=True):
        assert [target.event(i).text for i in linked.event_ids] == [
            store.event(i).text for i in original_factor.event_ids
        ]
    assert [(a.owner, a.deadline, a.priority) for a in target.actions(DEMO_ID)] == [
        (a.owner, a.deadline, a.priority) for a in store.actions(DEMO_ID)
    ]


def test_json_import_keeps_ids_and_timestamps(store: Store, tmp_path: Path, clock: FakeClock) -> None:
    """A JSON import into a fresh file keeps event, factor and action ids, numbers and logged times."""
    seed_demo(store)
    target = fresh(tmp_path, "other", clock)
    import_text(target, render_json(store, DEMO_ID, UTC))
    assert target.events(DEMO_ID) == store.events(DEMO_ID)
    assert target.actions(DEMO_ID) == store.actions(DEMO_ID)


_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("|`*_[]<>#-=+!~&\\()\n .:1★")),
        st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]),
    ),
    max_size=60,
)
_LINE = _TEXT.filter(lambda t: bool(t.strip()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    summary=_TEXT,
    texts=st.lists(_LINE, min_size=1, max_size=3),
    team=_TEXT,
    factor=_LINE,
    title=_LINE,
    starred=st.booleans(),
    milestone=st.sampled_from([None, "detected", "mitigated", "resolved"]),
)
def test_any_text_round_trips(
    clock: FakeClock,
    summary: str,
    texts: list[str],
    team: str,
    factor: str,
    title: str,
    starred: bool,
    milestone: str | None,
) -> None:
    """Whatever people type (markdown specials, newlines, unicode) survives export -> import -> export."""
    with tempfile.TemporaryDirectory() as folder:
        source = Store(Path(folder) / "a.db", clock=clock)
        inc = source.create_incident(title[:500], id="INC-P", owner=team[:500], started_at=START).id
        ids = [
            source.log_event(inc, text, occurred_at=START + dt.timedelta(minutes=n), team=team[:500]).id or 0
            for n, text in enumerate(texts)
        ]
        source.edit_event(ids[-1], starred=starred, milestone=milestone)
        source.add_factor(inc, factor, kind="root", event_ids=ids[:1])
        source.add_action(inc, title[:500], owner=team[:500])
        source.update_incident(inc, summary=summary, went_wrong=summary, customers_affected=summary)
        for fmt in ("md", "json"):
            target = Store(Path(folder) / f"{fmt}.db", clock=clock)
            first, second = round_trip(source, inc, fmt, UTC, target)
            assert second == first
            target.close()
        source.close()


# -- the inverses of mdescape ------------------------------------------------------------------------------


@given(_TEXT)
def test_unescape_inverts_every_escape(text: str) -> None:
    """Cells, headings and paragraphs unescape to the text that was escaped (as the document shows it)."""
    assert unescape_cell(escape_cell(text)) == clean_line(text)
    assert unescape(escape_heading(text)) == clean_line(text)
    paragraphs = escape_paragraphs(text)
    read = [[line for raw in lines for line in unescape_lines(raw)] for lines in (["\\\n".join(p)] for p in paragraphs)]
    assert escape_paragraphs(unescape_paragraphs(read)) == paragraphs


def test_unescape_lines_hard_and_soft_breaks() -> None:
    """A trailing odd backslash is a hard break; an escaped backslash at the end is text; soft breaks join."""
    assert unescape_lines("a\\\nb") == ["a", "b"]
    assert unescape_lines("a\\\\\nb") == ["a\\ b"]
    assert unescape_lines("a\\\\\\\nb") == ["a\\", "b"]
    assert unescape_lines("wrapped by\nhand") == ["wrapped by hand"]


def test_split_row_keeps_escaped_pipes_in_their_cell() -> None:
    """Only pipes without a backslash before them split cells; the count is the real one."""
    assert split_row("| a \\| b | c\\\\\\| d |  |") == ["a \\| b", "c\\\\\\| d", ""]
    assert len(split_row("| 1 | 2 | 3 | 4 |")) == 4


@given(st.integers(min_value=-200_000, max_value=200_000))
def test_duration_range_is_what_format_duration_shows(seconds: int) -> None:
    """Every whole number of seconds in the range formats as the text, and the range's own ends do too."""
    text = format_duration(dt.timedelta(seconds=seconds))
    span = duration_range(text)
    assert span is not None and span[0] <= seconds <= span[1]
    for end in span:
        assert format_duration(dt.timedelta(seconds=end)) == text


# -- importing into an incident that exists ----------------------------------------------------------------


def edit_export(text: str, *replacements: tuple[str, str]) -> str:
    """The document with each (old, new) replaced exactly once."""
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def merge_sample(store: Store) -> str:
    """A resolved incident to edit by hand: a timeline, a root cause and three action items."""
    inc = store.create_incident("Checkout failing", id="INC-M", owner="priya", started_at=START).id
    for minutes, text, milestone in [
        (0, "Checkout error alert fired", "detected"),
        (20, "Batch sessions terminated", None),
        (25, "Error rate back under 1%", "mitigated"),
        (40, "No errors for 15 minutes", "resolved"),
    ]:
        store.log_event(inc, text, occurred_at=START + dt.timedelta(minutes=minutes), milestone=milestone, team="dba")
    store.add_factor(inc, "Batch job and API share one pool", kind="root")
    store.add_action(inc, "Per-client connection limits", owner="dba", deadline=dt.date(2026, 12, 11), priority="P1")
    store.add_action(inc, "Alert on connection pool saturation above 80%", owner="sre", deadline=dt.date(2026, 12, 4))
    store.add_action(inc, "Document the scheduler time zone", priority="P3")
    store.update_incident(inc, status="resolved", summary="Checkout failed.", customers_affected="About 4,100.")
    return inc


def test_edits_merge_into_the_existing_incident(store: Store) -> None:
    """Reworded rows, new rows, filled-in action fields and a new impact apply; history and the rest stay."""
    inc = merge_sample(store)
    edited = edit_export(
        render_markdown(store, inc, UTC),
        ("| Batch sessions terminated |", "| Batch sessions terminated (all 400) |"),
        ("| 14:25 | **Mitigated:**", "| 14:24 | _Action:_ Replica promoted | dba |\n| 14:25 | **Mitigated:**"),
        (
            "| Document the scheduler time zone | _unassigned_ | _none_ | P3 | open |",
            "| Document the scheduler time zone | sam | 2026-12-20 | P3 | in progress |",
        ),
        ("| Alert on connection pool saturation above 80% | sre |", "| Alert on pool saturation above 80% | sre |"),
        (
            "| Per-client connection limits |",
            "| Load-test the batch job | priya | 2026-12-30 | P2 | open |\n| Per-client connection limits |",
        ),
        ("- **Business impact:** _Not recorded._", "- **Business impact:** About $30k of orders retried."),
    )
    terminated = store.events(inc)[1]
    report = import_text(store, edited)
    assert report.summary() == (
        f"imported {inc}: 1 event added, 1 updated, 1 action item added, 2 updated, business impact updated"
    )
    assert not report.problems
    assert store.event(terminated.id or 0).text == "Batch sessions terminated (all 400)"
    assert store.revisions("event", terminated.id or 0)[-1]["text"] == "Batch sessions terminated"
    assert [e.text for e in store.events(inc)][2:4] == ["Replica promoted", "Error rate back under 1%"]
    item = store.action(inc, 3)
    assert (item.owner, item.deadline, item.status) == ("sam", dt.date(2026, 12, 20), "in progress")
    assert store.action(inc, 2).title == "Alert on pool saturation above 80%"
    assert store.action(inc, 4).title == "Load-test the batch job"
    assert store.incident(inc).business_impact == "About $30k of orders retried."
    assert store.revisions("incident", inc)[-1]["business_impact"] == ""
    # The file now says what the database holds; a new action item is numbered (and listed) last.
    added = "| Load-test the batch job | priya | 2026-12-30 | P2 | open |\n"
    assert render_markdown(store, inc, UTC) == edited.replace(added, "") + added


def test_import_deletes_nothing(store: Store) -> None:
    """Rows and items missing from the file, or emptied cells, leave the database as it was."""
    inc = merge_sample(store)
    text = render_markdown(store, inc, UTC)
    lines = [line for line in text.split("\n") if "Batch sessions" not in line and "| Per-client" not in line]
    shortened = "\n".join(lines).replace("**Owner:** priya", "**Owner:** —")
    before = (store.events(inc), store.actions(inc), store.incident(inc))
    report = import_text(store, shortened)
    assert report.summary() == f"imported {inc}: nothing changed"
    assert (store.events(inc), store.actions(inc), store.incident(inc)) == before


def test_importing_the_same_json_twice_changes_nothing(store: Store) -> None:
    """A JSON export imported onto its own incident finds nothing to change."""
    seed_demo(store)
    report = import_text(store, render_json(store, DEMO_ID, UTC))
    assert (report.created, report.summary()) == (False, f"imported {DEMO_ID}: nothing changed")


# -- the command -------------------------------------------------------------------------------------------


def test_cli_import_round_trip_under_a_new_id(store: Store, tmp_path: Path) -> None:
    """`warroom import FILE --as ID` creates the copy; its export differs only in the id line."""
    seed_demo(store)
    path = tmp_path / "pm.md"
    path.write_text(render_markdown(store, DEMO_ID, UTC), encoding="utf-8")
    result = invoke("import", str(path), "--as", "INC-COPY")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("imported INC-COPY (new incident): 13 events added")
    assert result.stderr == ""
    copy = invoke("export", "INC-COPY").stdout
    assert copy == path.read_text(encoding="utf-8").replace(f"**Incident ID:** {DEMO_ID}", "**Incident ID:** INC-COPY")


def test_cli_json_import_into_a_fresh_file_is_byte_identical(store: Store, tmp_path: Path) -> None:
    """JSON through the command: export, import into another file, export again."""
    seed_demo(store)
    path = tmp_path / "pm.json"
    path.write_text(render_json(store, DEMO_ID, UTC), encoding="utf-8")
    other = str(tmp_path / "second.db")
    assert invoke("--db", other, "import", str(path)).exit_code == 0
    again = invoke("--db", other, "export", DEMO_ID, "--format", "json")
    assert again.stdout == path.read_text(encoding="utf-8")


BROKEN = """# Incident Post-Mortem: Broken on purpose

- **Date:** 2026-11-27
- **Incident ID:** INC-BROKEN
- **Severity:** very bad
- **Mood:** grumpy

## Incident Summary

Something went wrong.

## Incident Timeline

| Time (UTC) | Event Description | Responsible Team |
|---|---|---|
| 14:00 | First | sre |
| 25:99 | Bad time | sre |
| 14:05 | Too | many | cells |
| 14:07 | **Resolved:** Fixed | sre |

## Appendix

Secret notes.

## Action Items

| Action Item | Owner | Deadline | Priority | Status |
|---|---|---|---|---|
| Fix it | sam | soon | P9 | open |
"""


def test_unmappable_parts_are_listed_and_the_rest_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each unknown heading, bad row, bad time and bad severity is one `not imported: line N:` line; exit 0."""
    path = tmp_path / "broken.md"
    path.write_text(BROKEN, encoding="utf-8")
    assert main(["import", str(path)]) == 0
    out, err = capsys.readouterr()
    # The summary it saved is named too: the import summary says everything it saved.
    assert out == "imported INC-BROKEN (new incident): 2 events added, 1 action item added, summary saved\n"
    assert err.splitlines() == [
        "not imported: line 5: severity 'very bad' is not a severity name such as SEV1",
        "not imported: line 6: unknown field 'Mood'",
        "not imported: line 17: time '25:99' is not HH:MM or YYYY-MM-DD HH:MM",
        "not imported: line 18: a row with 4 cells (expected 3)",
        "not imported: line 21: unknown heading 'Appendix'; what follows it was skipped",
        "not imported: line 29: deadline 'soon' is not YYYY-MM-DD; left empty",
        "not imported: line 29: priority 'P9' is not P1, P2 or P3; P2 used",
    ]
    assert main(["export", "INC-BROKEN"]) == 0
    assert "Secret notes" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("just some notes\n", "no '# Incident Post-Mortem: TITLE' heading"),
        ('{"format": "something-else"}', "not a warroom JSON export"),
        ('{"format": "warroom-postmortem", "version": 99}', "format version 99"),
        ("{not json", "not valid JSON"),
        ("# Incident Post-Mortem: no id\n", "no '**Incident ID:**' line"),
    ],
)
def test_nothing_importable_exits_1_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    """A file that is not a post-mortem at all: one line on stderr, exit 1, no incident made."""
    path = tmp_path / "x.txt"
    path.write_text(content, encoding="utf-8")
    assert main(["import", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err and err.startswith("warroom: ")
    assert main(["list"]) == 0 and "no incidents yet" in capsys.readouterr().out


def test_import_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file or a bad --as id is a usage error: exit 2, one line."""
    assert main(["import", str(tmp_path / "missing.md")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    path = tmp_path / "pm.md"
    path.write_text("# Incident Post-Mortem: x\n", encoding="utf-8")
    assert main(["import", str(path), "--as", "bad id!"]) == 2
    assert "incident id 'bad id!'" in capsys.readouterr().err


def test_import_reads_standard_input(store: Store) -> None:
    """`warroom import -` takes the document from a pipe."""
    seed_demo(store)
    text = render_json(store, DEMO_ID, UTC)
    result = CliRunner().invoke(cli, ["import", "-", "--as", "INC-PIPED"], input=text, catch_exceptions=False)
    close_opened()
    assert result.exit_code == 0 and result.stdout.startswith("imported INC-PIPED (new incident)")
    # The ids were taken by the original, so the copy has new ones, its factor links moved with them.
    copy = render_markdown(store, "INC-PIPED", UTC)
    assert copy == render_markdown(store, DEMO_ID, UTC).replace(DEMO_ID, "INC-PIPED")
    links = {i for f in store.factors("INC-PIPED") for i in f.event_ids}
    assert links and links <= {e.id for e in store.events("INC-PIPED")}


# -- the schema --------------------------------------------------------------------------------------------


def test_schema_command_prints_the_export_schema() -> None:
    """`warroom schema` is JSON Schema with the format's id and version, generated from the models."""
    result = invoke("schema")
    schema = json.loads(result.stdout)
    assert (schema["$id"], schema["version"], result.exit_code) == (SCHEMA_ID, 1, 0)
    assert schema["required"] == [name for name, f in ExportDocument.model_fields.items() if f.is_required()]
    assert "sections" in schema["properties"]  # the config file's extra sections, only when written
    assert set(schema["$defs"]) >= {"Incident", "ExportEvent", "ExportHypothesis", "Factor", "ActionItem", "Metrics"}


def test_real_exports_validate_against_the_export_model(store: Store) -> None:
    """render_json's output loads through ExportDocument; a changed shape would not."""
    seed_demo(store)
    inc = hostile_incident(store)
    for incident_id in (DEMO_ID, inc):
        text = render_json(store, incident_id, BERLIN)
        document = ExportDocument.model_validate_json(text)
        assert document.incident.id == incident_id and len(document.events) == store.count_events(incident_id)
    with pytest.raises(ValueError, match="extra"):
        ExportDocument.model_validate_json(text.replace('"display_zone"', '"surprise": 1, "display_zone"'))


_ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    offsets=st.lists(st.integers(min_value=-3 * 3600, max_value=3 * 86400), min_size=0, max_size=5),
    marks=st.lists(st.sampled_from([None, "detected", "mitigated", "resolved"]), min_size=5, max_size=5),
    direct=st.lists(st.one_of(st.none(), st.integers(min_value=-600, max_value=2 * 86400)), min_size=3, max_size=3),
    tz_name=st.sampled_from(_ZONES),
)
def test_times_and_durations_round_trip(
    clock: FakeClock,
    start: dt.datetime,
    offsets: list[int],
    marks: list[str | None],
    direct: list[int | None],
    tz_name: str,
) -> None:
    """Any start, event times (seconds included, across days and DST) and key times give the same Markdown."""
    tz = zone(tz_name)
    started = start.replace(tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        source = Store(Path(folder) / "a.db", clock=clock)
        inc = source.create_incident("Times", id="INC-T", started_at=started).id
        for offset, mark in zip(offsets, marks, strict=False):
            source.log_event(inc, f"at {offset}", occurred_at=started + dt.timedelta(seconds=offset), milestone=mark)
        keys = {
            f"{name}_at": started + dt.timedelta(seconds=s)
            for name, s in zip(("detected", "mitigated", "resolved"), direct, strict=True)
            if s is not None
        }
        source.update_incident(inc, **keys)
        target = Store(Path(folder) / "b.db", clock=clock)
        first, second = round_trip(source, inc, "md", tz, target)
        assert second == first
        target.close()
        source.close()


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_other_line_endings_read_the_same(store: Store, tmp_path: Path, clock: FakeClock, ending: str) -> None:
    """A post-mortem saved with CRLF (or old CR) line endings imports as if it had plain newlines."""
    seed_demo(store)
    text = render_markdown(store, DEMO_ID, UTC)
    target = fresh(tmp_path, "other", clock)
    report = import_text(target, text.replace("\n", ending))
    assert not report.problems
    assert render_markdown(target, DEMO_ID, UTC) == text
