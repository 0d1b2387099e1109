"""How a related incident reads in the review and export screens: id, date, title, and what the two share."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from warroom.store.related import RelatedIncident
from warroom.store.text import visible_line


def related_line(item: RelatedIncident, tz: dt.tzinfo) -> Text:
    """`INC-2026-0041 2026-11-03 Database failover took 14 minutes · shares failover, tag:db, @dba`."""
    day = item.started_at.astimezone(tz).date().isoformat() if item.started_at else "date unknown"
    line = Text(f"{visible_line(item.incident_id)} {day} ", "bold")
    line.append(visible_line(item.title), "")
    if item.shared:
        line.append(" · shares " + ", ".join(visible_line(s) for s in item.shared), "dim")
    return line
