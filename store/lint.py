"""The blameless-language check: findings with where they are, the phrase, and a systems-focused hint.

The rules are data (store.lint_rules). A rule with `subjects` looks at who does the verb: the
nearest word before it in the same clause, adverbs and auxiliaries skipped ("we clearly failed
to"), through `that`/`which` to the noun they stand for ("the check that failed to").
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Any

from store.export_clock import TimelineClock
from store.export_rows import Timeline, stream_stamps, stream_timeline, timeline_of
from store.kinds import FactorKind
from store.lint_rules import (
    BOUNDARIES,
    CAUSAL_SECTIONS,
    DETERMINERS,
    GROUPS,
    INDIVIDUALS,
    NEGATIONS,
    RELATIVES,
    RULES,
    SKIP,
    THINGS,
    Rule,
    Subject,
)
from store.store import Store
from store.timeparse import UTC

_TOKEN = re.compile(r"[\w’'-]+|[^\w\s]")
_COMPILED = [(rule, re.compile(rule.pattern, re.IGNORECASE)) for rule in RULES]


def _trie(words: Iterable[str]) -> str:
    """A regular expression matching the longest of `words` that starts at a position, written as a prefix tree.

    It matches what the plain alternation (longest words first) would, but the regular expression
    engine picks one branch per character instead of trying every word at every position.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        group = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{group})?" if "" in node else group

    return pattern(tree)


# Every rule's cues in one pattern, searched in lower-cased text: it rules out nearly every timeline
# line at once and picks the few rules worth running on the rest, so linting a 100k-event incident
# (which every export does) stays quick.
_CUE = re.compile(_trie({c for r in RULES for c in r.cues}))


def _rules_by_cue() -> dict[str, list[int]]:
    """The rules (by index) each cue can start."""
    found: dict[str, list[int]] = {}
    for index, rule in enumerate(RULES):
        for cue in rule.cues:
            found.setdefault(cue, []).append(index)
    return found


_RULES_BY_CUE = _rules_by_cue()
_FACTOR_LOCATIONS = {
    FactorKind.ROOT: "root cause",
    FactorKind.CONTRIBUTING: "contributing factor",
    FactorKind.TRIGGER: "trigger",
}


@dataclass(frozen=True)
class Finding:
    """One blaming phrase: where it is, the words matched, and a hint for rewording it."""

    location: str
    phrase: str
    suggestion: str
    #: The rule that matched; allowing it silences all its findings.
    term: str = ""

    def __str__(self) -> str:
        return f'{self.location}: "{self.phrase}" → {self.suggestion}'


def people_names(values: Iterable[str]) -> set[str]:
    """Lower-case names to recognise from role, owner and team values ("Priya (IC)", "alex, sam")."""
    names: set[str] = set()
    for value in values:
        for part in re.split(r"[,/&;]| and ", re.sub(r"\([^)]*\)", " ", value)):
            words = part.lower().split()
            if words:
                names.add(" ".join(words))
                names.update(w for w in words if len(w) > 1 and w not in DETERMINERS)
    return names


def lint_text(text: str, location: str, people: Iterable[str]) -> list[Finding]:
    """Blaming phrases in one piece of text; `people` are the names of those involved."""
    candidates = _candidates(text)
    if not candidates:
        return []
    return _lint(text, location, candidates, {p.lower() for p in people})


def _lint(text: str, location: str, candidates: list[int], names: set[str]) -> list[Finding]:
    """Findings of the candidate rules (indexes, in rule order) in one text; `names` are lower-case."""
    causal = location.lower().startswith(CAUSAL_SECTIONS)
    found: list[Finding] = []
    for index in candidates:
        rule, pattern = _COMPILED[index]
        if rule.causal_only and not causal:
            continue
        for match in pattern.finditer(text):
            phrase = _blames(rule, match, text, names)
            if phrase is not None:
                found.append(Finding(location, phrase, rule.suggestion, rule.term))
    if not found:
        return found
    found.sort(key=lambda f: text.find(f.phrase))
    return list(dict.fromkeys(found))


def _candidates(text: str) -> list[int]:
    """Indexes of the rules whose cues the text contains, in rule order."""
    return sorted({i for cue in _CUE.findall(text.lower()) for i in _RULES_BY_CUE[cue]})


def _cued(texts: list[str]) -> dict[int, list[int]]:
    """`_candidates` of each text holding a cue, by index, found in one scan of them all rather than a search each."""
    joined = "\n".join(texts)
    lowered = joined.lower()  # what lower-casing each text gives, joined: a line break is no context for it
    # Where each text starts in `lowered`: where it starts in `joined`, unless lower-casing lengthened one (İ).
    lengths = map(len, texts) if len(lowered) == len(joined) else (len(text.lower()) for text in texts)
    starts = list(accumulate((length + 1 for length in lengths), initial=0))
    cues: dict[int, list[str]] = {}
    # No cue holds a line break, so no match spans two texts, and each text's matches are its own findall.
    for match in _CUE.finditer(lowered):
        cues.setdefault(bisect_right(starts, match.start()) - 1, []).append(match[0])
    rules: dict[tuple[str, ...], list[int]] = {}  # most cued lines hold the same one or two cues
    found: dict[int, list[int]] = {}
    for index, held in cues.items():
        key = tuple(held)
        if key not in rules:
            rules[key] = sorted({i for cue in held for i in _RULES_BY_CUE[cue]})
        found[index] = rules[key]
    return found


def _blames(rule: Rule, match: re.Match[str], text: str, names: set[str]) -> str | None:
    """The phrase to report when this match blames someone, else None."""
    phrase = match[0]
    if rule.negatable and _negated(text[: match.start()], phrase):
        return None
    who = match.groupdict().get("who")
    if who is not None:
        # A possessor inside the match ("Alex's mistake"): a person (or an unknown capitalised word,
        # most likely a name) for the rule to apply; "the CDN's fault" is about a system.
        before = _tokens(text[: match.start()])
        kind = _classify(who, before[-1] if before else "", names)
        return phrase if kind is not Subject.SYSTEM else None
    if rule.subjects is None:
        return phrase
    if rule.after:
        words, kind = _object_after(text[match.end() :], names)
        return f"{phrase} {words}" if kind in rule.subjects else None
    words, kind = _subject_before(text[: match.start()], names)
    if kind not in rule.subjects:
        return None
    return f"{words} {phrase}" if words else phrase


def _tokens(text: str) -> list[str]:
    """Words (apostrophes and hyphens kept) and punctuation marks."""
    return _TOKEN.findall(text)


def _negated(before: str, phrase: str) -> bool:
    """A negation among the four words before the match, or a "nobody's" inside it."""
    words = [w.lower() for w in _tokens(before)[-4:]] + [w.lower() for w in _tokens(phrase)]
    return any(w in NEGATIONS or w.startswith(("nobody", "noone")) for w in words)


def _subject_before(before: str, names: set[str]) -> tuple[str, Subject]:
    """The subject of a verb that starts where `before` ends: (its words, what it is)."""
    tokens = _tokens(before)
    i = len(tokens) - 1
    while i >= 0 and tokens[i].lower() in SKIP:
        i -= 1
    if i < 0 or not re.match(r"\w", tokens[i]) or tokens[i].lower() in BOUNDARIES:
        return "", Subject.NONE
    if tokens[i].lower() in RELATIVES:
        # "the check that failed to": the subject is the noun `that` stands for.
        i -= 1
        if i < 0 or not re.match(r"\w", tokens[i]):
            return "", Subject.NONE
    previous = tokens[i - 1] if i > 0 else ""
    kind = _classify(tokens[i], previous, names)
    if kind is Subject.SYSTEM and f"{previous} {tokens[i]}".lower() in names:
        kind = Subject.NAME
    if kind is Subject.SYSTEM and "who" in _clause(tokens[:i]):
        # "the engineer who made the change failed to": the verb belongs to the person `who` follows.
        return tokens[i], Subject.PERSON
    return tokens[i], kind


def _clause(tokens: list[str]) -> list[str]:
    """The lower-cased words of the clause the last token is in (back to punctuation or a conjunction)."""
    words: list[str] = []
    for token in reversed(tokens):
        lower = token.lower()
        if not re.match(r"\w", token) or lower in BOUNDARIES:
            break
        words.append(lower)
    return words


def _object_after(after: str, names: set[str]) -> tuple[str, Subject]:
    """Who `because` / `due to` / `fault of` points at: a person among the next few words of the phrase."""
    words: list[str] = []
    for token in _tokens(after)[:3]:
        if not re.match(r"\w", token) or token.lower() in BOUNDARIES:
            break
        kind = _classify(token, words[-1] if words else "", names)
        words.append(token)
        if kind in (Subject.NAME, Subject.PERSON, Subject.GROUP):
            return " ".join(words), kind
    return " ".join(words), Subject.SYSTEM


def _classify(word: str, previous: str, names: set[str]) -> Subject:
    """What one word refers to, given the word before it (a determiner makes a name a thing)."""
    lower = word.lower().removesuffix("'s").removesuffix("’s")
    determined = previous.lower() in DETERMINERS
    if lower in names and not determined:
        return Subject.NAME
    if lower in INDIVIDUALS:
        return Subject.PERSON
    if lower in GROUPS:
        return Subject.GROUP
    if lower in THINGS or determined or not word[:1].isupper():
        return Subject.SYSTEM
    return Subject.BARE


def is_allowed(finding: Finding, allow: Iterable[str]) -> bool:
    """Silenced by its phrase, its rule, or `location:phrase` (all case-insensitive)."""
    allowed = {" ".join(a.split()).lower() for a in allow}
    phrase, term, where = finding.phrase.lower(), finding.term.lower(), finding.location.lower()
    return bool({phrase, term, f"{where}:{phrase}", f"{where}:{term}"} & allowed)


def lint_incident(
    store: Store,
    incident_id: str,
    allow: list[str] | None = None,
    tz: dt.tzinfo = UTC,
    timeline: Timeline | None = None,
) -> list[Finding]:
    """Findings in every text of an incident, in document order; `allow` adds to its saved allowlist.

    `timeline` (with at least occurred_at, text and team) saves reading the events again.
    """
    incident = store.incident(incident_id)
    factors = store.factors(incident_id)
    actions = sorted(store.actions(incident_id), key=lambda a: a.number)
    names = people_names(
        {incident.owner, incident.commander, incident.scribe, incident.comms}
        | {a.owner for a in actions}
        | _teams(store, incident_id, timeline)
    )
    before = [("title", incident.title), ("summary", incident.summary)]
    after: list[tuple[str, str]] = []
    for kind, label in _FACTOR_LOCATIONS.items():
        after += [(f"{label} {n}", f.text) for n, f in enumerate((f for f in factors if f.kind is kind), start=1)]
    after += [
        ("customers affected", incident.customers_affected),
        ("business impact", incident.business_impact),
        ("what went well", incident.went_well),
        ("what went wrong", incident.went_wrong),
        ("where we got lucky", incident.got_lucky),
    ]
    after += [(f"action item {a.number}", a.title) for a in actions]
    found = _lint_all(before, names) + _lint_timeline(store, incident_id, timeline, names, tz) + _lint_all(after, names)
    allowed = [*(allow or []), *store.lint_allowlist(incident_id)]
    return [finding for finding in found if not is_allowed(finding, allowed)]


def _lint_all(texts: list[tuple[str, str]], names: set[str]) -> list[Finding]:
    """Findings in each (location, text), in order."""
    return [finding for location, text in texts if text for finding in lint_text(text, location, names)]


def _teams(store: Store, incident_id: str, timeline: Timeline | None) -> set[str]:
    """The teams named on the live timeline."""
    if timeline is not None:
        return set(timeline_of(store, incident_id, ("team",), timeline).column("team"))
    rows = store.conn.execute(
        "SELECT DISTINCT team FROM events WHERE incident_id=? AND deleted_at IS NULL", (incident_id,)
    ).fetchall()
    return {str(row[0]) for row in rows}


def _lint_timeline(
    store: Store, incident_id: str, timeline: Timeline | None, names: set[str], tz: dt.tzinfo
) -> list[Finding]:
    """Findings in the timeline's lines, located by their time as the Markdown timeline shows it.

    The lines are read a batch at a time, so a million-event timeline is checked in flat memory.
    """
    found: list[Finding] = []
    clock: TimelineClock | None = None
    for rows in stream_timeline(store, incident_id, ("occurred_at", "text"), timeline):
        texts = [text for _, text in rows]
        for index, candidates in _cued(texts).items():
            findings = _lint(texts[index], "timeline", candidates, names)
            if not findings:  # the usual case: a cue ("errors") but no rule's phrase
                continue
            if clock is None:  # most timelines have nothing to report: their times are never worked out
                stamps = lambda: stream_stamps(store, incident_id, timeline)  # noqa: E731
                clock = TimelineClock(stamps(), tz, again=stamps)
            location = f"timeline {clock(rows[index][0])}"
            found += [replace(finding, location=location) for finding in findings]
    return found
