"""Importing a file into an incident that exists: the person's edits applied, nothing deleted.

Events are matched by position and time (a reworded row keeps its place and its minute), action
items by title and then by position. Every change goes through the Store's editing methods, so
each keeps the previous revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher
from typing import Any

from warroom.store import records
from warroom.store.import_doc import Document
from warroom.store.importer import ImportReport
from warroom.store.kinds import EventKind, FactorKind
from warroom.store.mdescape import escape_cell, escape_lines, escape_paragraphs
from warroom.store.models import ActionItem, Event, Incident
from warroom.store.store import Store

#: Incident fields the Markdown shows on one line (the others are paragraphs or not text).
_ONE_LINE = {"title", "owner", "commander", "scribe", "comms"}


class _Compare:
    """Whether two values read the same: exactly for JSON, as the Markdown shows them otherwise."""

    def __init__(self, doc: Document) -> None:
        self.exact = doc.exact
        self.zone = doc.zone

    def line(self, text: str) -> str:
        """A one-line field as the file shows it."""
        return text if self.exact else escape_cell(text)

    def text(self, text: str) -> Hashable:
        """A paragraph field as the file shows it."""
        return text if self.exact else tuple(tuple(p) for p in escape_paragraphs(text))

    def bullet(self, text: str) -> Hashable:
        """A factor's text as its list item shows it (paragraphs run together as lines)."""
        return text if self.exact else tuple(escape_lines(text))

    def moment(self, when: dt.datetime) -> dt.datetime:
        """A time as the file shows it: exact, or the minute in the display zone."""
        return when if self.exact else when.astimezone(self.zone).replace(second=0, microsecond=0)

    def label(self, event: Event | records.Event) -> tuple[Any, ...]:
        """The event's kind as the file shows it (Markdown shows a milestone instead of the kind)."""
        if self.exact:
            return (event.kind, event.milestone)
        return (event.milestone or (event.kind if event.kind is not EventKind.NOTE else None),)


def merge(store: Store, doc: Document) -> ImportReport:
    """Apply a file's edits to its existing incident and say what changed."""
    report = ImportReport(doc.incident.id)
    same = _Compare(doc)
    ids = _merge_events(store, doc, same, report)
    if doc.settlements:
        from warroom.store.hypotheses import restore_settlements

        restore_settlements(store, doc.settlements, ids)
    _merge_factors(store, doc, same, ids, report)
    _merge_actions(store, doc, same, report)
    _merge_fields(store, doc, same, report)
    return report


def _align(
    old: Sequence[Hashable], new: Sequence[Hashable], paired: Callable[[int, int], bool]
) -> list[tuple[int | None, int]]:
    """Each new item with the old one it replaces (None: it is new); unchanged runs pair up too.

    In a changed run, items pair by position when `paired` agrees (same time for events); the
    rest are additions. Old items left unpaired are kept as they are: an import deletes nothing.
    """
    found: list[tuple[int | None, int]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            i = i1 + offset
            same_place = tag == "equal" or (tag == "replace" and i < i2 and paired(i, j))
            found.append((i if same_place else None, j))
    return found


def _merge_events(store: Store, doc: Document, same: _Compare, report: ImportReport) -> dict[int, int]:
    """Reworded rows edited, new rows logged; returns the file's event ids -> stored ids."""
    current = store.events(doc.incident.id)
    old = [(same.moment(e.occurred_at), same.line(e.text)) for e in current]
    new = [(same.moment(e.occurred_at), same.line(e.text)) for e in doc.events]
    ids: dict[int, int] = {}
    for i, j in _align(old, new, lambda i, j: old[i][0] == new[j][0]):
        wanted = doc.events[j]
        if i is None:
            event = store.log_event(
                doc.incident.id,
                wanted.text,
                occurred_at=wanted.occurred_at,
                logged_at=wanted.logged_at if doc.exact else None,
                **wanted.model_dump(include={"kind", "team", "author", "milestone", "starred", "source"}),
            )
            report.events.added += 1
        else:
            event = current[i]
            changes = _event_changes(event, wanted, same)
            if changes:
                store.edit_event(event.id or 0, **changes)
                report.events.updated += 1
        if wanted.id is not None and event.id is not None:
            ids[wanted.id] = event.id
    return ids


def _event_changes(current: records.Event, wanted: Event, same: _Compare) -> dict[str, Any]:
    """The fields of a matched event the file changes; an empty team in the file changes nothing."""
    changes: dict[str, Any] = {}
    if same.line(current.text) != same.line(wanted.text):
        changes["text"] = wanted.text
    if wanted.team and same.line(current.team) != same.line(wanted.team):
        changes["team"] = wanted.team
    if current.starred != wanted.starred:
        changes["starred"] = wanted.starred
    if same.label(current) != same.label(wanted):
        changes.update(kind=wanted.kind, milestone=wanted.milestone)
    return changes


def _merge_factors(store: Store, doc: Document, same: _Compare, ids: dict[int, int], report: ImportReport) -> None:
    """Reworded factors edited, new ones added, links the file shows added (never removed)."""
    incident_id = doc.incident.id
    shown = {e.id: same.moment(e.occurred_at) for e in store.events(incident_id)}
    for kind in FactorKind:
        current = store.factors(incident_id, kind)
        wanted = [f for f in doc.factors if f.kind is kind]
        old = [same.bullet(f.text) for f in current]
        new = [same.bullet(f.text) for f in wanted]
        for i, j in _align(old, new, lambda i, j: True):
            links = [ids[e] for e in wanted[j].event_ids if e in ids]
            if i is None:
                store.add_factor(incident_id, wanted[j].text, kind=kind.value, event_ids=links)
                report.factors.added += 1
                continue
            factor = current[i]
            changed = old[i] != new[j]
            if changed:
                store.edit_factor(incident_id, factor.number, text=wanted[j].text)
            linked = {shown.get(e) for e in factor.event_ids}
            for event_id in links:
                if shown.get(event_id) not in linked:
                    store.link_factor(incident_id, factor.number, event_id)
                    linked.add(shown.get(event_id))
                    changed = True
            report.factors.updated += int(changed)


def _merge_actions(store: Store, doc: Document, same: _Compare, report: ImportReport) -> None:
    """Rows matched by title or position: filled-in fields applied; unmatched rows added."""
    incident_id = doc.incident.id
    current = sorted(store.actions(incident_id), key=lambda a: a.number)
    old = [same.line(a.title) for a in current]
    new = [same.line(a.title) for a in doc.actions]
    # Same title, or the same place between rows whose titles match; then a moved row by its title.
    match = {j: current[i] for i, j in _align(old, new, lambda i, j: True) if i is not None}
    free = [a for a in current if a not in match.values()]
    for j, title in enumerate(new):
        found = next((a for a in free if j not in match and same.line(a.title) == title), None)
        if found is not None:
            match[j] = found
            free.remove(found)
    for j, wanted in enumerate(doc.actions):
        if j not in match:
            fields = wanted.model_dump(include={"owner", "deadline", "priority", "status", "type", "ticket", "done_at"})
            store.add_action(incident_id, wanted.title, **fields)
            report.actions.added += 1
            continue
        changes = _action_changes(match[j], wanted, same)
        if changes:
            store.edit_action(incident_id, match[j].number, **changes)
            report.actions.updated += 1


def _action_changes(current: records.ActionItem, wanted: ActionItem, same: _Compare) -> dict[str, Any]:
    """Fields of a matched action item the file changes; an empty owner or deadline changes nothing."""
    changes: dict[str, Any] = {}
    if same.line(current.title) != same.line(wanted.title):
        changes["title"] = wanted.title
    if wanted.owner and same.line(current.owner) != same.line(wanted.owner):
        changes["owner"] = wanted.owner
    if wanted.deadline is not None and wanted.deadline != current.deadline:
        changes["deadline"] = wanted.deadline
    for name in ("priority", "status") if not same.exact else ("priority", "status", "type", "ticket"):
        if getattr(wanted, name) != getattr(current, name) and getattr(wanted, name) != "":
            changes[name] = getattr(wanted, name)
    return changes


def _merge_fields(store: Store, doc: Document, same: _Compare, report: ImportReport) -> None:
    """Incident fields the file changes, in one update (one revision); empty values clear nothing."""
    current = store.incident(doc.incident.id)
    changes: dict[str, Any] = {}
    for name in Incident.model_fields:
        if name not in doc.stated:
            continue
        old, new = getattr(current, name), getattr(doc.incident, name)
        if new in ("", None, []):
            continue
        if name == "tags":
            new = list(old) + [t for t in new if t not in old]
        if name in _ONE_LINE:
            differs = same.line(old) != same.line(new)
        elif isinstance(new, str):
            differs = same.text(old) != same.text(new)
        else:
            differs = old != new
        if differs:
            changes[name] = new
    if changes:
        store.update_incident(doc.incident.id, **changes)
        report.fields = [name for name in changes]
