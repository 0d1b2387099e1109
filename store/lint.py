"""The blameless-language check of an incident: every text of its post-mortem, in document order.

One text is judged by store.lint_text, the timeline by store.lint_timeline (read a batch at a time,
or fed by an export's own read).
"""

from __future__ import annotations

import datetime as dt

from warroom.store.export_rows import Timeline
from warroom.store.kinds import FactorKind
from warroom.store.lint_text import Finding, incident_people, is_allowed, lint_text
from warroom.store.lint_timeline import TimelineLint, lint_timeline, timeline_teams
from warroom.store.store import Store
from warroom.store.timeparse import UTC

_FACTOR_LOCATIONS = {
    FactorKind.ROOT: "root cause",
    FactorKind.CONTRIBUTING: "contributing factor",
    FactorKind.TRIGGER: "trigger",
}


def lint_incident(
    store: Store,
    incident_id: str,
    allow: list[str] | None = None,
    tz: dt.tzinfo = UTC,
    timeline: Timeline | None = None,
    linted: TimelineLint | None = None,
) -> list[Finding]:
    """Findings in every text of an incident, in document order; `allow` adds to its saved allowlist.

    `timeline` (with at least occurred_at, text and team) saves reading the events again; so does `linted`,
    the timeline's lint fed by an export's own read of it, finished.
    """
    incident = store.incident(incident_id)
    factors = store.factors(incident_id)
    actions = sorted(store.actions(incident_id), key=lambda a: a.number)
    teams = linted.teams if linted is not None else timeline_teams(store, incident_id, timeline)
    names = incident_people(incident, actions, teams)
    before = [("title", incident.title), ("summary", incident.summary)]
    after: list[tuple[str, str]] = []
    # Each factor by its own number, the one `warroom cause edit N` and the TUI's edit form use.
    for kind, label in _FACTOR_LOCATIONS.items():
        after += [(f"{label} {f.number}", f.text) for f in sorted(factors, key=lambda f: f.number) if f.kind is kind]
    after += [
        ("customers affected", incident.customers_affected),
        ("business impact", incident.business_impact),
        ("what went well", incident.went_well),
        ("what went wrong", incident.went_wrong),
        ("where we got lucky", incident.got_lucky),
    ]
    after += [(f"action item {a.number}", a.title) for a in actions]
    in_timeline = linted.findings() if linted is not None else lint_timeline(store, incident_id, timeline, names, tz)
    found = _lint_all(before, names) + in_timeline + _lint_all(after, names)
    allowed = [*(allow or []), *store.lint_allowlist(incident_id)]
    return [finding for finding in found if not is_allowed(finding, allowed)]


def _lint_all(texts: list[tuple[str, str]], names: set[str]) -> list[Finding]:
    """Findings in each (location, text), in order."""
    return [finding for location, text in texts if text for finding in lint_text(text, location, names)]
