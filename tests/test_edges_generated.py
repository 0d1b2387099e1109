"""Generated edge cases (hypothesis): far-off and DST times in every time-taking field, crafted JSON and
Markdown in every importable field, and file-system oddities. Each example ends with the file intact
(`PRAGMA integrity_check` ok), every refusal one line, and nothing half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.edge_support import INC
from tests.reliability_helpers import integrity, warroom

SETTINGS = settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def fresh_db() -> Iterator[Path]:
    """A seeded database in its own folder (hypothesis reruns the body: no function-scoped fixtures)."""
    folder = Path(tempfile.mkdtemp(prefix="warroom-gen-"))
    try:
        db = folder / "w.db"
        assert warroom(db, "new", "Generated", "--id", INC, "--started", "2026-11-27T14:00Z").code == 0
        assert warroom(db, "log", "first", "-i", INC, "--at", "2026-11-27T14:05Z").code == 0
        yield db
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def dump(db: Path) -> tuple[str, str]:
    """Everything a person could lose: the JSON export and the list of incidents."""
    return warroom(db, "export", INC, "--format", "json").out, warroom(db, "list", "--json").out


def assert_one_line_refusal(code: int, err: str) -> None:
    """A refusal is exit 1 or 2 with one `warroom:` line (warnings and notes aside), never a traceback."""
    assert code in (1, 2), (code, err)
    lines = [line for line in err.splitlines() if not line.startswith(("warning: ", "note: ", "not imported: "))]
    assert len(lines) == 1 and lines[0].startswith("warroom: "), err
    assert "Traceback" not in err


# -- far-off and DST times in every time-taking field ---------------------------------------------------

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Kiritimati", "Pacific/Niue"]
_YEARS = st.one_of(st.integers(1, 1969), st.integers(1970, 2100), st.integers(9990, 9999))
ISO_TIMES = st.builds(
    lambda y, mo, d, h, mi, off: f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}{off}",
    _YEARS,
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(["", "Z", "+14:00", "-12:00", "+05:45"]),
)
#: Local times around the DST changes of 2026 in the zones above (ambiguous and skipped ones included).
DST_TIMES = st.builds(
    lambda day, h, mi: f"{day}T{h:02d}:{mi:02d}",
    st.sampled_from(["2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01"]),
    st.integers(0, 4),
    st.sampled_from([0, 10, 29, 30, 31, 59]),
)
RELATIVE = st.builds(lambda n, unit: f"-{n}{unit}", st.integers(0, 10**7), st.sampled_from(["d", "h", "m", "s"]))
ANY_TIME = st.one_of(ISO_TIMES, DST_TIMES, RELATIVE, st.sampled_from(["02:10", "02:30", "00:00", "23:59Z"]))


@SETTINGS
@given(
    field=st.sampled_from(["log", "new", "detected", "mitigated", "resolved", "edit"]),
    when=ANY_TIME,
    zone=st.sampled_from(ZONES),
)
def test_any_time_in_any_time_field_is_stored_readably_or_refused(field: str, when: str, zone: str) -> None:
    """Every time option takes the time (and every reader can show it) or refuses it in one line, changing nothing."""
    with fresh_db() as db:
        before = dump(db)
        argv = {
            "log": ["log", "x", "-i", INC, "--at", when],
            "new": ["new", "y", "--id", "INC-2", "--started", when],
            "edit": ["event", "edit", "1", "--at", when],
        }.get(field, ["set", field, when, "-i", INC])
        ran = warroom(db, "--tz", zone, *argv)
        if ran.code != 0:
            assert_one_line_refusal(ran.code, ran.err)
            assert dump(db) == before
        for reader in (["show", INC], ["event", "list", "-i", INC], ["export", INC], ["list"], ["search", "x"]):
            shown = warroom(db, "--tz", zone, *reader)
            assert shown.code == 0 and "Traceback" not in shown.err, (reader, shown.err)
        assert integrity(db) == "ok"


# -- crafted JSON in every importable field ------------------------------------------------------------

HOSTILE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", " ", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0226-11-27T14:00:00Z", "\x1b]0;x\x07"]),
    st.recursive(st.lists(st.integers(), max_size=3), lambda inner: st.lists(inner, max_size=3), max_leaves=20),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@SETTINGS
@given(
    section=st.sampled_from(["incident", "events", "factors", "action_items"]),
    key=st.sampled_from(
        [
            "id",
            "text",
            "title",
            "occurred_at",
            "logged_at",
            "started_at",
            "resolved_at",
            "kind",
            "number",
            "event_ids",
            "deadline",
            "severity",
            "tags",
            "starred",
            "created_at",
            "deleted_at",
            "extra",
        ]
    ),
    value=HOSTILE_VALUES,
    into_existing=st.booleans(),
)
def test_crafted_json_field_is_imported_whole_or_not_at_all(
    section: str, key: str, value: Any, into_existing: bool
) -> None:
    """Any value in any field of a JSON export: imported, or named as not imported, or refused in one line."""
    with fresh_db() as db:
        assert warroom(db, "cause", "add", "a cause", "-i", INC).code == 0
        assert warroom(db, "action", "add", "an action", "-i", INC).code == 0
        doc = json.loads(warroom(db, "export", INC, "--format", "json").out)
        if not into_existing:
            doc["incident"]["id"] = "INC-NEW"
        target = doc[section] if section == "incident" else doc[section][0]
        target[key] = value
        path = db.parent / "in.json"
        try:
            path.write_text(json.dumps(doc))
        except ValueError:
            return  # not JSON at all (json.dumps refuses a float such as nan? it does not; kept for safety)
        before = dump(db)
        ran = warroom(db, "import", str(path))
        if ran.code != 0:
            assert_one_line_refusal(ran.code, ran.err)
            assert dump(db) == before
        assert "Traceback" not in ran.err
        for reader in (["show", INC], ["list"], ["export", INC]):
            assert warroom(db, *reader).code == 0, reader
        assert integrity(db) == "ok"


# -- crafted Markdown in every importable field ---------------------------------------------------------

MD_PIECES = st.sampled_from(
    [
        "- **Date:** 9999-12-31",
        "- **Date:** 0001-01-01 – 9999-12-31",
        "- **Incident ID:** \x1b]0;x\x07",
        "- **Severity:** SEV9",
        "| 99:99 | bad time | — |",
        "| 0001-01-01 00:00 | far back | — |",
        "| 9999-12-31 23:59 | far ahead | — |",
        "| 02:10+02:00 | with offset | — |",
        "| 02:10+99:00 | bad offset | — |",
        "| 14:00 |  | — |",
        "- **Time to resolve:** 99999999 d 0 h 00 min",
        "\n".join("  " * n + "- deep" for n in range(60)),
        ">" * 200 + " quote",
        "[" * 500,
        "| a | b |\n|---|---|\n| c | d |",
        "# Incident Post-Mortem: second title",
        "- **Tags:** " + ", ".join(["t"] * 300),
    ]
)


@SETTINGS
@given(line=st.integers(0, 80), piece=MD_PIECES, replace=st.booleans())
def test_crafted_markdown_line_is_imported_or_refused_cleanly(line: int, piece: str, replace: bool) -> None:
    """Any hostile line anywhere in a post-mortem: the import works, names what it skipped, or refuses in one line."""
    with fresh_db() as db:
        lines = warroom(db, "export", INC).out.replace(INC, "INC-MD").split("\n")
        at = min(line, len(lines) - 1)
        lines[at : at + (1 if replace else 0)] = [piece]
        path = db.parent / "pm.md"
        path.write_text("\n".join(lines))
        before = dump(db)
        ran = warroom(db, "import", str(path))
        if ran.code != 0:
            assert_one_line_refusal(ran.code, ran.err)
            assert dump(db) == before
        assert "Traceback" not in ran.err
        assert warroom(db, "list").code == 0
        assert integrity(db) == "ok"


# -- file-system oddities ------------------------------------------------------------------------------


@settings(max_examples=25, derandomize=True, deadline=None)
@given(
    oddity=st.sampled_from(["hard link", "dangling symlink", "symlink", "mode", "folder mode"]),
    mode=st.sampled_from([0o600, 0o644, 0o400, 0o444, 0o000, 0o200]),
    command=st.sampled_from([["list"], ["log", "x", "-i", INC], ["export", INC], ["show", INC]]),
)
def test_file_system_oddities_are_used_safely_or_refused(oddity: str, mode: int, command: list[str]) -> None:
    """Hard links, symlinks (dangling or not), odd file and folder modes: one clear line or success, never damage."""
    with fresh_db() as db:
        target = db
        if oddity == "hard link":
            os.link(db, db.parent / "other.db")
        elif oddity in ("symlink", "dangling symlink"):
            target = db.parent / "link.db"
            target.symlink_to(db if oddity == "symlink" else db.parent / "new.db")
        elif oddity == "mode":
            db.chmod(mode)
        else:
            db.parent.chmod(mode | 0o500)
        try:
            before = db.read_bytes()
            ran = warroom(target, *command)
            if ran.code != 0:
                assert_one_line_refusal(ran.code, ran.err)
                assert db.read_bytes() == before
            if oddity == "hard link":
                assert ran.code == 1 and "hard links" in ran.err
            if oddity == "dangling symlink" and ran.code == 0 and command[0] == "list":
                assert stat.S_IMODE((db.parent / "new.db").stat().st_mode) == 0o600
        finally:
            db.parent.chmod(0o700)
            db.chmod(0o600)
        assert integrity(db) == "ok"
