"""Spans from an incident's start to its key times, shown the same way everywhere and never as a negative number.

An incident is often declared after the page, so the first events get backdated before the recorded start.
A key time (detected, mitigated, resolved) before the start is a mistake in the record, not a negative
time to detect: every view (the header, the incident list, the stats screen, `warroom stats`, `warroom show`
and the export) shows such a span as "before start", medians and p90 leave it out, and the export
checklist lists it until the start or the milestone is corrected (the TUI offers to move the start).
"""

from __future__ import annotations

import datetime as dt

from warroom.store.timeparse import format_duration

#: What a span to a moment before the start is shown as, instead of a negative duration.
BEFORE_START = "before start"


def since_start(start: dt.datetime, moment: dt.datetime | None) -> dt.timedelta | None:
    """From the start to `moment`; None when `moment` is unknown (a negative result means it is before the start)."""
    return None if moment is None else moment - start


def format_span(delta: dt.timedelta | None, unknown: str = "—") -> str:
    """A span from the start: `12 min`, `unknown` when not known, `before start` when negative."""
    if delta is None:
        return unknown
    if delta < dt.timedelta(0):
        return BEFORE_START
    return format_duration(delta)


def before_start(start: dt.datetime, times: dict[str, dt.datetime | None]) -> dict[str, dt.timedelta]:
    """The named key times that fall before the start, each with how long before it (a positive span)."""
    return {name: start - moment for name, moment in times.items() if moment is not None and moment < start}


def next_update_text(due_at: dt.datetime | None, now: dt.datetime) -> str:
    """`next update in 12 min`, `update overdue by 5 min`, or '' when no stakeholder update is due."""
    if due_at is None:
        return ""
    if now >= due_at:
        return f"update overdue by {format_duration(now - due_at)}"
    # Rounded up: "in 0 min" would read as overdue while there is still time.
    minutes = -(-int((due_at - now).total_seconds()) // 60)
    return f"next update in {format_duration(dt.timedelta(minutes=minutes))}"
