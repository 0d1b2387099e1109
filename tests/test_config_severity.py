"""Severity levels of the config file's own (SEV0), through the installed command, and after they are gone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.process_support import clean_env, warroom_process

CONFIG = """\
[severities.SEV0]
meaning = "Company-wide outage"
update_every = "15m"
review_within = "2d"
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A real process's environment with a config file that adds SEV0, and its own database."""
    out = clean_env()
    out["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    out["WARROOM_DB"] = str(tmp_path / "w.db")
    conf = tmp_path / "config.toml"
    conf.write_text(CONFIG)
    out["WARROOM_CONFIG"] = str(conf)
    return out


def test_a_level_of_the_config_is_accepted_by_new_set_list_stats_and_export(env: dict[str, str]) -> None:
    """SEV0 opens an incident, is set by number, filtered by a range, counted and exported."""
    made = warroom_process("new", "Everything is down", "--id", "INC-A", "--severity", "sev0", env=env)
    assert made.returncode == 0, made.stderr
    assert warroom_process("new", "Slow search", "--id", "INC-B", "--severity", "SEV2", env=env).returncode == 0
    assert warroom_process("set", "severity", "0", "-i", "INC-B", env=env).returncode == 0
    assert warroom_process("set", "severity", "2", "-i", "INC-B", env=env).returncode == 0
    listed = json.loads(warroom_process("list", "--severity", "0-1", "--json", env=env).stdout)
    assert [i["incident"]["id"] for i in listed] == ["INC-A"] and listed[0]["incident"]["severity"] == "SEV0"
    stats = json.loads(warroom_process("stats", "--json", env=env).stdout)
    assert [set(row) for row in stats["per_month"]] == [{"month", "SEV0", "SEV1", "SEV2", "SEV3", "SEV4", "total"}]
    assert stats["per_month"][0]["SEV0"] == 1 and stats["per_month"][0]["SEV2"] == 1
    markdown = warroom_process("export", "INC-A", env=env).stdout
    assert "- **Severity:** SEV0" in markdown
    document = json.loads(warroom_process("export", "INC-A", "--format", "json", env=env).stdout)
    assert document["incident"]["severity"] == "SEV0"


def test_a_level_the_config_does_not_define_is_refused_in_one_line(env: dict[str, str]) -> None:
    """SEV7 is not a level: exit 2, one line naming the levels there are."""
    done = warroom_process("new", "Odd", "--severity", "SEV7", env=env)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "warroom: severity 'SEV7' is not one of SEV0, SEV1, SEV2, SEV3, SEV4",
    ]
    assert warroom_process("set", "severity", "7", "-i", "INC-X", env=env).returncode != 0


def test_a_stored_level_the_config_no_longer_defines_still_shows_and_round_trips(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Without the config that made it, SEV0 is listed, counted, exported and imported back as it was."""
    assert warroom_process("new", "Everything is down", "--id", "INC-A", "--severity", "SEV0", env=env).returncode == 0
    plain = {k: v for k, v in env.items() if k != "WARROOM_CONFIG"}
    listed = warroom_process("list", env=plain)
    assert listed.returncode == 0 and "SEV0" in listed.stdout
    stats = json.loads(warroom_process("stats", "--json", env=plain).stdout)
    assert stats["per_month"][0]["SEV0"] == 1
    exported = warroom_process("export", "INC-A", env=plain)
    assert exported.returncode == 0 and "- **Severity:** SEV0" in exported.stdout
    file = tmp_path / "a.md"
    file.write_text(exported.stdout)
    other = {**plain, "WARROOM_DB": str(tmp_path / "other.db")}
    imported = warroom_process("import", str(file), env=other)
    assert imported.returncode == 0, imported.stderr
    again = warroom_process("export", "INC-A", env=other)
    assert again.stdout == exported.stdout


def test_the_json_schema_takes_any_level_name(env: dict[str, str]) -> None:
    """`warroom schema` describes a severity as a short name, not only SEV1-SEV4."""
    schema = json.loads(warroom_process("schema", env=env).stdout)
    severity = schema["$defs"]["Incident"]["properties"]["severity"]
    assert severity["type"] == "string" and "enum" not in severity and "$ref" not in severity
    assert severity["pattern"] == "^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$"


def test_new_help_lists_each_level_with_its_meaning(env: dict[str, str]) -> None:
    """`warroom new --help` shows the config file's levels and what each means."""
    shown = " ".join(warroom_process("new", "--help", env=env).stdout.split())
    assert "SEV0: Company-wide outage" in shown and "SEV4: Low: cosmetic" in shown
