"""The quick-entry line: one typed line becomes a timeline entry or a slash command, or a one-sentence error."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from warroom.store.errors import InputError
from warroom.store.kinds import EventKind, FactorKind, Milestone, Priority, Severity, Status
from warroom.store.postmortem_flow import parse_due, parse_status
from warroom.store.quickentry_commands import COMMANDS, CommandSpec
from warroom.store.roles import clean_name, role_field
from warroom.store.timeparse import TIME_HELP, UTC, parse_date, parse_time

__all__ = ["COMMANDS", "Command", "CommandSpec", "LogEntry", "complete", "parse_entry"]

NOTHING_TO_LOG = "nothing to log: type what happened"


@dataclass(frozen=True)
class LogEntry:
    """A timeline event to log; `occurred_at` None means the caller's first-keypress stamp."""

    text: str
    occurred_at: dt.datetime | None
    kind: str  # EventKind value
    team: str
    milestone: str | None  # Milestone value
    starred: bool


@dataclass(frozen=True)
class Command:
    """A slash command; `name` is canonical and only the fields that command uses are set (see COMMANDS)."""

    name: str
    args: str = ""  # the rest of the line after the command word, stripped
    value: str = ""  # sev, status, kind, title, owner, commander, scribe, comms, summary, note, factor, role
    values: tuple[str, ...] = ()  # tag, untag: lowercased, without duplicates; role: the incident field
    title: str = ""  # action
    owner: str = ""  # action: "" when not given
    deadline: dt.date | None = None  # action
    priority: str | None = None  # action: Priority value, None leaves the store's default
    factor_kind: str = ""  # factor: FactorKind value
    when: dt.datetime | None = None  # started, detected, mitigated, resolved: None with value "clear" clears it
    number: int = 0  # rule-out, confirm: the hypothesis (its #N on the timeline); value is the reason


_NAMES = {alias: name for name, spec in COMMANDS.items() for alias in (name, *spec.aliases)}
_FACTORS = {"cause": FactorKind.ROOT, "contrib": FactorKind.CONTRIBUTING, "trigger": FactorKind.TRIGGER}
_PEOPLE = ("owner", "commander", "scribe", "comms", "pm-owner")
_KEY_TIMES = ("started", "detected", "mitigated", "resolved")
_STATUSES = [s.value for s in Status]
# Milestone events are made with !mitigated and friends, which also set the milestone itself.
_SETTABLE_KINDS = [k.value for k in EventKind if k is not EventKind.MILESTONE]

_TIME_TOKEN = re.compile(
    r"^(?:[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?z?"  # 14:02, 14:02:30, 14:02Z
    r"|-[0-9]+[dhms][0-9a-z]*"  # -5m, -1h30m; typos such as -5min or -1h30 get timeparse's hint
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:t\S*)?)$",  # ISO-8601
    re.IGNORECASE,
)
_DATE_TOKEN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CLOCK_TOKEN = re.compile(r"^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?z?$", re.IGNORECASE)
_KIND_CHARS = {
    "?": EventKind.HYPOTHESIS,
    "=": EventKind.DECISION,
    ">": EventKind.ACTION,
    '"': EventKind.COMMS,
    "+": EventKind.DETECTION,
}
# Word prefixes: each kind's own name (note:, comms:, ...) and the short hyp:, dec:, act:, det:.
_KIND_WORDS = {k.value: k for k in EventKind if k is not EventKind.MILESTONE}
_KIND_WORDS |= {
    k.value[:3]: k for k in (EventKind.HYPOTHESIS, EventKind.DECISION, EventKind.ACTION, EventKind.DETECTION)
}
_KIND_WORD = re.compile(r"^(" + "|".join(_KIND_WORDS) + r"):", re.IGNORECASE)
_MILESTONES = {word: m for m in Milestone for word in (m.value, m.value[:3])}  # !mitigated or !mit
_TEAM = re.compile(r"^@([\w./-]+)$")
_PRIORITY = re.compile(r"^p([1-3])$", re.IGNORECASE)
_DAYS_AHEAD = re.compile(r"^\+([0-9]{1,5})d$", re.IGNORECASE)
# Words after "due" that are meant as a deadline; any other word keeps "due" in the title ("Check due dates").
_DEADLINE_ATTEMPT = re.compile(
    r"^(?:\+?[0-9].*|today|tomorrow|next|eod|eow|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)$",
    re.IGNORECASE,
)


#: The built-in severity levels; the config file may define others (SEV0), passed in as `severities`.
DEFAULT_LEVELS: tuple[str, ...] = tuple(s.value for s in Severity)
_TEAM_WORD = re.compile(r"(?:^|\s)@([A-Za-z0-9_-]*)$")


def parse_entry(
    line: str, now: dt.datetime, tz: dt.tzinfo = UTC, severities: Sequence[str] = DEFAULT_LEVELS
) -> LogEntry | Command:
    """Parse what was typed into the quick-entry line; raises InputError with one sentence."""
    line = line.strip()
    if line.startswith("//"):
        return LogEntry(line[1:], None, EventKind.NOTE.value, "", None, False)
    if line.startswith("/"):
        return _command(line, now, tz, severities)
    return _log_entry(line, now, tz)


def complete(prefix: str, severities: Sequence[str] = DEFAULT_LEVELS, teams: Sequence[str] = ()) -> list[str]:
    """Full lines that could complete a slash-command prefix or an @team, each starting with `prefix` as typed."""
    if teams and (team := _TEAM_WORD.search(prefix)) and not prefix.startswith("/"):
        typed = team[1]
        return [prefix + t[len(typed) :] for t in teams if t.lower().startswith(typed.lower()) and t != typed]
    if not prefix.startswith("/") or prefix.startswith("//"):
        return []
    word, space, arg = prefix[1:].partition(" ")
    if not space:
        low = word.lower()
        found = [(n, s) for n, s in COMMANDS.items() if n.startswith(low)]
        return sorted(prefix + n[len(word) :] + (" " if s.takes_args else "") for n, s in found)
    typed = arg.lstrip()
    choices = _argument_choices(_NAMES.get(word.lower(), ""), typed, severities)
    return [prefix + c[len(typed) :] for c in choices if c.lower().startswith(typed.lower())]


def _argument_choices(name: str, typed: str, severities: Sequence[str]) -> list[str]:
    """The values a command's single argument can take, for completion."""
    if name == "sev":
        numbers = [m[1] for s in severities if (m := re.match(r"^SEV(\d+)$", s, re.IGNORECASE))]
        return list(severities) if typed[:1].lower() == "s" or not numbers else numbers
    return {"status": _STATUSES, "kind": _SETTABLE_KINDS, "role": ["ic ", "scribe ", "comms "]}.get(name, [])


def _log_entry(line: str, now: dt.datetime, tz: dt.tzinfo) -> LogEntry:
    """A timeline entry: [time] [kind/star prefix] [@team] text with optional !milestone."""
    rest, occurred_at = _take_time(line, now, tz)
    rest, kind, starred = _take_prefix(rest)
    words = list(re.finditer(r"\S+", rest))
    milestone: Milestone | None = None
    dropped: list[re.Match[str]] = []
    for word in words:
        found = _MILESTONES.get(word[0][1:].lower()) if word[0].startswith("!") else None
        if found is None:
            continue
        if milestone not in (None, found):
            raise InputError(f"one line can set only one milestone, not both !{milestone.value} and !{found.value}")
        milestone = found
        dropped.append(word)
    kept = [w for w in words if w not in dropped]
    team = ""
    for word in kept[:1] + kept[-1:]:
        if match := _TEAM.match(word[0]):
            team = match[1]
            dropped.append(word)
            break
    text = _without(rest, dropped).strip()
    if kind is EventKind.COMMS and text.endswith('"') and text.count('"') == 1:
        text = text[:-1].rstrip()  # the closing quote of "a quoted message"
    if not text:
        if milestone is None:
            raise InputError(NOTHING_TO_LOG)
        text = milestone.value.capitalize()
    if kind is None:
        kind = EventKind.NOTE if milestone is None else EventKind.MILESTONE
    return LogEntry(text, occurred_at, kind.value, team, milestone.value if milestone else None, starred)


def _take_time(line: str, now: dt.datetime, tz: dt.tzinfo) -> tuple[str, dt.datetime | None]:
    """Split off a leading time token (or `YYYY-MM-DD HH:MM`), parsed; a plain leading number stays text."""
    parts = line.split(maxsplit=2)
    if not parts or not _TIME_TOKEN.match(parts[0]):
        return line, None
    used = 1
    if _DATE_TOKEN.match(parts[0]) and len(parts) > 1 and _CLOCK_TOKEN.match(parts[1]):
        used = 2
    token = " ".join(parts[:used])
    try:
        occurred_at = parse_time(token, now, tz)
    except OverflowError:
        raise InputError(f"{token!r} is too far from now to be a time: {TIME_HELP}") from None
    return line.split(maxsplit=used)[used] if len(parts) > used else "", occurred_at


def _take_prefix(rest: str) -> tuple[str, EventKind | None, bool]:
    """Split off a kind character and/or `*` (either order), or a word prefix such as `hyp:`."""
    kind: EventKind | None = None
    starred = False
    used = 0
    for char in rest[:2]:
        if char == "*" and not starred:
            starred = True
        elif char in _KIND_CHARS and kind is None:
            kind = _KIND_CHARS[char]
        else:
            break
        used += 1
    rest = rest[used:].lstrip()
    if kind is None and (match := _KIND_WORD.match(rest)):
        kind = _KIND_WORDS[match[1].lower()]
        rest = rest[match.end() :].lstrip()
    return rest, kind, starred


def _without(text: str, dropped: list[re.Match[str]]) -> str:
    """Text with the given words cut out; the whitespace either side of a cut becomes one space."""
    pieces, pos = [], 0
    for word in sorted(dropped, key=lambda w: w.start()):
        pieces.append(text[pos : word.start()])
        pos = word.end()
    result = ""
    for piece in [*pieces, text[pos:]]:
        if result[-1:].isspace() and piece[:1].isspace():
            result = result.rstrip() + " " + piece.lstrip()
        else:
            result += piece
    return result


def _command(line: str, now: dt.datetime, tz: dt.tzinfo, severities: Sequence[str]) -> Command:
    """A slash command with its arguments checked and parsed."""
    if line[1:2].isspace() or line == "/":
        raise InputError("type a command name right after the slash, or /help to list them")
    word, args = (*line[1:].split(maxsplit=1), "")[:2]
    name = _NAMES.get(word.lower())
    if name is None:
        best = difflib.get_close_matches(word.lower(), list(_NAMES), n=1, cutoff=0.0)
        closest = _NAMES[best[0]] if best else "help"
        raise InputError(f"unknown command /{word}: did you mean /{closest} (see /help for every command)?")
    spec = COMMANDS[name]
    if not spec.takes_args:
        if args:
            raise InputError(f"/{name} takes nothing after it")
        return Command(name)
    if name == "sev":
        typed = args.strip()
        wanted = f"SEV{typed}" if typed.isdigit() else typed
        chosen = [s for s in severities if s.lower() == wanted.lower()]
        if not chosen:
            raise InputError(f"severity must be one of {', '.join(severities)} (or just the number)")
        return Command(name, args, value=chosen[0])
    if name in ("status", "kind"):
        return Command(name, args, value=_choose(args, _STATUSES if name == "status" else _SETTABLE_KINDS, name))
    if name == "action":
        return _action(args, now, tz)
    if name == "summary":
        return Command(name, args, value=args)
    if name == "role":
        return _role(args)
    if name in _KEY_TIMES:
        return _key_time(name, args, now, tz)
    if name in ("rule-out", "confirm"):
        return _settle(name, args)
    if name in ("postmortem", "pm-due"):
        return _postmortem(name, args)
    value = args.removeprefix("@") if name in _PEOPLE else args
    if not value:
        raise InputError(f"/{name} needs something after it: {spec.usage}")
    if name in _FACTORS:
        return Command("factor", args, value=value, factor_kind=_FACTORS[name].value)
    if name in ("tag", "untag"):
        return Command(name, args, values=tuple(dict.fromkeys(args.lower().split())))
    return Command(name, args, value=value)


def _settle(name: str, args: str) -> Command:
    """`/rule-out 12 because the cache hit rate is 99%`: the hypothesis's number, then why ("because" optional)."""
    number, _, reason = args.partition(" ")
    number = number.removeprefix("#")
    if not number.isdigit() or not number.isascii() or int(number) >= 2**63:  # (past SQLite's integers: no row's)
        raise InputError(f"/{name} needs the hypothesis's number from the timeline: {COMMANDS[name].usage}")
    reason = reason.strip()
    if reason.lower().startswith("because"):
        reason = reason[len("because") :].strip()
    if not reason:
        raise InputError(f"say why: {COMMANDS[name].usage}")
    return Command(name, args, value=reason, number=int(number))


def _role(args: str) -> Command:
    """`/role ic alex`: the role's incident field in `values`, the person in `value`."""
    role, _, person = args.partition(" ")
    if not role:
        raise InputError(f"/role needs a role and a name: {COMMANDS['role'].usage}")
    field = role_field(role)
    return Command("role", args, value=clean_name(person), values=(field,))


def _choose(typed: str, choices: list[str], what: str) -> str:
    """The one choice `typed` names, exactly or by a unique prefix (case-insensitive)."""
    low = typed.lower()
    matches = [c for c in choices if c == low] or [c for c in choices if low and c.startswith(low)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InputError(f"{typed!r} could be {_either(matches)}: type more letters")
    raise InputError(f"{what} must be one of {_either(choices)}")


def _key_time(name: str, args: str, now: dt.datetime, tz: dt.tzinfo) -> Command:
    """`/started 02:51`, `/detected -20m`, `/mitigated clear`: a key time, or clearing one (not the start)."""
    if not args:
        raise InputError(f"/{name} needs a time: {COMMANDS[name].usage} ({TIME_HELP})")
    if args.lower() in ("clear", "none", "-"):
        if name == "started":
            raise InputError("an incident must have a start time: give /started a time")
        return Command(name, args, value="clear")
    return Command(name, args, when=parse_time(args, now, tz))


def _postmortem(name: str, args: str) -> Command:
    """`/postmortem in-review` (a stage, as `warroom set postmortem` reads it) or `/pm-due 2026-12-04` / `auto`."""
    if not args:
        raise InputError(f"/{name} needs something after it: {COMMANDS[name].usage}")
    if name == "postmortem":
        return Command(name, args, value=parse_status(args).value)
    due = parse_due(args)
    return Command(name, args, value=due.isoformat() if due else "auto", deadline=due)


def _either(items: list[str]) -> str:
    """`a, b or c`."""
    return ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else items[0]


def _action(args: str, now: dt.datetime, tz: dt.tzinfo) -> Command:
    """`/action TITLE` followed, in any order, by `@owner`, `due DATE` and `P1`-`P3`."""
    words = args.split()
    owner, deadline, priority = "", None, None
    end = len(words)
    # Options are read from the end so a title may still contain "due", "@" or "P1" mid-sentence.
    while end:
        word = words[end - 1]
        if priority is None and (match := _PRIORITY.match(word)):
            priority, end = Priority(f"P{match[1]}").value, end - 1
        elif not owner and (match := _TEAM.match(word)):
            owner, end = match[1], end - 1
        elif deadline is None and end >= 2 and words[end - 2].lower() == "due" and _DEADLINE_ATTEMPT.match(word):
            deadline, end = _deadline(word, now, tz), end - 2
        else:
            break
    title = " ".join(words[:end])
    if not title:
        raise InputError(f"an action needs a title: {COMMANDS['action'].usage}")
    return Command("action", args, title=title, owner=owner, deadline=deadline, priority=priority)


def _deadline(word: str, now: dt.datetime, tz: dt.tzinfo) -> dt.date:
    """`YYYY-MM-DD`, or `+Nd` days after today in the display zone."""
    if match := _DAYS_AHEAD.match(word):
        return now.astimezone(tz).date() + dt.timedelta(days=int(match[1]))
    if _DATE_TOKEN.match(word):
        return parse_date(word)
    raise InputError(f"{word!r} is not a deadline: use due YYYY-MM-DD or due +Nd, e.g. due 2026-12-01 or due +3d")
