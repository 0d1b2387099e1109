"""The blameless-language check of one text: findings with the phrase and a blameless rewrite.

The rules are data (store.lint_rules); who a phrase is about is worked out in store.lint_subject
with the word lists of store.lint_words. A line holding none of the rules' cues is skipped after
one regular-expression scan, so linting a 100k-event timeline (which every export does) stays quick.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from warroom.store.lint_rules import RULES, Check, Rule
from warroom.store.lint_subject import (
    counterfactual,
    negated,
    object_after,
    person_in_clause,
    subject_before,
    tokens,
    verb_negated,
    would_have,
)
from warroom.store.lint_words import CAUSAL_SECTIONS, DETERMINERS, Subject, classify
from warroom.store.records import ActionItem, Incident

# Each rule is matched in the lower-cased text (several times faster than ignoring case), or, when
# lower-casing changed the text's length (a dotted İ), in the text itself ignoring case.
_COMPILED = [(rule, re.compile(rule.pattern), re.compile(rule.pattern, re.IGNORECASE)) for rule in RULES]


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
# (which every export does) stays quick. Cues are word beginnings made of letters and digits only,
# searched at word starts: no cue can then begin inside another, so one pass finds them all, and a
# cue found ("carelessly") brings the rules of the shorter cues it begins with ("careless").
# (A look-behind for letters and digits scans faster than `\b` and finds a few more places: never fewer.)
_CUE = re.compile(rf"(?<![a-z0-9]){_trie({c for r in RULES for c in r.cues})}")
# The same scan of an ASCII text faster: with a space put first and every character that is not a letter or
# digit made a space (_BOUNDARIES), a cue at a word start is a cue right after a space, and the engine finds
# the spaces with its quick literal search instead of trying the look-behind at every character.
_SPACED_CUE = re.compile(rf" ({_trie({c for r in RULES for c in r.cues})})")
_BOUNDARIES = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalnum()})


def _rules_by_cue() -> dict[str, list[int]]:
    """The rules (by index) each cue can start: its own, and those of the shorter cues it begins with."""
    cues = {c for r in RULES for c in r.cues}
    return {cue: [i for i, rule in enumerate(RULES) if any(cue.startswith(c) for c in rule.cues)] for cue in cues}


_RULES_BY_CUE = _rules_by_cue()


@dataclass(frozen=True)
class Finding:
    """One blaming phrase: where it is, the words matched, and a hint for rewording it."""

    location: str
    phrase: str
    suggestion: str
    #: The rule that matched; allowing it silences all its findings.
    term: str = ""
    #: Why the phrase blames, e.g. "a person is the subject of a failure verb".
    reason: str = ""

    def __str__(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return f'{self.location}: "{self.phrase}"{why} → {self.suggestion}'


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
    return lint_candidates(text, location, candidates, {p.lower() for p in people})


def lint_candidates(text: str, location: str, candidates: list[int], names: set[str]) -> list[Finding]:
    """Findings of the candidate rules (indexes, in rule order) in one text; `names` are lower-case."""
    causal = location.lower().startswith(CAUSAL_SECTIONS)
    lowered = text.lower()
    same = len(lowered) == len(text)
    found: list[tuple[int, Finding]] = []
    for index in candidates:
        rule, pattern, ignoring_case = _COMPILED[index]
        if rule.causal_only and not causal:
            continue
        for match in pattern.finditer(lowered) if same else ignoring_case.finditer(text):
            # Every judgment is about the clause or sentence around the match: a few hundred characters
            # of it, so a huge pasted text costs time in proportion to its length, not to its square.
            low = max(0, match.start() - _WINDOW)
            near = text[low : match.end() + _WINDOW]
            phrase = _blames(rule, match.start() - low, match.end() - low, near, names)
            if phrase is not None:
                found.append((match.start(), Finding(location, phrase, rule.suggestion, rule.term, rule.reason)))
    if not found:
        return []
    found.sort(key=lambda pair: pair[0])
    return list(dict.fromkeys(finding for _, finding in found))


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
    if lowered.isascii():
        for match in _SPACED_CUE.finditer(f" {lowered}".translate(_BOUNDARIES)):
            # The cue starts one character on in the spaced text: at match.start() in `lowered`.
            cues.setdefault(bisect_right(starts, match.start()) - 1, []).append(match[1])
    else:
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


#: The timeline's lines are no section that explains why (rules that are causal_only never apply to them).
_TIMELINE_CAUSAL = "timeline".startswith(CAUSAL_SECTIONS)
#: The patterns of the rules a timeline line's candidates (by their tuple) can match there, in rule order.
_TIMELINE_PATTERNS: dict[tuple[int, ...], list[re.Pattern[str]]] = {}


def kept_lines(texts: list[str]) -> list[tuple[int, list[int]]]:
    """(index, candidates) of the texts (timeline lines) `lint_candidates` can find something in: `_cued` and
    `_may_match`, the rules' patterns looked up once per set of candidates rather than once per line."""
    kept: list[tuple[int, list[int]]] = []
    patterns_of: dict[int, list[re.Pattern[str]]] = {}  # by id: `_cued` shares one list among the lines it fits
    for index, candidates in _cued(texts).items():
        patterns = patterns_of.get(id(candidates))
        if patterns is None:
            patterns = patterns_of[id(candidates)] = _timeline_patterns(candidates)
        text = texts[index]
        lowered = text.lower()
        if len(lowered) != len(text):
            kept.append((index, candidates))  # lint_candidates matches such a text ignoring case: let it decide
            continue
        for pattern in patterns:
            if pattern.search(lowered) is not None:
                kept.append((index, candidates))
                break
    return kept


def _timeline_patterns(candidates: list[int]) -> list[re.Pattern[str]]:
    """The patterns of the rules among `candidates` that apply on the timeline, in rule order."""
    key = tuple(candidates)
    patterns = _TIMELINE_PATTERNS.get(key)
    if patterns is None:
        chosen = [i for i in candidates if _TIMELINE_CAUSAL or not RULES[i].causal_only]
        patterns = _TIMELINE_PATTERNS[key] = [_COMPILED[i][1] for i in chosen]
    return patterns


def _may_match(text: str, candidates: list[int]) -> bool:
    """Whether a rule among `candidates` matches the timeline line at all: `lint_candidates` can find something.

    One search per rule instead of `lint_candidates`'s work: a cue ("errors") without a rule's phrase is the usual line.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        return True  # lint_candidates matches such a text ignoring case: let it decide
    return any(pattern.search(lowered) for pattern in _timeline_patterns(candidates))


#: How much text on either side of a match its judgment looks at.
_WINDOW = 300
#: Whose: the word a possessive ending belongs to, "@kira" in "@kira's".
_OWNER = re.compile(r"@?[\w.-]*\w$")


def _blames(rule: Rule, start: int, end: int, text: str, names: set[str]) -> str | None:
    """The phrase to report when the match from `start` to `end` blames someone, else None."""
    phrase = text[start:end]
    before, after = text[:start], text[end:]
    if rule.negatable and negated(before, phrase, after):
        return None
    if rule.check is Check.ALWAYS:
        return phrase
    if rule.check is Check.POSSESSOR:
        owner = _OWNER.search(before)
        if owner is None:  # a quote, not a possessive: "'bad config'"
            return None
        # "Alex's mistake" blames; "the CDN's fault handling" is about a system.
        previous = tokens(before[: owner.start()])
        kind = classify(owner[0], previous[-1] if previous else "", names)
        if rule.negatable and negated(before[: owner.start()], owner[0], ""):
            return None  # "nobody's fault"
        return owner[0] + phrase if kind is not Subject.SYSTEM else None
    if rule.check is Check.COUNTERFACTUAL:
        return counterfactual(text, start, end, names) if would_have(text) else None
    if rule.check is Check.OBJECT:
        words, kind = object_after(after, names)
        if kind not in rule.subjects:
            return None
        if rule.then and not re.match(rule.then, after[after.find(words) + len(words) :], re.IGNORECASE):
            return None
        return f"{phrase} {words}"
    if verb_negated(before):
        return None
    if rule.check is Check.CLAUSE:
        words, kind = person_in_clause(before, names)
        return f"{words} … {phrase}" if kind in rule.subjects else None
    words, kind = subject_before(before, after, names)
    if kind not in rule.subjects:
        return None
    if rule.explained and _system_reason(after, names):
        return None
    if words.startswith("by "):
        return f"{phrase} {words}"
    return f"{words} {phrase}" if words else phrase


_REASON = re.compile(r"\b(?:because|since)\b(?! of\b)", re.IGNORECASE)


def _system_reason(after: str, names: set[str]) -> bool:
    """Whether what follows gives a reason that is about a system: "because the phone was on silent"."""
    reason = _REASON.search(after)
    return reason is not None and object_after(after[reason.end() :], names)[1] is Subject.SYSTEM


def is_allowed(finding: Finding, allow: Iterable[str]) -> bool:
    """Silenced by its phrase, its rule, or `location:phrase` (all case-insensitive)."""
    allowed = {" ".join(a.split()).lower() for a in allow}
    phrase, term, where = finding.phrase.lower(), finding.term.lower(), finding.location.lower()
    return bool({phrase, term, f"{where}:{phrase}", f"{where}:{term}"} & allowed)


def incident_people(incident: Incident, actions: Iterable[ActionItem], teams: Iterable[str]) -> set[str]:
    """The names the lint knows as people's: the incident's roles and owner, action item owners and teams."""
    roles = {incident.owner, incident.commander, incident.scribe, incident.comms}
    return people_names(roles | {a.owner for a in actions} | set(teams))
