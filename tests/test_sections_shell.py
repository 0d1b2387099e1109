"""Extra post-mortem sections from the shell: the same order in every format, `warroom set section`, import counts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from warroom.store.sections import save_sections
from warroom.store.store import Store

#: Not in alphabetical order, so an export sorting by title is caught.
CONFIG = """\
[[sections]]
title = "Detection"
prompt = "How did we find out?"
required = true
[[sections]]
title = "Customer comms"
prompt = "What did customers hear?"
"""
ORDER = ["Detection", "Customer comms", "Appendix"]  # the config's, then one it no longer lists


def warroom(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `warroom` as a process."""
    script = Path(sys.executable).parent / "warroom"
    return subprocess.run([str(script), *args], capture_output=True, text=True, env=env, input=stdin, timeout=120)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A real process's environment with a config file of two extra sections, its own database and INC-1."""
    out = {k: v for k, v in os.environ.items() if not k.startswith("WARROOM_")}
    out["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    out["WARROOM_DB"] = str(tmp_path / "w.db")
    conf = tmp_path / "config.toml"
    conf.write_text(CONFIG)
    out["WARROOM_CONFIG"] = str(conf)
    assert warroom("new", "Outage", "--id", "INC-1", env=out).returncode == 0
    return out


def _texts(env: dict[str, str]) -> dict[str, str]:
    store = Store(Path(env["WARROOM_DB"]))
    try:
        rows = store.conn.execute("SELECT title, text FROM sections WHERE incident_id='INC-1'").fetchall()
    finally:
        store.close()
    return {str(r[0]): str(r[1]) for r in rows}


# -- one order in every format ----------------------------------------------------------------------------


def test_every_format_orders_the_sections_as_the_config_does(env: dict[str, str]) -> None:
    """Markdown, HTML, Confluence and JSON: the config's order, then sections it no longer lists."""
    store = Store(Path(env["WARROOM_DB"]))
    save_sections(store, "INC-1", {"Appendix": "Graphs.", "Customer comms": "Status page.", "Detection": "Paged."})
    store.close()
    found = {}
    for fmt in ("md", "html", "confluence"):
        out = warroom("export", "INC-1", "--format", fmt, env=env)
        assert out.returncode == 0, out.stderr
        pattern = r"^## (.+)$" if fmt == "md" else r"<h2>(.+?)</h2>"
        titles = re.findall(pattern, out.stdout, re.MULTILINE)
        found[fmt] = titles[titles.index("Action Items") + 1 :]
    found["json"] = [
        s["title"] for s in json.loads(warroom("export", "INC-1", "--format", "json", env=env).stdout)["sections"]
    ]
    assert found == {fmt: ORDER for fmt in ("md", "html", "confluence", "json")}


# -- warroom set section ----------------------------------------------------------------------------------


def test_set_section_writes_replaces_and_clears_a_configured_section(env: dict[str, str]) -> None:
    """TEXT is saved under the config's spelling of the title; '' clears it; the export gate follows."""
    gate = warroom("export", "INC-1", "--check", env=env)
    assert gate.returncode == 1 and "Section 'Detection' is not written" in gate.stderr
    done = warroom("set", "section", "detection", "Paged by the *checkout* alert | 02:51", env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "INC-1: section 'Detection' set\n", "")
    assert _texts(env) == {"Detection": "Paged by the *checkout* alert | 02:51"}
    markdown = warroom("export", "INC-1", env=env)
    assert "Section 'Detection' is not written" not in markdown.stderr
    assert markdown.stdout.endswith("\n## Detection\n\nPaged by the \\*checkout* alert | 02:51\n")
    again = warroom("set", "section", "Detection", "Paged at 02:51.", "-i", "INC-1", env=env)
    assert again.stdout == "INC-1: section 'Detection' replaced\n"
    cleared = warroom("set", "section", "Detection", "", env=env)
    assert (cleared.returncode, cleared.stdout) == (0, "INC-1: section 'Detection' cleared\n")
    assert _texts(env) == {}
    assert warroom("export", "INC-1", "--check", env=env).returncode == 1


def test_set_section_reads_standard_input_for_dash(env: dict[str, str]) -> None:
    """'-' takes the whole of standard input, several paragraphs included."""
    text = "Status page at 03:10.\n\nEmail to merchants at 03:40.\n"
    done = warroom("set", "section", "Customer comms", "-", env=env, stdin=text)
    assert done.returncode == 0, done.stderr
    assert _texts(env) == {"Customer comms": text.strip()}


def test_set_section_reads_a_windows_file_as_any_other(env: dict[str, str]) -> None:
    """A byte order mark and CRLF line ends are not kept: the text is the same as from a Unix file, so the
    Markdown export does not start with an invisible character and `import` finds nothing changed."""
    text = "\ufeffStatus page at 03:10.\r\n\r\nEmail to merchants at 03:40.\r\n"
    done = warroom("set", "section", "Customer comms", "-", env=env, stdin=text)
    assert done.returncode == 0, done.stderr
    assert _texts(env) == {"Customer comms": "Status page at 03:10.\n\nEmail to merchants at 03:40."}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["set", "section", "Detektion", "x"],
            "warroom: no section called 'Detektion' in the config file; the sections are 'Detection', 'Customer comms'",
        ),
        (
            ["set", "section", "Detection"],
            "warroom: give the section's TEXT ('-' reads it from standard input, '' clears it)",
        ),
        (["set", "title", "New title", "extra"], "warroom: Got unexpected extra argument (extra)"),
    ],
)
def test_set_section_refuses_bad_input_in_one_line(env: dict[str, str], args: list[str], message: str) -> None:
    """An unknown title lists the known ones; a missing text says how to give it; exit 2, nothing changed."""
    store = Store(Path(env["WARROOM_DB"]))
    save_sections(store, "INC-1", {"Detection": "Paged."})
    store.close()
    result = warroom(*args, env=env)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith(message) and len(result.stderr.splitlines()) == 1
    assert _texts(env) == {"Detection": "Paged."}
    assert "Outage" in warroom("show", "INC-1", env=env).stdout


def test_set_section_without_configured_sections_says_where_they_come_from(env: dict[str, str]) -> None:
    """No [[sections]] in the config: one line, exit 2."""
    plain = {k: v for k, v in env.items() if k != "WARROOM_CONFIG"}
    result = warroom("set", "section", "Detection", "x", env=plain)
    assert result.returncode == 2
    assert result.stderr.startswith("warroom: the config file lists no extra post-mortem sections")


# -- what an import says it saved -------------------------------------------------------------------------

HEADER_AND_SECTIONS = """\
# Incident Post-Mortem: Sections only

- **Date:** 2026-11-27
- **Incident ID:** INC-NEW

## Action Items

## Detection

Paged by the checkout alert.

## Customer comms

Status page at 03:10.
"""


def test_an_import_counts_the_sections_it_saves(env: dict[str, str], tmp_path: Path) -> None:
    """A new incident with only sections: `2 sections added`, not "nothing changed"; edits are counted too."""
    path = tmp_path / "in.md"
    path.write_text(HEADER_AND_SECTIONS)
    first = warroom("import", str(path), env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "imported INC-NEW (new incident): 2 sections added\n"
    assert warroom("import", str(path), env=env).stdout == "imported INC-NEW: nothing changed\n"
    path.write_text(HEADER_AND_SECTIONS.replace("03:10", "03:12") + "\n## Appendix\n\nGraphs.\n")
    assert warroom("import", str(path), env=env).stdout == "imported INC-NEW: 1 section added, 1 updated\n"


def test_a_new_incident_names_the_write_up_it_saved(env: dict[str, str], tmp_path: Path) -> None:
    """Summary and lessons of a new incident are named; a header alone is not "nothing changed" either."""
    with_summary = HEADER_AND_SECTIONS.replace(
        "## Action Items", "## Incident Summary\n\nCheckout down.\n\n## Action Items"
    )
    path = tmp_path / "in.md"
    path.write_text(with_summary.replace("INC-NEW", "INC-SUM"))
    result = warroom("import", str(path), env=env)
    assert result.stdout == "imported INC-SUM (new incident): 2 sections added, summary saved\n"
    bare = tmp_path / "bare.md"
    bare.write_text("# Incident Post-Mortem: Bare\n\n- **Incident ID:** INC-BARE\n")
    assert (
        warroom("import", str(bare), env=env).stdout
        == "imported INC-BARE (new incident): no records beyond its header\n"
    )


def test_an_over_long_section_is_left_out_and_the_rest_imported(env: dict[str, str], tmp_path: Path) -> None:
    """A section over the 20,000-character limit is named on a `not imported:` line, as an over-long event is;
    the file's other records are imported (it used to refuse the whole file, exit 2)."""
    path = tmp_path / "in.md"
    path.write_text(HEADER_AND_SECTIONS.replace("Paged by the checkout alert.", "x" * 20_001))
    result = warroom("import", str(path), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "not imported: section 'Detection' is 20,001 characters (at most 20,000); not imported\n"
    assert result.stdout == "imported INC-NEW (new incident): 1 section added\n"
    document = json.loads(warroom("export", "INC-NEW", "--format", "json", env=env).stdout)
    document["sections"] = [{"title": "T" * 501, "text": "too long a title"}, {"title": "Detection", "text": "ok"}]
    path.write_text(json.dumps(document))
    result = warroom("import", str(path), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "not imported: a section title of 501 characters (at most 500); not imported\n"
    assert result.stdout == "imported INC-NEW: 1 section added\n"


def test_an_imported_section_takes_the_configs_spelling(env: dict[str, str], tmp_path: Path) -> None:
    """`## detection` in a hand-edited file is the config's Detection (it closes that gap), and a JSON section
    spelled otherwise than one already written replaces it: never a second section differing in case."""
    path = tmp_path / "in.md"
    path.write_text(HEADER_AND_SECTIONS.replace("## Detection", "## detection"))
    assert warroom("import", str(path), env=env).stdout == "imported INC-NEW (new incident): 2 sections added\n"
    check = warroom("export", "INC-NEW", "--check", env=env)
    assert "Section 'Detection' is not written" not in check.stderr, check.stderr
    assert warroom("set", "section", "Detection", "Paged.", "-i", "INC-1", env=env).returncode == 0
    document = json.loads(warroom("export", "INC-1", "--format", "json", env=env).stdout)
    document["sections"] = [{"title": "DETECTION", "text": "Paged by the checkout alert."}]
    path.write_text(json.dumps(document))
    assert warroom("import", str(path), env=env).stdout == "imported INC-1: 1 section updated\n"
    exported = warroom("export", "INC-1", env=env).stdout
    assert "## Detection\n\nPaged by the checkout alert.\n" in exported and "DETECTION" not in exported
