"""The blameless-language check of a timeline: its lines read a batch at a time, or fed by an export.

A finding on the timeline is located by the line's time as the Markdown timeline shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from operator import itemgetter
from typing import Any

from warroom.store.export_clock import TimelineClock
from warroom.store.export_rows import Timeline, live_teams, stream_stamps, stream_timeline, timeline_of
from warroom.store.lint_text import Finding, incident_people, is_allowed, kept_lines, lint_candidates
from warroom.store.store import Store
from warroom.store.timeparse import UTC


def timeline_teams(store: Store, incident_id: str, timeline: Timeline | None) -> set[str]:
    """The teams named on the live timeline."""
    if timeline is not None:
        return set(timeline_of(store, incident_id, ("team",), timeline).column("team"))
    return live_teams(store, incident_id)


def lint_timeline(
    store: Store, incident_id: str, timeline: Timeline | None, names: set[str], tz: dt.tzinfo
) -> list[Finding]:
    """Findings in the timeline's lines, located by their time as the Markdown timeline shows it.

    The lines are read a batch at a time, so a million-event timeline is checked in flat memory.
    """
    found: list[Finding] = []
    place = _Place(store, incident_id, timeline, tz)
    for rows in stream_timeline(store, incident_id, ("occurred_at", "text"), timeline):
        texts = [text for _, text in rows]
        for index, candidates in kept_lines(texts):  # most lines with a cue match no rule's pattern
            found += _judged(rows[index][0], texts[index], candidates, names, place)
    return found


class _Place:
    """Where a timeline line is, as the Markdown timeline shows its time; the clock made only when first asked."""

    def __init__(self, store: Store, incident_id: str, timeline: Timeline | None, tz: dt.tzinfo) -> None:
        self._stamps = partial(stream_stamps, store, incident_id, timeline)
        self._tz = tz
        self._clock: TimelineClock | None = None

    def given(self, clock: TimelineClock) -> None:
        """Use `clock`, made by the export from the same timeline, when it shows the same zone."""
        if self._clock is None and clock.tz is self._tz:
            self._clock = clock

    def __call__(self, stamp: str) -> str:
        if self._clock is None:  # most timelines have nothing to report: their times are never worked out
            self._clock = TimelineClock(self._stamps(), self._tz, again=self._stamps)
        return f"timeline {self._clock(stamp)}"


def _judged(stamp: str, text: str, candidates: list[int], names: set[str], place: _Place) -> list[Finding]:
    """The findings in one timeline line (stored at `stamp`), located by its time."""
    findings = lint_candidates(text, "timeline", candidates, names)
    if not findings:  # the usual case: a rule's words but not about a person
        return []
    location = place(stamp)
    return [replace(finding, location=location) for finding in findings]


#: Lines a `TimelineLint` holds for judging at the end before it asks the database for the teams instead.
_HELD = 10_000


class TimelineLint:
    """The gap check's lint of the timeline, fed the batches an export reads anyway, so the events are read once.

    The cue scan and the rules' quick search run as the batches pass; the few lines they keep are judged
    when the export is done, with the teams seen on the way as people's names (or, past `_HELD` lines
    kept, at once, with the teams read from the database). `findings()` is then `lint_incident`'s
    timeline part, and `teams` the timeline's teams.
    """

    def __init__(
        self, store: Store, incident_id: str, tz: dt.tzinfo = UTC, *, until_found: Sequence[str] | None = None
    ) -> None:
        """`until_found` (an allowlist, as `lint_incident` takes it) is for a caller that wants the document only
        when nothing is found: the lines are judged as they pass, and once a finding it does not allow is there,
        `tap` lints the rest of the batches without passing them on."""
        self._store, self._incident_id = store, incident_id
        self._place = _Place(store, incident_id, None, tz)
        self._seen: set[str] = set()
        self._held: list[tuple[str, str, list[int]]] = []  # (stamp, text, candidates)
        self._names: set[str] | None = None  # once known: the held lines are judged as they come
        self._found: list[Finding] = []
        self._until = until_found
        if until_found is not None:
            self._names = self._people(live_teams(store, incident_id))

    def share(self, clock: TimelineClock) -> None:
        """The Markdown export's clock for the timeline, so a finding's time is not worked out a second time."""
        self._place.given(clock)

    def tap(self, batches: Iterable[Sequence[Any]], stamp: int, text: int, team: int) -> Iterator[Any]:
        """`batches` passed on unchanged, each fed to the lint first; its rows hold the stored time, text and team
        at those indexes."""
        stamps, texts, teams = itemgetter(stamp), itemgetter(text), itemgetter(team)
        for rows in batches:
            self.feed(list(map(stamps, rows)), list(map(texts, rows)), map(teams, rows))
            if self._until is not None and self._blames(self._until):
                for rest in batches:  # the document will not be kept: only the lint needs the rest
                    self.feed(list(map(stamps, rest)), list(map(texts, rest)), map(teams, rest))
                return
            yield rows

    def _blames(self, allow: Sequence[str]) -> bool:
        """Whether a finding so far is one `allow` does not silence."""
        return any(not is_allowed(finding, allow) for finding in self._found)

    def feed(self, stamps: Sequence[str], texts: list[str], teams: Iterable[str]) -> None:
        """The next lines of the timeline, in its order: their stored times, texts and teams."""
        self._seen.update(teams)
        self._held += [(stamps[index], texts[index], candidates) for index, candidates in kept_lines(texts)]
        if self._names is None and len(self._held) > _HELD:
            self._names = self._people(live_teams(self._store, self._incident_id))
        if self._names is not None:
            self._judge(self._names)

    @property
    def teams(self) -> set[str]:
        """The teams named on the timeline fed so far."""
        return {str(team) for team in self._seen}

    def findings(self) -> list[Finding]:
        """The timeline's findings, in its order (before the incident's allowlist)."""
        self._judge(self._names if self._names is not None else self._people(self.teams))
        return list(self._found)

    def _people(self, teams: set[str]) -> set[str]:
        incident = self._store.incident(self._incident_id)
        return incident_people(incident, self._store.actions(self._incident_id), teams)

    def _judge(self, names: set[str]) -> None:
        for stamp, text, candidates in self._held:
            self._found += _judged(stamp, text, candidates, names, self._place)
        self._held = []
