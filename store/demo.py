"""A sample incident, for `warroom demo`, the screenshots and the snapshot tests."""

from __future__ import annotations

import datetime as dt

from warroom.store.store import Store

DEMO_ID = "INC-DEMO-0001"

# (minutes after start, text, kind, team, milestone, starred)
_EVENTS: list[tuple[int, str, str, str, str | None, bool]] = [
    (0, "Checkout error rate alert fired: 5xx above 5% for 3 minutes", "detection", "sre", "detected", False),
    (2, "Incident declared, paging payments on-call", "decision", "sre", None, False),
    (4, "Status page: investigating elevated checkout errors", "comms", "support", None, False),
    (7, "Payments API p99 latency 8 s; connection pool wait time spiking", "note", "payments", None, False),
    (9, "Maybe the payments-api v2.31 deploy ten minutes before?", "hypothesis", "payments", None, False),
    (12, "Deploy diff only touches logging config; rollback would take 20 min", "note", "payments", None, False),
    (15, "DB primary at 100% connections; replica fine", "note", "dba", None, True),
    (18, "Nightly batch job started early and holds 400 connections", "hypothesis", "dba", None, True),
    (21, "Pause batch scheduler and kill the batch job's sessions", "decision", "dba", None, False),
    (23, "Batch sessions terminated", "action", "dba", None, False),
    (25, "Error rate back under 1%", "milestone", "sre", "mitigated", False),
    (27, "Status page: monitoring after a fix was applied", "comms", "support", None, False),
    (41, "No errors for 15 minutes; closing the bridge", "milestone", "sre", "resolved", False),
]


def seed_demo(store: Store) -> str:
    """Create the sample incident (about 45 minutes old) and return its id."""
    now = store.now()
    start = (now - dt.timedelta(minutes=45)).replace(second=0, microsecond=0)
    store.create_incident(
        "Checkout failing: payments DB out of connections",
        id=DEMO_ID,
        severity="SEV2",
        owner="Priya (incident commander)",
        started_at=start,
    )
    ids = []
    for minutes, text, kind, team, milestone, starred in _EVENTS:
        at = start + dt.timedelta(minutes=minutes, seconds=10)
        event = store.log_event(
            DEMO_ID,
            text,
            occurred_at=at,
            logged_at=at,
            kind=kind,
            team=team,
            milestone=milestone,
            starred=starred,
            source="tui",
        )
        ids.append(event.id or 0)
    store.update_incident(
        DEMO_ID,
        status="resolved",
        commander="Priya",
        scribe="Sam",
        summary="For 25 minutes about 18% of checkout attempts failed because the payments database ran out of "
        "connections when the nightly batch job started early.",
        customers_affected="About 4,100 customers saw a failed checkout; most retried successfully.",
        tags=["database", "payments"],
        notes="Pool graphs: payments-db dashboard, panel 'connections by client'.\n"
        "[14:32] Meeting: the batch job's schedule had no owner after the team reorg.",
    )
    store.add_factor(
        DEMO_ID, "Batch job and API share one connection pool with no per-client limit", kind="root", event_ids=[ids[7]]
    )
    store.add_factor(DEMO_ID, "Batch scheduler moved to UTC and started two hours early", kind="trigger")
    store.add_factor(DEMO_ID, "No alert on DB connection saturation, only on checkout errors", kind="contributing")
    store.add_action(
        DEMO_ID,
        "Per-client connection limits on the payments DB",
        owner="dba",
        deadline=(now + dt.timedelta(days=14)).date(),
        priority="P1",
    )
    store.add_action(
        DEMO_ID,
        "Alert on connection pool saturation above 80%",
        owner="sre",
        deadline=(now - dt.timedelta(days=1)).date(),
        priority="P2",
        type="mitigate",
    )
    store.add_action(DEMO_ID, "Document batch scheduler time zone in the runbook", priority="P3", type="process")
    return DEMO_ID
