"""What every `warroom` command shares: the store it opens, the display zone, one-line errors.

Kept free of Textual so that shell commands (alert hooks call `warroom log`) start fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from warroom.store.errors import InputError
from warroom.store.store import Store

if TYPE_CHECKING:
    from warroom.store.config import Config

F = TypeVar("F", bound=Callable[..., Any])


def default_db_path() -> Path:
    """The platform's user data folder + warroom/warroom.db."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "warroom" / "warroom.db"


class Context:
    """Global options, and the store opened on first use."""

    def __init__(self, db: Path, tz_name: str | None, config_path: Path | None = None) -> None:
        from warroom.store.timeparse import zone

        self.db_path = db
        self.config_path = config_path
        self._config: Config | None = None
        self._tz_given = tz_name
        self._tz: dt.tzinfo | None = None
        if tz_name:
            self._tz = zone(tz_name)  # a bad --tz is refused before anything else happens
        self._store: Store | None = None

    @property
    def tz_name(self) -> str:
        """The display zone's name: --tz or WARROOM_TZ, else the config file's timezone, else UTC."""
        return self._tz_given or self.config.timezone or "UTC"

    @property
    def tz(self) -> dt.tzinfo:
        """The display zone (read from the config file only when --tz and WARROOM_TZ say nothing)."""
        if self._tz is None:
            from warroom.store.timeparse import zone

            self._tz = zone(self.tz_name)
        return self._tz

    def check_config(self) -> None:
        """Read the config file now: one that cannot be used stops a command before it does anything."""
        _ = self.config

    @property
    def config(self) -> Config:
        """The config file (`--config`, WARROOM_CONFIG or the default one), read on first use."""
        if self._config is None:
            from warroom.store.config import load

            self._config = load(self.config_path)
        return self._config

    @property
    def store(self) -> Store:
        """The store, opened on first use; created only by a command that writes (see `reads_only`)."""
        if self._store is None:
            if reads_only(click.get_current_context(silent=True)):
                self._store = self._existing_store()
            else:
                self._store = Store(self.db_path)
        return self._store

    def _existing_store(self) -> Store:
        """The store of a database that must already exist: a mistyped --db is refused, nothing created."""
        if str(self.db_path) != ":memory:" and not self.db_path.exists():
            root = click.get_current_context().find_root()
            if root.get_parameter_source("db") is click.core.ParameterSource.DEFAULT:
                raise InputError(
                    f"no incidents yet (no database at {self.db_path}): start one with `warroom new TITLE` or `warroom`"
                )
            raise InputError(
                f"no database at {self.db_path}: check --db (or WARROOM_DB), or start one with `warroom new TITLE`"
            )
        return Store(self.db_path, create=False)

    def close(self) -> None:
        """Close the store if it was opened; SQLite then folds the WAL back into the file."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def incident_id(self, given: str | None) -> str:
        """The incident a command acts on: the given id, else the most recently active open one."""
        return self.store.resolve_incident_id(given)

    def parse_time(self, text: str | None) -> dt.datetime | None:
        """A TIME option in the display zone, or None when absent."""
        if text is None:
            return None
        from warroom.store.timeparse import parse_time, time_note

        moment = parse_time(text, self.store.now(), self.tz)
        if note := time_note(text, moment, self.tz):
            # Around a DST change a local time can mean two instants, or none: say which one was taken.
            click.echo(f"note: {note}", err=True)
        return moment

    def today(self) -> dt.date:
        """Today's date in the display zone (deadlines are dates there)."""
        return self.store.now().astimezone(self.tz).date()

    def local(self, moment: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
        """A stored time shown in the display zone."""
        return moment.astimezone(self.tz).strftime(fmt) if moment else "—"


pass_ctx = click.make_pass_decorator(Context)

#: Commands that only read, by their path under `warroom`: a missing database is a mistyped --db for them,
#: refused rather than created empty. The value names options that make the command write after all.
READS_ONLY: dict[str, tuple[str, ...]] = {
    "list": (),
    "show": (),
    "export": (),
    "search": (),
    "stats": (),
    "related": (),
    "catchup": (),
    "update": ("log_it",),
    "lint": ("allow_add", "allow_remove"),
    "event list": (),
    "event history": (),
    "action list": (),
    "cause list": (),
    "hypothesis list": (),
}


def reads_only(ctx: click.Context | None) -> bool:
    """Whether the running command only reads (READS_ONLY, none of its writing options given)."""
    if ctx is None or ctx.parent is None:
        return False  # no command (the TUI), or outside any command
    names = []
    at: click.Context | None = ctx
    while at is not None and at.parent is not None:
        names.append(at.info_name or "")
        at = at.parent
    writing = READS_ONLY.get(" ".join(reversed(names)))
    return writing is not None and not any(ctx.params.get(name) for name in writing)


class RecordNumber(click.ParamType[int]):
    """An event id or an item's number: an integer SQLite can hold, else one line (exit 2), not a traceback."""

    name = "integer"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number: int = click.INT.convert(value, param, ctx)
        if not -(2**63) <= number < 2**63:
            self.fail(f"{value} is too large to number anything warroom keeps", param, ctx)
        return number


#: The type of every record number on the command line.
NUMBER = RecordNumber()


def incident_option(fn: F) -> F:
    """-i/--incident, shared by every command that acts on one incident."""
    return click.option(
        "-i", "--incident", "incident", metavar="ID", help="Incident id (default: the most recently active open one)."
    )(fn)


class SeverityOption(click.Option):
    """--severity, whose help lists the config file's levels with their meaning (read when help is shown)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        obj = ctx.find_object(Context)
        if record is None or obj is None:
            return record
        levels = "; ".join(f"{lv.name}: {lv.meaning}" for lv in obj.config.severities)
        return record[0], f"{record[1]} Levels: {levels}."


def choice(values: list[str]) -> click.Choice[str]:
    """A case-insensitive choice."""
    return click.Choice(values, case_sensitive=False)


def limit_text(text: str, what: str) -> str:
    """Refuse over-long input on the command line with one clear message."""
    from warroom.store.kinds import MAX_TEXT

    if len(text) > MAX_TEXT:
        raise InputError(f"{what} is {len(text):,} characters; the limit is {MAX_TEXT:,}")
    return text
