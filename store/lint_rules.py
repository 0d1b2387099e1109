"""The blameless-language rules as data: what counts as blaming, when, and what to write instead.

Some words blame wherever they appear ("human error", "careless"). Others blame only when a person
is their subject: "we failed to notice" blames, "the health check failed to detect" describes a
system. Which subjects count is part of each rule, and the word lists below decide what a subject is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Subject(StrEnum):
    """What the words before a verb (or after `because`) refer to."""

    NAME = "name"  # a person or team named in the incident (roles, action owners, event teams)
    PERSON = "person"  # one person: he, she, someone, the engineer, the on-call
    GROUP = "group"  # people together: we, they, the team, engineers
    NONE = "none"  # no subject at all: "Forgot to renew the certificate."
    BARE = "bare"  # a capitalised word not known to be a system: probably a name
    SYSTEM = "system"  # anything else: the alert, it, the runbook


PEOPLE = frozenset({Subject.NAME, Subject.PERSON, Subject.GROUP})
ONE_PERSON = frozenset({Subject.NAME, Subject.PERSON})


@dataclass(frozen=True)
class Rule:
    """One blaming pattern and the conditions under which it blames."""

    #: The rule's name; allowing it silences every finding of the rule.
    term: str
    #: A case-insensitive regular expression; `(?P<who>...)` marks a possessor to classify.
    pattern: str
    #: A systems-focused rewording hint.
    suggestion: str
    #: Lower-case text every match contains: a line holding none of any rule's cues is skipped at once.
    cues: tuple[str, ...]
    #: Subjects that make a match blaming; None means it always is.
    subjects: frozenset[Subject] | None = None
    #: Look for the person after the match ("because Alex") rather than before it.
    after: bool = False
    #: Only in sections that explain why it happened (summary, causes, what went wrong).
    causal_only: bool = False
    #: Not blaming when negated: "no one is to blame".
    negatable: bool = False


_SYSTEMS_HINT = "describe the conditions that made the mistake easy to make, e.g. 'the deploy script allowed ...'"

RULES: tuple[Rule, ...] = (
    Rule("human error", r"\b(?:human|operator|pilot) error\b", _SYSTEMS_HINT, cues=("error",)),
    Rule(
        "fault",
        r"\b(?P<who>[\w-]+)(?:'s|’s|s') fault\b|\b(?:my|our|his|her|their|your) fault\b",
        "say what in the system allowed it to happen, not whose fault it was",
        negatable=True,
        cues=("fault",),
    ),
    Rule(
        "at fault",
        r"\bat fault\b",
        "say what in the system allowed it to happen, not who was at fault",
        subjects=PEOPLE | {Subject.BARE},
        negatable=True,
        cues=("fault",),
    ),
    Rule(
        "fault of",
        r"\bfault of\b",
        "say what in the system allowed it to happen, not whose fault it was",
        subjects=PEOPLE,
        after=True,
        negatable=True,
        cues=("fault",),
    ),
    Rule(
        "should have",
        r"\bshould(?:n't|n’t| not)? have\b(?! (?:a|an|the|more|less|better|some|any|no|enough|clear|our|its)\b)"
        r"|\bshould(?:'ve|’ve)\b",
        "hindsight: describe what the person knew and saw at the time, and what would make the right call easy",
        subjects=PEOPLE,
        cues=("should",),
    ),
    Rule(
        "failed to",
        r"\b(?:failed|fails|fail|neglected) to\b",
        "name the gap in tooling or process, e.g. 'the checklist did not include ...'",
        subjects=PEOPLE,
        cues=("fail", "neglected"),
    ),
    Rule(
        "forgot",
        r"\bforg(?:ot|otten|et|ets|etting)\b",
        "say what would have reminded them, e.g. 'nothing in the runbook prompted ...'",
        subjects=PEOPLE | {Subject.NONE, Subject.BARE},
        cues=("forg",),
    ),
    Rule(
        "careless",
        r"\bcareless(?:ly|ness)?\b",
        "describe the situation and pressures, not a person's care",
        cues=("careless",),
    ),
    Rule("negligent", r"\bnegligen(?:t|tly|ce)\b", "describe which safeguard was missing", cues=("negligen",)),
    Rule(
        "blame",
        r"\bblam(?:e|ed|es|ing)\b(?![-‐](?:free|less))",
        "describe what happened and why it made sense at the time",
        negatable=True,
        cues=("blam",),
    ),
    Rule(
        "didn't bother",
        r"\b(?:didn't|didn’t|did not|couldn't be|could not be|never) bother(?:ed)?\b|\b(?:nobody|no one) bothered\b",
        "describe what made the step easy to skip, e.g. 'the check took 20 minutes and was optional'",
        cues=("bother",),
    ),
    Rule(
        "incompetent",
        r"\bincompeten(?:t|tly|ce)\b",
        "describe the missing training, docs or guard rails",
        cues=("incompeten",),
    ),
    Rule("sloppy", r"\bslopp(?:y|ily|iness)\b", "describe which review or check would have caught it", cues=("slopp",)),
    Rule("lazy", r"\blaz(?:y|iness|ily)\b", "describe what made the shortcut attractive", cues=("laz",)),
    Rule("reckless", r"\breckless(?:ly|ness)?\b", "describe which guard rail was missing", cues=("reckless",)),
    Rule(
        "dropped the ball",
        r"\bdropped the ball\b",
        "describe the hand-off or signal that was missing",
        cues=("dropped the ball",),
    ),
    Rule(
        "mistake",
        r"\b(?P<who>[\w-]+)(?:'s|’s) (?:mistake|oversight|blunder|screw-?up)\b"
        r"|\b(?:his|her|their|my|your) (?:mistake|oversight|blunder|screw-?up)\b",
        "describe the change and what let it through, not whose mistake it was",
        cues=("mistake", "oversight", "blunder", "screw"),
    ),
    Rule(
        "person caused",
        r"\b(?:broke|breaks|caused|causes|messed up|screwed up|took down|brought down|botched)\b",
        "make the change the subject, e.g. 'the config change removed ...', and say what let it through",
        subjects=ONE_PERSON,
        causal_only=True,
        cues=("broke", "breaks", "caus", "messed up", "screwed up", "took down", "brought down", "botched"),
    ),
    Rule(
        "because of a person",
        r"\b(?:because(?: of)?|due to|thanks to)\b",
        "give the system condition as the reason, e.g. 'because the migration ran without a lock timeout'",
        subjects=ONE_PERSON,
        after=True,
        causal_only=True,
        cues=("because", "due to", "thanks to"),
    ),
)


def _words(text: str) -> frozenset[str]:
    """A word list written as one string, for readability."""
    return frozenset(text.split())


#: Words between a subject and its verb that say nothing about who: adverbs and auxiliaries.
SKIP = _words(
    """just simply also then again clearly obviously really completely apparently still unfortunately
    initially repeatedly totally probably likely certainly somehow accidentally mistakenly entirely
    partially later eventually actually basically ultimately all both had has have was were is are did
    been be may might must would could never always not"""
)
#: Words that end the clause a subject could be in.
BOUNDARIES = _words("and but or so because since when while if although though after before until as once where yet")
RELATIVES = _words("that which")
DETERMINERS = _words("the a an this that these those our their its his her my your every each any some")
INDIVIDUALS = _words(
    """i he she you someone somebody anyone anybody whoever who everyone everybody person engineer
    developer dev operator on-call oncall on-caller responder admin sysadmin intern contractor hire
    employee reviewer approver manager lead colleague teammate human commander scribe"""
)
GROUPS = _words(
    """we they us team teams engineers developers devs operators responders admins interns contractors
    employees reviewers people humans folks staff colleagues teammates"""
)
THINGS = _words("it this there nothing something")
NEGATIONS = _words(
    """no not nobody never without don't doesn't isn't aren't wasn't weren't won't didn't cannot can't
    don’t doesn’t isn’t aren’t wasn’t weren’t won’t didn’t can’t"""
)
#: Sections that explain why it happened: naming a person there reads as the cause.
CAUSAL_SECTIONS = ("summary", "root cause", "contributing factor", "trigger", "what went wrong")
