"""Telling warroom's own SQLite files from other programs' before anything in them is touched.

A file warroom made carries PRAGMA application_id "WRM1". Files from before that was set (and any file
without it) must show warroom's tables with their columns, as the schema version they claim had them;
a file with `user_version=1` and a table that merely happens to be called `incidents` is someone else's.
"""

from __future__ import annotations

from collections.abc import Callable

#: PRAGMA application_id of a warroom file ("WRM1").
APPLICATION_ID = 0x57524D31

#: Tables every warroom file has had since schema 1, with columns each has always had.
_SINCE_V1: dict[str, set[str]] = {
    "incidents": {"id", "title", "severity", "status", "started_at", "created_at", "updated_at"},
    "events": {"id", "incident_id", "occurred_at", "logged_at", "text", "kind", "deleted_at"},
    "factors": {"id", "incident_id", "kind", "text"},
    "factor_events": {"factor_id", "event_id"},
    "action_items": {"id", "incident_id", "title", "status"},
    "drafts": {"incident_id", "field"},
    "revisions": {"id", "record_type", "record_id", "data", "replaced_at"},
}
#: Tables added by later schema versions: version -> table -> columns.
_ADDED: dict[int, dict[str, set[str]]] = {
    2: {"lint_allow": {"incident_id", "phrase"}},
    3: {"search_index": {"text", "record_type", "record_id", "incident_id"}},
}


def expected_tables(version: int) -> dict[str, set[str]]:
    """The tables (and some of their columns) a warroom file at `version` has."""
    out = dict(_SINCE_V1)
    for added_in, tables in _ADDED.items():
        if version >= added_in:
            out.update(tables)
    return out


def is_warroom_file(app_id: int, version: int, tables: set[str], columns: Callable[[str], set[str]]) -> bool:
    """Whether a file is warroom's own: marked as such, or new and empty, or shaped as its version says."""
    if app_id == APPLICATION_ID:
        return True
    if app_id != 0:
        return False
    if version == 0:
        return not tables  # a new, empty file (SQLite's header only)
    expected = expected_tables(version)
    return all(name in tables and wanted <= columns(name) for name, wanted in expected.items())
