"""The post-mortem's optional "Related Incidents" section: earlier incidents that look like this one.

It is derived data (store/related.py finds the incidents afresh at every export), so only the choice to
show it is kept, per incident (migration 13). It sits after Lessons Learned and before Action Items: a
reader who was not there learns that this has happened before right after what the team learned, and
before what it will do about it. Only incidents that started before this one are listed: the section
answers "have we seen this before?", and a post-mortem exported again later does not grow with what
happened since.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pydantic_core

from warroom.store.mdescape import escape_cell
from warroom.store.reads import Reads
from warroom.store.related import RelatedIncident

HEADING = "Related Incidents"
#: At most this many incidents are listed.
LIMIT = 5
NOTHING = "_No earlier incident shares enough with this one to call it related._"


def earlier_related(store: Reads, incident_id: str) -> list[RelatedIncident]:
    """The related incidents that started before this one, best first (at most LIMIT)."""
    started = store.incident(incident_id).started_at
    found = store.related(incident_id, LIMIT * 4)
    return [r for r in found if r.started_at is not None and r.started_at < started][:LIMIT]


def markdown_lines(store: Reads, incident_id: str, tz: dt.tzinfo) -> list[str]:
    """`## Related Incidents` and its table (or a line saying there are none), each line without its newline."""
    lines = ["", f"## {HEADING}", ""]
    found = earlier_related(store, incident_id)
    if not found:
        return [*lines, NOTHING]
    lines += ["| Incident | Date | Title | Shares |", "|---|---|---|---|"]
    for item in found:
        cells = (
            escape_cell(item.incident_id) or "—",
            item.started_at.astimezone(tz).date().isoformat() if item.started_at else "—",
            escape_cell(item.title) or "—",
            escape_cell(", ".join(item.shared)) or "—",
        )
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def json_list(store: Reads, incident_id: str) -> list[dict[str, Any]]:
    """The section for the JSON export: id, start (UTC), title and what each shares, best first."""
    return [
        {
            "incident_id": item.incident_id,
            "shared": list(item.shared),
            # As the export writes every other time: pydantic's JSON form, in UTC.
            "started_at": pydantic_core.to_json(item.started_at.astimezone(dt.UTC)).decode()[1:-1]
            if item.started_at
            else None,
            "title": item.title,
        }
        for item in earlier_related(store, incident_id)
    ]
