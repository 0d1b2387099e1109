"""The post-mortem's optional Related Incidents section: chosen per incident, in every format, read back on import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from textual.widgets import Markdown

from tests.library_support import fixed_clock, library_app, library_db
from tests.postmortem_support import run_async, status_text, wait_until
from warroom.store.related_section import HEADING, NOTHING
from warroom.store.store import Store
from warroom.tui.screens.export import ExportScreen

DEMO = "INC-DEMO-0001"
#: The order the Markdown export's level-2 headings come in when the section is on.
WITH_RELATED = [
    "Incident Summary",
    "Incident Timeline",
    "Root Cause Analysis",
    "Impact",
    "Lessons Learned",
    HEADING,
    "Action Items",
]


def warroom(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `warroom` as a process, on `db`, in UTC."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARROOM_")}
    script = Path(sys.executable).parent / "warroom"
    return subprocess.run(
        [str(script), "--db", str(db), *args], capture_output=True, text=True, env=env, input=stdin, timeout=120
    )


def headings(markdown: str) -> list[str]:
    """The level-2 headings of a Markdown document, as markdown-it reads them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The demo incident (27 Nov) and the sample library, three of whose earlier incidents look like it."""
    return library_db(tmp_path)


def test_off_until_chosen_and_flags_override_the_stored_choice(library: Path) -> None:
    """Never chosen: left out; --related adds it for this export only; a stored choice is the default."""
    plain = warroom(library, "export", DEMO)
    assert plain.returncode == 0, plain.stderr
    assert HEADING not in headings(plain.stdout)
    shown = warroom(library, "export", DEMO, "--related")
    assert shown.returncode == 0, shown.stderr
    assert headings(shown.stdout) == WITH_RELATED
    section = shown.stdout.split(f"## {HEADING}\n", 1)[1].split("## Action Items")[0]
    assert "| INC-2026-0041 | 2026-11-05 | Database failover took 14 minutes | tag:database, @dba, @sre |" in section
    assert "INC-2026-0043" not in section  # the status-page typo shares nothing
    assert warroom(library, "export", DEMO).stdout == plain.stdout  # the flag was not kept

    store = Store(library, clock=fixed_clock)

    store.keep_related_section(DEMO, True)
    store.close()
    assert warroom(library, "export", DEMO).stdout == shown.stdout
    assert warroom(library, "export", DEMO, "--no-related").stdout == plain.stdout


def test_every_format_has_it_in_the_same_place(library: Path) -> None:
    """HTML and Confluence put it where the Markdown does; JSON has a `related` list, best first."""
    html = warroom(library, "export", DEMO, "--related", "--format", "html").stdout
    assert html.index("<h2>Lessons Learned</h2>") < html.index(f"<h2>{HEADING}</h2>") < html.index("<h2>Action Items")
    assert "<td>INC-2026-0041</td>" in html
    page = warroom(library, "export", DEMO, "--related", "--format", "confluence").stdout
    assert page.index("<h2>Lessons Learned</h2>") < page.index(f"<h2>{HEADING}</h2>") < page.index("<h2>Action Items")
    data = json.loads(warroom(library, "export", DEMO, "--related", "--format", "json").stdout)
    first = data["related"][0]
    assert first == {
        "incident_id": "INC-2026-0041",
        "shared": ["tag:database", "@dba", "@sre"],
        "started_at": first["started_at"],
        "title": "Database failover took 14 minutes",
    }
    assert first["started_at"].startswith("2026-11-05T") and first["started_at"].endswith("Z")
    assert "related" not in json.loads(warroom(library, "export", DEMO, "--format", "json").stdout)


def test_nothing_alike_says_so(tmp_path: Path) -> None:
    """Kept on with nothing like it in the library: the section says so instead of vanishing."""
    db = tmp_path / "w.db"
    assert warroom(db, "new", "Lonely outage", "--id", "INC-1").returncode == 0
    out = warroom(db, "export", "INC-1", "--related").stdout
    assert f"## {HEADING}\n\n{NOTHING}\n\n## Action Items" in out


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_round_trip_keeps_the_choice_and_the_bytes(library: Path, tmp_path: Path, fmt: str) -> None:
    """Export with it, import into the same file: the same bytes again; into an empty file: no failure, still on."""
    first = warroom(library, "export", DEMO, "--related", "--format", fmt, "-o", str(tmp_path / f"a.{fmt}"))
    assert first.returncode == 0, first.stderr
    imported = warroom(library, "import", str(tmp_path / f"a.{fmt}"))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == f"imported {DEMO}: Related Incidents section on\n"
    again = warroom(library, "export", DEMO, "--format", fmt)  # no flag: the choice the import kept
    assert again.stdout == (tmp_path / f"a.{fmt}").read_text()

    empty = tmp_path / "empty.db"
    fresh = warroom(empty, "import", str(tmp_path / f"a.{fmt}"))
    assert fresh.returncode == 0, fresh.stderr
    assert "not imported" not in fresh.stderr  # ids the new file does not have are not a problem
    assert "Related Incidents section on" in fresh.stdout
    out = warroom(empty, "export", DEMO).stdout
    assert f"## {HEADING}\n\n{NOTHING}\n" in out  # found afresh: none of those incidents is here


def test_a_file_without_the_section_leaves_the_choice_alone(library: Path, tmp_path: Path) -> None:
    """An import deletes nothing: a file exported without the section does not turn a kept choice off."""
    store = Store(library, clock=fixed_clock)

    store.keep_related_section(DEMO, True)
    store.close()
    path = tmp_path / "a.md"
    assert warroom(library, "export", DEMO, "--no-related", "-o", str(path)).returncode == 0
    assert warroom(library, "import", str(path)).stdout == f"imported {DEMO}: nothing changed\n"
    store = Store(library, clock=fixed_clock)
    assert store.shows_related_section(DEMO)
    store.close()


def test_a_related_that_is_not_a_list_is_reported(library: Path, tmp_path: Path) -> None:
    """A JSON file whose `related` is not a list: one problem line, the rest imported, the choice unchanged."""
    data = json.loads(warroom(library, "export", DEMO, "--format", "json").stdout)
    data["related"] = "INC-2026-0041"
    data["incident"]["id"] = "INC-COPY"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data))
    result = warroom(library, "import", str(path))
    assert result.returncode == 0
    assert "not imported: 'related' is not a list; not imported" in result.stderr
    assert HEADING not in headings(warroom(library, "export", "INC-COPY").stdout)


def test_hostile_titles_stay_literal_and_inside_their_cells(tmp_path: Path) -> None:
    """Markup, pipes, Markdown and bidi overrides in an earlier title: one row of four cells, shown as typed."""
    db = tmp_path / "w.db"
    hostile = "[bold]pgbouncer[/] | <b>pool</b> **exhausted** \u202egnp.exe"
    assert warroom(db, "new", hostile, "--id", "INC-A", "--started", "2026-11-01T10:00Z").returncode == 0
    assert warroom(db, "cause", "add", "pgbouncer pool exhausted", "-i", "INC-A", "--kind", "root").returncode == 0
    assert warroom(db, "new", "pgbouncer pool exhausted again", "--id", "INC-B").returncode == 0
    out = warroom(db, "export", "INC-B", "--related").stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(out.split(f"## {HEADING}", 1)[1])
    cells = [tokens[i + 1].children for i, t in enumerate(tokens) if t.type == "td_open"]
    assert len(cells) == 4  # the pipe did not make a fifth cell
    title = "".join(c.content for c in cells[2] or [] if c.type == "text")
    assert "[bold]pgbouncer[/] | <b>pool</b> **exhausted**" in title and "\u202e" not in out
    data = json.loads(warroom(db, "export", "INC-B", "--related", "--format", "json").stdout)
    assert data["related"][0]["title"] == hostile  # JSON keeps the text exactly (the override \u-escaped)
    html = warroom(db, "export", "INC-B", "--related", "--format", "html").stdout
    assert "&lt;b&gt;pool&lt;/b&gt;" in html and "<b>pool" not in html
    for fmt in ("md", "json"):
        path = tmp_path / f"b.{fmt}"
        assert warroom(db, "export", "INC-B", "--related", "--format", fmt, "-o", str(path)).returncode == 0
        result = warroom(db, "import", str(path))
        assert result.returncode == 0 and result.stderr == "", result.stderr
        assert warroom(db, "export", "INC-B", "--format", fmt).stdout == path.read_text()


@run_async
async def test_r_on_the_export_screen_toggles_it_and_keeps_the_choice(tmp_path: Path) -> None:
    """`r` adds the section to the preview and remembers it; `r` again takes it out; ctrl+z puts it back."""
    app = library_app(tmp_path, incident_id=DEMO)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export screen")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        await wait_until(pilot, lambda: screen.markdown, "the preview")
        assert f"## {HEADING}" not in screen.markdown

        await pilot.press("r")
        await wait_until(pilot, lambda: f"## {HEADING}" in screen.markdown, "the section in the preview")
        assert "Related Incidents included" in status_text(app)
        assert "| INC-2026-0041 |" in screen.markdown
        preview: Any = screen.query_one("#preview-md", Markdown)
        assert HEADING in str(preview.source)
        assert app.store.shows_related_section(DEMO)

        await pilot.press("r")
        await wait_until(pilot, lambda: f"## {HEADING}" not in screen.markdown, "the section gone")
        assert not app.store.shows_related_section(DEMO)
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: f"## {HEADING}" in screen.markdown, "the undo")
        assert app.store.shows_related_section(DEMO)


def test_the_choice_is_per_incident(library: Path) -> None:
    """Turning it on for one incident leaves every other incident's export as it was."""
    store = Store(library, clock=fixed_clock)

    store.keep_related_section(DEMO, True)
    assert not store.shows_related_section("INC-2026-0041")
    store.close()
    assert HEADING not in headings(warroom(library, "export", "INC-2026-0041").stdout)
