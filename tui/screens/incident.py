"""The incident screen: header, timeline, root-cause notes, action items and the quick-entry line."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Static

from warroom.tui import jobs
from warroom.tui.breakpoints import set_breakpoints_now
from warroom.tui.entry_line import EntryLine
from warroom.tui.find import TimelineFind
from warroom.tui.paint import PromptPaint
from warroom.tui.screens.base import WriterScreen
from warroom.tui.screens.incident_panes import PaneRequests
from warroom.tui.screens.incident_reads import IncidentReader
from warroom.tui.sources import StoreTimelineSource
from warroom.tui.tab_signal import poll_interval
from warroom.widgets.actions import ActionsPane
from warroom.widgets.event_detail import EventDetail
from warroom.widgets.factors import FactorsPane
from warroom.widgets.find_bar import FindBar
from warroom.widgets.incident_header import IncidentHeader
from warroom.widgets.item_messages import DeleteItem, EditItem, ToggleItem
from warroom.widgets.key_bar import KeyBar
from warroom.widgets.quick_entry import QuickEntry
from warroom.widgets.timeline import TimelineView

if TYPE_CHECKING:
    from warroom.store.quickentry import Command


#: Seconds between two looks at the file for other processes' writes (a cheap check when nothing changed).
POLL = 0.5

ENTRY_HINT = 'Type what happened, Enter logs it · 14:02 / -5m backdate · ? = > " + kinds · @team · !mitigated · /help'


def _complete(prefix: str, severities: Sequence[str], teams: Sequence[str]) -> list[str]:
    """The entry line's completions (store/quickentry.py: loaded once the screen is up, not before it shows)."""
    from warroom.store.quickentry import complete

    return complete(prefix, severities, teams)


class IncidentScreen(WriterScreen, PromptPaint):
    """Everything about one incident during the outage; every entry is saved the moment it is made."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    # From 34 rows the highlighted event is also shown in full under the timeline.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    AUTO_FOCUS = "#entry"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: handled as it arrives, so keys typed straight after it (Escape, k, k) go to the timeline.
        Binding(
            "escape", "toggle_entry", "Switch", priority=True, tooltip="Jump between the entry line and the timeline"
        ),
        Binding("ctrl+z", "undo", "Undo", priority=True, tooltip="Undo the last change (again: the one before)"),
        Binding("ctrl+g", "redo", "Redo", show=False, priority=True, tooltip="Redo what ctrl+z took back"),
        Binding("ctrl+l", "incident_list", "List", show=False, tooltip="Show all incidents"),
        Binding("ctrl+t", "followup", "Follow-through", show=False, tooltip="Action items of every incident"),
        Binding("ctrl+o", "edit_notes", "Notes", show=False, tooltip="Edit the free-form root-cause notes"),
        Binding("f9", "trash", "Trash", show=False, tooltip="Deleted events, factors and action items (or /trash)"),
        Binding("ctrl+f", "find", "Find", priority=True, tooltip="Find text in the timeline (or / in the timeline)"),
        Binding("f3", "find_next(1)", "Next match", show=False, priority=True, tooltip="Next match (or n)"),
        Binding("shift+f3", "find_next(-1)", "Previous match", show=False, priority=True, tooltip="Previous (or N)"),
        Binding("n", "find_next(1)", "Next match", show=False),
        Binding("N", "find_next(-1)", "Previous match", show=False),
        Binding("ctrl+r", "review", "Review", tooltip="Step through the timeline in the post-mortem meeting"),
        Binding("ctrl+e", "export", "Export", priority=True, tooltip="Preview and write the post-mortem"),
        Binding("ctrl+y", "writeup", "Write-up", show=False, tooltip="Summary, impact and lessons"),
        Binding("f2", "catchup", "Catch up", show=False, tooltip="The incident for someone joining (/catchup)"),
        Binding("f4", "update", "Update", show=False, tooltip="Draft a stakeholder update (/update)"),
    ]

    #: Widgets mounted the first time they are used, not with the screen (F1 lists their keys after the widget
    #: each follows): the find bar, under the timeline.
    MOUNTED_WHEN_USED: ClassVar[tuple[tuple[type[Widget], type[Widget]], ...]] = ((FindBar, TimelineView),)

    def __init__(self, incident_id: str, *, select_event: int | None = None) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.select_event_id = select_event
        self.entry_line = EntryLine(self)
        self.panes = PaneRequests(self, incident_id)
        self._covered = False
        self.find = TimelineFind(self, incident_id)

    def compose(self) -> ComposeResult:
        set_breakpoints_now(self)
        app = self.wapp
        yield IncidentHeader(app.clock, app.tz, id="header")
        with Horizontal(id="panes"):
            with Vertical(id="timeline-box"):
                yield Static("Timeline", classes="pane-title")
                source = StoreTimelineSource(app.store, self.incident_id)
                self.reader = IncidentReader(self, self.incident_id, source)
                yield TimelineView(
                    source,
                    app.tz,
                    empty_text="No events yet. Type below and press Enter.",
                    id="timeline",
                )
                yield EventDetail(app.tz, id="detail")
            with Vertical(id="side"):
                with Vertical(id="factors-box"):
                    yield Static("Root cause & notes", classes="pane-title")
                    yield FactorsPane(id="factors")
                with Vertical(id="actions-box"):
                    yield Static("Action items", classes="pane-title")
                    yield ActionsPane(id="actions")
        with Horizontal(id="entry-row"):
            yield Static("log › ", id="entry-prompt")
            # Kept: its text is still read when the screen closes, after its widgets are gone (on_unmount).
            config = app.config
            self.entry = QuickEntry(
                app.clock,
                partial(_complete, severities=config.severity_names, teams=config.teams),
                placeholder=ENTRY_HINT,
                id="entry",
            )
            yield self.entry
        yield Static("", id="status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_data(force=True)
        self.entry_line.restore_draft()
        self.query_one(QuickEntry).focus()
        # In a browser tab `warroom serve` says when the file changed (file_changed); the poll is a safety net.
        self.set_interval(poll_interval(POLL), self.reader.look_now_and_then)
        if self.select_event_id is not None:
            self.show_event(self.select_event_id)

    def focus_typing(self) -> bool:
        """Put the focus on the entry line (a letter typed glued to Escape goes there, see tui/keygate.py)."""
        self.set_focus(self.query_one(QuickEntry))
        return True

    def on_screen_suspend(self) -> None:
        self._covered = True

    def on_screen_resume(self) -> None:
        # Whatever closed (a dialog, review, export, help), typing goes on in the entry line, never into a pane
        # where single letters are commands.
        if self._covered:
            self._covered = False
            self.set_focus(self.query_one(QuickEntry))

    def show_event(self, event_id: int) -> None:
        """Put the timeline cursor on an event and focus the timeline (a search result opens here)."""
        timeline = self.query_one(TimelineView)
        timeline.select_event(event_id)
        timeline.focus()

    # -- reading -----------------------------------------------------------------------------

    def file_changed(self) -> None:
        """`warroom serve` saw the file change (a served tab): read what changed now, not at the next poll."""
        self.poll()

    def poll(self) -> None:
        """Pick up writes from other processes (and our writer) cheaply."""
        self.reader.poll()

    def refresh_data(self, *, force: bool = False) -> None:
        """Re-read what changed since the last look (tui/screens/incident_reads.py)."""
        self.reader.refresh(force=force)

    # -- writing -----------------------------------------------------------------------------

    def say(self, message: str, *, error: bool = False, waiting: bool = False) -> None:
        """One line of feedback under the entry: done (✓), waiting (…) or went wrong (⚠)."""
        status = self.query_one("#status", Static)
        text = ("⚠ " if error else "… " if waiting else "✓ ") + message
        old = str(status.content)
        if old != text:
            # A layout of the whole screen costs a few ms; only a message that changes height needs one.
            width = status.content_region.width
            one_line = bool(width) and cell_len(old) <= width and cell_len(text) <= width
            status.update(text, layout=not one_line)
        status.set_class(error, "-error")

    def saying(self, text: str) -> bool:
        """Whether the line of feedback under the entry shows `text` (its ✓, … or ⚠ included); False once the
        screen's widgets are gone (a draft saved as the screen closes)."""
        found = self.query("#status")
        return bool(found) and str(found.first(Static).content) == text

    def slow_write(self) -> None:
        # A write waits while another program holds the database (up to ~20 s before it gives up): say so.
        self.say("saving: the database is busy with another program; your entry waits its turn", waiting=True)

    def after_write(self, outcome: jobs.Outcome) -> None:
        self.refresh_data()
        if outcome.event_id is not None:
            self.query_one(TimelineView).select_event(outcome.event_id)
        self._show_restored(outcome)

    def _show_restored(self, result: jobs.Outcome) -> None:
        """An undo or redo put a factor or action item back: its row gets the cursor, so the next key acts on it."""
        step = result.restored
        if step is None or step.number is None:
            return
        if step.record_type == "action":
            self.query_one(ActionsPane).highlight_number(step.number)
        elif step.record_type == "factor":
            self.query_one(FactorsPane).highlight_number(step.number)

    def screen_command(self, cmd: Command) -> bool:
        """Run a slash command that acts on the screen itself (/review, /undo, ...); False for the others."""
        screen_actions = {
            "undo": self.action_undo,
            "redo": self.action_redo,
            "trash": self.action_trash,
            "help": self.app.action_help,  # type: ignore[attr-defined]
            "list": self.action_incident_list,
            "review": self.action_review,
            "export": self.action_export,
            "update": self.action_update,
            "catchup": self.action_catchup,
        }
        if cmd.name not in screen_actions:
            return False
        screen_actions[cmd.name]()
        return True

    # -- the entry line (tui/entry_line.py keeps its bookkeeping) ----------------------------

    @on(QuickEntry.Entered)
    def submit_entry(self, message: QuickEntry.Entered) -> None:
        """Enter in the quick-entry line (which is empty again by now): log an event or run a slash command."""
        self.entry_line.submit(message)

    @on(Input.Changed, "#entry")
    def _entry_changed(self) -> None:
        self.entry_line.changed()

    def on_unmount(self) -> None:
        self.entry_line.leaving()

    @on(QuickEntry.Refused)
    def _entry_refused(self, message: QuickEntry.Refused) -> None:
        self.say(message.reason, error=True)

    @on(QuickEntry.PastedLines)
    def _pasted_lines(self, message: QuickEntry.PastedLines) -> None:
        """Several lines pasted: confirm logging each, join them into the line, or cancel; never drop any."""
        self.entry_line.pasted(message)

    # -- pane requests -----------------------------------------------------------------------

    @on(TimelineView.Highlighted)
    def _show_detail(self, message: TimelineView.Highlighted) -> None:
        self.query_one(EventDetail).event = message.event

    @on(TimelineView.EditRequested)
    def _edit_event(self, message: TimelineView.EditRequested) -> None:
        if message.event is not None:
            self.panes.edit_event(message.event)

    @on(TimelineView.DeleteRequested)
    def _delete_event(self, message: TimelineView.DeleteRequested) -> None:
        if message.event is not None:
            self.panes.delete_event(message.event)

    @on(TimelineView.StarRequested)
    def _star_event(self, message: TimelineView.StarRequested) -> None:
        if message.event is not None:
            self.panes.star_event(message.event)

    @on(EditItem, "#factors")
    def _edit_factor(self, message: EditItem) -> None:
        self.panes.edit_factor(message.number)

    @on(DeleteItem, "#factors")
    def _delete_factor(self, message: DeleteItem) -> None:
        self.panes.delete_factor(message.number)

    @on(EditItem, "#actions")
    def _edit_action(self, message: EditItem) -> None:
        self.panes.edit_action(message.number)

    @on(ToggleItem, "#actions")
    def _toggle_action(self, message: ToggleItem) -> None:
        self.panes.toggle_action(message.number)

    @on(DeleteItem, "#actions")
    def _delete_action(self, message: DeleteItem) -> None:
        self.panes.delete_action(message.number)

    # -- find (tui/find.py does the finding) -------------------------------------------------

    def action_find(self) -> None:
        """Open the find bar (the search starts from the event under the cursor)."""
        self.find.open()

    def action_find_next(self, direction: int = 1) -> None:
        """Go to the next (1) or previous (-1) match of the last find."""
        self.find.next(direction)

    def on_timeline_view_find_requested(self, message: TimelineView.FindRequested) -> None:
        """`/` in the timeline."""
        self.find.open()

    def on_find_bar_changed(self, message: FindBar.Changed) -> None:
        """Search again once typing pauses."""
        self.find.text_changed()

    def on_find_bar_step(self, message: FindBar.Step) -> None:
        """Enter accepts the match; up / down in the bar step."""
        self.find.step(message)

    def on_find_bar_closed(self, message: FindBar.Closed) -> None:
        """Back to the timeline, the cursor where the find left it."""
        self.find.closed()

    # -- actions -----------------------------------------------------------------------------

    def action_toggle_entry(self) -> None:
        """Jump between the entry line and the timeline (with the find bar open: close it, back to the entry line)."""
        # set_focus, not focus(): the keys typed straight after Escape go to the new pane, not the old one.
        entry, timeline = self.query_one(QuickEntry), self.query_one(TimelineView)
        if self.find.close():
            # Done finding: back to typing. A find bar left open would take the next line typed as a search.
            self.set_focus(entry)
        elif entry.has_focus:
            self.set_focus(timeline)
        else:
            self.set_focus(entry)

    def action_trash(self) -> None:
        """List deleted events, factors and action items; Enter restores one (the cursor goes to it)."""
        from warroom.tui.screens.trash import TrashScreen

        records = self.wapp.store.trash(self.incident_id)
        self.app.push_screen(TrashScreen(self.incident_id, records, self.wapp.tz), self._restore)

    def _restore(self, chosen: tuple[str, int] | None) -> None:
        if chosen is None:
            return
        self.run_job(jobs.restore_record(self.incident_id, *chosen))

    def action_incident_list(self) -> None:
        """Show every incident."""
        self.wapp.show_incident_list()

    def action_followup(self) -> None:
        """Show every incident's action items by follow-through group."""
        self.wapp.show_followup()

    def action_edit_notes(self) -> None:
        """Edit the free-form notes."""
        self.panes.edit_notes()

    def action_review(self) -> None:
        """Step through the timeline in the post-mortem meeting (from the event picked in the timeline)."""
        from warroom.tui.screens.review import ReviewScreen

        timeline = self.query_one(TimelineView)
        start = timeline.current.id if timeline.has_focus and timeline.current else None
        self.app.push_screen(ReviewScreen(self.incident_id, start_event_id=start))

    def action_export(self) -> None:
        """Preview the post-mortem, see what is missing, write it to a file."""
        from warroom.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.incident_id))

    def action_writeup(self) -> None:
        """Write the summary, impact and lessons."""
        self.panes.writeup()

    def action_catchup(self) -> None:
        """Show the state of the incident for someone joining the bridge."""
        from warroom.tui.screens.catchup import CatchUpScreen

        self.app.push_screen(CatchUpScreen(self.incident_id))

    def action_update(self) -> None:
        """Draft a stakeholder update from the incident as it stands; open it for editing, then log it."""
        self.panes.send_update()

    def prefill_entry(self, text: str) -> None:
        """Put text in the entry line, ready to finish and press Enter."""
        entry = self.query_one(QuickEntry)
        entry.restore(text, None)
        entry.focus()
