"""The blameless-language rules as data: what counts as blaming, when, and what to write instead.

Four kinds of blame, each decided by who is talked about rather than by a word alone:
- judgments of a person's character or care ("careless", "lazy", "asleep at the wheel") blame
  wherever they appear;
- failure and pejorative verbs ("failed to", "should have", "ignored", "botched") blame when a
  person, role or team is their subject: "the SRE failed to escalate" blames, "the health check
  failed to detect" describes a system;
- attribution ("Alex's mistake", "caused by the on-call", "the root cause was Tom not ...",
  "this is on the DBA team") blames when it points at a person;
- counterfactuals about a person ("had the engineer paid attention, ... would have ...").
Which subjects count is part of each rule; store.lint_words decides what a subject is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from warroom.store.lint_words import ANYONE, ONE_PERSON, PEOPLE, Subject


class Check(StrEnum):
    """How a rule decides that a match blames someone."""

    ALWAYS = "always"  # the words themselves judge a person
    SUBJECT = "subject"  # who does the verb (before it, or after `by` when it is passive)
    OBJECT = "object"  # who the words after the match point at ("caused by the on-call")
    POSSESSOR = "possessor"  # whose mistake it is: the word before the match's possessive ending
    COUNTERFACTUAL = "counterfactual"  # "if X had ..., ... would have ...", X a person
    CLAUSE = "clause"  # a person anywhere earlier in the clause: "Priya approved it without reading it"


@dataclass(frozen=True)
class Rule:
    """One blaming pattern and the conditions under which it blames."""

    #: The rule's name; allowing it silences every finding of the rule.
    term: str
    #: A case-insensitive regular expression.
    pattern: str
    #: A blameless rewrite: what to write instead.
    suggestion: str
    #: Lower-case text every match contains: a line holding none of any rule's cues is skipped at once.
    cues: tuple[str, ...]
    #: Why the phrase blames, in a few words, shown with every finding.
    reason: str = ""
    check: Check = Check.ALWAYS
    #: Subjects that make a match blaming (SUBJECT and OBJECT checks).
    subjects: frozenset[Subject] = PEOPLE
    #: Only in sections that explain why it happened (summary, causes, what went wrong).
    causal_only: bool = False
    #: Not blaming when negated: "no one is to blame", "human error was not the cause".
    negatable: bool = False
    #: OBJECT rules: a regular expression the text right after the person must match.
    then: str = ""
    #: SUBJECT rules: not blaming when the sentence goes on to give a system reason ("... because the phone was
    #: on do-not-disturb"): it explains the miss instead of judging it.
    explained: bool = False


_SYSTEMS_HINT = "describe the conditions that made the mistake easy to make, e.g. 'the deploy script allowed ...'"
_CARE_HINT = "describe the situation and pressures (what they could see, what was urgent), not a person's care"
_VERB_HINT = "make the change the subject and say what let it through, e.g. 'the config change removed ...'"
_WHOSE_HINT = "describe the change and what let it through, not whose it was"
_GAP_HINT = "name the gap in tooling or process, e.g. 'the checklist did not include ...'"

RULES: tuple[Rule, ...] = (
    # -- attribution -------------------------------------------------------------------------------
    Rule(
        "human error",
        r"\b(?:human|operator|user|pilot|personnel|engineer|developer|admin|administrator|people) errors?\b"
        r"(?![ -](?:rates?|budgets?|codes?|messages?|handling|counts?|logs?|pages?|responses?)\b)",
        _SYSTEMS_HINT,
        cues=("error",),
        reason="attributes the incident to people",
        negatable=True,
    ),
    Rule(
        "mistake",
        # Starts at the apostrophe (a fast scan); the word it belongs to is read back from there.
        r"['’]s? (?:\w+ )?(?:mistakes?|oversights?|blunders?|screw-?ups?|errors?|fault|negligence|"
        r"incompetence|carelessness|failure|bad (?:merge|change|commit|deploy|push|config|code|call|decision))\b",
        _WHOSE_HINT,
        cues=(
            *("mistake", "oversight", "blunder", "screw", "error", "fault", "negligen", "incompeten", "careless"),
            *("failure", "bad"),
        ),
        reason="says whose mistake it was",
        check=Check.POSSESSOR,
        negatable=True,
    ),
    Rule(
        "mistake",
        r"\b(?:his|her|their|my|your) (?:mistake|oversight|blunder|screw-?up|fault)\b",
        _WHOSE_HINT,
        cues=("mistake", "oversight", "blunder", "screw", "fault"),
        reason="says whose mistake it was",
        negatable=True,
    ),
    Rule(
        "at fault",
        r"\bat fault\b",
        "say what in the system allowed it to happen, not who was at fault",
        cues=("fault",),
        reason="says who was at fault",
        check=Check.SUBJECT,
        subjects=ANYONE,
        negatable=True,
    ),
    Rule(
        "caused by",
        r"\b(?:fault of|caused by|triggered by|brought on by)\b",
        "give the system condition as the cause, e.g. 'caused by a config change that no check validated'",
        cues=("fault", "caus", "trigger", "brought"),
        reason="names a person as the cause",
        check=Check.OBJECT,
        subjects=ANYONE,
        negatable=True,
    ),
    Rule(
        "because of a person",
        r"\b(?:because(?: of)?|due to|thanks to)\b",
        "give the system condition as the reason, e.g. 'because the migration ran without a lock timeout'",
        cues=("because", "due", "thanks"),
        reason="gives a person as the reason",
        check=Check.OBJECT,
        subjects=frozenset({Subject.NAME, Subject.BARE}),
        causal_only=True,
    ),
    Rule(
        "the cause was a person",
        r"\b(?:culprit|cause|trigger|problem)\s+(?:was|is)\b(?:\s+(?:clearly|simply|obviously|that))?",
        "name the condition, not the person, e.g. 'the cause was a deploy checklist that did not cover ...'",
        cues=("culprit", "cause", "trigger", "problem"),
        reason="names a person as the cause",
        check=Check.OBJECT,
        subjects=ANYONE,
        # "the root cause was Tom not ...", "the culprit was the engineer who ...", "... was Alex."
        then=r"\s*(?:$|[.;,:!?]|not\b|never\b|who\b|\w+ing\b|\w+ly\b)",
    ),
    Rule(
        "lies with",
        r"\b(?:fault|blame|responsibility)\b[^.;:!?]{0,40}?\b(?:lies|lay|rests|rested|sits|sat|falls|fell)\s+"
        r"(?:\w+ly\s+)?with\b",
        "describe what happened and why it made sense at the time, not where the blame lies",
        cues=("fault", "blam", "responsib"),
        reason="says where the blame lies",
        check=Check.OBJECT,
        subjects=ANYONE,
    ),
    Rule(
        "on a team",
        r"\b(?:this|it|that|the)(?:\s+(?:whole\s+)?(?:incident|outage|failure|problem|breakage|one|mess|thing))?"
        r"(?:\s+(?:is|was)|\s*(?:'s|’s))\s+(?:\w+ly\s+)?on\b",
        "describe what happened and what let it happen, not which team it is on",
        cues=("on",),
        reason="puts the incident on a team",
        check=Check.OBJECT,
        subjects=PEOPLE,
    ),
    Rule(
        "responsible for",
        r"\bresponsible for (?:the|this|that) (?:outage|incident|failure|breakage|downtime|data loss|leak|mess)\b",
        "describe which safeguards were missing rather than who is responsible",
        cues=("responsib",),
        reason="says who is responsible for the incident",
        negatable=True,
    ),
    Rule(
        "blame",
        r"\bblam(?:e|ed|es|ing)\b(?![-‐](?:free|less))",
        "describe what happened and why it made sense at the time",
        cues=("blam",),
        reason="assigns blame",
        negatable=True,
    ),
    Rule(
        "accountable",
        r"\bhold(?:s|ing)?\b[^.;]{0,40}\baccountable\b|\bon notice\b",
        "agree on the change to tooling or process instead of holding a person to account",
        cues=("accountable", "notice"),
        reason="calls for holding someone to account",
    ),
    Rule(
        "discipline",
        r"\b(?:disciplin(?:e|ed|ary)|re-?train|punish(?:ed)?|reprimand(?:ed)?|revoke)\b",
        "make the right action easy (a guard rail, a checklist, training for everyone) instead of correcting a person",
        cues=("disciplin", "retrain", "train", "punish", "reprimand", "revoke"),
        reason="calls for correcting a person",
        check=Check.OBJECT,
        subjects=ANYONE,
    ),
    # -- character and care ------------------------------------------------------------------------
    Rule(
        "careless",
        r"\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|incompeten(?:t|tly|ce|cy)|slopp(?:y|ily|iness)|"
        r"laz(?:y|iness|ily)(?![ -](?:load|loading|loaded|evaluation|init|initiali[sz]ation|import)\b)|"
        r"reckless(?:ly|ness)?|thoughtless(?:ly|ness)?|clueless(?:ness)?|irresponsib(?:le|ly|ility)|"
        r"complacen(?:t|cy|ce)|amateurish(?:ly)?|unprofessional(?:ly|ism)?|stupid(?:ly|ity)?|dumb|"
        r"foolish(?:ly|ness)?|idiot(?:s|ic)?|inattentive(?:ness)?|cavalier|half-?assed|inept(?:itude)?|pebkac|pebcak|id10t)\b"
        r"|\blayer[ -]8\b",
        _CARE_HINT,
        cues=(
            "careless",
            "negligen",
            "incompeten",
            "slopp",
            "laz",
            "reckless",
            "thoughtless",
            "clueless",
            "irresponsib",
            "complacen",
            "amateurish",
            "unprofessional",
            "stupid",
            "dumb",
            "foolish",
            "idiot",
            "inattentive",
            "cavalier",
            "half",
            "inept",
            "pebkac",
            "pebcak",
            "id10t",
            "layer",
        ),
        reason="judges a person's character or care",
        negatable=True,
    ),
    Rule(
        "care",
        r"(?:\bnot|n't|n’t|\bmore|\bless|\bbeen)\s+(?:\w+\s+)?(?:careful|diligent|attentive)\b"
        r"|\bcareful enough\b|\b(?:paid|paying|pay|pays)\s+(?:more\s+|closer\s+|proper\s+)?attention\b"
        r"|\b(?:more|little|lack of|a bit more|some) care\b|\bknown better\b"
        r"|\b(?:did(?:n't|n’t| not)|does(?:n't|n’t| not)|do(?:n't|n’t| not)) care\b"
        r"|\b(?:no idea|(?:did|does|do)(?:n't|n’t| not) know) what (?:he|she|they|i|we|you) "
        r"(?:was|were|are|is|am) doing\b",
        _CARE_HINT,
        cues=("careful", "diligent", "attentive", "attention", "care", "known", "doing"),
        reason="judges a person's care or attention",
    ),
    Rule(
        "blindly",
        r"\b(?:blindly|hastily|rashly|hurriedly|mindlessly)\b",
        "say what they could see and why the step looked safe, e.g. 'the script gave no sign it targeted prod'",
        cues=("blindly", "hastily", "rashly", "hurriedly", "mindlessly"),
        reason="judges how a person acted",
        check=Check.SUBJECT,
        subjects=ANYONE,
    ),
    Rule(
        "dropped the ball",
        r"\b(?:dropped|drop|drops|dropping) the ball\b|\basleep (?:at the wheel|on the job|at the switch)\b"
        r"|\brubber[- ]?stamp(?:ed|ing|s)?\b|\byolo(?:'d|’d|ed|ing)?\b"
        r"|\bcowboy(?:ed|ing|s)?\b|\b(?:went|gone|going) rogue\b",
        "describe the hand-off, signal or guard rail that was missing",
        cues=("ball", "asleep", "rubber", "stamp", "yolo", "cowboy", "rogue"),
        reason="a pejorative idiom for what a person did",
    ),
    Rule(
        "didn't bother",
        r"\b(?:didn't|didn’t|did not|couldn't be|couldn’t be|could not be|can't be|can’t be|cannot be|never|not) "
        r"bother(?:ed)?\b|\b(?:nobody|no one|none of (?:us|them)) bothered\b|\bbother(?:ed|s)? to\b",
        "describe what made the step easy to skip, e.g. 'the check took 20 minutes and was optional'",
        cues=("bother",),
        reason="says a person could not be bothered",
    ),
    # -- a person as the subject of a failure or a pejorative verb ---------------------------------
    Rule(
        "should have",
        r"\bshould(?:n't|n’t| not)? have\b"
        r"(?! (?:a|an|the|more|less|better|some|any|no|enough|clear|our|its|one|two|been (?:paged|told|notified|"
        r"called|alerted|warned|informed|consulted|involved|given|included|asked|woken))\b)"
        r"|\bshould(?:'ve|’ve)\b",
        "hindsight: describe what the person knew and saw at the time, and what would make the right call easy",
        cues=("should",),
        reason="hindsight about what a person should have done",
        check=Check.SUBJECT,
        subjects=ANYONE,
    ),
    Rule(
        "failed to",
        r"\b(?:failed|fails|fail|failing) to\b",
        _GAP_HINT,
        cues=("fail",),
        reason="a person is the subject of a failure verb",
        check=Check.SUBJECT,
        subjects=ANYONE,
    ),
    Rule(
        "forgot",
        r"\bforg(?:ot|otten|et|ets|etting)\b|\bneglect(?:ed|s|ing)?\b",
        "say what would have reminded them, e.g. 'nothing in the runbook prompted ...'",
        cues=("forg", "neglect"),
        reason="says a person forgot",
        check=Check.SUBJECT,
        subjects=ANYONE | {Subject.NONE},
        explained=True,
    ),
    Rule(
        "ignored",
        r"\b(?:ignored|ignores|ignoring|overlooked|overlooks|disregarded)\b"
        # Missing a goal is not missing a signal; skipping a release is a decision, skipping a check is not.
        r"|\bmiss(?:ed|es)\b(?! (?:our |the |its |their |an? )?(?:slos?|slas?|targets?|deadlines?|objectives?|goals?|"
        r"budgets?|error budget|window)\b)"
        r"|\bskip(?:ped|s|ping) (?:[\w-]+ ){0,3}?(?:checks?|tests?|testing|reviews?|steps?|runbooks?|canary|canaries|"
        r"staging|validation|backups?|pre-?flight|checklists?|verification|approvals?)\b"
        r"|\b(?:did(?:n't|n’t| not)|never) (?:check|read|test|verify|validate|follow|look|notice|escalate|"
        r"review|wait|ask|tell|respond|answer|acknowledge|double-check)(?:ed|ing)?\b",
        "say why the signal was easy to miss or the step easy to skip, e.g. 'the page looked like the usual noise'",
        cues=("ignor", "overlook", "disregard", "miss", "skip", "didn", "did", "never"),
        reason="says a person ignored, missed or skipped something",
        check=Check.SUBJECT,
        subjects=ANYONE,
        explained=True,
    ),
    Rule(
        "without checking",
        r"\bwithout (?:check|read|test|verify|validat|follow|look|review|wait|ask|tell|double-check)(?:ed|e|ing)?\b",
        "say what made the step look unnecessary at the time, e.g. 'the change looked like a routine bump'",
        cues=("without",),
        reason="says a person acted without a step they should have taken",
        check=Check.CLAUSE,
        subjects=ANYONE,
    ),
    Rule(
        "actually",
        r"\b(?:to|had|have|would|should|could|did) actually (?:read|check|look|follow|test|listen|pay|think)\b",
        "say what would make the step part of the flow, e.g. 'the alert shows the runbook link first'",
        cues=("actually",),
        reason="implies a person did not do their job",
        check=Check.SUBJECT,
        subjects=ANYONE | {Subject.NONE},
    ),
    Rule(
        "messed up",
        r"\b(?:mess(?:ed|es|ing)? up|screw(?:ed|s|ing)? up|botch(?:ed|es|ing)?|bungl(?:ed|es|ing)|"
        r"fumbl(?:ed|es|ing)|goof(?:ed|s|ing)?(?: up)?|nuk(?:ed|es|ing)|blew (?:away|it|up)|panick(?:ed|ing)|"
        r"(?:slept|sleeping|sleeps) through|rush(?:ed|ing)|(?:cut|cutting|cuts) corners|"
        r"(?:took|taking|take) (?:a )?shortcuts?|second-guess\w*|wing(?:ed|ing)|blunder(?:ed|ing)?|"
        r"fat[- ]?finger(?:ed|ing|s)?)\b",
        _VERB_HINT,
        cues=(
            "mess",
            "screw",
            "botch",
            "bungl",
            "fumbl",
            "goof",
            "nuk",
            "blew",
            "panick",
            "through",
            "rush",
            "corners",
            "took",
            "taking",
            "take",
            "guess",
            "wing",
            "fat",
            "finger",
            "blunder",
        ),
        reason="a pejorative verb for what a person did",
        check=Check.SUBJECT,
        subjects=ANYONE | {Subject.NONE},
    ),
    Rule(
        "person caused",
        r"\b(?:broke|breaks|caused|causes|took down|brought down)\b",
        _VERB_HINT,
        cues=("broke", "breaks", "caus", "took", "brought"),
        reason="a person is the subject of causing it",
        check=Check.SUBJECT,
        subjects=ONE_PERSON | {Subject.BARE},
        causal_only=True,
    ),
    # -- counterfactuals about a person ------------------------------------------------------------
    Rule(
        "if only",
        r"\b(?:if(?: only)?|had|were)\b",
        "hindsight: describe what the person knew and saw at the time, and what would have made another call easy",
        cues=("would",),
        reason="a counterfactual about what a person did",
        check=Check.COUNTERFACTUAL,
        subjects=ANYONE,
    ),
)
