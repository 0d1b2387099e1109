"""Errors the store raises. Each carries one sentence fit to show a user as it is."""

from __future__ import annotations


class WarroomError(Exception):
    """Base of every error meant for a user; `exit_code` follows the CLI contract."""

    exit_code = 1


class InputError(WarroomError):
    """The input itself is wrong (bad time, unknown kind); nothing was written."""

    exit_code = 2


class NotFoundError(WarroomError):
    """An incident, event or item that does not exist."""


class DatabaseFileError(WarroomError):
    """The database file cannot be used: not SQLite, from a newer warroom, unreadable."""


class WriteError(WarroomError):
    """A write failed (disk full, read-only, locked too long); nothing was changed."""
