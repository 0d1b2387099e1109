"""The TOML config file: what it changes, and one clear line (file, line, key) when it cannot be used."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from tests.process_support import clean_env, warroom_process
from warroom.store.config import DEFAULT_SEVERITIES, ConfigError, Due, load, parse
from warroom.store.config_show import to_toml

SAMPLE = """\
timezone = "Europe/Berlin"
author = "alex"
teams = ["sre", "payments", "dba"]
[severities.SEV0]              # a level of your own
meaning = "Company-wide outage"
update_every = "15m"
review_within = "2d"
[[sections]]
title = "Detection"
prompt = "How did we find out, and how could we have found out sooner?"
required = true
"""


def test_the_sample_of_the_issue_is_read_over_the_defaults() -> None:
    """SEV0 comes before the default levels; SEV1-4 keep their cadence and review days."""
    config = parse(SAMPLE)
    assert config.timezone == "Europe/Berlin" and config.author == "alex"
    assert config.teams == ("sre", "payments", "dba")
    assert config.severity_names == ["SEV0", "SEV1", "SEV2", "SEV3", "SEV4"]
    sev0 = config.severity("sev0")
    assert sev0 is not None and sev0.update_every == dt.timedelta(minutes=15) and sev0.review_within == Due(2)
    sev2 = config.severity("SEV2")
    assert sev2 is not None and sev2.update_every == dt.timedelta(hours=1) and sev2.review_within == Due(5, True)
    assert [(s.title, s.required) for s in config.sections] == [("Detection", True)]


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    """Without a config file warroom behaves as it always has."""
    config = load()
    assert config.path is None and config.timezone is None and config.author == ""
    assert config.severities == DEFAULT_SEVERITIES and config.sections == ()


def test_business_days_skip_the_weekend() -> None:
    """Five business days after a Friday is the next Friday; three days after is Monday."""
    friday = dt.date(2026, 11, 27)
    assert Due(5, business=True).after(friday) == dt.date(2026, 12, 4)
    assert Due(3).after(friday) == dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('timezone = "Mars/Base"', "config, line 1: timezone: unknown zone 'Mars/Base'"),
        ('author = "a"\ncolour = "red"', "config, line 2: colour: unknown key"),
        ("[severities.SEV0]\nmeaning = 'x'\nupdate_every = 'soon'", "config, line 3: severities.SEV0.update_every:"),
        ("[severities.SEV1]\nreview_within = '3 weeks'", "config, line 2: severities.SEV1.review_within:"),
        ("[severities.SEV9]\nupdate_every = '5m'", "config, line 1: severities.SEV9: a new severity needs a meaning"),
        ('[[sections]]\ntitle = "A"\n[[sections]]\nprompt = "p"', "config, line 3: sections.title: every section"),
        ('[[sections]]\ntitle = "A"\nrequired = "yes"', "config, line 3: sections.required: must be true or false"),
        ('[[sections]]\ntitle = "Impact"', "config, line 2: sections.title: there is already a section"),
        ('teams = ["a b"]', "config, line 1: teams: 'a b' is not a team name"),
        ("author = ", "config: not valid TOML"),
        (
            '[[sections]]\ntitle = "Det\u202eection"',
            "config, line 2: sections.title: must be one line of text (no control",
        ),
        ('author = "al\u0085ex"', "config, line 1: author: must be one line"),
    ],
)
def test_a_bad_file_is_one_line_naming_line_and_key(text: str, message: str) -> None:
    """Every mistake is refused with where it is; nothing of the file is used."""
    with pytest.raises(ConfigError) as caught:
        parse(text)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_show_prints_toml_that_reads_back_the_same() -> None:
    """`config show` output is itself a valid config with the same meaning."""
    config = parse(SAMPLE)
    again = parse(to_toml(config))
    assert (again.timezone, again.author, again.teams, again.severities, again.sections) == (
        config.timezone,
        config.author,
        config.teams,
        config.severities,
        config.sections,
    )


# -- through the installed command -----------------------------------------------------------------------


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A real process's environment with its own config folder and database."""
    out = clean_env()
    out["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    out["WARROOM_DB"] = str(tmp_path / "w.db")
    return out


def test_config_path_show_and_sample(env: dict[str, str], tmp_path: Path) -> None:
    """`config path` names the file even before it exists; `sample` gives a file `show` then reads."""
    where = tmp_path / "xdg" / "warroom" / "config.toml"
    result = warroom_process("config", "path", env=env)
    assert (result.returncode, result.stdout.strip()) == (0, str(where))
    assert "no file there" in result.stderr
    assert warroom_process("config", "show", env=env).stdout.startswith("# no config file: the defaults")
    where.parent.mkdir(parents=True)
    where.write_text(warroom_process("config", "sample", env=env).stdout)
    shown = warroom_process("config", "show", env=env)
    assert shown.returncode == 0 and shown.stdout.startswith(f"# from {where}")
    assert '[severities.SEV0]\nmeaning = "Company-wide outage"' in shown.stdout


def test_a_bad_config_stops_every_command_with_one_line_and_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    """The file, the line and the key; no traceback; the database is not created."""
    bad = tmp_path / "bad.toml"
    bad.write_text('author = "sam"\n[severities.SEV1]\nupdate_every = "every so often"\n')
    result = warroom_process("--config", str(bad), "log", "hello", env=env)
    assert result.returncode == 2
    assert result.stderr == (
        f"warroom: {bad}, line 3: severities.SEV1.update_every: must be a time like "
        '"15m", "1h" or "1h30m" (or "none")\n'
    )
    nope = tmp_path / "nope.toml"
    missing = warroom_process("--config", str(nope), "list", env=env)
    assert (missing.returncode, missing.stderr) == (2, f"warroom: config file {nope} does not exist\n")
    assert not Path(env["WARROOM_DB"]).exists()


def test_timezone_and_author_come_from_the_config(env: dict[str, str], tmp_path: Path) -> None:
    """An event logged at 14:02 Berlin time is stored at 13:02 UTC, by the config's author; --tz still wins."""
    conf = tmp_path / "c.toml"
    conf.write_text('timezone = "Europe/Berlin"\nauthor = "priya"\n')
    env["WARROOM_CONFIG"] = str(conf)
    assert (
        warroom_process("new", "Pool exhausted", "--id", "INC-1", "--started", "2026-11-27T13:00Z", env=env).returncode
        == 0
    )
    logged = warroom_process("log", "pager fired", "--at", "2026-11-27T14:02", env=env)
    assert logged.returncode == 0, logged.stderr
    assert "at 2026-11-27 14:02:00" in logged.stdout
    with sqlite3.connect(env["WARROOM_DB"]) as conn:
        assert conn.execute("SELECT occurred_at, author FROM events").fetchone() == (
            "2026-11-27T13:02:00.000000Z",
            "priya",
        )
    in_utc = warroom_process("--tz", "UTC", "event", "list", env=env)
    assert "13:02" in in_utc.stdout


def test_lint_phrases_of_the_organisation_are_accepted(env: dict[str, str], tmp_path: Path) -> None:
    """A phrase on the config's lint_allow no longer counts as a finding."""
    assert warroom_process("new", "Outage", "--id", "INC-1", env=env).returncode == 0
    assert warroom_process("set", "went-wrong", "It was human error", env=env).returncode == 0
    assert '"human error"' in warroom_process("lint", env=env).stdout
    conf = tmp_path / "c.toml"
    conf.write_text('lint_allow = ["human error"]\n')
    env["WARROOM_CONFIG"] = str(conf)
    result = warroom_process("lint", env=env)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


def test_export_warnings_accept_the_organisations_lint_phrases(env: dict[str, str], tmp_path: Path) -> None:
    """The export's gap list (stderr, and `--check`) leaves out phrases on the config's lint_allow."""
    assert warroom_process("new", "Outage", "--id", "INC-1", env=env).returncode == 0
    assert warroom_process("set", "went-wrong", "It was human error", env=env).returncode == 0
    assert "human error" in warroom_process("export", "INC-1", env=env).stderr
    conf = tmp_path / "c.toml"
    conf.write_text('lint_allow = ["human error"]\n')
    env["WARROOM_CONFIG"] = str(conf)
    exported = warroom_process("export", "INC-1", env=env)
    assert exported.returncode == 0 and "Blaming language" not in exported.stderr and "No owner" in exported.stderr
    checked = warroom_process("export", "INC-1", "--check", env=env)
    assert checked.returncode == 1 and "human error" not in checked.stderr
