"""What a post-mortem still lacks before it is finished: `warroom export --check` and the export screen's checklist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from store.export_rows import Timeline
from store.kinds import FactorKind
from store.store import Store
from store.timeparse import UTC


class GapKind(StrEnum):
    """The sort of thing missing, which also says where it is fixed."""

    SUMMARY = "summary"
    IMPACT = "impact"
    LESSONS = "lessons"
    ROOT_CAUSE = "root_cause"
    ACTION_OWNER = "action_owner"
    ACTION_DEADLINE = "action_deadline"
    RESOLVED = "resolved"
    LANGUAGE = "language"


@dataclass(frozen=True)
class Gap:
    """One missing piece: what kind, a sentence for the checklist, and where to fix it.

    `where` is an incident field name for summary and impact, `factor:root` for the root cause,
    `action:N` for action item N, `milestone:resolved` for the missing end, and `lint:LOCATION`
    for blaming language (LOCATION as `warroom lint` names it, e.g. `lint:summary`).
    """

    kind: GapKind
    message: str
    where: str

    def __str__(self) -> str:
        return self.message


def gaps(store: Store, incident_id: str, tz: dt.tzinfo = UTC, timeline: Timeline | None = None) -> list[Gap]:
    """Everything missing from an incident's post-mortem, in the order the document reads.

    `timeline` (as `lint_incident` takes it) saves reading the events again.
    """
    from store.lint import lint_incident

    incident = store.incident(incident_id)
    found: list[Gap] = []
    if not incident.summary.strip():
        found.append(Gap(GapKind.SUMMARY, "No incident summary", "summary"))
    if incident.resolved_at is None:
        found.append(Gap(GapKind.RESOLVED, "No resolved milestone: the incident has no end", "milestone:resolved"))
    if not store.factors(incident_id, FactorKind.ROOT):
        found.append(Gap(GapKind.ROOT_CAUSE, "No root cause recorded", "factor:root"))
    # Either half of the impact is enough: some incidents hurt customers, some only the business.
    if not incident.customers_affected.strip() and not incident.business_impact.strip():
        found.append(
            Gap(GapKind.IMPACT, "No impact: neither customers affected nor business impact", "customers_affected")
        )
    for item in sorted(store.actions(incident_id), key=lambda a: a.number):
        if item.is_closed:
            continue  # done or won't do: an owner or deadline would change nothing any more
        where, title = f"action:{item.number}", _short(item.title)
        if not item.owner.strip():
            found.append(Gap(GapKind.ACTION_OWNER, f"Action item {item.number} ({title}) has no owner", where))
        if item.deadline is None:
            found.append(Gap(GapKind.ACTION_DEADLINE, f"Action item {item.number} ({title}) has no deadline", where))
    for finding in lint_incident(store, incident_id, tz=tz, timeline=timeline):
        message = f'Blaming language in {finding.location}: "{finding.phrase}" → {finding.suggestion}'
        found.append(Gap(GapKind.LANGUAGE, message, f"lint:{finding.location}"))
    return found


def _short(title: str, width: int = 40) -> str:
    """An action item's title on one line, cut to `width` characters for a message."""
    line = " ".join(title.split())
    return f'"{line}"' if len(line) <= width else f'"{line[: width - 1]}…"'
