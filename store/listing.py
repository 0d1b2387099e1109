"""The incident overview: every incident with its counts, read in one query."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from warroom.store.kinds import CLOSED_ACTION_STATUSES, OPEN_STATUSES, Milestone
from warroom.store.records import Incident, record_json
from warroom.store.rows import ACTION_COLUMNS, INCIDENT_COLUMNS, incident_from_row, paused_gc, time_json

if TYPE_CHECKING:
    from warroom.store.config import Config


@dataclass(frozen=True)
class IncidentListing:
    """An incident with the counts an overview needs."""

    incident: Incident
    events: int
    open_actions: int
    overdue_actions: int

    def as_json(self) -> dict[str, Any]:
        """The listing as JSON values, the incident's fields as its JSON export writes them."""
        return {
            "incident": record_json(self.incident),
            "events": self.events,
            "open_actions": self.open_actions,
            "overdue_actions": self.overdue_actions,
        }


def incident_listings(
    conn: sqlite3.Connection, today: dt.date, *, open_only: bool, limit: int | None = None
) -> list[IncidentListing]:
    """Every incident (or the open ones; only the first `limit`), most recently started first, with event and
    action counts.

    One query for the lot (counts and milestone times are subqueries on indexes), not two per incident.
    """
    closed = [s.value for s in CLOSED_ACTION_STATUSES]
    marks = ",".join("?" * len(closed))
    milestones = [m.value for m in Milestone]
    where, params = "", [*milestones, *closed, *closed, today.isoformat()]
    if open_only:
        where = f"WHERE i.status IN ({','.join('?' * len(OPEN_STATUSES))})"
        params += [s.value for s in OPEN_STATUSES]
    values: list[object] = list(params)
    earliest = ",\n".join(
        f"(SELECT MIN(occurred_at) FROM events e WHERE e.incident_id=i.id AND e.milestone=? "
        f"AND e.deleted_at IS NULL) AS milestone_{n}"
        for n in range(len(milestones))
    )
    source = "incidents"
    if limit is not None:  # the first ones picked before the counts, so only theirs are counted
        inner = where.replace("i.status", "status")
        # Picked by their sort keys alone, then read whole: sorting every incident's whole row to keep a hundred
        # took 15 ms at 10,000 incidents, sorting the keys 4 ms.
        source = (
            f"(SELECT * FROM incidents WHERE rowid IN (SELECT rowid FROM incidents {inner} "
            "ORDER BY started_at DESC, id DESC LIMIT ?))"
        )
        where = ""
        values.append(limit)  # after the select list's and the status filter's, as in the text
    rows = conn.execute(
        f"""SELECT i.*, {earliest},
            COALESCE((SELECT n FROM live_event_counts c WHERE c.incident_id=i.id), 0) AS n_events,
            (SELECT COUNT(*) FROM action_items a WHERE a.incident_id=i.id AND a.deleted_at IS NULL
                AND a.status NOT IN ({marks})) AS n_open,
            (SELECT COUNT(*) FROM action_items a WHERE a.incident_id=i.id AND a.deleted_at IS NULL
                AND a.status NOT IN ({marks}) AND a.deadline < ?) AS n_overdue
        FROM {source} i {where} ORDER BY i.started_at DESC, i.id DESC""",
        values,
    ).fetchall()
    listings = []
    extra = {"n_events", "n_open", "n_overdue", *(f"milestone_{n}" for n in range(len(milestones)))}
    for r in rows:
        data = {key: r[key] for key in r.keys() if key not in extra}  # noqa: SIM118 (a Row iterates values)
        for n, name in enumerate(milestones):
            if r[f"milestone_{n}"] is not None:  # as `incident`: a milestone event's time comes first
                data[f"{name}_at"] = r[f"milestone_{n}"]
        listings.append(
            IncidentListing(
                incident=incident_from_row(data),
                events=r["n_events"],
                open_actions=r["n_open"],
                overdue_actions=r["n_overdue"],
            )
        )
    return listings


#: An incident's JSON fields (its record's, as `record_json` gives them) in the order json.dumps sorts them.
_JSON_ORDER = tuple(sorted(INCIDENT_COLUMNS))
_TIMES = frozenset({"started_at", "detected_at", "mitigated_at", "resolved_at", "created_at", "updated_at"})


def incident_listings_json(
    conn: sqlite3.Connection,
    today: dt.date,
    config: Config,
    tz: dt.tzinfo,
    *,
    open_only: bool,
    keep: Callable[[Incident], bool] | None = None,
) -> list[dict[str, Any]]:
    """What `warroom list --json` writes: each listing's `as_json()` with its `postmortem`, keys in sorted order,
    made from the rows without the records in between (only `keep`, a filter, is given the incident's record).

    The same query as `incident_listings`, with the post-mortem columns joined in (the resolution time that
    post-mortem states count from is the listing's own `resolved_at`).
    """
    closed = [s.value for s in CLOSED_ACTION_STATUSES]
    marks = ",".join("?" * len(closed))
    milestones = [m.value for m in Milestone]
    where, params = "", [*milestones, today.isoformat(), *closed]
    if open_only:
        where = f"WHERE i.status IN ({','.join('?' * len(OPEN_STATUSES))})"
        params += [s.value for s in OPEN_STATUSES]
    earliest = ", ".join(
        "(SELECT MIN(occurred_at) FROM events e WHERE e.incident_id=i.id AND e.milestone=? AND e.deleted_at IS NULL)"
        for _ in milestones
    )
    cursor = conn.cursor()
    cursor.row_factory = None
    # One pass over each incident's action items counts the open ones and, among them, the overdue ones.
    rows = cursor.execute(
        f"""SELECT {", ".join(f"i.{name}" for name in _JSON_ORDER)}, {earliest},
            COALESCE((SELECT n FROM live_event_counts c WHERE c.incident_id=i.id), 0),
            COALESCE(a.n_open, 0), COALESCE(a.n_overdue, 0),
            p.status, p.owner, p.review_due, p.reviewed_at, p.published_at
        FROM incidents i
        LEFT JOIN (SELECT incident_id, COUNT(*) AS n_open, SUM(deadline < ?) AS n_overdue FROM action_items NOT INDEXED
            WHERE deleted_at IS NULL AND status NOT IN ({marks}) GROUP BY incident_id) a ON a.incident_id = i.id
        LEFT JOIN postmortems p ON p.incident_id = i.id
        {where} ORDER BY i.started_at DESC, i.id DESC""",
        params,
    ).fetchall()
    return _listing_documents(rows, today, config, tz, keep)


def _listing_documents(
    rows: list[Any], today: dt.date, config: Config, tz: dt.tzinfo, keep: Callable[[Incident], bool] | None
) -> list[dict[str, Any]]:
    """The JSON documents of `incident_listings_json`'s rows (its incident's columns first, in _JSON_ORDER)."""
    from warroom.store.postmortem_flow import state_json_of_row

    fields = len(_JSON_ORDER)
    at = {name: n for n, name in enumerate(_JSON_ORDER)}
    first_milestone = fields
    merged = [at[f"{m.value}_at"] for m in Milestone]
    times = [at[name] for name in _TIMES]
    tags, owner, severity, incident_id = at["tags"], at["owner"], at["severity"], at["id"]
    levels: dict[str, Any] = {}
    out = []
    with paused_gc():
        for r in rows:
            values = list(r[:fields])
            for n, column in enumerate(merged):
                if r[first_milestone + n] is not None:  # as `incident`: a milestone event's time comes first
                    values[column] = r[first_milestone + n]
            if keep is not None and not keep(incident_from_row(dict(zip(_JSON_ORDER, values, strict=True)))):
                continue
            resolved = values[at["resolved_at"]]
            for column in times:
                values[column] = time_json(values[column])
            values[tags] = json.loads(values[tags])
            counts = r[fields + len(merged) : fields + len(merged) + 3]
            postmortem = state_json_of_row(
                (values[incident_id], values[owner], values[severity], resolved, *r[fields + len(merged) + 3 :]),
                config,
                tz,
                levels,
                today,
            )
            out.append(
                {
                    "events": counts[0],
                    "incident": dict(zip(_JSON_ORDER, values, strict=True)),
                    "open_actions": counts[1],
                    "overdue_actions": counts[2],
                    "postmortem": postmortem,
                }
            )
    return out


#: An action item's JSON fields (its record's) in the order json.dumps sorts them.
ACTION_JSON_ORDER = tuple(sorted(ACTION_COLUMNS))


def followup_rows(conn: sqlite3.Connection, today: dt.date, *, owner: str | None, overdue: bool) -> list[Any]:
    """Every incident's live action items (only `owner`'s, only those open past their deadline), as tuples: the
    columns of ACTION_JSON_ORDER as stored, then the index of the item's group in `followup.GROUP_ORDER`
    (closed; no deadline; overdue: before today; due this week: within 7 days; later), in no particular order.

    One pass over the table: the items asked for are usually a good part of it, and an index would visit them
    in its order, page by page at random.
    """
    closed = [s.value for s in CLOSED_ACTION_STATUSES]
    marks = ", ".join("?" * len(closed))
    day, week = today.isoformat(), (today + dt.timedelta(days=7)).isoformat()
    params: list[Any] = [*closed, day, week]
    where = ["deleted_at IS NULL"]
    if owner is not None:
        where.append("lower(owner)=lower(?)")
        params.append(owner)
    if overdue:
        where.append(f"deadline IS NOT NULL AND deadline < ? AND status NOT IN ({marks})")
        params += [day, *closed]
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(
        f"""SELECT {", ".join(ACTION_JSON_ORDER)},
            CASE WHEN status IN ({marks}) THEN 4 WHEN deadline IS NULL THEN 3 WHEN deadline < ? THEN 0
                WHEN deadline <= ? THEN 1 ELSE 2 END
        FROM action_items NOT INDEXED WHERE {" AND ".join(where)}""",
        params,
    ).fetchall()


def incident_titles(conn: sqlite3.Connection, incident_ids: Iterable[str]) -> dict[str, str]:
    """The titles of these incidents, by id."""
    wanted = list(incident_ids)
    titles: dict[str, str] = {}
    for start in range(0, len(wanted), 500):  # within SQLite's limit on parameters
        batch = wanted[start : start + 500]
        marks = ", ".join("?" * len(batch))
        titles.update(conn.execute(f"SELECT id, title FROM incidents WHERE id IN ({marks})", batch).fetchall())
    return titles


def incident_time_rows(conn: sqlite3.Connection) -> list[Any]:
    """(id, title, severity, status, started_at, detected_at, mitigated_at, resolved_at) of every incident, times
    as stored, each milestone's the earliest live milestone event's when there is one (as `incident` merges them):
    the columns response-time metrics read."""
    merged = ", ".join(
        f"COALESCE((SELECT MIN(occurred_at) FROM events e WHERE e.incident_id=i.id AND e.milestone=? "
        f"AND e.deleted_at IS NULL), i.{m.value}_at)"
        for m in Milestone
    )
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(
        f"SELECT i.id, i.title, i.severity, i.status, i.started_at, {merged} FROM incidents i",
        [m.value for m in Milestone],
    ).fetchall()


def followthrough_rows(conn: sqlite3.Connection, today: dt.date) -> tuple[list[Any], list[Any]]:
    """What follow-through metrics count, read as little as can be: (incident id, deadline, done_at) of every live
    closed item with a deadline and a closing time, and (incident id, how many) of live open items past their
    deadline on `today`."""
    closed = [s.value for s in CLOSED_ACTION_STATUSES]
    marks = ", ".join("?" * len(closed))
    cursor = conn.cursor()
    cursor.row_factory = None
    done = cursor.execute(
        "SELECT incident_id, deadline, done_at FROM action_items NOT INDEXED WHERE deleted_at IS NULL "
        f"AND deadline IS NOT NULL AND done_at IS NOT NULL AND done_at != '' AND status IN ({marks})",
        closed,
    ).fetchall()
    late = cursor.execute(
        "SELECT incident_id, COUNT(*) FROM action_items NOT INDEXED WHERE deleted_at IS NULL "
        f"AND deadline IS NOT NULL AND deadline < ? AND status NOT IN ({marks}) GROUP BY incident_id",
        [today.isoformat(), *closed],
    ).fetchall()
    return done, late


def incident_count(conn: sqlite3.Connection) -> int:
    """How many incidents there are."""
    return int(conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0])
