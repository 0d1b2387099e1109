"""The forms for editing events, factors, action items, notes, the write-up and new incidents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from warroom.store.config import Config, Section
from warroom.store.errors import InputError
from warroom.store.kinds import MAX_TEXT, ActionStatus, ActionType, EventKind, FactorKind, Milestone, Priority
from warroom.store.records import ActionItem, Event, Factor, Incident
from warroom.store.timeparse import UTC, parse_date, parse_time, typed_back
from warroom.tui.screens.form import Field, FormScreen

NO_MILESTONE = "none"


def _changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Only the fields whose value differs."""
    return {k: v for k, v in new.items() if old.get(k) != v}


def _required(value: str, what: str) -> str:
    if not value.strip():
        raise InputError(f"{what} cannot be empty")
    if len(value) > MAX_TEXT:
        raise InputError(f"{what} is {len(value):,} characters; the limit is {MAX_TEXT:,}")
    return value.strip()


def event_form(event: Event, now: dt.datetime, tz: dt.tzinfo) -> FormScreen:
    """Correct an event's text, time, kind, team or milestone."""
    # A wall time the clocks show twice carries its offset: edited, it would otherwise be read as the earlier.
    local = typed_back(event.occurred_at, tz, "%Y-%m-%d %H:%M:%S")

    def validate(v: dict[str, str]) -> dict[str, Any]:
        new = {
            "text": _required(v["text"], "the text"),
            "occurred_at": parse_time(v["time"], now, tz) if v["time"].strip() != local else event.occurred_at,
            "kind": v["kind"] or event.kind.value,
            "team": v["team"].strip(),
            "milestone": None if v["milestone"] in ("", NO_MILESTONE) else v["milestone"],
        }
        old = {
            "text": event.text,
            "occurred_at": event.occurred_at,
            "kind": event.kind.value,
            "team": event.team,
            "milestone": event.milestone.value if event.milestone else None,
        }
        return _changed(old, new)

    return FormScreen(
        f"Edit event {event.id} (the previous version is kept)",
        [
            Field("text", "Text", event.text),
            Field("time", "When", local),
            Field("kind", "Kind", event.kind.value, options=[k.value for k in EventKind]),
            Field("team", "Team", event.team),
            Field(
                "milestone",
                "Milestone",
                event.milestone.value if event.milestone else NO_MILESTONE,
                options=[NO_MILESTONE] + [m.value for m in Milestone],
            ),
        ],
        validate,
        help="When: 2026-11-27 14:02:00, 14:02 or -5m · Enter saves · Escape cancels · Tab next field",
        draft=(event.incident_id, f"form:event {event.id}"),
    )


def factor_form(factor: Factor) -> FormScreen:
    """Correct a factor's text or kind."""

    def validate(v: dict[str, str]) -> dict[str, Any]:
        new = {"text": _required(v["text"], "the text"), "kind": v["kind"] or factor.kind.value}
        return _changed({"text": factor.text, "kind": factor.kind.value}, new)

    return FormScreen(
        f"Edit factor {factor.number}",
        [
            Field("text", "Factor", factor.text),
            Field("kind", "Kind", factor.kind.value, options=[k.value for k in FactorKind]),
        ],
        validate,
        draft=(factor.incident_id, f"form:factor {factor.number}"),
    )


def action_fields(item: ActionItem | None) -> list[Field]:
    """The fields of an action item, filled from `item` when editing."""
    return [
        Field("title", "Action item", item.title if item else ""),
        Field("owner", "Owner", item.owner if item else ""),
        Field("deadline", "Deadline", item.deadline.isoformat() if item and item.deadline else ""),
        Field("priority", "Priority", item.priority.value if item else "P2", options=[p.value for p in Priority]),
        Field("status", "Status", item.status.value if item else "open", options=[s.value for s in ActionStatus]),
        Field("type", "Type", item.type.value if item else "prevent", options=[t.value for t in ActionType]),
        Field("ticket", "Ticket", item.ticket if item else ""),
    ]


def action_values(v: dict[str, str]) -> dict[str, Any]:
    """Form values as action item fields, validated."""
    return {
        "title": _required(v["title"], "the title"),
        "owner": v["owner"].strip(),
        "deadline": parse_date(v["deadline"]) if v["deadline"].strip() else None,
        "priority": v["priority"] or "P2",
        "status": v["status"] or "open",
        "type": v["type"] or "prevent",
        "ticket": v["ticket"].strip(),
    }


def action_form(item: ActionItem) -> FormScreen:
    """Edit an action item."""

    def validate(v: dict[str, str]) -> dict[str, Any]:
        old = {k: getattr(item, k) for k in ("title", "owner", "deadline", "ticket")}
        old.update(priority=item.priority.value, status=item.status.value, type=item.type.value)
        return _changed(old, action_values(v))

    return FormScreen(
        f"Edit action item {item.number}",
        action_fields(item),
        validate,
        help="Deadline: YYYY-MM-DD · Enter saves · Escape cancels · Tab next field",
        draft=(item.incident_id, f"form:action {item.number}"),
    )


def notes_form(notes: str, incident_id: str | None = None) -> FormScreen:
    """Edit the free-form root-cause notes."""

    def validate(v: dict[str, str]) -> str:
        if len(v["notes"]) > MAX_TEXT:
            raise InputError(f"the notes are {len(v['notes']):,} characters; the limit is {MAX_TEXT:,}")
        return v["notes"]

    return FormScreen(
        "Notes (free text; ctrl+s saves, Escape cancels)",
        [Field("notes", "Notes", notes, multiline=True)],
        validate,
        help="ctrl+s saves · Escape cancels",
        draft=(incident_id, "form:notes") if incident_id else None,
    )


def new_incident_form(
    clock: Callable[[], dt.datetime] | None = None, tz: dt.tzinfo = UTC, config: Config | None = None
) -> FormScreen:
    """Open a new incident; `started_at` is when impact began (`now`, `-20m`, `02:51`), read when saved.

    The severities are the config file's levels, each shown with its meaning so the choice is not a guess.
    """
    levels = (config or Config()).severities

    def validate(v: dict[str, str]) -> dict[str, Any]:
        now = clock() if clock else dt.datetime.now(UTC)
        return {
            "title": _required(v["title"], "the title"),
            "severity": v["severity"] or "SEV3",
            "owner": v["owner"].strip(),
            "started_at": parse_time(v["started"] or "now", now, tz),
        }

    return FormScreen(
        "New incident",
        [
            Field("title", "Title", placeholder="Checkout failing for EU customers"),
            Field(
                "severity",
                "Severity",
                "SEV3",
                options=[lv.name for lv in levels],
                option_labels=[f"{lv.name}  {lv.meaning}" if lv.meaning else lv.name for lv in levels],
            ),
            Field("owner", "Owner"),
            Field("started", "Impact began", "now", placeholder="when did impact begin? now, -20m, 02:51"),
        ],
        validate,
        help="Impact began: now, -20m, 02:51 or 2026-11-27 02:51 · Enter saves · Escape cancels · Tab next field",
    )


#: The post-mortem's free-text fields, in the order the export shows them.
WRITEUP_FIELDS: list[tuple[str, str]] = [
    ("summary", "Summary"),
    ("customers_affected", "Customers affected"),
    ("business_impact", "Business impact"),
    ("went_well", "What went well"),
    ("went_wrong", "What went wrong"),
    ("got_lucky", "Where we got lucky"),
]


#: The key times the write-up form also sets (field name, label), in the order they happen.
KEY_TIME_FIELDS: list[tuple[str, str]] = [
    ("started_at", "Impact began"),
    ("detected_at", "Detected"),
    ("mitigated_at", "Mitigated"),
    ("resolved_at", "Resolved"),
]


def writeup_form(
    incident: Incident,
    focus: str | None = None,
    *,
    now: dt.datetime | None = None,
    tz: dt.tzinfo = UTC,
    sections: Sequence[Section] = (),
    texts: Mapping[str, str] | None = None,
) -> FormScreen:
    """Write the summary, impact and lessons and correct the key times; returns only the fields that changed.

    A key time is shown in the display zone; a field left as shown is unchanged, an emptied one is cleared
    (not the start), anything else is read as TIME (`02:51`, `-20m`, ISO-8601). The config file's extra
    `sections` follow the lessons, each under its title and prompt (`texts`: what is written so far); changed
    ones come back as {"sections": {title: text}}. Focus one with `section_N` (N: its place in the config).
    """
    written = dict(texts or {})
    shown = {
        name: "" if getattr(incident, name) is None else typed_back(getattr(incident, name), tz, _SHOWN)
        for name, _ in KEY_TIME_FIELDS
    }

    def validate(v: dict[str, str]) -> dict[str, Any]:
        new: dict[str, Any] = {}
        for name, label in WRITEUP_FIELDS:
            text = v[name].strip()
            if len(text) > MAX_TEXT:
                raise InputError(f"{label.lower()} is {len(text):,} characters; the limit is {MAX_TEXT:,}")
            new[name] = text
        changed = _changed({name: getattr(incident, name) for name, _ in WRITEUP_FIELDS}, new)
        extra: dict[str, str] = {}
        for index, section in enumerate(sections):
            text = v[f"section_{index}"].strip()
            if len(text) > MAX_TEXT:
                raise InputError(f"{section.title} is {len(text):,} characters; the limit is {MAX_TEXT:,}")
            if text != written.get(section.title, ""):
                extra[section.title] = text
        if extra:
            changed["sections"] = extra
        for name, label in KEY_TIME_FIELDS:
            typed = v[name].strip()
            if typed == shown[name]:
                continue
            if not typed and name == "started_at":
                raise InputError("impact began cannot be empty: an incident must have a start time")
            try:
                changed[name] = parse_time(typed, now or dt.datetime.now(UTC), tz) if typed else None
            except InputError as exc:
                raise InputError(f"{label.lower()}: {exc}") from None
        return changed

    return FormScreen(
        "Post-mortem write-up (Enter starts a new line; every earlier version is kept)",
        [Field(name, label, getattr(incident, name), multiline=True) for name, label in WRITEUP_FIELDS]
        + [
            Field(f"section_{i}", section_label(s), written.get(s.title, ""), multiline=True)
            for i, s in enumerate(sections)
        ]
        + [Field(name, label, shown[name]) for name, label in KEY_TIME_FIELDS],
        validate,
        help="Times: 02:51, -20m or 2026-11-27 02:51 (empty clears) · ctrl+s saves · Escape cancels · Tab next field",
        focus=focus,
        draft=(incident.id, "form:writeup"),
    )


_SHOWN = "%Y-%m-%d %H:%M:%S"


def section_label(section: Section) -> str:
    """An extra section's title, whether it is required, and its prompt: what the writer is asked."""
    label = section.title + (" (required)" if section.required else "")
    return f"{label}: {section.prompt}" if section.prompt else label


def new_factor_form(title: str, kind: FactorKind = FactorKind.CONTRIBUTING) -> FormScreen:
    """Record a new factor; returns its text and kind."""

    def validate(v: dict[str, str]) -> dict[str, str]:
        return {"text": _required(v["text"], "the factor"), "kind": v["kind"] or kind.value}

    return FormScreen(
        title,
        [
            Field("text", "Factor", placeholder="What about our systems or processes made this possible?"),
            Field("kind", "Kind", kind.value, options=[k.value for k in FactorKind]),
        ],
        validate,
    )


def new_action_form(title: str) -> FormScreen:
    """Add an action item; returns its fields."""
    return FormScreen(
        title,
        action_fields(None),
        action_values,
        help="Deadline: YYYY-MM-DD · Enter saves · Escape cancels · Tab next field",
    )


def note_form(title: str) -> FormScreen:
    """One line of meeting notes; returns the text."""
    return FormScreen(title, [Field("note", "Note")], lambda v: _required(v["note"], "the note"))


def path_form(title: str, default: str) -> FormScreen:
    """Ask where to write a file; returns the path as typed."""
    return FormScreen(
        title,
        [Field("path", "Write to", default)],
        lambda v: _required(v["path"], "the path"),
        help="Relative paths are in the current folder · Enter writes · Escape cancels",
    )
