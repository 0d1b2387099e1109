"""The incident screen's entry line: logging what was typed, putting a failed entry back, keys typed ahead, the draft.

Composed into `IncidentScreen` (`screen.entry_line`); the screen's handlers call it. Everything it shows goes
through the screen (`say`, `notify`) and every write through the screen's `run_job`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from typing import TYPE_CHECKING, Any

from textual.timer import Timer
from textual.widgets import Static

from warroom.store.errors import WarroomError
from warroom.store.timeparse import time_note, to_db
from warroom.tui import jobs
from warroom.widgets.quick_entry import QuickEntry

if TYPE_CHECKING:
    from warroom.store.quickentry import Command, LogEntry
    from warroom.tui.screens.incident import IncidentScreen

#: Keys arriving this soon after a failed entry is put back (or after the previous such key) were typed on
#: from the Enter without a pause, before the failed entry could be seen back in the line.
TYPE_AHEAD_WINDOW = 0.3
#: Seconds of no typing before the line's text is kept as a draft (it survives a crash or a closed terminal).
DRAFT_DELAY = 0.3
KEPT_NOTE = "what you typed since is kept: it comes back once this entry is saved"
#: Hints the store words for the shell, and what the entry line says instead (the same action, typed here).
TUI_HINTS = {
    "(see `warroom hypothesis list`)": "(type /confirm N because ... or /rule-out N because ..., "
    "N being the #N on the hypothesis's timeline row)",
}


#: The store's hint for a hypothesis settled already. Typed in the entry line it would be logged as a note;
#: the TUI reopens only by undo, so the shell command is named whole for a settling made before this session.
_REOPEN_HINT = re.compile(r"\(reopen it first: `hypothesis reopen (\d+)`\)")


def in_tui_words(message: str, incident_id: str) -> str:
    """A store message with any shell-command hint replaced by what to type in the TUI."""
    for shell, here in TUI_HINTS.items():
        message = message.replace(shell, here)
    return _REOPEN_HINT.sub(
        lambda m: (
            f"(ctrl+z reopens it if it was settled in this session; else, in a shell:"
            f" warroom hypothesis reopen {m[1]} -i {incident_id})"
        ),
        message,
    )


def with_tui_hints(job: jobs.Job[jobs.Outcome], incident_id: str) -> jobs.Job[jobs.Outcome]:
    """The job, its failure's hint naming TUI commands rather than shell ones."""

    def run(store: Any) -> jobs.Outcome:
        try:
            return job(store)
        except WarroomError as exc:
            worded = in_tui_words(str(exc), incident_id)
            if worded == str(exc):
                raise
            raise type(exc)(worded) from exc

    return run


def dst_note(text: str, parsed: LogEntry | Command, tz: dt.tzinfo) -> str | None:
    """The daylight-saving note for a time typed in the line (which of two instants, or where a skipped one went)."""
    from warroom.store.quickentry import LogEntry  # loaded ahead of the first Enter (WarroomApp._ready_writes)

    if isinstance(parsed, LogEntry):
        typed, moment = (text.split(maxsplit=1) or [""])[0], parsed.occurred_at
    else:
        typed, moment = parsed.args, parsed.when
    if moment is None or not typed:
        return None
    return time_note(typed, moment, tz)


class EntryLine:
    """What happens to the text of the incident screen's quick-entry line."""

    def __init__(self, screen: IncidentScreen) -> None:
        self.screen = screen
        self._draft_timer: Timer | None = None
        #: Entries typed ahead while an earlier one failed to save, waiting for the line (text, first-key time).
        self._held: list[tuple[str, dt.datetime | None]] = []
        #: The failed entry last put back in the line, and when (monotonic seconds).
        self._put_back: tuple[str, float] | None = None
        #: Which held entry the keys typed just after a put-back are going into.
        self._splitting: int | None = None

    def submit(self, message: QuickEntry.Entered) -> None:
        """Enter in the line (which is empty again by now): log an event or run a slash command."""
        from warroom.store.quickentry import Command, parse_entry  # loaded ahead (WarroomApp._ready_writes)

        screen = self.screen
        entry = message.entry
        text, stamp = message.text, message.started_at

        def put_back() -> None:
            # Not done: the text goes back into the line on its own. Anything typed since is a separate entry:
            # it waits and comes back once the line is free, so two entries never become one event.
            current = entry.value
            if current.strip():
                self._held.append((current, entry.started_at))
                screen.notify(KEPT_NOTE, timeout=6)
            entry.restore(text, stamp)
            # Keys still arriving in the same burst were typed before the entry could be seen back: see below.
            self._put_back, self._splitting = (text, time.monotonic()), None

        def release() -> None:
            # The outcome is on screen: show it with the emptied line, at once.
            message.release()
            if self._held and not entry.value:
                entry.restore(*self._held.pop(0))
            screen.key_pressed()

        try:
            # "-5m" means five minutes before you started typing, like the stamp of an undated entry.
            parsed = parse_entry(text, stamp, screen.wapp.tz, screen.wapp.config.severity_names)
        except WarroomError as exc:
            put_back()
            screen.say(str(exc), error=True)
            release()
            return
        if isinstance(parsed, Command):
            if screen.screen_command(parsed):
                release()
                return
            job = jobs.command_job(screen.incident_id, parsed)
            level = screen.wapp.config.severity(parsed.value) if parsed.name == "sev" else None
            if level is not None and level.meaning:  # what the level means, so a wrong number is noticed
                said = f"severity set to {level.name}: {level.meaning}"
                job = jobs.update_incident(screen.incident_id, {"severity": level.name}, said)
            if parsed.name in ("confirm", "rule-out"):
                job = with_tui_hints(job, screen.incident_id) if job is not None else None
            if job is None:
                put_back()
                screen.say(f"/{parsed.name} is not available on this screen yet", error=True)
                release()
                return
        else:
            job = jobs.log_entry(screen.incident_id, parsed, stamp, screen.wapp.tz)
        then = None
        if note := dst_note(text, parsed, screen.wapp.tz):
            # Around a DST change a local time can mean two instants, or none: say which one was stored.
            status = screen.query_one("#status", Static)

            def then(_: jobs.Outcome) -> None:
                said = str(status.content).removeprefix("✓ ")
                screen.say(f"{said} · note: {note}")

        # Painting waits for the outcome; if the screen closes first, it is let go all the same (`unhold`).
        screen.run_job(job, on_error=put_back, then=then, release=release, unhold=message.release)

    def changed(self) -> None:
        """The line's text changed: split off keys typed ahead, and keep the draft once typing pauses."""
        self._split_typed_ahead()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.screen.set_timer(DRAFT_DELAY, self.save_draft)

    def _split_typed_ahead(self) -> None:
        """Keys typed on just after a failed entry came back belong to the next entry, not to the failed one."""
        if self._put_back is None:
            return
        text, when = self._put_back
        entry = self.screen.query_one(QuickEntry)
        value = entry.value
        if time.monotonic() - when > TYPE_AHEAD_WINDOW or not value.startswith(text):
            self._put_back = self._splitting = None
            return
        extra = value[len(text) :]
        if not extra:
            return
        if self._splitting is None:
            self._held.append(("", entry.clock()))
            self._splitting = len(self._held) - 1
            self.screen.notify(KEPT_NOTE, timeout=6)
        held, started = self._held[self._splitting]
        self._held[self._splitting] = (held + extra, started)
        # The window slides with each key: typing on without a pause is still the next entry.
        self._put_back = (text, time.monotonic())
        entry.value = text
        entry.cursor_position = len(text)

    def leaving(self) -> None:
        """The screen closes (ctrl+q, ctrl+l, another incident) within the draft's delay: save it now."""
        # The writer finishes queued writes before the app closes.
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
            self.save_draft()

    def save_draft(self) -> None:
        """Keep the line's text (and when typing began) as the incident's draft; an empty line clears it."""
        self._draft_timer = None
        screen = self.screen
        entry = screen.entry  # kept by the screen: still readable once its widgets are gone
        text = entry.value
        payload = json.dumps({"text": text, "started_at": to_db(entry.started_at)}) if text else ""
        incident_id = screen.incident_id

        def job(store: Any) -> jobs.Outcome:
            store.save_draft(incident_id, "entry", payload)
            return jobs.Outcome("")

        def done(_: Any, error: BaseException | None) -> None:
            # A command the file refused has just said why (read-only, disk full): the draft failing for the same
            # reason must not replace that line, which says what was not done.
            if error is not None and not screen.saying(f"⚠ {error}"):
                screen.say(f"draft not saved: {error}", error=True)

        screen.wapp.submit(job, done, reply_to=screen)

    def restore_draft(self) -> None:
        """Put the draft left by an earlier session back in the line."""
        screen = self.screen
        raw = screen.wapp.store.draft(screen.incident_id, "entry")
        if not raw:
            return
        from warroom.store.timeparse import from_db

        data = json.loads(raw)
        screen.query_one(QuickEntry).restore(data.get("text", ""), from_db(data.get("started_at")))
        screen.say("restored the entry you were typing")

    def pasted(self, message: QuickEntry.PastedLines) -> None:
        """Several lines pasted: confirm logging each, join them into the line, or cancel; never drop any."""
        from warroom.tui.screens.paste import PasteScreen, log_lines, refusal

        screen = self.screen
        lines, entry = message.lines, message.entry
        refused = refusal(lines, screen.incident_id)
        if refused:
            screen.say(refused, error=True)
            return
        stamp = entry.started_at or screen.wapp.clock()

        def chosen(choice: str | None) -> None:
            if choice == "each":
                screen.run_job(log_lines(screen.incident_id, lines, stamp))
            elif choice == "join":
                joined = " ".join(line.strip() for line in lines)
                if len(entry.value) + len(joined) > entry.limit:
                    screen.say(f"joined, the paste is {entry.adding(len(joined))}; {entry.limit_hint}", error=True)
                    return
                entry.insert_text_at_cursor(joined)
            else:
                screen.say(f"paste of {len(lines):,} lines cancelled; nothing was logged", error=True)

        screen.app.push_screen(PasteScreen(lines), chosen)
