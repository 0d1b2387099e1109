"""The quality gate: what a post-mortem lacks (store.quality.gaps) and `warroom export --check`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.cli_support import cli_env, close_opened, invoke  # noqa: F401 (cli_env: autouse fixture)
from warroom.store.export_json import render_json
from warroom.store.export_md import render_markdown
from warroom.store.quality import GapKind, gaps
from warroom.store.store import Store
from warroom.store.timeparse import UTC, zone

if TYPE_CHECKING:
    pass

START = dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def finished(store: Store) -> str:
    """An incident with nothing missing."""
    inc = store.create_incident("Checkout outage", id="INC-DONE", owner="priya", started_at=START).id
    store.log_event(inc, "Error rate alert", occurred_at=START, milestone="detected", team="sre")
    store.log_event(inc, "Error rate normal", occurred_at=START + dt.timedelta(minutes=30), milestone="resolved")
    store.add_factor(inc, "The pool had no per-client limit", kind="root")
    store.add_action(inc, "Per-client pool limits", owner="dba", deadline=dt.date(2026, 12, 11))
    store.update_incident(inc, summary="Checkout failed for 30 minutes.", business_impact="About 900 orders retried.")
    store.update_incident(inc, status="resolved", went_well="The alert fired at once.", went_wrong="No pool dashboard.")
    return inc


def bare(store: Store) -> str:
    """An incident just opened: almost everything missing."""
    inc = store.create_incident("Checkout outage", id="INC-BARE", started_at=START).id
    store.add_action(inc, "Per-client pool limits")
    store.add_action(inc, "Alert on saturation", owner="sre")
    store.add_action(inc, "Old idea")
    store.edit_action(inc, 3, status="won't do")
    store.update_incident(inc, went_wrong="We should have checked the pool.")
    return inc


def test_finished_incident_has_no_gaps(store: Store) -> None:
    """Summary, one half of the impact, root cause, owned and dated actions, resolved, blameless: nothing."""
    assert gaps(store, finished(store)) == []


def test_each_gap_is_named(store: Store) -> None:
    """Every missing piece is one gap, each action item by number and title; closed items are skipped."""
    found = gaps(store, bare(store))
    assert [(g.kind, g.where) for g in found] == [
        (GapKind.OWNER, "owner"),
        (GapKind.SUMMARY, "summary"),
        (GapKind.RESOLVED, "milestone:resolved"),
        (GapKind.ROOT_CAUSE, "factor:root"),
        (GapKind.IMPACT, "customers_affected"),
        (GapKind.LESSONS, "went_well"),
        (GapKind.ACTION_OWNER, "action:1"),
        (GapKind.ACTION_DEADLINE, "action:1"),
        (GapKind.ACTION_DEADLINE, "action:2"),
        (GapKind.LANGUAGE, "lint:what went wrong"),
    ]
    assert found[6].message == 'Action item 1 ("Per-client pool limits") has no owner'
    assert found[-1].message.startswith('Blaming language in what went wrong: "We should have" → ')


def test_either_half_of_the_impact_is_enough(store: Store) -> None:
    """Customers affected alone, or business impact alone, fills the impact."""
    inc = finished(store)
    store.update_incident(inc, business_impact="", customers_affected="About 4,100 customers.")
    assert gaps(store, inc) == []
    store.update_incident(inc, customers_affected="")
    assert [g.kind for g in gaps(store, inc)] == [GapKind.IMPACT]


def test_allowlisted_language_is_not_a_gap(store: Store) -> None:
    """A phrase the incident allows does not hold the export back."""
    inc = finished(store)
    store.update_incident(inc, went_wrong="We should have load-tested the pool.")
    assert [g.kind for g in gaps(store, inc)] == [GapKind.LANGUAGE]
    store.allow_lint_phrase(inc, "should have")
    assert gaps(store, inc) == []


# -- export --check ----------------------------------------------------------------------------------------


def test_check_with_gaps_exits_1_and_prints_only_the_gaps(store: Store, tmp_path: Path) -> None:
    """Nothing on stdout, no file written, each gap a line on stderr."""
    inc = bare(store)
    expected = [g.message for g in gaps(store, inc)]
    result = invoke("export", inc, "--check")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[:-1] == expected
    assert result.stderr.splitlines()[-1] == "warroom: INC-BARE has 10 gap(s); nothing was exported"
    target = tmp_path / "pm.md"
    assert invoke("export", inc, "--check", "-o", str(target)).exit_code == 1
    assert not target.exists()


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_check_without_gaps_exports_normally(store: Store, fmt: str) -> None:
    """Exit 0 and exactly the document on stdout, nothing on stderr."""
    inc = finished(store)
    result = invoke("export", inc, "--check", "--format", fmt)
    render = render_markdown if fmt == "md" else render_json
    assert (result.exit_code, result.stdout, result.stderr) == (0, render(store, inc, UTC), "")


def test_check_without_gaps_writes_the_file(store: Store, tmp_path: Path) -> None:
    """--check with -o writes the file when nothing is missing."""
    inc = finished(store)
    target = tmp_path / "pm.md"
    assert invoke("export", inc, "--check", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == render_markdown(store, inc, UTC)


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_check_into_a_file_with_only_blame_missing_keeps_the_old_file(store: Store, tmp_path: Path, fmt: str) -> None:
    """Blaming language on the timeline is the only gap: the gap and exit 1, the file as it was, no temporary left."""
    inc = finished(store)
    store.log_event(inc, "Sam forgot to drain the node", occurred_at=START + dt.timedelta(minutes=7), team="Sam")
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / f"pm.{fmt}"
    target.write_text("the previous export\n", encoding="utf-8")
    result = invoke("export", inc, "--check", "--format", fmt, "-o", str(target))
    expected = [g.message for g in gaps(store, inc)]
    assert [g.kind for g in gaps(store, inc)] == [GapKind.LANGUAGE]
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [*expected, f"warroom: {inc} has 1 gap(s); nothing was exported"]
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_check_into_a_file_writes_what_the_plain_export_writes(store: Store, tmp_path: Path, fmt: str) -> None:
    """Nothing missing: `--check -o` writes the bytes `export -o` writes, and says only where."""
    inc = finished(store)
    checked, plain = tmp_path / f"checked.{fmt}", tmp_path / f"plain.{fmt}"
    result = invoke("export", inc, "--check", "--format", fmt, "-o", str(checked))
    assert (result.exit_code, result.stderr) == (0, f"wrote {checked}\n")
    assert invoke("export", inc, "--format", fmt, "-o", str(plain)).exit_code == 0
    assert checked.read_bytes() == plain.read_bytes()


def test_check_into_a_link_lists_the_gaps_before_refusing_the_link(store: Store, tmp_path: Path) -> None:
    """A file that cannot be written (a link without --force) still gets the gaps first, as --check always said."""
    inc = finished(store)
    store.log_event(inc, "Sam forgot to drain the node", occurred_at=START + dt.timedelta(minutes=7), team="Sam")
    (tmp_path / "real.md").write_text("kept\n", encoding="utf-8")
    (tmp_path / "link.md").symlink_to(tmp_path / "real.md")
    result = invoke("export", inc, "--check", "-o", str(tmp_path / "link.md"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"warroom: {inc} has 1 gap(s); nothing was exported"
    assert (tmp_path / "real.md").read_text(encoding="utf-8") == "kept\n"


def test_export_without_check_warns_but_stdout_is_the_document(store: Store) -> None:
    """Without --check the gaps are `warning:` lines on stderr and stdout is exactly the export."""
    inc = bare(store)
    result = invoke("export", inc)
    assert result.exit_code == 0
    assert result.stdout == render_markdown(store, inc, UTC)
    assert result.stderr.splitlines() == [f"warning: {g.message}" for g in gaps(store, inc)]


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_export_warns_about_blame_in_the_timeline_it_exports(store: Store, fmt: str) -> None:
    """The gap check lints the very timeline the export writes: a blaming line is a warning with its time."""
    inc = finished(store)
    store.log_event(inc, "Sam forgot to drain the node", occurred_at=START + dt.timedelta(minutes=7), team="Sam")
    result = invoke("--tz", "Europe/Berlin", "export", inc, "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"warning: {g.message}" for g in gaps(store, inc, zone("Europe/Berlin"))]
    assert 'Blaming language in timeline 15:07: "Sam forgot"' in result.stderr
    assert "Sam forgot to drain the node" in result.stdout
