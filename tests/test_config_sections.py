"""The config file's extra post-mortem sections, through the installed command: gate, order, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.process_support import clean_env, warroom_process
from warroom.store.sections import save_sections
from warroom.store.store import Store

CONFIG = """\
[[sections]]
title = "Detection"
prompt = "How did we find out?"
required = true
[[sections]]
title = "Customer comms"
prompt = "What did customers hear?"
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A real process's environment with a config file of two extra sections, and its own database."""
    out = clean_env()
    out["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    out["WARROOM_DB"] = str(tmp_path / "w.db")
    conf = tmp_path / "config.toml"
    conf.write_text(CONFIG)
    out["WARROOM_CONFIG"] = str(conf)
    return out


def _write(env: dict[str, str], texts: dict[str, str]) -> None:
    store = Store(env["WARROOM_DB"])
    save_sections(store, "INC-1", texts)
    store.close()


def test_a_required_section_stops_export_check_until_written(env: dict[str, str]) -> None:
    """`export --check` names the missing required section; the optional one is never a gap."""
    assert warroom_process("new", "Outage", "--id", "INC-1", env=env).returncode == 0
    checked = warroom_process("export", "INC-1", "--check", env=env)
    assert checked.returncode == 1 and "Section 'Detection' is not written" in checked.stderr
    assert "Customer comms" not in checked.stderr
    _write(env, {"Detection": "Paged by the checkout alert."})
    assert "Detection" not in warroom_process("export", "INC-1", env=env).stderr


def test_sections_follow_the_template_in_config_order_and_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    """Markdown and JSON carry the sections in the config's order; export -> import -> export is byte-identical."""
    assert warroom_process("new", "Outage", "--id", "INC-1", env=env).returncode == 0
    hostile = "Alert *fired* at 02:51 | [x](javascript:alert(1))\n\n# not a heading\n- a list"
    _write(env, {"Customer comms": "Status page at 03:10.", "Detection": hostile})
    markdown = warroom_process("export", "INC-1", env=env).stdout
    tail = markdown[markdown.index("## Action Items") :]
    assert tail.index("## Detection") < tail.index("## Customer comms")
    document = json.loads(warroom_process("export", "INC-1", "--format", "json", env=env).stdout)
    assert document["sections"] == [
        {"text": hostile, "title": "Detection"},
        {"text": "Status page at 03:10.", "title": "Customer comms"},
    ]
    for fmt, suffix in (("md", "md"), ("json", "json")):
        file = tmp_path / f"out.{suffix}"
        file.write_text(warroom_process("export", "INC-1", "--format", fmt, env=env).stdout)
        other = {**env, "WARROOM_DB": str(tmp_path / f"other-{suffix}.db")}
        imported = warroom_process("import", str(file), env=other)
        assert imported.returncode == 0, imported.stderr
        assert warroom_process("export", "INC-1", env=other).stdout == markdown, fmt


def test_a_section_the_config_no_longer_lists_is_still_exported(env: dict[str, str]) -> None:
    """Text written under a section the config dropped is not lost: it is exported after the listed ones."""
    assert warroom_process("new", "Outage", "--id", "INC-1", env=env).returncode == 0
    _write(env, {"Detection": "Paged.", "Old section": "Kept."})
    plain = {k: v for k, v in env.items() if k != "WARROOM_CONFIG"}
    markdown = warroom_process("export", "INC-1", env=plain).stdout
    assert markdown.endswith("\n## Detection\n\nPaged.\n\n## Old section\n\nKept.\n")


def test_a_json_section_named_like_a_template_heading_is_not_imported(env: dict[str, str], tmp_path: Path) -> None:
    """A JSON file whose extra section is called "Impact" (the config refuses that name) is not imported as one:
    its Markdown would carry a second `## Impact` that does not read back. The line says which and why."""
    assert warroom_process("new", "Outage", "--id", "INC-1", env=env).returncode == 0
    document = json.loads(warroom_process("export", "INC-1", "--format", "json", env=env).stdout)
    document["sections"] = [
        {"title": "Impact", "text": "sneaky"},
        {"title": "Detection", "text": "Paged."},
        {"title": "detection", "text": "twice"},
    ]
    file = tmp_path / "in.json"
    file.write_text(json.dumps(document))
    other = {**env, "WARROOM_DB": str(tmp_path / "other.db")}
    imported = warroom_process("import", str(file), env=other)
    assert imported.returncode == 0, imported.stderr
    assert "'Impact' cannot be a section's title" in imported.stderr
    assert "a second section called 'detection'" in imported.stderr
    markdown = warroom_process("export", "INC-1", env=other).stdout
    assert markdown.count("## Impact") == 1 and "sneaky" not in markdown and "twice" not in markdown
    assert markdown.endswith("\n## Detection\n\nPaged.\n")
    again = tmp_path / "again.md"
    again.write_text(markdown)
    third = {**env, "WARROOM_DB": str(tmp_path / "third.db")}
    assert warroom_process("import", str(again), env=third).returncode == 0
    assert warroom_process("export", "INC-1", env=third).stdout == markdown
