"""The one TOML config file: display zone, author, teams, severity levels, post-mortem sections, lint phrases.

Everything here is optional: with no file, warroom behaves as it always has (the defaults below). A file
that cannot be used is refused as a whole, in one line naming the file, the line and the key, so a typo
never silently changes how an incident is run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warroom.store.errors import InputError
from warroom.store.text import controls_visible

#: The environment variable naming the config file (the `--config` option wins over it).
ENV = "WARROOM_CONFIG"


class ConfigError(InputError):
    """The config file cannot be used; the message names the file, line and key."""


@dataclass(frozen=True)
class Due:
    """A review deadline: so many days (or business days, Monday to Friday) after resolution."""

    days: int
    business: bool = False

    def after(self, day: dt.date) -> dt.date:
        """The due date counted from `day`."""
        if not self.business:
            return day + dt.timedelta(days=self.days)
        left, due = self.days, day
        while left > 0:
            due += dt.timedelta(days=1)
            if due.weekday() < 5:
                left -= 1
        return due

    def __str__(self) -> str:
        return f"{self.days}{'bd' if self.business else 'd'}"


@dataclass(frozen=True)
class SeverityLevel:
    """A severity: what it means, how often stakeholders hear, how soon the post-mortem is reviewed."""

    name: str
    meaning: str
    update_every: dt.timedelta | None = None
    review_within: Due | None = None


@dataclass(frozen=True)
class Section:
    """An extra post-mortem section of the organisation's, with the prompt shown where it is written."""

    title: str
    prompt: str
    required: bool = False


DEFAULT_SEVERITIES: tuple[SeverityLevel, ...] = (
    SeverityLevel(
        "SEV1",
        "Critical: a core service is down or data is at risk for many customers",
        dt.timedelta(minutes=30),
        Due(3),
    ),
    SeverityLevel(
        "SEV2",
        "Major: a core feature is broken or badly degraded for some customers",
        dt.timedelta(minutes=60),
        Due(5, business=True),
    ),
    SeverityLevel("SEV3", "Minor: degraded with a workaround, or a few customers affected"),
    SeverityLevel("SEV4", "Low: cosmetic, internal only, or a near miss"),
)


@dataclass(frozen=True)
class Config:
    """What the config file says, over the defaults."""

    path: Path | None = None
    timezone: str | None = None
    author: str = ""
    teams: tuple[str, ...] = ()
    severities: tuple[SeverityLevel, ...] = DEFAULT_SEVERITIES
    sections: tuple[Section, ...] = ()
    lint_allow: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def severity(self, name: str) -> SeverityLevel | None:
        """The level called `name` (case-insensitive), if there is one."""
        for level in self.severities:
            if level.name.lower() == name.lower():
                return level
        return None

    @property
    def severity_names(self) -> list[str]:
        """Every level's name, most severe first."""
        return [level.name for level in self.severities]

    @property
    def section_titles(self) -> list[str]:
        """The extra post-mortem sections' titles, in the order they are exported."""
        return [s.title for s in self.sections]

    @property
    def required_sections(self) -> list[str]:
        """The titles the export gate asks to be written."""
        return [s.title for s in self.sections if s.required]

    def choose_severity(self, text: str) -> str:
        """The level `text` names: `SEV0`, `sev0` or just `0`; anything else is refused in one line."""
        typed = text.strip()
        level = self.severity(typed) or (self.severity(f"SEV{typed}") if typed.isdigit() else None)
        if level is None:
            raise InputError(f"severity {typed!r} is not one of {', '.join(self.severity_names)}")
        return level.name

    def severity_hint(self) -> str:
        """Each level and its meaning on one line, for where a severity is chosen."""
        return "; ".join(f"{level.name}: {level.meaning}" for level in self.severities)


def default_path() -> Path:
    """Where the config file lives unless `--config` or WARROOM_CONFIG says otherwise."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("warroom", appauthor=False)) / "config.toml"


def chosen_path(given: Path | str | None) -> tuple[Path, bool]:
    """The config file to read, and whether it was asked for (then it must exist)."""
    if given:
        return Path(given).expanduser(), True
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser(), True
    return default_path(), False


def load(given: Path | str | None = None) -> Config:
    """The config from `given`, WARROOM_CONFIG or the default file; the defaults when there is none."""
    path, asked = chosen_path(given)
    if not asked:
        try:
            if not path.is_file():
                return Config()
        except OSError:
            return Config()  # a folder this user may not look into: no config of theirs is there
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if asked:
            raise ConfigError(f"config file {path} does not exist") from None
        return Config()
    except IsADirectoryError:
        raise ConfigError(f"config file {path} is a folder, not a file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    return parse(text, path)


def parse(text: str, path: Path | None = None) -> Config:
    """A config from TOML text; `path` only names the file in messages."""
    import tomllib  # only when there is a file to read: most commands start without one

    where = str(path) if path else "config"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    return _Reader(data, text, where, path).config()


_TOP_KEYS = {"timezone", "author", "teams", "severities", "sections", "lint_allow"}
_LEVEL_KEYS = {"meaning", "update_every", "review_within"}
_SECTION_KEYS = {"title", "prompt", "required"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")
_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*$")
_DUE = re.compile(r"^\s*(\d+)\s*(d|bd)\s*$")
#: Limits that keep a config from making the header or the export unreadable.
MAX_TEXT = 500
MAX_TEAMS = 200


class _Reader:
    """Checks the parsed TOML key by key; every message names the file, the line and the key."""

    def __init__(self, data: dict[str, Any], text: str, where: str, path: Path | None) -> None:
        self.data, self.lines, self.where, self.path = data, text.splitlines(), where, path

    def fail(self, key: str, why: str, table: str = "", index: int | None = None) -> ConfigError:
        line = _line_of(self.lines, table, key, index)
        at = f", line {line}" if line else ""
        shown = f"{table}.{key}" if table else key
        return ConfigError(f"{self.where}{at}: {shown}: {why}")

    def text(self, value: Any, key: str, table: str = "", index: int | None = None, *, empty: bool = True) -> str:
        if not isinstance(value, str):
            raise self.fail(key, "must be a quoted string", table, index)
        if not empty and not value.strip():
            raise self.fail(key, "must not be empty", table, index)
        if len(value) > MAX_TEXT:
            raise self.fail(key, f"is longer than {MAX_TEXT} characters", table, index)
        if any(ord(c) < 32 and c not in "\t" for c in value) or controls_visible(value) != value:
            # Titles become headings and form labels: a DEL, C1 or text-direction character would reorder them.
            raise self.fail(key, "must be one line of text (no control or text-direction characters)", table, index)
        return value.strip()

    def config(self) -> Config:
        for key in self.data:
            if key not in _TOP_KEYS:
                raise self.fail(key, f"unknown key (known: {', '.join(sorted(_TOP_KEYS))})")
        timezone = None
        if "timezone" in self.data:
            timezone = self.text(self.data["timezone"], "timezone", empty=False)
            # Imported here: loading zoneinfo costs every start a few ms, and most never name a zone.
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise self.fail("timezone", f"unknown zone {timezone!r} (an IANA name like Europe/Berlin)") from None
        author = self.text(self.data.get("author", ""), "author")
        return Config(
            path=self.path,
            timezone=timezone,
            author=author,
            teams=self.names("teams"),
            severities=self.severities(),
            sections=self.sections(),
            lint_allow=self.phrases(),
        )

    def names(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, 'must be a list of names, like ["sre", "payments"]')
        if len(value) > MAX_TEAMS:
            raise self.fail(key, f"has more than {MAX_TEAMS} names")
        out: list[str] = []
        for name in value:
            team = name.strip().lstrip("@")
            if not _NAME.match(team):
                raise self.fail(key, f"{name!r} is not a team name (letters, digits, - and _, at most 16)")
            if team.lower() not in (t.lower() for t in out):
                out.append(team)
        return tuple(out)

    def phrases(self) -> tuple[str, ...]:
        value = self.data.get("lint_allow", [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail("lint_allow", 'must be a list of phrases, like ["blast radius"]')
        return tuple(self.text(v, "lint_allow") for v in value)

    def severities(self) -> tuple[SeverityLevel, ...]:
        table = self.data.get("severities", {})
        if not isinstance(table, dict):
            raise self.fail("severities", "must be tables like [severities.SEV1]")
        levels = {level.name.upper(): level for level in DEFAULT_SEVERITIES}
        added: list[SeverityLevel] = []
        for name, body in table.items():
            where = f"severities.{name}"
            if not _NAME.match(name):
                raise self.fail(where, "a severity name is letters and digits, like SEV0")
            if not isinstance(body, dict):
                raise self.fail(where, "must be a table with meaning, update_every, review_within")
            for key in body:
                if key not in _LEVEL_KEYS:
                    raise self.fail(key, f"unknown key (known: {', '.join(sorted(_LEVEL_KEYS))})", where)
            base = levels.get(name.upper(), SeverityLevel(name.upper(), ""))
            level = SeverityLevel(
                base.name,
                self.text(body["meaning"], "meaning", where) if "meaning" in body else base.meaning,
                self.duration(body["update_every"], where) if "update_every" in body else base.update_every,
                self.due(body["review_within"], where) if "review_within" in body else base.review_within,
            )
            if not level.meaning:
                raise self.fail(where, "a new severity needs a meaning")
            if level.name in levels:
                levels[level.name] = level
            else:
                added.append(level)
        # New levels come first when they sort before the defaults (SEV0), else after them (SEV5).
        ordered = sorted([*levels.values(), *added], key=lambda lv: _severity_order(lv.name))
        return tuple(ordered)

    def duration(self, value: Any, table: str) -> dt.timedelta | None:
        if value in ("", "none", False):
            return None
        match = _DURATION.match(value) if isinstance(value, str) else None
        if not match or not any(match.groups()):
            raise self.fail("update_every", 'must be a time like "15m", "1h" or "1h30m" (or "none")', table)
        minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
        if not 1 <= minutes <= 24 * 60:
            raise self.fail("update_every", "must be between 1 minute and 24 hours", table)
        return dt.timedelta(minutes=minutes)

    def due(self, value: Any, table: str) -> Due | None:
        if value in ("", "none", False):
            return None
        match = _DUE.match(value) if isinstance(value, str) else None
        if not match:
            raise self.fail("review_within", 'must be days like "3d" or business days like "5bd" (or "none")', table)
        days = int(match.group(1))
        if not 0 <= days <= 365:
            raise self.fail("review_within", "must be at most 365 days", table)
        return Due(days, business=match.group(2) == "bd")

    def sections(self) -> tuple[Section, ...]:
        value = self.data.get("sections", [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail("sections", "must be [[sections]] tables with title, prompt and required")
        out: list[Section] = []
        for index, body in enumerate(value):
            for key in body:
                if key not in _SECTION_KEYS:
                    raise self.fail(key, f"unknown key (known: {', '.join(sorted(_SECTION_KEYS))})", "sections", index)
            if "title" not in body:
                raise self.fail("title", "every section needs a title", "sections", index)
            title = self.text(body["title"], "title", "sections", index, empty=False)
            required = body.get("required", False)
            if not isinstance(required, bool):
                raise self.fail("required", "must be true or false", "sections", index)
            if any(s.title.lower() == title.lower() for s in out) or title.lower() in BUILT_IN_SECTIONS:
                raise self.fail("title", f"there is already a section called {title!r}", "sections", index)
            prompt = self.text(body.get("prompt", ""), "prompt", "sections", index)
            out.append(Section(title, prompt, required))
        return tuple(out)


#: The template's own sections; an extra section may not take their names.
BUILT_IN_SECTIONS = {
    "incident summary",
    "incident timeline",
    "root cause analysis",
    "impact",
    "lessons learned",
    "action items",
    "related incidents",
    "summary",
    "timeline",
}


def _severity_order(name: str) -> tuple[int, str]:
    match = re.match(r"^SEV(\d+)$", name, re.IGNORECASE)
    return (int(match.group(1)), name) if match else (1000, name)


def _line_of(lines: list[str], table: str, key: str, index: int | None) -> int | None:
    """The line where `key` (relative to `table`; the index-th table of an array) is set or opened."""
    full = f"{table}.{key}" if table else key
    parent, _, name = full.rpartition(".")
    header = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    assignment = re.compile(r"^\s*([\"']?)" + re.escape(name) + r"\1\s*=")
    current, seen = "", -1
    for number, line in enumerate(lines, 1):
        found = header.match(line)
        if found:
            current = found.group(2).replace('"', "").replace("'", "")
            if found.group(1) == "[[" and current == (table or full):
                seen += 1
            if current == full and (index is None or seen == index):
                return number
            continue
        if current == parent and (index is None or seen == index) and assignment.match(line):
            return number
    if parent and parent != full:  # the key is missing: point at its table
        return _line_of(lines, "", parent, index)
    return None
