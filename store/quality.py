"""What a post-mortem still lacks before it is finished: `warroom export --check` and the export screen's checklist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from warroom.store.export_rows import Timeline
from warroom.store.kinds import OPEN_STATUSES, FactorKind
from warroom.store.spans import before_start
from warroom.store.store import Store
from warroom.store.timeparse import UTC, format_duration

if TYPE_CHECKING:
    from warroom.store.lint_timeline import TimelineLint


class GapKind(StrEnum):
    """The sort of thing missing, which also says where it is fixed."""

    OWNER = "owner"
    STATUS = "status"
    SUMMARY = "summary"
    BEFORE_START = "before_start"
    IMPACT = "impact"
    LESSONS = "lessons"
    ROOT_CAUSE = "root_cause"
    ACTION_OWNER = "action_owner"
    ACTION_DEADLINE = "action_deadline"
    ACTION_OVERDUE = "action_overdue"
    RESOLVED = "resolved"
    LANGUAGE = "language"
    SECTION = "section"


@dataclass(frozen=True)
class Gap:
    """One missing piece: what kind, a sentence for the checklist, and where to fix it.

    `where` is an incident field name for the owner, the status, summary, impact, lessons and a key time
    before the start (`started_at`), `factor:root` for the root cause, `action:N` for action item N,
    `milestone:resolved` for the missing end, and `lint:LOCATION` for blaming language (LOCATION as
    `warroom lint` names it, e.g. `lint:summary`).
    """

    kind: GapKind
    message: str
    where: str

    def __str__(self) -> str:
        return self.message


def gaps(
    store: Store,
    incident_id: str,
    tz: dt.tzinfo = UTC,
    timeline: Timeline | None = None,
    allow: Sequence[str] = (),
    required: Sequence[str] = (),
    linted: TimelineLint | None = None,
) -> list[Gap]:
    """Everything missing from an incident's post-mortem, in the order the document reads.

    `timeline` (as `lint_incident` takes it) saves reading the events again; `allow` is the config file's
    org-wide lint phrases, accepted on top of the incident's own allowlist; `required` the titles of its
    required extra sections (a gap each when nothing is written under it; `where` is `section:TITLE`).
    `linted` is the timeline's lint fed by an export's own read of the events, which is then over.
    """
    return field_gaps(store, incident_id, tz, required) + language_gaps(store, incident_id, tz, timeline, allow, linted)


def field_gaps(store: Store, incident_id: str, tz: dt.tzinfo = UTC, required: Sequence[str] = ()) -> list[Gap]:
    """`gaps` but blaming language: the fields, key times, factors, sections and action items, none of the events."""
    incident = store.incident(incident_id)
    found: list[Gap] = []
    if not incident.owner.strip():
        found.append(Gap(GapKind.OWNER, "No owner: who owns this incident and its follow-up?", "owner"))
    if incident.resolved_at is not None and incident.status in OPEN_STATUSES:
        message = f"Status is {incident.status.value} although the incident has a resolved time"
        found.append(Gap(GapKind.STATUS, message, "status"))
    if not incident.summary.strip():
        found.append(Gap(GapKind.SUMMARY, "No incident summary", "summary"))
    if incident.resolved_at is None:
        found.append(Gap(GapKind.RESOLVED, "No resolved milestone: the incident has no end", "milestone:resolved"))
    start = incident.started_at
    times = {name: getattr(incident, f"{name}_at") for name in ("detected", "mitigated", "resolved")}
    for name, early in before_start(start, times).items():
        local = start.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        message = (
            f"{name.capitalize()} {format_duration(early)} before the start ({local}): "
            "set the start to when impact began, or correct the milestone"
        )
        found.append(Gap(GapKind.BEFORE_START, message, "started_at"))
    if not store.factors(incident_id, FactorKind.ROOT):
        found.append(Gap(GapKind.ROOT_CAUSE, "No root cause recorded", "factor:root"))
    # Either half of the impact is enough: some incidents hurt customers, some only the business.
    if not incident.customers_affected.strip() and not incident.business_impact.strip():
        found.append(
            Gap(GapKind.IMPACT, "No impact: neither customers affected nor business impact", "customers_affected")
        )
    for name, label in (("went_well", "What went well"), ("went_wrong", "What went wrong")):
        if not getattr(incident, name).strip():
            found.append(Gap(GapKind.LESSONS, f"{label} is not recorded", name))
    if required:
        from warroom.store.sections import missing, read_sections

        for title in missing(read_sections(store, incident_id), required):
            found.append(Gap(GapKind.SECTION, f"Section {title!r} is not written", f"section:{title}"))
    today = store.now().astimezone(tz).date()
    for item in sorted(store.actions(incident_id), key=lambda a: a.number):
        if item.is_closed:
            continue  # done or won't do: an owner or deadline would change nothing any more
        where, title = f"action:{item.number}", _short(item.title)
        if not item.owner.strip():
            found.append(Gap(GapKind.ACTION_OWNER, f"Action item {item.number} ({title}) has no owner", where))
        if item.deadline is None:
            found.append(Gap(GapKind.ACTION_DEADLINE, f"Action item {item.number} ({title}) has no deadline", where))
        elif item.deadline < today:
            message = f"Action item {item.number} ({title}) is open past its deadline {item.deadline.isoformat()}"
            found.append(Gap(GapKind.ACTION_OVERDUE, message, where))
    return found


def language_gaps(
    store: Store,
    incident_id: str,
    tz: dt.tzinfo = UTC,
    timeline: Timeline | None = None,
    allow: Sequence[str] = (),
    linted: TimelineLint | None = None,
) -> list[Gap]:
    """The blaming language `gaps` lists, last: `warroom lint`'s findings as gaps."""
    from warroom.store.lint import lint_incident

    found = []
    for finding in lint_incident(store, incident_id, list(allow), tz=tz, timeline=timeline, linted=linted):
        message = f'Blaming language in {finding.location}: "{finding.phrase}" → {finding.suggestion}'
        found.append(Gap(GapKind.LANGUAGE, message, f"lint:{finding.location}"))
    return found


def _short(title: str, width: int = 40) -> str:
    """An action item's title on one line, cut to `width` characters for a message."""
    line = " ".join(title.split())
    return f'"{line}"' if len(line) <= width else f'"{line[: width - 1]}…"'
