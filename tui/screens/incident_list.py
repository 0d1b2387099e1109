"""The incident list: every incident at a glance; filter by words or sev:/status:/tag:/since:/until:, Enter opens."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from warroom.store.followup import today_in
from warroom.store.library import FILTER_HINT, haystack, parse_filter
from warroom.store.records import Incident
from warroom.store.spans import BEFORE_START
from warroom.store.store import IncidentListing, Store
from warroom.store.text import visible_line
from warroom.store.timeparse import format_duration
from warroom.tui.paint import PromptPaint
from warroom.tui.screens.base import WarroomScreen
from warroom.widgets.incident_header import severity_style
from warroom.widgets.key_bar import KeyBar
from warroom.widgets.line_input import LineInput
from warroom.widgets.row_lines import Cell
from warroom.widgets.row_table import RowTable

#: Rows added to the incident table at a time (a screenful and more; the rest follow a batch a frame).
BATCH = 100
#: Seconds between those batches: room for keys and frames in between.
PAUSE = 0.03


class IncidentListScreen(WarroomScreen, PromptPaint):
    """Severity, status, start, duration and open action items of every incident.

    A character typed in the filter is painted with the rows it lets through as soon as they are in (PromptPaint),
    not at the next frame slot.
    """

    # Here rather than in app.tcss: a start onto an open incident does not parse what only this screen uses.
    DEFAULT_CSS = """
    IncidentListScreen #list-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    IncidentListScreen #filter-row { height: 1; margin: 1 0 0 0; background: $boost; }
    IncidentListScreen #filter-hint { height: 1; margin-bottom: 1; padding: 0 1; color: $text-muted; }
    IncidentListScreen #filter-prompt { width: 10; padding-left: 1; color: $accent; text-style: bold; }
    IncidentListScreen #filter { background: $boost; }
    IncidentListScreen #incidents { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_incident", "New", priority=True, tooltip="Start a new incident"),
        Binding("enter", "open_incident", "Open", priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("ctrl+f", "search", "Search", tooltip="Search every incident's timeline, causes and action items"),
        Binding("slash", "search", "Search", show=False),
        Binding("ctrl+t", "followup", "Follow-through", tooltip="Action items of every incident, overdue first"),
        Binding("ctrl+g", "stats", "Stats", tooltip="Metrics of the incidents the filter shows"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._listings: list[IncidentListing] = []
        #: The incidents the filter lets through, and how many of them are in the table so far.
        self._pending: list[IncidentListing] = []
        self._added = 0
        #: How many incidents there are while only the first screenful has been read (None once all are).
        self._partial_total: int | None = None
        #: Each listed incident's text that filter words are looked for in (`haystack`), made with the read.
        self._haystacks: list[str] = []
        #: Each incident's cells as put in the table, by id, until the next read: a row shown again by another
        #: filter is not made again (nor are the cells of the rows the last filter showed thrown away per key).
        self._cells: dict[str, tuple[Cell, ...]] = {}
        #: The cells many rows show alike, by what they show, until the next read (see `_next_rows`).
        self._shared: dict[tuple[object, ...], Text] = {}
        #: The last words-only filter's words and the positions in the listings of those it let through: typing
        #: more of the words looks only among those. (Positions, not pairs: plain numbers are nothing for the
        #: garbage collector to go through.)
        self._narrowed: tuple[tuple[str, ...], list[int]] | None = None
        #: (data_version, day in the display zone) when the listings were last read.
        self._read_as: tuple[int, dt.date] | None = None
        #: The minute the open incidents' durations were last worked out for.
        self._minute: dt.datetime | None = None
        #: Rows are left to add, waiting for this screen to be shown again.
        self._waiting = False

    def compose(self) -> ComposeResult:
        yield Static("warroom · incidents", id="list-title")
        with Horizontal(id="filter-row"):
            yield Static("filter › ", id="filter-prompt")
            yield LineInput(placeholder="words, or sev:1-2 status:open tag:NAME since:DATE", id="filter", compact=True)
        yield Static(FILTER_HINT, id="filter-hint", markup=False)
        yield RowTable(id="incidents")
        yield Static("", id="status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        # No cell padding, so the title keeps some room at 80 columns: each cell brings one leading space.
        columns = [("ID", "id"), ("Sev", "sev"), ("Status", "status"), ("Title", "title"), ("Started", "started")]
        columns += [("Duration", "duration"), ("Open", "open")]
        for label, key in columns:
            table.add_column(Text(" " + label), key=key)
        self._first_read()
        line = self.query_one("#filter", Input)
        line.focus()
        # Filtered as the line changes, in the same moment: the line's Changed message would reach this screen
        # after the line had asked for its paint, and the rows would wait for the frame after.
        self.watch(line, "value", self._filter_changed, init=False)
        self.set_interval(1.0, self.poll)

    def poll(self) -> None:
        """Read the incidents again only when the file changed or the day turned; each minute, the durations.

        SQLite's data_version tells in microseconds whether any connection committed; rereading 10,000
        incidents every second would not (nor every minute: 0.3 s). When only the minute changed, the open
        incidents' durations are worked out again from what was read.
        """
        if not self.is_active:
            self._waiting = True  # read again when shown (`on_screen_resume`), not while another screen paints
            return
        store = self.wapp.store
        now = store.now()
        if (store.data_version, today_in(now, self.wapp.tz)) != self._read_as:
            self.reload()
        elif now.replace(second=0, microsecond=0) != self._minute and self._partial_total is None:
            self._durations_moved()

    def _durations_moved(self) -> None:
        """A minute passed and nothing was written: the open incidents' rows are made again, nothing is read."""
        self._minute = self.wapp.store.now().replace(second=0, microsecond=0)
        made = self._cells
        for item in self._listings:
            if item.incident.resolved_at is None:
                made.pop(item.incident.id, None)
        self._shared = {key: cell for key, cell in self._shared.items() if key[0] != "duration"}
        self._show(keep=self.query_one(RowTable).current_key)

    def _first_read(self) -> None:
        """The most recent incidents, a screenful, for the first paint; every incident straight after it."""
        store = self.wapp.store
        total = store.incident_count()
        if total <= BATCH:
            self.reload()
            return
        # As many as the terminal has lines: the table's own height is not laid out yet, and is less.
        first = min(BATCH, self.app.size.height or BATCH)
        self._listings = store.list_incidents(today=today_in(store.now(), self.wapp.tz), limit=first)
        self._haystacks = []
        self._cells = {}
        self._narrowed = None
        self._partial_total = total
        self._show()
        self.call_after_refresh(self._read_rest)

    def _read_rest(self) -> None:
        """Every incident, after the first screenful's paint; if another screen is on top by then, once shown again."""
        if self.is_active:
            self.reload()
        else:
            self._waiting = True

    def reload(self) -> None:
        """Read the incidents again and show those matching the filter."""
        store = self.wapp.store
        now = store.now()
        self._read_as = (store.data_version, today_in(now, self.wapp.tz))
        self._minute = now.replace(second=0, microsecond=0)
        # Overdue counts use today in the display zone, as the header and follow-through do.
        self._listings = store.list_incidents(today=today_in(store.now(), self.wapp.tz))
        # Made with the read, not with the first key typed after it.
        self._haystacks = [haystack(i.incident) for i in self._listings]
        self._cells = {}
        self._shared = {}
        self._narrowed = None
        self._partial_total = None
        self._show(keep=self.query_one(RowTable).current_key)

    def _filter_changed(self) -> None:
        self._show()

    def _show(self, *, keep: str | None = None) -> None:
        """Show the incidents the filter lets through; the highlight stays on incident `keep` when it is still
        listed (a read again: incidents added above it move it down), else on the same row."""
        table = self.query_one(RowTable)
        only = parse_filter(self.query_one("#filter", Input).value)
        keep_row = table.cursor_row
        tz = self.wapp.tz
        if only.is_empty:
            matching = self._listings
        elif only.words_only:  # typing words: each incident's text made once per read, not once per key
            if len(self._haystacks) != len(self._listings):  # the first screenful's, read before the rest
                self._haystacks = [haystack(i.incident) for i in self._listings]
            texts = self._haystacks
            if self._narrowed and all(any(old in new for new in only.words) for old in self._narrowed[0]):
                kept = self._narrowed[1]  # every incident the new words match, the old ones matched too
            else:
                kept = list(range(len(texts)))
            for word in only.words:  # one word at a time over fewer and fewer incidents, `in` on plain strings
                kept = [n for n in kept if word in texts[n]]
            self._narrowed = (only.words, kept)
            listings = self._listings
            matching = [listings[n] for n in kept]
        else:
            matching = [i for i in self._listings if only.matches(i.incident, tz)]
        if keep is not None:
            keep_row = next((n for n, i in enumerate(matching) if i.incident.id == keep), keep_row)
        # A screenful (and the highlighted row) now, the rest a batch a frame: a keystroke in the filter never
        # waits for 10,000 rows to be built, and the list stays usable while they are.
        self._pending, self._added = matching, 0
        # The table draws only the rows in sight: a screenful is all the first frame needs (until the table is laid
        # out, as many as the terminal has lines).
        screenful = table.size.height or self.app.size.height or BATCH
        # End pressed while rows were still to come (or only the first screenful was read) is kept across a read.
        to_last = keep is not None and table.following_last
        # Only the first screenful read: the scrollbar (and End) counts every incident already.
        coming = self._partial_total if self._partial_total is not None and only.is_empty else len(matching)
        table.set_rows(self._next_rows(max(screenful, keep_row + 1)), total=coming)
        if matching:
            table.move_cursor(row=min(keep_row, len(matching) - 1))
            if to_last:
                table.action_last()
        status = self.query_one("#status", Static)
        total = len(self._listings) if self._partial_total is None else self._partial_total
        shown = str(len(matching))
        if self._partial_total is not None:  # only the first screenful read yet, for a moment
            shown = str(total) if only.is_empty else "…"
        if not total:
            status.update("No incidents yet. Press ctrl+n to start one.")
        elif only.problems:
            status.update(f"⚠ {only.problems[0]}")
        else:
            status.update(f"{shown} of {total} incidents · Enter opens · ctrl+n starts a new one")
        if self._added < len(matching):
            self.set_timer(PAUSE, lambda: self._add_more(matching))

    def _add_more(self, matching: list[IncidentListing]) -> None:
        """The next batch of rows, unless the filter or the listings changed meanwhile.

        While another screen is on top the batches wait (they would hold up that screen's frames); showing this
        screen again carries on from the first row not yet added (`on_screen_resume`).
        """
        if matching is not self._pending:
            return
        if not self.is_active:
            self._waiting = True
            return
        self.query_one(RowTable).add_rows(self._next_rows(BATCH))
        if self._added < len(matching):
            self.set_timer(PAUSE, lambda: self._add_more(matching))

    def on_screen_resume(self) -> None:
        """Shown again: read every incident if only the first screenful was, or again if the file changed; else
        carry on adding the rows that waited."""
        if not self._waiting:
            return  # the first time shown, or nothing waited
        self._waiting = False
        if self._partial_total is not None:
            self.call_after_refresh(self._read_rest)
            return
        matching = self._pending
        if self._added < len(matching):
            self.set_timer(PAUSE, lambda: self._add_more(matching))
        self.poll()

    def _next_rows(self, count: int) -> list[tuple[str | None, tuple[Cell, ...]]]:
        """Up to `count` more of the matching incidents' rows, for the table; counted as added."""
        now = self.wapp.store.now()
        tz = self.wapp.tz
        made = self._cells
        shared = self._shared
        rows: list[tuple[str | None, tuple[Cell, ...]]] = []
        for item in self._pending[self._added : self._added + count]:
            inc = item.incident
            known = made.get(inc.id)
            if known is not None:
                rows.append((inc.id, known))
                continue
            end = inc.resolved_at or now
            # The cells many rows show alike (severity, status, duration, action counts) are one Text each, shared
            # by those rows: fewer objects for the garbage collector to go through, and the table styles a shared
            # cell once.
            severity = shared.get(("sev", inc.severity))
            if severity is None:
                severity = Text.assemble(" ", (f" {inc.severity} ", severity_style(inc.severity)))
                shared[("sev", inc.severity)] = severity
            status = shared.get(("status", inc.status.value))
            if status is None:
                status = shared[("status", inc.status.value)] = Text(" " + inc.status.value)
            open_ai = shared.get(("open", item.open_actions, item.overdue_actions))
            if open_ai is None:
                open_ai = Text(f" {item.open_actions}")
                if item.overdue_actions:
                    open_ai.append(f" ({item.overdue_actions}!)", "bold red")
                shared[("open", item.open_actions, item.overdue_actions)] = open_ai
            shown = " " + short_duration(end - inc.started_at) + ("" if inc.resolved_at else " …")
            duration = shared.get(("duration", shown))
            if duration is None:
                duration = shared[("duration", shown)] = Text(shown)
            cells = (
                Text(" " + visible_line(inc.id), "bold"),
                severity,
                status,
                " " + visible_line(inc.title),  # plain text: a str, not a Text (see RowTable)
                " " + inc.started_at.astimezone(tz).strftime("%m-%d %H:%M"),
                duration,
                open_ai,
            )
            made[inc.id] = cells
            rows.append((inc.id, cells))
        self._added = min(self._added + count, len(self._pending))
        return rows

    def action_move(self, delta: int) -> None:
        """Move the highlight while the filter keeps focus."""
        table = self.query_one(RowTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + delta, table.row_count - 1)))

    def action_open_incident(self) -> None:
        """Open the highlighted incident."""
        table = self.query_one(RowTable)
        if key := table.current_key:
            self.wapp.open_incident(key)

    def action_search(self) -> None:
        """Search every incident (the filter line narrows this list; search looks inside incidents)."""
        self.wapp.show_search()

    def action_followup(self) -> None:
        """Show every incident's action items by follow-through group."""
        self.wapp.show_followup()

    def action_stats(self) -> None:
        """Show metrics of the incidents the filter lets through."""
        self.wapp.show_stats(self.query_one("#filter", Input).value)

    def action_clear_filter(self) -> None:
        """Empty the filter."""
        self.query_one("#filter", Input).value = ""

    def action_new_incident(self) -> None:
        """Start a new incident and open it."""
        from warroom.tui.editors import new_incident_form  # the forms load on first use, not at start-up

        def create(values: dict[str, Any] | None) -> None:
            if not values:
                return

            def job(store: Store) -> Incident:
                return store.create_incident(
                    values["title"], severity=values["severity"], owner=values["owner"], started_at=values["started_at"]
                )

            def done(incident: Incident | None, error: BaseException | None) -> None:
                if error is not None or incident is None:
                    self.query_one("#status", Static).update(f"⚠ {error}")
                    return
                self.wapp.open_incident(incident.id)

            self.wapp.submit(job, done, reply_to=self)

        self.app.push_screen(new_incident_form(self.wapp.clock, self.wapp.tz, self.wapp.config), create)


def short_duration(delta: dt.timedelta) -> str:
    """A duration for a narrow column: days and hours once it is over a day (`2 d 18 h`)."""
    if delta < dt.timedelta(0):
        return BEFORE_START  # resolved before the recorded start (store/spans.py), or a start still ahead
    if delta >= dt.timedelta(days=1):
        hours = int(delta.total_seconds()) // 3600
        return f"{hours // 24} d {hours % 24} h"
    return format_duration(delta)
