"""The quick-entry line: backdating, kind prefixes, teams, milestones, slash commands and completion."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from warroom.store.errors import InputError
from warroom.store.quickentry import COMMANDS, NOTHING_TO_LOG, Command, LogEntry, complete, parse_entry
from warroom.store.timeparse import UTC, parse_time, zone

NOW = dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
BERLIN = zone("Europe/Berlin")
AUCKLAND = zone("Pacific/Auckland")
SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")


def entry(line: str, tz: dt.tzinfo = UTC) -> LogEntry:
    """Parse a line that must be a log entry."""
    parsed = parse_entry(line, NOW, tz)
    assert isinstance(parsed, LogEntry)
    return parsed


def command(line: str, tz: dt.tzinfo = UTC) -> Command:
    """Parse a line that must be a slash command."""
    parsed = parse_entry(line, NOW, tz)
    assert isinstance(parsed, Command)
    return parsed


def error(line: str, tz: dt.tzinfo = UTC) -> str:
    """The message of the InputError a line raises, checked to be one sentence on one line."""
    with pytest.raises(InputError) as caught:
        parse_entry(line, NOW, tz)
    message = str(caught.value)
    assert message and "\n" not in message and not SENTENCE_BREAK.search(message), message
    return message


def at(hour: int, minute: int, second: int = 0) -> dt.datetime:
    """A UTC time on NOW's day."""
    return NOW.replace(hour=hour, minute=minute, second=second)


# Plain text and backdating


def test_plain_text_is_a_note_stamped_by_the_caller() -> None:
    """Text with nothing special is a note with no team, milestone or star, timed by the caller."""
    assert entry("db latency up on primary") == LogEntry("db latency up on primary", None, "note", "", None, False)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("13:45 failover started", at(13, 45)),
        ("13:45:30 failover started", at(13, 45, 30)),
        ("13:45Z failover started", at(13, 45)),
        ("-5m failover started", at(13, 55)),
        ("-2h failover started", at(12, 0)),
        ("-1h30m failover started", at(12, 30)),
        ("2026-11-27T13:00:00+01:00 failover started", at(12, 0)),
        ("2026-11-27T13:10Z failover started", at(13, 10)),
        ("2026-11-27 13:10 failover started", at(13, 10)),
    ],
)
def test_leading_time_token_backdates(line: str, expected: dt.datetime) -> None:
    """Clock times, relative offsets and ISO-8601 timestamps at the start set when it happened."""
    parsed = entry(line)
    assert (parsed.text, parsed.occurred_at) == ("failover started", expected)


def test_clock_time_is_read_in_the_display_zone_and_z_means_utc() -> None:
    """HH:MM is local to the display zone; a trailing Z pins it to UTC."""
    assert entry("13:45 x", BERLIN).occurred_at == at(12, 45)
    assert entry("13:45Z x", BERLIN).occurred_at == at(13, 45)


def test_clock_time_later_than_now_means_yesterday() -> None:
    """Logging 23:58 at 14:00 means last night, as timeparse decides."""
    assert entry("23:58 paged").occurred_at == at(23, 58) - dt.timedelta(days=1)


def test_invalid_time_token_raises_the_timeparse_message() -> None:
    """A time-shaped token that is no time (25:99) fails with timeparse's own sentence."""
    with pytest.raises(InputError) as expected:
        parse_time("25:99", NOW)
    assert error("25:99 pods restarted") == str(expected.value)


@pytest.mark.parametrize("line", ["-5min pods restarted", "2026-13-45T10:00 deploy", "-1h30 x"])
def test_misspelt_time_token_is_an_error_not_text(line: str) -> None:
    """A near-miss time is refused with the format hint rather than logged as text."""
    assert "-5m" in error(line)


def test_time_too_far_back_is_an_error() -> None:
    """An offset beyond the calendar's range is an InputError, not a crash."""
    assert "too far" in error("-99999999999d x")


@pytest.mark.parametrize(
    "line",
    ["3 pods restarted", "503s from the edge", "1:1 mapping broken", "-2 degrees", "now paging db", "v1.2.3 out"],
)
def test_leading_number_that_is_not_a_time_is_text(line: str) -> None:
    """Numbers that are not times stay part of the text and do not backdate."""
    parsed = entry(line)
    assert (parsed.text, parsed.occurred_at) == (line, None)


@pytest.mark.parametrize("line", ["", "   ", "13:45", "-5m   ", "?", "* ", "hyp:", "@dba", "13:45 ?* @dba"])
def test_nothing_to_log_is_an_error(line: str) -> None:
    """A line that is empty once prefixes and team are removed is refused."""
    assert error(line) == NOTHING_TO_LOG


# Kind prefixes and stars


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [("?", "hypothesis"), ("=", "decision"), (">", "action"), ('"', "comms"), ("+", "detection")],
)
@pytest.mark.parametrize("gap", ["", " ", "   "])
def test_kind_character_prefix(prefix: str, kind: str, gap: str) -> None:
    """Each kind character sets the kind, with or without a space after it."""
    parsed = entry(f"{prefix}{gap}cache is cold")
    assert (parsed.kind, parsed.text, parsed.starred) == (kind, "cache is cold", False)


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("hyp:", "hypothesis"),
        ("Hypothesis:", "hypothesis"),
        ("dec:", "decision"),
        ("DECISION:", "decision"),
        ("act:", "action"),
        ("action:", "action"),
        ("comms:", "comms"),
        ("det:", "detection"),
        ("detection:", "detection"),
        ("note:", "note"),
    ],
)
@pytest.mark.parametrize("gap", ["", " "])
def test_kind_word_prefix(word: str, kind: str, gap: str) -> None:
    """Word prefixes set the kind in any letter case, with or without a space after the colon."""
    parsed = entry(f"{word}{gap}cache is cold")
    assert (parsed.kind, parsed.text) == (kind, "cache is cold")


@pytest.mark.parametrize("line", ["http://status.example.com is down", "hypothetically: fine", "note - disk"])
def test_word_that_only_resembles_a_prefix_is_text(line: str) -> None:
    """Words that merely start like a prefix leave the kind as note and the text whole."""
    parsed = entry(line)
    assert (parsed.kind, parsed.text) == ("note", line)


@pytest.mark.parametrize(
    ("line", "kind"),
    [("*? locks", "hypothesis"), ("?* locks", "hypothesis"), ("* ? locks", "note"), ("*locks", "note")],
)
def test_star_prefix_combines_with_a_kind_in_either_order(line: str, kind: str) -> None:
    """`*` stars the event before or after a kind character, but only when touching it."""
    parsed = entry(line)
    assert parsed.starred
    assert parsed.kind == kind
    assert parsed.text == ("? locks" if line == "* ? locks" else "locks")


def test_star_before_a_word_prefix() -> None:
    """A star may precede a word prefix."""
    parsed = entry("* dec: roll back")
    assert (parsed.starred, parsed.kind, parsed.text) == (True, "decision", "roll back")


def test_time_then_star_then_kind() -> None:
    """Time, star and kind combine on one line."""
    assert entry("-5m *= roll back") == LogEntry("roll back", at(13, 55), "decision", "", None, True)


@pytest.mark.parametrize(
    ("line", "kind", "starred", "text"),
    [
        ("?? what is this", "hypothesis", False, "? what is this"),
        ("** what is this", "note", True, "* what is this"),
        ("*?* what is this", "hypothesis", True, "* what is this"),
        ("= note: keep it", "decision", False, "note: keep it"),
    ],
)
def test_only_one_kind_and_one_star_are_taken(line: str, kind: str, starred: bool, text: str) -> None:
    """A second kind character, second star or later word prefix stays in the text."""
    parsed = entry(line)
    assert (parsed.kind, parsed.starred, parsed.text) == (kind, starred, text)


def test_quoted_comms_message_loses_its_closing_quote() -> None:
    """A comms message typed in quotes is stored without its closing quote; inner quotes stay."""
    assert entry('"We are investigating elevated errors"').text == "We are investigating elevated errors"
    assert entry('" Posted "degraded" to status page').text == 'Posted "degraded" to status page'


# Teams


@pytest.mark.parametrize(
    ("line", "team", "text"),
    [
        ("@dba vacuum running", "dba", "vacuum running"),
        ("vacuum running @dba", "dba", "vacuum running"),
        ("> @sre-eu.core/db_1 restart", "sre-eu.core/db_1", "restart"),
        ("@a vacuum @b", "a", "vacuum @b"),
        ("ping @alice about db", "", "ping @alice about db"),
        ("ask @alice, then bob", "", "ask @alice, then bob"),
        ("thanks @alice!", "", "thanks @alice!"),
        ("mail ops@example.com", "", "mail ops@example.com"),
    ],
)
def test_team_is_the_first_or_last_at_word(line: str, team: str, text: str) -> None:
    """Only a whole @word at either end is the team; mentions mid-sentence stay text."""
    parsed = entry(line)
    assert (parsed.team, parsed.text) == (team, text)


# Milestones


@pytest.mark.parametrize(
    ("word", "milestone"),
    [
        ("!detected", "detected"),
        ("!det", "detected"),
        ("!Mitigated", "mitigated"),
        ("!MIT", "mitigated"),
        ("!resolved", "resolved"),
        ("!res", "resolved"),
    ],
)
def test_milestone_word_anywhere_sets_it_and_leaves_the_text(word: str, milestone: str) -> None:
    """Milestone words, long or short and in any case, are removed wherever they stand."""
    for line in (f"{word} rollback done", f"rollback {word} done", f"rollback done {word}"):
        parsed = entry(line)
        assert (parsed.milestone, parsed.kind, parsed.text) == (milestone, "milestone", "rollback done")


def test_milestone_keeps_an_explicit_kind() -> None:
    """A milestone does not override a kind typed as a prefix."""
    parsed = entry("= !mit roll back")
    assert (parsed.kind, parsed.milestone, parsed.text) == ("decision", "mitigated", "roll back")


@pytest.mark.parametrize(("line", "text"), [("!detected", "Detected"), ("!mit", "Mitigated"), ("-5m !RES", "Resolved")])
def test_milestone_alone_gets_a_default_text(line: str, text: str) -> None:
    """A milestone with no other text is logged under its own name."""
    assert entry(line).text == text


def test_milestone_and_team_together() -> None:
    """A team and a milestone can be the whole line."""
    parsed = entry("!res @dba")
    assert (parsed.team, parsed.milestone, parsed.text) == ("dba", "resolved", "Resolved")


def test_repeating_the_same_milestone_is_fine() -> None:
    """The same milestone twice is one milestone and both words go."""
    parsed = entry("!mit back up !mitigated")
    assert (parsed.milestone, parsed.text) == ("mitigated", "back up")


def test_two_different_milestones_are_an_error() -> None:
    """Two different milestones on one line are refused, naming both."""
    message = error("!mit then !resolved")
    assert "mitigated" in message and "resolved" in message


@pytest.mark.parametrize("line", ["!important db down", "db!mit down", "db down !mit.", "!!mit db"])
def test_other_bang_words_stay_text(line: str) -> None:
    """Unknown !words and milestone words not standing alone are plain text."""
    parsed = entry(line)
    assert (parsed.milestone, parsed.text, parsed.kind) == (None, line, "note")


def test_removing_a_word_mid_text_leaves_one_space() -> None:
    """Cutting a word out of the middle does not leave a double gap."""
    assert entry("db  !mit   back").text == "db back"


# Literal text


@pytest.mark.parametrize(
    "line", ["[bold]db[/bold] down", "[link=http://evil]click[/link]", "a  b\tc", "{x} %s $HOME `rm`", "café ☕ 数据库"]
)
def test_text_is_kept_literally(line: str) -> None:
    """Markup, tabs, double spaces and non-ASCII text come through exactly as typed."""
    assert entry(line).text == line


def test_surrounding_whitespace_is_stripped() -> None:
    """Leading and trailing whitespace is not part of the text."""
    assert entry("   db down \t ").text == "db down"


@pytest.mark.parametrize(("line", "text"), [("//etc/hosts changed", "/etc/hosts changed"), ("//help", "/help")])
def test_double_slash_logs_text_starting_with_a_slash(line: str, text: str) -> None:
    """`//` escapes a leading slash so the rest is logged, not run as a command."""
    assert entry(line) == LogEntry(text, None, "note", "", None, False)


WORD = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12)
PREFIX_WORD = re.compile(r"(hyp|hypothesis|dec|decision|act|action|comms|det|detection|note):", re.IGNORECASE)


@settings(max_examples=500)
@given(st.lists(WORD, min_size=1, max_size=8))
def test_ordinary_text_round_trips_as_a_note(words: list[str]) -> None:
    """Any text without special leading characters, end @words or !words is logged unchanged."""
    text = " ".join(words)
    assume(text[0] not in '0123456789-?=>"+*/@' and not PREFIX_WORD.match(text))
    assume(not words[-1].startswith("@") and not any(word.startswith("!") for word in words))
    assert entry(text) == LogEntry(text, None, "note", "", None, False)


# Slash commands


@pytest.mark.parametrize("line", ["/sev 2", "/sev SEV2", "/sev sev2", "/SEV 2", "/severity 2", "/sev   2  "])
def test_sev(line: str) -> None:
    """Severity is accepted as a digit or SEVn in any case, also via /severity."""
    parsed = command(line)
    assert (parsed.name, parsed.value) == ("sev", "SEV2")


@pytest.mark.parametrize("line", ["/sev", "/sev 0", "/sev 5", "/sev two", "/sev SEV 2", "/sev 2 3"])
def test_bad_sev(line: str) -> None:
    """Anything but one severity from 1 to 4 is refused."""
    assert "severity must be 1, 2, 3 or 4" in error(line)


@pytest.mark.parametrize(
    ("args", "status"),
    [("investigating", "investigating"), ("mon", "monitoring"), ("IDENT", "identified"), ("c", "closed")],
)
def test_status_by_name_or_prefix(args: str, status: str) -> None:
    """A status is chosen by its name or a unique prefix in any case."""
    parsed = command(f"/status {args}")
    assert (parsed.name, parsed.value, parsed.args) == ("status", status, args)


def test_ambiguous_status_prefix_names_the_candidates() -> None:
    """A prefix matching two statuses is refused, naming both."""
    message = error("/status i")
    assert "investigating" in message and "identified" in message


@pytest.mark.parametrize("line", ["/status", "/status fixed"])
def test_unknown_status_lists_them_all(line: str) -> None:
    """An unknown or missing status is refused with the full list."""
    assert error(line) == "status must be one of investigating, identified, monitoring, resolved or closed"


@pytest.mark.parametrize(
    ("line", "name", "value"),
    [
        ("/owner alice", "owner", "alice"),
        ("/commander Bob B", "commander", "Bob B"),
        ("/ic bob", "commander", "bob"),
        ("/scribe carol", "scribe", "carol"),
        ("/comms dave", "comms", "dave"),
        ("/title   Checkout   [bold]down[/bold] ", "title", "Checkout   [bold]down[/bold]"),
        ("/summary Payments failed for 20 min", "summary", "Payments failed for 20 min"),
        ("/summary", "summary", ""),
        ("/note ask legal about notice", "note", "ask legal about notice"),
    ],
)
def test_commands_with_one_value(line: str, name: str, value: str) -> None:
    """Single-value commands carry their stripped text as both value and args."""
    parsed = command(line)
    assert (parsed.name, parsed.value, parsed.args) == (name, value, value)


@pytest.mark.parametrize(
    ("line", "name", "value"),
    [("/owner @alice", "owner", "alice"), ("/kind hyp", "kind", "hypothesis"), ("/kind Decision", "kind", "decision")],
)
def test_values_are_normalised_while_args_stay_raw(line: str, name: str, value: str) -> None:
    """Names lose a leading @ and kinds are expanded, while args keep what was typed."""
    parsed = command(line)
    assert (parsed.name, parsed.value, parsed.args) == (name, value, line.split(maxsplit=1)[1])


@pytest.mark.parametrize("name", ["owner", "commander", "scribe", "comms", "title", "note", "cause", "tag", "untag"])
def test_commands_that_need_a_value(name: str) -> None:
    """Commands that need text refuse to run without it, showing their usage."""
    assert error(f"/{name}") == f"/{name} needs something after it: {COMMANDS[name].usage}"
    assert error(f"/{name}   ").startswith(f"/{name} needs")


def test_owner_needs_more_than_an_at_sign() -> None:
    """A bare @ is not a name."""
    assert error("/owner @").startswith("/owner needs")


def test_kind_cannot_be_set_to_milestone() -> None:
    """/kind offers every kind but milestone, which comes from !milestone words."""
    assert error("/kind milestone") == "kind must be one of note, detection, hypothesis, decision, action or comms"


def test_tags_are_lowercased_and_deduplicated() -> None:
    """Tags are lowercased, deduplicated and kept in the order typed."""
    parsed = command("/tag DB network db  Payments")
    assert (parsed.name, parsed.values) == ("tag", ("db", "network", "payments"))
    assert command("/untag DB").values == ("db",)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("/cause Pool exhausted", "root"),
        ("/root Pool exhausted", "root"),
        ("/contrib Pool exhausted", "contributing"),
        ("/trigger Pool exhausted", "trigger"),
    ],
)
def test_factor_commands(line: str, kind: str) -> None:
    """/cause, /contrib and /trigger all become a factor command with their kind."""
    parsed = command(line)
    assert (parsed.name, parsed.factor_kind, parsed.value) == ("factor", kind, "Pool exhausted")


@pytest.mark.parametrize("name", ["star", "undo", "help", "export", "review", "list"])
def test_commands_without_arguments(name: str) -> None:
    """Bare commands parse alone and refuse anything after them."""
    assert command(f"/{name}") == Command(name)
    assert error(f"/{name} now") == f"/{name} takes nothing after it"


@pytest.mark.parametrize(("line", "name"), [("/?", "help"), ("/h", "help"), ("/LS", "list"), ("/Star", "star")])
def test_aliases_and_case(line: str, name: str) -> None:
    """Aliases and upper-case command words reach the canonical command."""
    assert command(line).name == name


@pytest.mark.parametrize(("line", "closest"), [("/sevv 2", "/sev"), ("/stat mon", "/status"), ("/untagg x", "/untag")])
def test_unknown_command_names_the_closest_and_help(line: str, closest: str) -> None:
    """An unknown command suggests the closest known one and points at /help."""
    message = error(line)
    assert f"did you mean {closest} " in message and "/help" in message


@pytest.mark.parametrize("line", ["/", "/ sev 2"])
def test_slash_without_a_name(line: str) -> None:
    """A slash with no command word straight after it is refused."""
    assert "/help" in error(line)


# /action


def test_action_with_every_option() -> None:
    """The documented example parses into title, owner, deadline and priority."""
    assert command("/action Add rollback @platform due 2026-12-01 P1") == Command(
        "action",
        "Add rollback @platform due 2026-12-01 P1",
        title="Add rollback",
        owner="platform",
        deadline=dt.date(2026, 12, 1),
        priority="P1",
    )


def test_action_options_in_any_order() -> None:
    """Options after the title may come in any order, with +Nd and lower-case priority."""
    parsed = command("/action Add rollback p3 due +3d @platform")
    assert (parsed.title, parsed.owner, parsed.deadline, parsed.priority) == (
        "Add rollback",
        "platform",
        dt.date(2026, 11, 30),
        "P3",
    )


def test_action_without_options() -> None:
    """A plain title leaves owner, deadline and priority unset."""
    parsed = command("/action Add rollback")
    assert (parsed.title, parsed.owner, parsed.deadline, parsed.priority) == ("Add rollback", "", None, None)


def test_relative_deadline_counts_from_today_in_the_display_zone() -> None:
    """+Nd counts from the display zone's date, which may already be tomorrow."""
    assert command("/action x due +3d", AUCKLAND).deadline == dt.date(2026, 12, 1)
    assert command("/action x due +0d").deadline == dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    "line", ["/action Check due dates", "/action Page @alice about P1 customers", "/action Make payments due"]
)
def test_option_words_inside_the_title_stay_in_it(line: str) -> None:
    """due, @names and P1 inside the title are not taken as options."""
    parsed = command(line)
    assert (parsed.title, parsed.owner, parsed.deadline, parsed.priority) == (line[8:], "", None, None)


@pytest.mark.parametrize("line", ["/action x due friday", "/action x due tomorrow P1", "/action x due 12/01"])
def test_deadline_that_is_not_a_date_is_an_error(line: str) -> None:
    """A deadline that is neither YYYY-MM-DD nor +Nd is refused with both forms shown."""
    assert "due YYYY-MM-DD or due +Nd" in error(line)


def test_impossible_deadline_date_is_an_error() -> None:
    """A well-formed but impossible date is refused."""
    assert "YYYY-MM-DD" in error("/action x due 2026-02-30")


@pytest.mark.parametrize("line", ["/action", "/action @platform P1", "/action due +3d"])
def test_action_needs_a_title(line: str) -> None:
    """Options alone do not make an action."""
    assert error(line).startswith("an action needs a title")


# COMMANDS and completion


def test_every_command_and_alias_parses_to_its_canonical_name() -> None:
    """Every entry in COMMANDS, and each alias, parses as documented by its usage."""
    factors = {"cause", "contrib", "trigger"}
    for name, spec in COMMANDS.items():
        assert spec.usage.split()[0] == f"/{name}"
        assert spec.description and "\n" not in spec.description
        samples = {"sev": " 2", "status": " mon", "kind": " hyp", "action": " Fix it", "role": " ic alex"}
        samples |= dict.fromkeys(("rule-out", "confirm"), " 3 because x")
        samples |= dict.fromkeys(("started", "detected", "mitigated", "resolved"), " 02:51")
        sample = samples.get(name, " x" * spec.takes_args)
        for typed in (name, *spec.aliases):
            assert command(f"/{typed}{sample}").name == ("factor" if name in factors else name)


def test_aliases_are_unique() -> None:
    """No alias shadows another command or alias."""
    words = [w for name, spec in COMMANDS.items() for w in (name, *spec.aliases)]
    assert len(words) == len(set(words))


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("/st", ["/star", "/started ", "/status "]),
        ("/sev", ["/sev "]),
        ("/un", ["/undo", "/untag "]),
        ("/sev ", ["/sev 1", "/sev 2", "/sev 3", "/sev 4"]),
        ("/sev 2", ["/sev 2"]),
        ("/sev S", ["/sev SEV1", "/sev SEV2", "/sev SEV3", "/sev SEV4"]),
        ("/severity 3", ["/severity 3"]),
        ("/status mon", ["/status monitoring"]),
        ("/status i", ["/status investigating", "/status identified"]),
        ("/status Re", ["/status Resolved"]),
        ("/kind h", ["/kind hypothesis"]),
        ("/kind m", []),
        ("/status monitoring ", []),
        ("/owner a", []),
        ("/zzz", []),
        ("hello", []),
        ("//etc", []),
        ("", []),
    ],
)
def test_complete(prefix: str, expected: list[str]) -> None:
    """Command words and the arguments of /sev, /status and /kind complete as a suggester needs."""
    assert complete(prefix) == expected


def test_complete_slash_offers_every_command() -> None:
    """A lone slash offers every command."""
    assert len(complete("/")) == len(COMMANDS)


@given(st.text(alphabet="/abcdefghiklmnorstuvSEV1234 ", max_size=14))
def test_completions_extend_what_was_typed(prefix: str) -> None:
    """Every completion begins with exactly what was typed."""
    for line in complete(prefix):
        assert line.startswith(prefix)


def test_module_does_not_import_textual() -> None:
    """The parser is usable without Textual."""
    code = "import sys, warroom.store.quickentry; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize(
    ("typed", "name", "number", "reason"),
    [
        ("/rule-out 12 because the pool sat at 40%", "rule-out", 12, "the pool sat at 40%"),
        ("/ruleout #7 pool was fine", "rule-out", 7, "pool was fine"),
        ("/confirm 3 Because the batch job held 400 connections", "confirm", 3, "the batch job held 400 connections"),
    ],
)
def test_settling_a_hypothesis_parses_number_and_reason(typed: str, name: str, number: int, reason: str) -> None:
    """`/rule-out N because ...` and `/confirm N ...`: the number on the timeline, then why."""
    cmd = command(typed)
    assert (cmd.name, cmd.number, cmd.value) == (name, number, reason)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("/rule-out because it is fine", "needs the hypothesis's number"),
        ("/confirm 3", "say why"),
        ("/confirm 3 because", "say why"),
        ("/rule-out", "needs the hypothesis.s number"),
    ],
)
def test_settling_without_number_or_reason_says_what_is_missing(typed: str, message: str) -> None:
    """One sentence naming what is missing."""
    with pytest.raises(InputError, match=message):
        command(typed)
