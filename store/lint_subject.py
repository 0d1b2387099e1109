"""Who a phrase is about: the subject before a verb, the person after `caused by`, the one in an `if`.

Plain token walks over one sentence, no parser: the nearest word before the verb in the same
clause (adverbs and auxiliaries skipped, through `that`/`which`/`who` to the noun they stand for),
`by ...` after a passive verb, and the first noun phrase after a word like `caused by`.
"""

from __future__ import annotations

import re

from warroom.store.lint_words import (
    ANYONE,
    BOUNDARIES,
    DETERMINERS,
    NEGATIONS,
    PASSIVE,
    PEOPLE,
    RELATIVES,
    SKIP,
    Subject,
    classify,
    is_possessive,
)

_TOKEN = re.compile(r"@[\w.-]*\w|[\w’'-]+|[^\w\s]")
_BY = re.compile(r"\s*by\b")
#: Words after an `if`-clause's subject that describe what they could know or use, not their care:
#: "if the on-call had known about the change", "had the SRE had a dashboard".
_UNINFORMED = re.compile(
    r"\s*(?:had|been able|been told|been paged|been given|been warned|been shown|known|seen|a|an|the|any|access)\b"
)
_WOULD_HAVE = re.compile(
    r"\b(?:would|could)(?:n't|n’t)?(?: not| never)? (?:have|'ve|’ve)\b|\bwould(?:'ve|’ve)\b"
    r"|\bwould(?:n't|n’t| not| never) (?:be|happen)",
    re.IGNORECASE,
)
#: Verbs that take another verb after them, like "kept second-guessing", "began ignoring".
_CHAINING = frozenset({"kept", "keeps", "keep", "began", "begin", "went", "go", "goes", "tried", "try", "tries"})
#: Post-modifiers of a role: "the engineer on call", "the SRE on duty".
_ON_WHAT = frozenset({"call", "duty", "shift", "rota"})


def tokens(text: str) -> list[str]:
    """Words (apostrophes and hyphens kept), @handles and punctuation marks."""
    return _TOKEN.findall(text)


def _is_word(token: str) -> bool:
    """Whether a token is a word or handle rather than punctuation."""
    return token[:1].isalnum() or token[:1] in "@_"


def negated(before: str, phrase: str, after: str) -> bool:
    """A negation among the four words before the match or in it, or "... was not" right after it."""
    near = tokens(before)[-4:]
    while any(not _is_word(t) for t in near):  # only the clause the match is in
        near = near[1:]
    words = [w.lower() for w in near] + [w.lower() for w in tokens(phrase)]
    if any(w in NEGATIONS or w.startswith(("nobody", "noone")) for w in words):
        return True
    return re.match(r"\s*(?:was|is|were|are)(?: not\b|n't|n’t)", after) is not None


def verb_negated(before: str) -> bool:
    """Whether the auxiliaries right before a verb negate it: "was not caused by anyone", "Sam did not forget"."""
    for token in reversed(tokens(before)):
        lower = token.lower()
        if lower not in SKIP:
            return False
        if lower in NEGATIONS:
            return True
    return False


def subject_before(before: str, after: str, names: set[str]) -> tuple[str, Subject]:
    """The subject of a verb that starts where `before` ends and goes on with `after`: (its words, what it is)."""
    toks = tokens(before)
    i = len(toks) - 1
    auxiliaries: list[str] = []
    while i >= 0 and toks[i].lower() in SKIP:
        auxiliaries.append(toks[i].lower())
        i -= 1
    if PASSIVE.intersection(auxiliaries) and _BY.match(after):
        # "was botched by the duty manager": the one who did it comes after `by`.
        by = _BY.match(after)
        assert by is not None
        words, kind = object_after(after[by.end() :], names)
        return f"by {words}", kind
    if i < 0 or not _is_word(toks[i]) or toks[i].lower() in BOUNDARIES:
        return "", Subject.NONE
    if toks[i].lower() in RELATIVES:
        # "the check that failed to": the subject is the noun `that` stands for.
        i -= 1
        if i < 0 or not _is_word(toks[i]):
            return "", Subject.NONE
    if toks[i].lower() in _ON_WHAT and i >= 2 and toks[i - 1].lower() == "on":
        i -= 2
    previous = toks[i - 1] if i > 0 else ""
    kind = classify(toks[i], previous, names)
    if kind is Subject.SYSTEM and f"{previous} {toks[i]}".lower() in names:
        return f"{previous} {toks[i]}", Subject.NAME
    if kind is Subject.SYSTEM:
        found = _person_earlier(toks[:i], toks[i], previous, names)
        if found is not None:
            return found
    return toks[i], kind


def _person_earlier(clause: list[str], head: str, previous: str, names: set[str]) -> tuple[str, Subject] | None:
    """The person a verb chain belongs to, when the word before the match is a verb, not a noun.

    "Tell engineers to stop blindly running", "the on-call acted rashly", "the engineer who made
    the change failed to": the nearest person back in the same clause.
    """
    lower = [t.lower() for t in clause]
    verb = head.lower().endswith(("ed", "ing")) or head.lower() in _CHAINING
    chained = previous.lower() == "to" or (verb and previous.lower() not in DETERMINERS)
    if not chained and "who" not in lower[-6:]:
        return None
    for j in range(len(clause) - 1, -1, -1):
        token = clause[j]
        if not _is_word(token) or lower[j] in BOUNDARIES:
            return None
        kind = classify(token, clause[j - 1] if j else "", names)
        if kind in PEOPLE and not is_possessive(token):
            return token, kind
    return None


def person_in_clause(before: str, names: set[str]) -> tuple[str, Subject]:
    """The nearest person earlier in the clause (or a capitalised name starting it), else a system."""
    clause: list[str] = []
    for token in reversed(tokens(before)):
        if not _is_word(token) or token.lower() in BOUNDARIES:
            break
        clause.append(token)
    clause.reverse()
    for j in range(len(clause) - 1, -1, -1):
        kind = classify(clause[j], clause[j - 1] if j else "", names)
        if kind in PEOPLE and not is_possessive(clause[j]):
            return clause[j], kind
    if clause and classify(clause[0], "", names) is Subject.BARE and not is_possessive(clause[0]):
        return clause[0], Subject.BARE
    return "", Subject.SYSTEM


def object_after(after: str, names: set[str]) -> tuple[str, Subject]:
    """Who the words after a match point at ("caused by the on-call engineer"): (the words up to them, what)."""
    words: list[str] = []
    content = 0
    for token in tokens(after)[:7]:
        lower = token.lower()
        if not _is_word(token) or lower in BOUNDARIES:
            break
        words.append(token)
        if lower in DETERMINERS or lower in SKIP:
            continue
        kind = classify(token, words[-2] if len(words) > 1 else "", names)
        if kind in PEOPLE or (kind is Subject.BARE and content == 0):
            return " ".join(words), kind
        content += 1
        if content >= 3:
            break
    return " ".join(words), Subject.SYSTEM


def would_have(text: str) -> bool:
    """Whether the sentence says what would (not) have happened: the other half of a counterfactual."""
    return _WOULD_HAVE.search(text) is not None


def counterfactual(text: str, start: int, end: int, names: set[str]) -> str | None:
    """The words of an `if X had ...` / `had X ...` clause about a person starting at the match, else None."""
    word = text[start:end].lower()
    before = tokens(text[:start])
    if word in ("had", "were") and before and _is_word(before[-1]) and before[-1].lower() not in BOUNDARIES:
        return None  # "Jordan had no way to see": `had` starts no clause here
    rest = text[end:]
    toks = tokens(rest)
    words: list[str] = []
    person = False
    n = 0
    for n, token in enumerate(toks[:6]):  # noqa: B007 (n is used after the loop)
        lower = token.lower()
        if lower == "only" and not words:  # "if only Will had read"
            words.append(token)
            continue
        if not _is_word(token) or (lower in SKIP and not token[:1].isupper()) or lower in BOUNDARIES:
            break  # a capitalised "Will" or "May" inside the sentence is a name
        words.append(token)
        if lower in DETERMINERS:
            continue
        kind = classify(token, words[-2] if len(words) > 1 else "", names)
        if is_possessive(token):
            continue
        if kind in ANYONE and (kind is not Subject.BARE or len(words) <= 2):
            person = True
            break
        if kind is not Subject.SYSTEM or len(words) >= 4:
            break
    if not person:
        return None
    following = toks[n + 1 : n + 4]
    if word.startswith("if") and "had" not in [t.lower() for t in following]:
        return None  # "if Alex is paged, ...": no hindsight
    tail = rest
    for token in toks[: n + 1]:
        tail = tail[tail.find(token) + len(token) :]
    if word.startswith("if"):
        tail = tail[tail.lower().find("had") + 3 :]
    tail = re.sub(r"^\s*(?:not|actually|only|just|really)\b", "", tail)
    if _UNINFORMED.match(tail):
        return None
    return " ".join([text[start:end], *words])
