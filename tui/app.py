"""The warroom App and the one factory the CLI and every test use to build it."""

from __future__ import annotations

import datetime as dt
import gc
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message_pump import MessagePump
from textual.screen import Screen

from warroom.store.config import Config
from warroom.store.errors import NotFoundError
from warroom.store.reads import Reads
from warroom.store.store import Clock, Store, input_models, system_clock
from warroom.store.timeparse import UTC
from warroom.tui.history import History
from warroom.tui.idle_gc import QUIET, IdleCollector
from warroom.tui.keygate import KeyGate, KeysSettled
from warroom.tui.paint import PromptPaint, steady_cursor
from warroom.tui.tab_signal import FileChanged, WordGate
from warroom.tui.writer import Done, Job, StoreWriter, WriteDone
from warroom.widgets.textual_compat import adopt_as_main_screen, after_each_frame

if TYPE_CHECKING:
    from warroom.tui.screens.base import WarroomScreen


class WarroomApp(App[None]):
    """Live incident capture: the incident screen, the incident list, help."""

    CSS_PATH = "app.tcss"
    TITLE = "warroom"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # Moving between fields before the next key is handed out: typed in a burst (over SSH), "Title", Tab,
        # "alice" would otherwise put "alice" in the title, as Textual resolves Tab after later keys went in.
        # (No description: F1 lists them in a row of their own.)
        Binding("tab", "app.tab", "", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        tz: dt.tzinfo,
        incident_id: str | None,
        author: str = "",
        config: Config | None = None,
    ) -> None:
        super().__init__()
        #: Reads only: this is the UI thread's connection. Writes go to `writer` as jobs, which get a full Store.
        self.store: Reads = store
        #: The config file's settings: severity levels, teams, post-mortem sections, lint phrases.
        self.config = config or Config()
        #: Author of every event logged here (a served tab's responder name, or WARROOM_AUTHOR).
        self.author = author
        self.clock = clock
        self.tz = tz
        self.start_incident = incident_id
        self.writer: StoreWriter | None = None
        self.collector = IdleCollector()
        self.key_gate = KeyGate(self, self._dispatch_key)
        self.words = WordGate(self, self._look_at_file)
        self.history = History()  # undo / redo of every screen (tui/screens/base.py)
        #: Called with the main screen after each frame it paints, from its first (tests record what a frame
        #: showed). Added before the app runs; with none, screens paint as usual.
        self.frame_watchers: list[Callable[[Screen[Any]], None]] = []

    def on_load(self) -> None:
        # Before the first screen mounts (it may write: a draft, a new incident).
        path = self.store.path or ":memory:"
        self.writer = StoreWriter(path, self.clock, lambda cb: self.post_message(WriteDone(cb)), author=self.author)

    def get_default_screen(self) -> Screen[Any]:
        """The first screen is the incident (given or resumed), else the list: no empty screen is built under it."""
        screen: WarroomScreen
        if self.start_incident:
            from warroom.tui.screens.incident import IncidentScreen

            screen = IncidentScreen(self.start_incident)
        else:
            from warroom.tui.screens.incident_list import IncidentListScreen

            screen = IncidentListScreen()
        screen.first_screen = True
        adopt_as_main_screen(screen)  # so that _replace_main can switch it out later
        self._watch_frames(screen)
        return screen

    def _watch_frames(self, screen: Screen[Any]) -> None:
        """Tell the frame watchers of each frame `screen` paints."""
        if self.frame_watchers:
            after_each_frame(screen, self._frame_painted)

    def _frame_painted(self, screen: Screen[Any]) -> None:
        for watcher in self.frame_watchers:
            watcher(screen)

    def on_mount(self) -> None:
        self._restore_theme()
        self.collector.start()
        self.set_interval(2.0, self.collector.tick)
        self.call_after_refresh(self._started)

    def _restore_theme(self) -> None:
        """The theme chosen last time (ctrl+p, "theme"); every change is kept for the next start."""
        saved = self.store.setting("theme")
        if saved and saved in self.available_themes:
            self.theme = saved
        self.theme_changed_signal.subscribe(self, lambda theme: self._save_theme(theme.name))

    def _save_theme(self, name: str) -> None:
        if self.writer is not None:
            self.writer.submit(lambda store: store.save_setting("theme", name), lambda _result, _error: None)

    def _started(self) -> None:
        """The first screen is up: what start-up built stays (see _replace_main); collect what comes next."""
        gc.freeze()
        gc.enable()  # off while starting when run from the command line
        self.set_timer(QUIET, self._ready_writes)

    def _ready_writes(self) -> None:
        """Once the keyboard has been quiet for a moment, the writer loads what the first Enter needs.

        Loading pydantic takes the writer thread 50-150 ms, holding the interpreter lock for much of it: done
        while the user reads the screen rather than while the first screen is built or keys are handled.
        """
        if time.monotonic() - self.collector.last_key < QUIET:
            self.set_timer(QUIET, self._ready_writes)
        elif self.writer is not None:
            self.writer.submit(_build_schemas, lambda _result, _error: None)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            # Through the gate: keys typed in a burst are acted on in order, each reaching the screen
            # (or dialog) that typing them slowly would reach (tui/keygate.py).
            await self.key_gate.key(event)
            return
        await super().on_event(event)

    async def _dispatch_key(self, event: events.Key) -> None:
        """Hand one key on, as Textual would: to a priority binding or the focused widget."""
        if self.collector.key():
            self.call_after_refresh(self.collector.collect)
        if isinstance(self.screen, PromptPaint):
            self.screen.key_pressed()
        await super().on_event(event)
        self.words.key_handled()

    def on_file_changed(self, message: FileChanged) -> None:
        """`warroom serve` saw the database change: the open screens look (while typing, after the next key's
        frame); once what they found is drawn, the tab says so (the next tab's turn)."""
        self.words.word(message)

    def _look_at_file(self) -> None:
        for screen in self.screen_stack:
            look = getattr(screen, "file_changed", None)
            if callable(look):
                look()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        steady_cursor(self, event.widget)

    async def on_keys_settled(self, _: KeysSettled) -> None:
        await self.key_gate.release()

    def action_tab(self) -> None:
        """Tab finishes a slash command in the entry line; anywhere else it moves to the next field or pane."""
        complete = getattr(self.focused, "complete_now", None)
        if complete is not None and complete():
            return
        self.action_focus_next()

    async def action_quit(self) -> None:
        """Quit; a form whose typed text has no draft to go to asks first (the others keep theirs as a draft)."""
        loses = getattr(self.screen, "loses_on_quit", None)
        if loses is not None and loses():
            from warroom.tui.screens.form import DiscardScreen

            question = "Quit and throw away what you typed in this form?  (n keeps editing)"
            self.push_screen(DiscardScreen(question), lambda yes: self.exit() if yes else None)
            return
        await super().action_quit()

    def on_write_done(self, message: WriteDone) -> None:
        message.callback()

    def submit(
        self,
        job: Job[Any],
        done: Done,
        *,
        reply_to: MessagePump | None = None,
        gone: Done | None = None,
    ) -> None:
        """Queue a write for the writer thread; `done` runs on `reply_to` (a screen), else on the App.

        A screen closed by the time the write finishes drops the message (Textual discards messages to a closed
        pump), so `done` never reaches into a screen that is gone; `gone` runs on the App instead.
        """
        assert self.writer is not None
        if reply_to is None:
            self.writer.submit(job, done)
            return
        target = reply_to

        def route(result: Any, error: BaseException | None) -> None:  # on the writer thread
            left = None if gone is None else partial(gone, result, error)
            if not target.post_message(WriteDone(partial(done, result, error), left)) and left is not None:
                self.post_message(WriteDone(left))

        self.writer.submit(job, route, _on_writer_thread)

    def open_incident(self, incident_id: str, event_id: int | None = None) -> None:
        """Show an incident's screen (with the timeline cursor on `event_id`), replacing the main screen."""
        from warroom.tui.screens.incident import IncidentScreen

        self._replace_main(IncidentScreen(incident_id, select_event=event_id))

    def show_incident_list(self) -> None:
        """Show the list of every incident."""
        from warroom.tui.screens.incident_list import IncidentListScreen

        self._replace_main(IncidentListScreen())

    def _replace_main(self, screen: Screen[Any]) -> None:
        """Make `screen` the main screen, the bottom of the stack, closing whatever was above the old one."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        # What start-up froze (see _started) includes the screen being replaced: let the collector have it.
        gc.unfreeze()
        self._watch_frames(screen)
        self.switch_screen(screen)

    def show_followup(self) -> None:
        """Show every incident's action items by follow-through group."""
        from warroom.tui.screens.followup import FollowupScreen

        if not isinstance(self.screen, FollowupScreen):
            self.push_screen(FollowupScreen())

    def show_stats(self, filter_text: str = "") -> None:
        """Show metrics across the incidents matching `filter_text` (the list's filter syntax)."""
        from warroom.tui.screens.stats import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen(filter_text))

    def show_search(self, query: str = "") -> None:
        """Search every incident's timeline, factors, action items and write-up."""
        from warroom.tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(query))

    def action_help(self) -> None:
        """Show the keys, entry prefixes and slash commands."""
        from warroom.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key binding of the current screen is also a palette entry with a clear name."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            # Hidden from the footer but given a tooltip: still a named command. Stock widgets'
            # editing keys (no tooltip) stay out of the palette.
            if not (binding.show or binding.tooltip) or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                binding.tooltip or f"Key: {key}",
                lambda node=active.node, action=binding.action: self.run_action(action, node),
            )
        # Learning across incidents is reachable from every screen, not only from those that bind a key to it.
        shown = [a.binding for a in screen.active_bindings.values()]
        actions = {binding.action for binding in shown if binding.show and binding.description}
        for action, name, help_text, run in LIBRARY_COMMANDS:
            if action not in actions:
                yield SystemCommand(name, help_text, lambda run=run: run(self))

    def on_unmount(self) -> None:
        self.collector.stop()
        if self.writer is not None:
            self.writer.close()


#: (screen action, palette name, help, what it runs) of the commands about every incident at once.
LIBRARY_COMMANDS: list[tuple[str, str, str, Callable[[WarroomApp], None]]] = [
    (
        "followup",
        "Follow-through",
        "Action items of every incident: overdue, due this week, later",
        WarroomApp.show_followup,
    ),
    (
        "stats",
        "Stats",
        "Incidents per month, time to detect / mitigate / resolve, action items on time",
        WarroomApp.show_stats,
    ),
    ("search", "Search all incidents", "Timelines, causes, action items and write-ups", WarroomApp.show_search),
]


def _build_schemas(_: Store) -> None:
    """Load what the first Enter needs on the writer thread, ahead of it: the entry line's grammar, and the input
    models (pydantic) with their validators built."""
    import warroom.store.quickentry  # noqa: F401 (loaded here, not while the first screen is built)

    input_models().build_schemas()


def _on_writer_thread(report: Callable[[], None]) -> None:
    """Run a write's report where it finished: it only decides which screen (or the App) gets the result."""
    report()


def create_app(
    db_path: Path | str,
    *,
    clock: Clock = system_clock,
    tz: dt.tzinfo = UTC,
    incident_id: str | None = None,
    author: str = "",
    config: Config | None = None,
) -> WarroomApp:
    """Build the app on a database; `incident_id` None resumes the most recent open incident, else the list."""
    store = Store(db_path, clock)
    if incident_id is None:
        try:
            incident_id = store.default_incident_id()
        except NotFoundError:
            incident_id = None
    else:
        store.resolve_incident_id(incident_id)
    return WarroomApp(store, clock=clock, tz=tz, incident_id=incident_id, author=author, config=config)


def run(
    db_path: Path,
    *,
    tz: dt.tzinfo,
    incident_id: str | None,
    demo: bool = False,
    author: str = "",
    config: Config | None = None,
) -> int:
    """Run the TUI until the user quits (the demo uses a throwaway database); the exit status, 1 after a crash.

    `author` (the responder's name: WARROOM_AUTHOR, else the config file's) is the author of what is logged.
    """
    from warroom.tui.paste_guard import install

    install()
    if demo:
        from warroom.store.demo import seed_demo
        from warroom.store.demo_library import seed_library

        with tempfile.TemporaryDirectory(prefix="warroom-demo-") as folder:
            path = Path(folder) / "demo.db"
            seed = Store(path)
            demo_id = seed_demo(seed)
            seed_library(seed)  # earlier incidents, so follow-through, stats and search have something to show
            seed.close()
            return _run(create_app(path, tz=tz, incident_id=demo_id, author=author, config=config))
    return _run(create_app(db_path, tz=tz, incident_id=incident_id, author=author, config=config))


def _run(app: WarroomApp) -> int:
    """Run `app`; Textual sets a non-zero return code when an unexpected error stopped it."""
    app.run()
    return app.return_code or 0
