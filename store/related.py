"""Earlier incidents that look like this one: shared words of title and causes, shared tags, shared teams.

Learning across incidents is the point of keeping a library. The words come from what names a problem
(the title, the root cause, contributing factors and trigger, the tags, the teams that took part),
scored with the one full-text index (bm25, so a rare word like `pgbouncer` counts for more than
`error`), plus a bonus per shared tag and team. Each result says what it shares, so a reader can
judge the match instead of trusting a number.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass

from warroom.store.timeparse import from_db

#: Words that say nothing about which problem it was.
_STOP_TEXT = """
    a about across after again alert alerts all also an and any are as at be because been before between but by
    can cause caused causes change changed changes contributing customer customers day days down due during each
    eight error errors factor fail failed failing failure few five for four from get got had has have high hour
    hours in incident instead into is issue it its just low manual manually many minute minutes more most new
    nine not now of off old on one only or other our out outage over own per problem root same second seconds
    service services set seven should six slow so some still such take taking ten than that the their then there
    these this three time times to too took trigger two under up user users very via was week weeks were when
    which while who will with without wrong
"""
STOPWORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[^\W_][\w.-]*[^\W_]|[^\W_]", re.UNICODE)
#: The most distinctive words of an incident that are looked for (FTS5 queries stay small and fast).
MAX_TERMS = 24
TAG_WEIGHT = 3.0
TEAM_WEIGHT = 1.5
#: A single shared word is enough only when it is rare in the library (bm25 weighs rare words high).
MIN_ONE_WORD_SCORE = 6.0


@dataclass(frozen=True)
class RelatedIncident:
    """An earlier (or later) incident like this one, with what the two share."""

    incident_id: str
    title: str
    started_at: dt.datetime | None
    severity: str
    status: str
    score: float
    shared: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """A plain dict for `--json`."""
        return {
            "incident_id": self.incident_id,
            "title": self.title,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "severity": self.severity,
            "status": self.status,
            "score": round(self.score, 3),
            "shared": list(self.shared),
        }


def words(text: str) -> list[str]:
    """The words of `text` that can name a problem: lower case, no stop words, no bare numbers."""
    out = []
    for word in _WORD.findall(text.lower()):
        word = word.strip(".-")
        if len(word) >= 3 and word not in STOPWORDS and not word.replace(".", "").isdigit():
            out.append(word)
    return out


def _signature(conn: sqlite3.Connection, incident_id: str) -> tuple[Counter[str], set[str], set[str]]:
    """An incident's title-and-cause words (with counts), tags and teams."""
    row = conn.execute("SELECT title, tags FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if row is None:
        return Counter(), set(), set()
    texts = [str(row[0])]
    texts += [
        str(r[0])
        for r in conn.execute("SELECT text FROM factors WHERE incident_id = ? AND deleted_at IS NULL", (incident_id,))
    ]
    tags = {t.lower() for t in _tags(row[1])}
    teams = {
        str(r[0]).lower()
        for r in conn.execute(
            "SELECT DISTINCT team FROM events WHERE incident_id = ? AND deleted_at IS NULL AND team != ''",
            (incident_id,),
        )
    }
    counted: Counter[str] = Counter()
    for text in texts:
        counted.update(words(text))
    return counted, tags, teams


def _tags(raw: object) -> list[str]:
    try:
        value = json.loads(str(raw or "[]"))
    except ValueError:
        return []
    return [str(t) for t in value] if isinstance(value, list) else []


def related_incidents(conn: sqlite3.Connection, incident_id: str, limit: int = 5) -> list[RelatedIncident]:
    """The incidents most like `incident_id`, best first; only those that share something."""
    counted, tags, teams = _signature(conn, incident_id)
    terms = [w for w, _n in counted.most_common(MAX_TERMS)] + sorted(tags - set(counted))[: MAX_TERMS // 2]
    scores: dict[str, float] = {}
    if terms:
        expression = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        for row in conn.execute(
            "SELECT incident_id, -bm25(search_index) FROM search_index WHERE search_index MATCH ? "
            "AND record_type IN ('incident', 'factor') AND incident_id != ?",
            (expression, incident_id),
        ):
            scores[str(row[0])] = scores.get(str(row[0]), 0.0) + float(row[1])
    if tags:
        for row in conn.execute("SELECT id, tags FROM incidents WHERE id != ? AND tags != '[]'", (incident_id,)):
            shared_tags = tags & {t.lower() for t in _tags(row[1])}
            if shared_tags:
                scores[str(row[0])] = scores.get(str(row[0]), 0.0) + TAG_WEIGHT * len(shared_tags)
    candidates = sorted(scores, key=lambda c: (-scores[c], c))[: limit * 4]
    out = []
    for candidate in candidates:
        their_words, their_tags, their_teams = _signature(conn, candidate)
        shared_words = [w for w, _n in counted.most_common() if w in their_words]
        common_tags = sorted(tags & their_tags)
        common_teams = sorted(teams & their_teams)
        score = scores[candidate] + TEAM_WEIGHT * len(common_teams)
        if not (common_tags or len(shared_words) >= 2 or (shared_words and score >= MIN_ONE_WORD_SCORE)):
            continue  # one common word, or only the summary or notes: too loose to call them alike
        row = conn.execute(
            "SELECT title, started_at, severity, status FROM incidents WHERE id = ?", (candidate,)
        ).fetchone()
        shared = (*shared_words[:6], *(f"tag:{t}" for t in common_tags), *(f"@{t}" for t in common_teams))
        out.append(RelatedIncident(candidate, str(row[0]), _when(row[1]), str(row[2]), str(row[3]), score, shared))
    out.sort(key=lambda r: (-r.score, r.incident_id))
    return out[:limit]


def _when(value: object) -> dt.datetime | None:
    try:
        return from_db(str(value))
    except ValueError:
        return None  # a damaged stored time is shown as unknown, never a crash
