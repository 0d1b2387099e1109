"""Times on the first and last days warroom keeps: a Markdown export imports back byte for byte in every
zone, and only instants truly outside 1970-01-01..9999-12-30 UTC are refused, each named by its row.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.edge_support import INC, run
from tests.reliability_helpers import integrity, warroom

ZONES = ["UTC", "Pacific/Kiritimati", "Etc/GMT+12", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu"]
FIRST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LAST = dt.datetime(9999, 12, 30, 23, 59, 59, tzinfo=dt.UTC)
SETTINGS = settings(max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def stamp(moment: dt.datetime) -> str:
    """An instant as the CLI's time options take it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def folder() -> Iterator[Path]:
    """A scratch folder (hypothesis reruns the body: no function-scoped fixtures)."""
    path = Path(tempfile.mkdtemp(prefix="warroom-edge-times-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize(
    ("zone", "start"),
    [
        ("UTC", "1970-01-01T00:00Z"),
        ("Pacific/Kiritimati", "1970-01-01T00:00Z"),
        ("Etc/GMT+12", "1970-01-01T00:30Z"),
        ("Pacific/Kiritimati", "9999-12-30T12:00Z"),
        ("Pacific/Kiritimati", "9999-12-30T23:59Z"),
        ("Etc/GMT+12", "9999-12-30T23:59Z"),
    ],
)
def test_markdown_export_on_a_boundary_day_imports_back_byte_for_byte(tmp_path: Path, zone: str, start: str) -> None:
    source, copy = tmp_path / "a.db", tmp_path / "b.db"
    run(source, "new", "Edge of time", "--id", INC, "--started", start, tz=zone).ok()
    run(source, "log", "first", "-i", INC, "--at", start, tz=zone).ok()
    run(source, "log", "fixed", "-i", INC, "--at", start, "--milestone", "mitigated", tz=zone).ok()
    exported = tmp_path / "a.md"
    run(source, "export", INC, "-o", str(exported), tz=zone).ok()
    done = run(copy, "import", str(exported), tz=zone)
    assert "not imported" not in done.err, done.err
    done.ok()
    assert run(copy, "export", INC, tz=zone).ok() == exported.read_text()


def test_row_truly_out_of_range_is_named_and_the_rest_imported(tmp_path: Path) -> None:
    source, copy = tmp_path / "a.db", tmp_path / "b.db"
    run(source, "new", "Edge of time", "--id", INC, "--started", "1970-01-01T00:00Z").ok()
    run(source, "log", "kept", "-i", INC, "--at", "1970-01-01T00:05Z").ok()
    run(source, "log", "moved", "-i", INC, "--at", "1970-01-02T00:05Z").ok()
    text = run(source, "export", INC).ok()
    assert "| 1970-01-02 00:05 | moved |" in text
    hostile = tmp_path / "h.md"
    hostile.write_text(text.replace("| 1970-01-02 00:05 | moved |", "| 1969-12-31 23:59 | moved |"))
    line = 1 + text.splitlines().index(next(r for r in text.splitlines() if "| moved |" in r))
    done = run(copy, "import", str(hostile))
    done.ok()
    refusals = [r for r in done.err.splitlines() if r.startswith("not imported: ")]
    assert refusals == [
        f"not imported: line {line}: time '1969-12-31 23:59' is out of range "
        "(warroom keeps times from 1970-01-01 to 9999-12-30 UTC); row not imported"
    ]
    shown = run(copy, "show", INC).ok()
    assert "kept" in shown and "moved" not in shown


def test_date_line_no_zone_can_keep_is_ignored_in_one_line(tmp_path: Path) -> None:
    source, copy = tmp_path / "a.db", tmp_path / "b.db"
    run(source, "new", "Edge of time", "--id", INC, "--started", "9999-12-30T10:00Z").ok()
    run(source, "log", "kept", "-i", INC, "--at", "9999-12-30T10:05Z").ok()
    text = run(source, "export", INC).ok()
    hostile = tmp_path / "h.md"
    hostile.write_text(text.replace("**Date:** 9999-12-30", "**Date:** 9999-12-31"))
    done = run(copy, "import", str(hostile))
    done.ok()
    assert "not imported: line 3: date '9999-12-31' is out of range" in done.err
    assert "kept" in run(copy, "show", INC).ok()


EDGE_INSTANTS = st.one_of(
    st.integers(0, 3 * 86400).map(lambda s: FIRST + dt.timedelta(seconds=s)),
    st.integers(0, 3 * 86400).map(lambda s: LAST - dt.timedelta(seconds=s)),
)
MILESTONES = st.sampled_from([None, None, "detected", "mitigated", "resolved"])


@SETTINGS
@given(
    zone=st.sampled_from(ZONES),
    start=EDGE_INSTANTS,
    rows=st.lists(st.tuples(st.integers(-3600, 2 * 86400), MILESTONES), min_size=1, max_size=4),
)
def test_any_boundary_timeline_round_trips_through_markdown(
    zone: str, start: dt.datetime, rows: list[tuple[int, str | None]]
) -> None:
    with folder() as path:
        source, copy, exported = path / "a.db", path / "b.db", path / "a.md"
        tz = ("--tz", zone)
        assert warroom(source, *tz, "new", "Edge", "--id", INC, "--started", stamp(start)).code == 0
        for number, (offset, milestone) in enumerate(rows):
            moment = start + dt.timedelta(seconds=min(offset, (LAST - start).total_seconds()))
            moment = max(moment, FIRST)
            marked = ("--milestone", milestone) if milestone else ()
            done = warroom(source, *tz, "log", f"row {number}", "-i", INC, "--at", stamp(moment), *marked)
            assert done.code == 0, done.err
        done = warroom(source, *tz, "export", INC, "-o", str(exported))
        assert done.code == 0, done.err
        done = warroom(copy, *tz, "import", str(exported))
        assert done.code == 0 and "not imported" not in done.err, done.err
        again = warroom(copy, *tz, "export", INC)
        assert again.code == 0, again.err
        assert again.out == exported.read_text()
        assert integrity(copy) == "ok"
