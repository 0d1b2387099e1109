"""The slash commands of the quick-entry line: how each is typed and what it does (for /help and completion)."""

from __future__ import annotations

from typing import NamedTuple


class CommandSpec(NamedTuple):
    """How a slash command is typed and what it does, for /help and completion."""

    usage: str
    description: str
    aliases: tuple[str, ...] = ()

    @property
    def takes_args(self) -> bool:
        """Whether anything may follow the command word."""
        return " " in self.usage


#: Typed command word -> spec, in the order /help lists them. /cause, /contrib and /trigger all parse to "factor".
COMMANDS: dict[str, CommandSpec] = {
    "sev": CommandSpec("/sev 1-4", "Set the severity (SEV1 is the worst)", ("severity",)),
    "status": CommandSpec("/status STATUS", "Set the status: investigating, identified, monitoring, resolved, closed"),
    "title": CommandSpec("/title TEXT", "Rename the incident"),
    "summary": CommandSpec("/summary [TEXT]", "Set the summary (empty clears it)"),
    "owner": CommandSpec("/owner NAME", "Set the incident owner"),
    "commander": CommandSpec("/commander NAME", "Set the incident commander", ("ic",)),
    "scribe": CommandSpec("/scribe NAME", "Set the scribe"),
    "comms": CommandSpec("/comms NAME", "Set the communications lead"),
    "role": CommandSpec("/role ic|scribe|comms NAME", "Give a role to someone; a handover is logged"),
    "update": CommandSpec("/update", "Draft a stakeholder update, edit it, send it"),
    "catchup": CommandSpec("/catchup", "The state of the incident for someone joining", ("catch-up",)),
    "started": CommandSpec("/started TIME", "When impact began: 02:51, -20m or ISO-8601"),
    "detected": CommandSpec("/detected TIME", "When it was detected (clear empties it)"),
    "mitigated": CommandSpec("/mitigated TIME", "When it was mitigated (clear empties it)"),
    "resolved": CommandSpec("/resolved TIME", "When it was resolved; an open incident becomes resolved"),
    "tag": CommandSpec("/tag TAG...", "Add tags"),
    "untag": CommandSpec("/untag TAG...", "Remove tags"),
    "action": CommandSpec("/action TITLE [@owner] [due YYYY-MM-DD|+Nd] [P1|P2|P3]", "Add a follow-up action item"),
    "cause": CommandSpec("/cause TEXT", "Record a root cause", ("root",)),
    "contrib": CommandSpec("/contrib TEXT", "Record a contributing factor", ("contributing",)),
    "trigger": CommandSpec("/trigger TEXT", "Record the trigger"),
    "note": CommandSpec("/note TEXT", "Append to the incident's notes"),
    "rule-out": CommandSpec("/rule-out N because REASON", "Rule out hypothesis #N, saying why", ("ruleout",)),
    "confirm": CommandSpec("/confirm N because REASON", "Confirm hypothesis #N, saying why"),
    "kind": CommandSpec("/kind KIND", "Change the kind of the last logged event"),
    "star": CommandSpec("/star", "Star the last logged event"),
    "undo": CommandSpec("/undo", "Undo the last change (again: the one before)"),
    "redo": CommandSpec("/redo", "Redo what /undo or ctrl+z took back"),
    "trash": CommandSpec("/trash", "Deleted events, factors and action items, to restore", ("deleted",)),
    "list": CommandSpec("/list", "Show all incidents", ("ls",)),
    "review": CommandSpec("/review", "Open the post-mortem review"),
    "export": CommandSpec("/export", "Export the post-mortem"),
    "postmortem": CommandSpec("/postmortem STAGE", "Post-mortem stage: draft, in-review, reviewed, published", ("pm",)),
    "pm-owner": CommandSpec("/pm-owner NAME", "Set who owns the post-mortem"),
    "pm-due": CommandSpec("/pm-due YYYY-MM-DD|auto", "Set the review's due date (auto: by severity)"),
    "help": CommandSpec("/help", "Show keys and commands", ("h", "?")),
}
