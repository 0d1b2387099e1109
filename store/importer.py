"""`warroom import`: a JSON export or a Markdown post-mortem back into the database.

A file whose incident does not exist yet is created whole, in one transaction. A file for an
incident that exists is merged into it: the person's edits are applied, nothing is deleted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from warroom.store.config import BUILT_IN_SECTIONS
from warroom.store.errors import NotFoundError, WarroomError
from warroom.store.export_json import FORMAT, VERSION
from warroom.store.import_doc import Document, NothingImported, lenient, usable
from warroom.store.kinds import MAX_LINE, MAX_TEXT
from warroom.store.mdparse import Problem
from warroom.store.models import ActionItem, Event, Factor, Incident
from warroom.store.store import Store
from warroom.store.timeparse import UTC, zone

_TOP_LEVEL = {
    "format",
    "version",
    "display_zone",
    "incident",
    "metrics",
    "events",
    "factors",
    "action_items",
    "hypotheses",
    "sections",
    "related",
}
#: Incident fields a JSON file does not change on an existing incident: identity, bookkeeping, and key
#: times that milestone events set (the file shows them already overridden by those events).
_NOT_MERGED = {"id", "created_at", "updated_at", "detected_at", "mitigated_at", "resolved_at"}
#: The write-up fields a new incident's summary names when the file filled them in.
_WRITTEN = (
    "owner",
    "commander",
    "scribe",
    "comms",
    "summary",
    "customers_affected",
    "business_impact",
    "went_well",
    "went_wrong",
    "got_lucky",
    "notes",
    "tags",
)
_LISTS = (("events", Event), ("factors", Factor), ("action_items", ActionItem))


@dataclass
class Counts:
    """How many records of one sort an import added and updated."""

    added: int = 0
    updated: int = 0

    def describe(self, noun: str) -> str:
        """`3 events added, 2 updated`, or empty when nothing changed."""
        plural = noun if (self.added or self.updated) == 1 else f"{noun}s"
        if self.added and self.updated:
            return f"{self.added} {plural} added, {self.updated} updated"
        if self.added or self.updated:
            return f"{self.added or self.updated} {plural} {'added' if self.added else 'updated'}"
        return ""


@dataclass
class ImportReport:
    """What an import did, and what it could not map."""

    incident_id: str
    created: bool = False
    events: Counts = field(default_factory=Counts)
    factors: Counts = field(default_factory=Counts)
    actions: Counts = field(default_factory=Counts)
    fields: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The config file's extra sections the file wrote, changed or emptied.
    sections: Counts = field(default_factory=Counts)
    #: Whether the import turned the Related Incidents section on (the file has it; the incident did not).
    related_on: bool = False

    def summary(self) -> str:
        """One line: `imported INC-...: 3 events added, 2 updated, 1 action item updated`."""
        parts = [self.events.describe("event"), self.factors.describe("factor"), self.actions.describe("action item")]
        parts.append(self.sections.describe("section"))
        if self.fields:
            verb = "saved" if self.created else "updated"
            parts.append(f"{', '.join(f.replace('_', ' ') for f in self.fields)} {verb}")
        if self.related_on:
            parts.append("Related Incidents section on")
        # A new incident is never "nothing changed": it was created, if only with its title and times.
        said = ", ".join(p for p in parts if p) or (
            "no records beyond its header" if self.created else "nothing changed"
        )
        return f"imported {self.incident_id}{' (new incident)' if self.created else ''}: {said}"


def is_json_export(text: str) -> bool:
    """Whether text is meant as a JSON export: it starts with `{` (the format is checked on reading)."""
    return text.lstrip("\ufeff \t\r\n").startswith("{")


def read_document(text: str, store: Store, as_id: str | None = None) -> Document:
    """Parse a file's text, JSON or Markdown, into the records it describes."""
    if is_json_export(text):
        return read_json(text, store, as_id)
    from warroom.store.import_md import build_document
    from warroom.store.mdparse import read_markdown

    try:
        return build_document(read_markdown(text.lstrip("\ufeff")), store.now(), as_id)
    except (OverflowError, RecursionError):
        # The checks above name the field when they can; this is the last line of defence.
        raise NothingImported("the file holds a time or structure too far out of range; nothing imported") from None


def import_text(store: Store, text: str, *, as_id: str | None = None, titles: Sequence[str] = ()) -> ImportReport:
    """Import one file's text: create the incident, or merge the file's edits into it.

    A section is saved under the spelling of `titles` (the config's) or of a section the incident already has
    when the file's differs only in letter case, as `warroom set section` does: never as a second section.
    """
    doc = read_document(text, store, as_id)
    doc.sections = _storable(doc.sections, doc.problems)

    def apply() -> ImportReport:
        try:
            store.resolve_incident_id(doc.incident.id)
        except NotFoundError:
            report = create(store, doc)
        else:
            from warroom.store.import_merge import merge

            report = merge(store, doc)
        if doc.sections:  # the config file's extra sections, as the file has them
            from warroom.store.sections import count_changes, read_sections, save_sections

            before = read_sections(store, doc.incident.id)
            spelled = {t.lower(): t for t in [*before, *titles]}
            doc.sections = {spelled.get(t.lower(), t): text for t, text in doc.sections.items()}
            report.sections = Counts(*count_changes(before, doc.sections))
            save_sections(store, doc.incident.id, doc.sections)
        # The file shows Related Incidents: keep showing it (its rows are found afresh).
        if doc.related and not store.shows_related_section(doc.incident.id):
            store.keep_related_section(doc.incident.id, True)
            report.related_on = True
        return report

    # One transaction for the whole file: a record that fails half-way leaves nothing of the file behind.
    report: ImportReport = store.write(apply)
    # In file order, so a person can work down the list; JSON problems (no line) come first.
    report.problems = sorted(doc.problems + report.problems, key=lambda p: p.line or 0)
    return report


def create(store: Store, doc: Document) -> ImportReport:
    """Create the incident and all its records in one transaction."""
    ids = store.insert_incident(doc.incident, doc.events, doc.factors, doc.actions, keep_ids=doc.exact)
    if doc.settlements:
        from warroom.store.hypotheses import restore_settlements

        restore_settlements(store, doc.settlements, ids)
    return ImportReport(
        doc.incident.id,
        created=True,
        events=Counts(added=len(doc.events)),
        factors=Counts(added=len(doc.factors)),
        actions=Counts(added=len(doc.actions)),
        fields=[name for name in _WRITTEN if name in doc.stated and getattr(doc.incident, name)],
    )


def read_json(text: str, store: Store, as_id: str | None = None) -> Document:
    """A JSON export as records; a record that does not validate is reported and left out."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NothingImported(f"not valid JSON (line {exc.lineno}: {exc.msg}); nothing imported") from None
    except RecursionError:
        raise NothingImported("the JSON is nested too deeply to be a warroom export; nothing imported") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise NothingImported(f'not a warroom JSON export (no "format": "{FORMAT}"); nothing imported')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise NothingImported(
            f"export format version {version!r} is not one this warroom reads (1 to {VERSION}); nothing imported"
        )
    problems = [Problem(None, f"unknown field {key!r}") for key in sorted(set(data) - _TOP_LEVEL)]
    raw = data.get("incident")
    if not isinstance(raw, dict):
        raise NothingImported('the export has no "incident" object; nothing imported')
    incident_id = as_id or str(raw.get("id", ""))
    incident = _record(Incident, {**raw, "id": incident_id}, "incident", problems)
    if incident is None or not usable(incident, "incident", problems):
        raise NothingImported("the export's incident cannot be used; nothing imported")
    records: dict[str, list[Any]] = {}
    for key, model in _LISTS:
        items = data.get(key, [])
        if not isinstance(items, list):
            problems.append(Problem(None, f"{key!r} is not a list; not imported"))
            items = []
        records[key] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                problems.append(Problem(None, f"{key}[{index}] is not an object; not imported"))
                continue
            if key == "events":
                item = {k: v for k, v in item.items() if k != "links"}  # derived from the text
            record = _record(model, {**item, "incident_id": incident_id}, f"{key}[{index}]", problems)
            if record is not None and usable(record, f"{key}[{index}]", problems):
                records[key].append(record)
    try:
        tz = zone(str(data.get("display_zone") or "UTC"))
    except WarroomError:
        tz = UTC
    from warroom.store.hypotheses import settlements_from_json

    settled, unread = settlements_from_json(data.get("hypotheses"))
    problems += [Problem(None, message) for message in unread]
    return Document(
        incident,
        records["events"],
        records["factors"],
        records["action_items"],
        stated=set(Incident.model_fields) - _NOT_MERGED,
        exact=True,
        zone=tz,
        problems=problems,
        settlements=settled,
        sections=_sections(data.get("sections", []), problems),
        related=_related(data, problems),
    )


def _related(data: dict[str, Any], problems: list[Problem]) -> bool:
    """Whether a JSON export includes Related Incidents; its entries are derived, so only their presence counts."""
    if "related" not in data:
        return False
    if not isinstance(data["related"], list):
        problems.append(Problem(None, "'related' is not a list; not imported"))
        return False
    return True


def _sections(items: Any, problems: list[Problem]) -> dict[str, str]:
    """The config file's extra sections of a JSON export: a list of {"title", "text"}."""
    found: dict[str, str] = {}
    for index, item in enumerate(items if isinstance(items, list) else [None]):
        if not (isinstance(item, dict) and isinstance(item.get("title"), str) and isinstance(item.get("text"), str)):
            problems.append(Problem(None, f"sections[{index}] is not a title and a text; not imported"))
            continue
        title = item["title"]
        # The Markdown export writes each as `## TITLE`: a template heading's name, a second section of the
        # same name or a title of several lines would not read back as the section it was.
        if not title.strip() or title.strip().lower() in BUILT_IN_SECTIONS or len(title.splitlines()) != 1:
            problems.append(Problem(None, f"sections[{index}]: {title!r} cannot be a section's title; not imported"))
            continue
        if any(title.lower() == seen.lower() for seen in found):
            problems.append(Problem(None, f"sections[{index}]: a second section called {title!r}; not imported"))
            continue
        found[title] = item["text"]
    return found


def _storable(sections: dict[str, str], problems: list[Problem]) -> dict[str, str]:
    """The sections that can be stored; one too long is named and left out, as an over-long event is, rather
    than refusing the whole file."""
    kept: dict[str, str] = {}
    for title, text in sections.items():
        if len(title) > MAX_LINE:
            problems.append(
                Problem(None, f"a section title of {len(title):,} characters (at most {MAX_LINE:,}); not imported")
            )
        elif len(text) > MAX_TEXT:
            problems.append(
                Problem(None, f"section {title!r} is {len(text):,} characters (at most {MAX_TEXT:,}); not imported")
            )
        else:
            kept[title] = text
    return kept


def _record(model: type[Any], data: dict[str, Any], where: str, problems: list[Problem]) -> Any:
    """One record of a JSON export; unknown keys are reported, bad records skipped."""
    for key in sorted(set(data) - set(model.model_fields)):
        problems.append(Problem(None, f"{where}: unknown field {key!r} not imported"))
        data.pop(key)
    return lenient(model, data, where, problems, drop=model is Incident)
