"""Blameless questions for the facilitator of a post-mortem review, chosen by phase and event."""

from __future__ import annotations

from warroom.store.kinds import EventKind, Milestone
from warroom.store.review import Phase

#: Always on screen during a review.
GROUND_RULE = "We look at systems and processes, not individuals."

#: Questions that fit any event of a phase.
PHASE_PROMPTS: dict[Phase, tuple[str, ...]] = {
    Phase.UNDETECTED: (
        "What could have helped us identify this faster?",
        "Which signals were already there, and why did they not reach anyone?",
    ),
    Phase.RESPONDING: (
        "What made this the reasonable thing to do at the time?",
        "What information did we have, and what did we lack?",
        "What made the diagnosis harder than it needed to be?",
    ),
    Phase.RECOVERING: (
        "What would have made recovery faster?",
        "How did we know the mitigation was holding?",
    ),
    Phase.RESOLVED: (
        "What would have made recovery faster?",
        "What follow-up does this need, and who is best placed to own it?",
    ),
}

#: Questions about a particular kind of event, asked before the phase's.
KIND_PROMPTS: dict[EventKind, tuple[str, ...]] = {
    EventKind.DETECTION: (
        "What could have helped us identify this faster?",
        "Did the alert tell responders what they needed to know?",
    ),
    EventKind.HYPOTHESIS: (
        "What pointed us towards this hypothesis?",
        "How did we test it, and what made that quick or slow?",
    ),
    EventKind.DECISION: (
        "What made this the reasonable thing to do at the time?",
        "Which options did we weigh, and what did we know about each?",
    ),
    EventKind.ACTION: (
        "How confident could we be that this was safe to do?",
        "Did our tools make this step easy or hard?",
    ),
    EventKind.COMMS: (
        "How can we better communicate during future incidents?",
        "Did the people affected hear what they needed, when they needed it?",
    ),
}

#: Questions about the moments that end a phase.
MILESTONE_PROMPTS: dict[Milestone, tuple[str, ...]] = {
    Milestone.DETECTED: ("What could have helped us identify this faster?",),
    Milestone.MITIGATED: ("What made mitigation possible, and could it have come sooner?",),
    Milestone.RESOLVED: ("What would have made recovery faster?",),
}


def prompts_for(phase: Phase, kind: EventKind, milestone: Milestone | None = None, *, limit: int = 3) -> list[str]:
    """The questions for one event: its milestone's, then its kind's, then its phase's, without repeats."""
    chosen: list[str] = []
    groups = (
        MILESTONE_PROMPTS.get(milestone, ()) if milestone else (),
        KIND_PROMPTS.get(kind, ()),
        PHASE_PROMPTS[phase],
    )
    for group in groups:
        for prompt in group:
            if prompt not in chosen:
                chosen.append(prompt)
    return chosen[:limit]
