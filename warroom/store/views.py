"""SQL views of the metrics, for anyone reading the file with sqlite3, sqlite-utils or Datasette.

They compute what store/metrics.py computes (see its docstring for the definitions), with two
differences a plain SQL view cannot avoid: months and days are UTC, and "today" is SQLite's
`date('now')` (UTC) rather than warroom's clock in the display zone. They also keep the raw, signed
seconds of a key time before the start, which store/metrics.py shows as "before start" (store/spans.py).
"""

from __future__ import annotations

import typing

if typing.TYPE_CHECKING:
    from sqlite_utils import Database

from warroom.store.kinds import CLOSED_ACTION_STATUSES

_CLOSED = ", ".join("'" + s.value.replace("'", "''") + "'" for s in CLOSED_ACTION_STATUSES)


def _seconds(end: str, start: str) -> str:
    """Whole seconds between two stored times, each cut to its second (as `metrics.seconds_between`)."""
    return f"CAST(strftime('%s', {end}) AS INTEGER) - CAST(strftime('%s', {start}) AS INTEGER)"


#: Per incident: key times (the earliest live milestone event, else the incident's own column) and
#: seconds from the start to each.
INCIDENT_METRICS = f"""
CREATE VIEW incident_metrics AS
WITH milestones AS (
    SELECT incident_id, milestone, MIN(occurred_at) AS at
    FROM events
    WHERE deleted_at IS NULL AND milestone IS NOT NULL
    GROUP BY incident_id, milestone
),
times AS (
    SELECT i.id, i.title, i.severity, i.status, i.owner, i.started_at,
        COALESCE(d.at, i.detected_at) AS detected_at,
        COALESCE(m.at, i.mitigated_at) AS mitigated_at,
        COALESCE(r.at, i.resolved_at) AS resolved_at
    FROM incidents i
    LEFT JOIN milestones d ON d.incident_id = i.id AND d.milestone = 'detected'
    LEFT JOIN milestones m ON m.incident_id = i.id AND m.milestone = 'mitigated'
    LEFT JOIN milestones r ON r.incident_id = i.id AND r.milestone = 'resolved'
)
SELECT
    id AS incident_id, title, severity, status, owner,
    substr(started_at, 1, 7) AS started_month,
    started_at, detected_at, mitigated_at, resolved_at,
    {_seconds("detected_at", "started_at")} AS seconds_to_detect,
    {_seconds("mitigated_at", "started_at")} AS seconds_to_mitigate,
    {_seconds("resolved_at", "started_at")} AS seconds_to_resolve
FROM times
"""

#: Per live action item: closed or not, overdue today, and closed_by_deadline: 1 closed on or before
#: the deadline day, 0 closed late or open past the deadline, NULL not decided (so AVG gives the share).
ACTION_FOLLOWTHROUGH = f"""
CREATE VIEW action_followthrough AS
SELECT
    a.incident_id, a.number, a.title, a.owner, a.priority, a.status, a.deadline,
    date(a.done_at) AS closed_on,
    a.status IN ({_CLOSED}) AS closed,
    COALESCE(a.status NOT IN ({_CLOSED}) AND a.deadline < date('now'), 0) AS overdue,
    CASE
        WHEN a.deadline IS NULL THEN NULL
        WHEN a.status IN ({_CLOSED}) THEN date(a.done_at) <= a.deadline
        WHEN a.deadline < date('now') THEN 0
    END AS closed_by_deadline
FROM action_items a
WHERE a.deleted_at IS NULL
"""

#: Incidents started per month (UTC) and severity.
INCIDENTS_BY_MONTH = """
CREATE VIEW incidents_by_month AS
SELECT started_month AS month, severity, COUNT(*) AS incidents
FROM incident_metrics
GROUP BY started_month, severity
"""

VIEWS = {
    "incident_metrics": INCIDENT_METRICS,
    "action_followthrough": ACTION_FOLLOWTHROUGH,
    "incidents_by_month": INCIDENTS_BY_MONTH,
}


def create_views(db: Database) -> None:
    """Create (or replace) the metric views."""
    for name, sql in VIEWS.items():
        db.execute(f"DROP VIEW IF EXISTS {name}")
        db.execute(sql)
