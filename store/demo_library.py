"""Earlier sample incidents beside the demo one, so filters, follow-through, stats and search have a library."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from warroom.store.store import Store


@dataclass
class _Sample:
    """One past incident: when (days before now), what, and how the response went (minutes from the start)."""

    id: str
    days_ago: int
    severity: str
    title: str
    tags: list[str]
    owner: str
    detect: int
    mitigate: int
    resolve: int | None
    events: list[tuple[int, str, str, str]]  # minutes, text, kind, team
    root_cause: str
    summary: str
    # title, owner, deadline (days from now; None = no deadline), priority, done (days from now; None = open)
    actions: list[tuple[str, str, int | None, str, int | None]] = field(default_factory=list)


_SAMPLES = [
    _Sample(
        "INC-2026-0028",
        110,
        "SEV2",
        "Mobile push notifications delayed by two hours",
        ["mobile", "queue"],
        "Jonas",
        45,
        120,
        300,
        [
            (50, "Push queue depth at 1.2M and rising", "note", "mobile"),
            (70, "Provider throttling us after the certificate rotation?", "hypothesis", "mobile"),
            (110, "Moved push sending to the second provider account", "action", "mobile"),
        ],
        "Provider rate limit lowered without notice; no alert on queue depth",
        "Push notifications arrived up to two hours late for all mobile users.",
        [("Queue depth alert for the push service", "mobile", -90, "P1", -95)],
    ),
    _Sample(
        "INC-2026-0031",
        80,
        "SEV3",
        "Search results stale after index rebuild",
        ["search"],
        "Mei",
        12,
        95,
        180,
        [
            (15, "Customers report new products missing from search", "note", "support"),
            (40, "Index alias still points at the old index", "hypothesis", "search"),
            (90, "Switched the alias to the rebuilt index", "action", "search"),
        ],
        "Rebuild script did not switch the index alias when a step was retried",
        "New and changed products were missing from search results for three hours.",
        [
            ("Alert on search index lag above 10 minutes", "sre", -50, "P2", -55),
            ("Runbook for a partial reindex", "search", -40, "P3", -30),
        ],
    ),
    _Sample(
        "INC-2026-0034",
        66,
        "SEV1",
        "Login outage: expired TLS certificate on the auth gateway",
        ["auth", "tls"],
        "Priya",
        4,
        38,
        52,
        [
            (6, "All logins failing with certificate errors", "note", "sre"),
            (20, "Certificate on auth-gw expired at 09:00 UTC", "note", "platform"),
            (35, "New certificate deployed to auth-gw", "action", "platform"),
        ],
        "Certificate renewal was a manual calendar reminder that nobody owned",
        "Nobody could log in for 38 minutes; sessions already open kept working.",
        [
            ("Automate certificate renewal for every gateway", "platform", -30, "P1", -35),
            ("Certificate expiry alert 14 days ahead", "sre", -20, "P1", None),
        ],
    ),
    _Sample(
        "INC-2026-0036",
        51,
        "SEV2",
        "Payments webhook backlog",
        ["payments", "queue"],
        "Alex",
        9,
        41,
        130,
        [
            (12, "Webhook queue at 80k messages, consumers idle", "note", "payments"),
            (25, "Consumers stuck on one poison message?", "hypothesis", "payments"),
            (38, "Moved the poison message to a dead-letter queue", "action", "payments"),
        ],
        "One malformed webhook blocked the single consumer group",
        "Payment confirmations were delayed by up to two hours.",
        [
            ("Autoscale webhook workers on queue depth", "payments", 3, "P1", None),
            ("Dead-letter queue dashboard", "payments", 20, "P3", None),
        ],
    ),
    _Sample(
        "INC-2026-0039",
        37,
        "SEV3",
        "Slow dashboard loads for EU customers",
        ["cdn"],
        "Mei",
        25,
        70,
        240,
        [
            (30, "EU p95 page load at 9 s", "note", "web"),
            (50, "CDN cache hit rate dropped to 20% after the header change", "hypothesis", "web"),
            (65, "Restored the Cache-Control header on static assets", "action", "web"),
        ],
        "A header change made the CDN treat static assets as uncacheable",
        "Dashboards loaded slowly in the EU for four hours.",
        [
            ("Review cache headers before each release", "web", -5, "P2", None),
            ("Synthetic page-load check from eu-west", "sre", -10, "P2", -12),
        ],
    ),
    _Sample(
        "INC-2026-0041",
        22,
        "SEV2",
        "Database failover took 14 minutes",
        ["database"],
        "Priya",
        2,
        16,
        45,
        [
            (3, "Primary database unreachable, failover started", "detection", "dba"),
            (9, "Replica lag was 11 minutes when the primary failed", "note", "dba"),
            (15, "Promoted replica caught up and took writes", "action", "dba"),
        ],
        "Replica lag had grown for days without an alert",
        "Writes failed for 14 minutes during a database failover.",
        [
            ("Failover drill every quarter", "dba", 30, "P2", None),
            ("Lower the replica lag alert threshold", "dba", 0, "P1", None),
        ],
    ),
    _Sample(
        "INC-2026-0042",
        15,
        "SEV3",
        "Disk full on the log aggregation hosts",
        ["logging"],
        "Jonas",
        6,
        28,
        60,
        [
            (8, "Log ingestion stopped on three hosts", "note", "platform"),
            (20, "Debug logging left on after last week's incident", "hypothesis", "platform"),
        ],
        "Debug logging left enabled filled the disks",
        "Logs from the last hour were delayed; none were lost.",
        [("Log retention down to 7 days", "platform", -8, "P2", -9)],
    ),
    _Sample(
        "INC-2026-0043",
        9,
        "SEV4",
        "Typo in the status page template",
        ["comms"],
        "Sam",
        30,
        35,
        40,
        [(31, "Status page shows the placeholder {{service}}", "note", "support")],
        "Template edits go live without a preview",
        "The status page showed a placeholder instead of the service name.",
        [("Preview step for status page edits", "support", None, "P3", None)],
    ),
    _Sample(
        "INC-2026-0044",
        3,
        "SEV1",
        "Checkout 502s after a load balancer change",
        ["payments", "network"],
        "Alex",
        3,
        22,
        None,
        [
            (4, "Checkout returning 502 for 30% of requests", "note", "sre"),
            (10, "Load balancer health check path changed by hand an hour ago", "hypothesis", "network"),
            (20, "Health check path restored", "action", "network"),
        ],
        "A manual load balancer change pointed health checks at a path that does not exist",
        "A third of checkout attempts failed for 22 minutes.",
        [
            ("Load balancer changes only through the pipeline", "network", 5, "P1", None),
            ("Canary for load balancer changes", "network", 12, "P2", None),
        ],
    ),
]


def seed_library(store: Store) -> list[str]:
    """Add the sample incidents (dated relative to the store's clock); returns their ids, oldest first."""
    now = store.now()
    today = now.date()
    ids = []
    for s in _SAMPLES:
        start = (now - dt.timedelta(days=s.days_ago)).replace(hour=9, minute=30, second=0, microsecond=0)
        store.create_incident(s.title, id=s.id, severity=s.severity, owner=s.owner, started_at=start)
        for minutes, name in ((s.detect, "detected"), (s.mitigate, "mitigated"), (s.resolve, "resolved")):
            if minutes is not None:
                at = start + dt.timedelta(minutes=minutes)
                store.log_event(s.id, f"{name.capitalize()}", occurred_at=at, logged_at=at, milestone=name, team="sre")
        for minutes, text, kind, team in s.events:
            at = start + dt.timedelta(minutes=minutes)
            store.log_event(s.id, text, occurred_at=at, logged_at=at, kind=kind, team=team, source="tui")
        store.add_factor(s.id, s.root_cause, kind="root")
        for title, owner, due, priority, done in s.actions:
            deadline = today + dt.timedelta(days=due) if due is not None else None
            item = store.add_action(s.id, title, owner=owner, deadline=deadline, priority=priority)
            if done is not None:
                store.edit_action(s.id, item.number, status="done")
                done_at = (now + dt.timedelta(days=done)).replace(hour=16, minute=0, second=0, microsecond=0)
                store.edit_action(s.id, item.number, done_at=done_at)
        status = "monitoring" if s.resolve is None else "closed"
        store.update_incident(s.id, status=status, tags=s.tags, summary=s.summary)
        ids.append(s.id)
    return ids
