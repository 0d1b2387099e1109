"""The catch-up: the state of an incident for someone joining the bridge, on one 80x24 screen.

One reading (`catch_up`) serves the TUI's catch-up screen, `warroom catchup` and its `--json`; `lines`
lays it out as plain text lines that fit the width given, most important first, so a short terminal
loses the tail (older entries), never the severity, status, roles or the update clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from warroom.store.comms import Cadence, cadence, last_update
from warroom.store.kinds import OPEN_STATUSES, EventKind
from warroom.store.roles import ROLE_LABELS, roles_of
from warroom.store.spans import BEFORE_START, format_span
from warroom.store.text import visible_line
from warroom.store.timeparse import to_db, zone_name

if TYPE_CHECKING:
    from warroom.store.config import Config
    from warroom.store.reads import Reads
    from warroom.store.records import Event, Incident

#: How many entries of each list the catch-up keeps (the screen has 24 rows).
HYPOTHESES = 3
IN_FLIGHT = 3
DECISIONS = 2
#: Hypotheses are counted up to this many: counting every one of a 100k-event timeline takes ~70 ms.
COUNT_CAP = 100


@dataclass(frozen=True)
class Entry:
    """One timeline entry as the catch-up shows it."""

    event_id: int
    occurred_at: dt.datetime
    text: str
    team: str

    def as_json(self) -> dict[str, Any]:
        """The entry as JSON values (times in UTC)."""
        return {"event_id": self.event_id, "occurred_at": to_db(self.occurred_at), "text": self.text, "team": self.team}


@dataclass(frozen=True)
class OpenItem:
    """An action item not yet done."""

    number: int
    title: str
    owner: str
    status: str


@dataclass(frozen=True)
class CatchUp:
    """What someone joining needs to know, read at one moment."""

    incident: Incident
    now: dt.datetime
    cadence: Cadence
    hypotheses: tuple[Entry, ...]
    hypotheses_total: int  # at most COUNT_CAP
    in_flight: tuple[Entry, ...]
    open_items: tuple[OpenItem, ...]
    decisions: tuple[Entry, ...]
    last_update: Entry | None

    def as_json(self) -> dict[str, Any]:
        """The catch-up as JSON values: what `warroom catchup --json` prints."""
        inc = self.incident
        return {
            "incident_id": inc.id,
            "title": inc.title,
            "severity": inc.severity,
            "status": inc.status.value,
            "elapsed_seconds": int(((inc.resolved_at or self.now) - inc.started_at).total_seconds()),
            "roles": roles_of(inc),
            "customers_affected": inc.customers_affected,
            "business_impact": inc.business_impact,
            "key_times": {name: _db(getattr(inc, f"{name}_at")) for name in KEY_TIMES},
            "update_every_seconds": int(self.cadence.every.total_seconds()) if self.cadence.every else None,
            "next_update_due": _db(self.cadence.due_at),
            "update_overdue": self.cadence.overdue(self.now),
            "open_hypotheses": [h.as_json() for h in self.hypotheses],
            "open_hypotheses_total": self.hypotheses_total,
            "open_hypotheses_total_capped": self.hypotheses_total >= COUNT_CAP,
            "in_flight": [a.as_json() for a in self.in_flight],
            "open_action_items": [vars(item) for item in self.open_items],
            "last_decisions": [d.as_json() for d in self.decisions],
            "last_update": self.last_update.as_json() if self.last_update else None,
        }


KEY_TIMES = ("started", "detected", "mitigated", "resolved")


def _db(moment: dt.datetime | None) -> str | None:
    return to_db(moment) if moment else None


def catch_up(store: Reads, incident_id: str, config: Config) -> CatchUp:
    """Read the catch-up of one incident."""
    incident = store.incident(incident_id)
    last = last_update(store, incident_id)
    hypotheses = _latest(store, incident_id, EventKind.HYPOTHESIS, HYPOTHESES)
    # Open hypotheses only (one ruled out or confirmed has a row in `hypotheses`): the count SQLite's triggers
    # keep, never fewer than were just read, said up to COUNT_CAP.
    total = min(max(store.open_hypothesis_total(incident_id), len(hypotheses)), COUNT_CAP)
    items = tuple(
        OpenItem(a.number, a.title, a.owner, a.status.value) for a in store.actions(incident_id) if not a.is_closed
    )
    return CatchUp(
        incident=incident,
        now=store.now(),
        cadence=cadence(incident, last, config),
        hypotheses=hypotheses,
        hypotheses_total=int(total),
        in_flight=_latest(store, incident_id, EventKind.ACTION, IN_FLIGHT),
        open_items=items,
        decisions=_latest(store, incident_id, EventKind.DECISION, DECISIONS),
        last_update=_entry(last) if last else None,
    )


def _latest(store: Reads, incident_id: str, kind: EventKind, limit: int) -> tuple[Entry, ...]:
    """The latest `limit` live events of one kind, newest first (what a short screen keeps)."""
    return tuple(_entry(e) for e in store.latest_events(incident_id, kind, limit))


def _entry(event: Event) -> Entry:
    return Entry(event.id or 0, event.occurred_at, event.text, event.team)


#: A laid-out line: its text and what it is ("title", "heading", "warn", "dim" or "" for plain).
Line = tuple[str, str]


def lines(c: CatchUp, tz: dt.tzinfo, width: int = 80, height: int | None = None) -> list[Line]:
    """The catch-up as lines of at most `width` cells; with `height`, the least important are left out."""
    inc = c.incident
    now = c.now

    def at(moment: dt.datetime) -> str:
        local = moment.astimezone(tz)
        return local.strftime("%H:%M" if local.date() == now.astimezone(tz).date() else "%m-%d %H:%M")

    def cut(text: str) -> str:
        text = visible_line(text)
        return text if len(text) <= width else text[: max(width - 1, 0)] + "…"

    def entry(e: Entry) -> str:
        team = f" @{visible_line(e.team)}" if e.team else ""
        return cut(f"  {at(e.occurred_at)} {e.text}{team}")

    elapsed = format_span((inc.resolved_at or now) - inc.started_at)
    must: list[Line] = [
        (cut(f"{inc.severity} · {inc.status.value} · elapsed {elapsed} · {inc.id}"), "title"),
        (cut(inc.title), "title"),
        (cut(" · ".join(f"{ROLE_LABELS[f]} {visible_line(n) or '—'}" for f, n in roles_of(inc).items())), ""),
    ]
    clock = c.cadence.text(now)
    if clock:
        must.append((cut(clock), "warn" if c.cadence.overdue(now) else ""))
    elif c.cadence.every is None and inc.status in OPEN_STATUSES:
        must.append(("no update cadence for this severity", "dim"))
    impact = " · ".join(
        x for x in (visible_line(inc.customers_affected), visible_line(inc.business_impact)) if x.strip()
    )
    must.append((cut(f"Impact: {impact or 'not recorded yet'}"), ""))
    times = [f"started {at(inc.started_at)}"]
    for name in KEY_TIMES[1:]:
        moment = getattr(inc, f"{name}_at")
        early = moment is not None and moment < inc.started_at
        times.append(f"{name} {at(moment) if moment else '—'}" + (f" ({BEFORE_START})" if early else ""))
    # Wrapped at a separator, never cut: the resolved time at the end is the one people look for.
    key_times: list[str] = [f"Key times ({zone_name(tz)}): {times[0]}"]
    for part in times[1:]:
        if len(f"{key_times[-1]} · {part}") <= width:
            key_times[-1] += f" · {part}"
        else:
            key_times.append(f"  {part}")
    must.extend((cut(line), "") for line in key_times)

    sections: list[list[Line]] = []
    more = c.hypotheses_total - len(c.hypotheses)
    counted = f"{COUNT_CAP}+" if c.hypotheses_total >= COUNT_CAP else str(c.hypotheses_total)
    title = f"Open hypotheses ({counted})" + (f", latest {len(c.hypotheses)}" if more > 0 else "")
    sections.append([(title, "heading"), *[(entry(h), "") for h in c.hypotheses]])
    doing = [(entry(a), "") for a in c.in_flight]
    if c.open_items:
        named = ", ".join(
            f"#{i.number} {visible_line(i.title)}" + (f" @{visible_line(i.owner)}" if i.owner else "")
            for i in c.open_items
        )
        doing.append((cut(f"  open action items ({len(c.open_items)}): {named}"), ""))
    sections.append([("Actions in flight", "heading"), *doing])
    sections.append([("Last decisions", "heading"), *[(entry(d), "") for d in c.decisions]])
    if c.last_update:
        ago = format_span(now - c.last_update.occurred_at)
        update = [(f"Last stakeholder update: {at(c.last_update.occurred_at)} ({ago} ago)", "heading")]
        update += [(cut("  " + line), "dim") for line in c.last_update.text.splitlines() if line.strip()]
    else:
        update = [("Last stakeholder update: none sent yet", "heading")]
    sections.append(update)
    for section in sections[:3]:
        if len(section) == 1:
            section.append(("  none", "dim"))
    out = list(must)
    if height is None:
        return out + [line for section in sections for line in section]
    return out + _fit(sections, height - len(out))


def _fit(sections: list[list[Line]], budget: int) -> list[Line]:
    """Each section's heading and first line first, then one more line of each in turn while rows are left."""
    taken = [0] * len(sections)
    for i, section in enumerate(sections):
        step = min(2, len(section))
        if budget >= step:
            taken[i], budget = step, budget - step
    grew = True
    while budget > 0 and grew:
        grew = False
        for i, section in enumerate(sections):
            if budget > 0 and 0 < taken[i] < len(section):
                taken[i], budget, grew = taken[i] + 1, budget - 1, True
    return [line for i, section in enumerate(sections) for line in section[: taken[i]]]
