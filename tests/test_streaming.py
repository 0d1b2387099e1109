"""Streamed output: `export`, `show` and the gap check read the timeline a batch at a time, and say the same.

With batches of two events, every path that used to hold the whole timeline crosses many batch
boundaries; what it writes must be byte for byte what the whole timeline read at once gives.
Memory and speed at a million events are measured by benchmarks/large.py, not here.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability_helpers import warroom
from warroom.store import export_rows
from warroom.store.export_json import render_json
from warroom.store.export_md import render_markdown
from warroom.store.export_rows import read_timeline
from warroom.store.quality import gaps
from warroom.store.store import Store
from warroom.store.timeparse import UTC, zone
from warroom.tui import cli_output

INC = "INC-7"
START = dt.datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
SCRIPT = Path(sys.executable).parent / "warroom"
ALL = ("id", "occurred_at", "text", "kind", "team", "milestone", "starred", "author", "logged_at", "source")


@pytest.fixture
def incident(tmp_path: Path) -> Path:
    """An incident over two days and a zone change: linked, deleted, starred, hostile and blaming events."""
    db = tmp_path / "w.db"
    clock = [START]
    store = Store(db, clock=lambda: clock[0])
    store.create_incident("Streamed | `title`", id=INC, started_at=START)
    ids = []
    for n in range(23):
        clock[0] = START + dt.timedelta(minutes=17 * n, seconds=n)
        text = [f"step {n} | [b]x[/b]", "John forgot to renew the cert", "\x1b[31m\u202e red \u2028", "ok"][n % 4]
        event = store.log_event(INC, text, team=["SRE", "", "db|team"][n % 3], starred=n % 5 == 0, kind="note")
        ids.append(event.id)
    store.log_event(INC, "detected it", milestone="detected", occurred_at=START + dt.timedelta(minutes=3))
    store.delete_event(ids[4])
    factor = store.add_factor(INC, "cert expired", kind="root")
    for event_id in (ids[9], ids[4], ids[2]):
        store.link_factor(INC, factor.number, event_id)
    store.add_action(INC, "Automate renewal", owner="")
    store.close()
    return db


@pytest.fixture
def tiny_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two events per batch and per `show` page."""
    monkeypatch.setattr(export_rows, "BATCH_ROWS", 2)
    monkeypatch.setattr(cli_output, "SHOW_PAGE", 2)


@pytest.mark.parametrize("tz", [UTC, zone("Europe/Berlin")], ids=["utc", "berlin"])
def test_streamed_exports_equal_the_whole_timeline_read_at_once(incident: Path, tiny_batches: None, tz: object) -> None:
    """Markdown and JSON in batches of two are byte-identical to rendering from the timeline read whole."""
    store = Store(incident)
    whole = read_timeline(store, INC, ALL)
    assert len(whole.rows) == 23
    for render in (render_markdown, render_json):
        streamed = render(store, INC, tz)  # type: ignore[arg-type]
        assert streamed == render(store, INC, tz, whole)  # type: ignore[arg-type]
    assert render_markdown(store, INC, UTC).count("John forgot to renew the cert") == 6  # every batch's rows
    assert gaps(store, INC, UTC) == gaps(store, INC, UTC, whole)
    assert any("timeline" in gap.where for gap in gaps(store, INC, UTC))
    store.close()


def test_installed_export_writes_what_the_render_gives(incident: Path, tmp_path: Path) -> None:
    """The real `warroom export -o` and to standard output both write exactly the rendered document."""
    store = Store(incident)
    expected = {"md": render_markdown(store, INC, UTC), "json": render_json(store, INC, UTC)}
    store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARROOM_")}
    for fmt, text in expected.items():
        out = tmp_path / f"out.{fmt}"
        argv = [str(SCRIPT), "--db", str(incident), "export", INC, "--format", fmt]
        done = subprocess.run([*argv, "-o", str(out)], capture_output=True, env=env)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == text.encode()
        piped = subprocess.run(argv, capture_output=True, env=env)
        assert piped.returncode == 0 and piped.stdout == text.encode()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_show_in_pages_lists_every_live_event_once_in_order(incident: Path, tiny_batches: None) -> None:
    """`show` read two events at a time prints every live event once, in timeline order, and the count."""
    store = Store(incident)
    events = store.events(INC)
    store.close()
    shown = warroom(incident, "show", INC)
    assert shown.code == 0
    assert f"timeline ({len(events)} events):" in shown.out
    listed = [int(line.split()[0]) for line in shown.out.split("timeline (")[1].split("\n\n")[0].splitlines()[1:]]
    assert listed == [event.id for event in events]


@pytest.mark.parametrize("deleted", [False, True], ids=["live", "with-deleted"])
def test_event_list_in_pages_prints_what_one_page_prints(
    incident: Path, monkeypatch: pytest.MonkeyPatch, deleted: bool
) -> None:
    """`event list` read two events at a time: every event once, in timeline order (ties in logged order,
    deleted ones with --deleted), the same bytes as one page holding the whole timeline."""
    store = Store(incident)
    same_time = START + dt.timedelta(minutes=40)
    for text in ("tie one", "tie two", "tie three"):
        store.log_event(INC, text, occurred_at=same_time)
    events = store.events(INC, include_deleted=deleted)
    store.close()
    flag = ["--deleted"] if deleted else []
    monkeypatch.setattr(cli_output, "SHOW_PAGE", 1_000_000)
    whole = warroom(incident, "event", "list", "-i", INC, *flag)
    monkeypatch.setattr(cli_output, "SHOW_PAGE", 2)
    paged = warroom(incident, "event", "list", "-i", INC, *flag)
    assert (paged.code, paged.out) == (whole.code, whole.out) == (0, whole.out)
    assert [int(line.split()[0]) for line in paged.out.splitlines()] == [event.id for event in events]
    assert any(" x " in line for line in paged.out.splitlines()) is deleted


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_check_into_a_file_lists_every_blaming_line_when_read_in_batches(
    incident: Path, tiny_batches: None, tmp_path: Path, fmt: str
) -> None:
    """Blameless language the only gap, the timeline two events a batch: `--check -o FILE` lists the same
    gaps as `--check` to standard output (every blaming line, not only the first), and writes no file."""
    store = Store(incident)
    store.log_event(INC, "error rate normal", milestone="resolved", occurred_at=START + dt.timedelta(hours=7))
    store.update_incident(
        INC,
        owner="priya",
        status="resolved",
        summary="The cert expired.",
        business_impact="Logins failed.",
        went_well="Alert fired.",
        went_wrong="No renewal alert.",
    )
    store.edit_action(INC, 1, owner="sre", deadline=dt.date(2099, 1, 1))
    expected = [gap.message for gap in gaps(store, INC)]
    store.close()
    assert len(expected) > 2 and all(message.startswith("Blaming language in timeline") for message in expected)
    target = tmp_path / f"pm.{fmt}"
    to_file = warroom(incident, "export", INC, "--check", "--format", fmt, "-o", str(target))
    to_stdout = warroom(incident, "export", INC, "--check", "--format", fmt)
    assert (to_file.code, to_file.out, to_file.err) == (to_stdout.code, to_stdout.out, to_stdout.err)
    assert to_file.err.splitlines() == [*expected, f"warroom: {INC} has {len(expected)} gap(s); nothing was exported"]
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
