"""The incident list: every incident at a glance; filter by words or sev:/status:/tag:/since:/until:, Enter opens."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
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
from warroom.tui.screens.base import WarroomScreen
from warroom.widgets.incident_header import severity_style
from warroom.widgets.key_bar import KeyBar
from warroom.widgets.line_input import LineInput
from warroom.widgets.row_table import RowTable

#: Incidents read for the first paint (a screenful and more; every incident is read straight after it).
BATCH = 100
#: The width of the Started column (` MM-DD HH:MM`).
STARTED_WIDTH = 12


class IncidentListScreen(WarroomScreen):
    """Severity, status, start, duration and open action items of every incident."""

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
        #: When the listings were read (open incidents' durations run to it), and each column's widest cell among them.
        self._now = dt.datetime.now(dt.UTC)
        self._widths: tuple[int, ...] = (0,) * 7
        #: How many incidents there are while only the first screenful has been read (None once all are).
        self._partial_total: int | None = None
        #: Each listed incident's text that filter words are looked for in, made when first needed.
        self._haystacks: list[str] = []
        #: The last words-only filter's words and the (listing, text) pairs it let through: typing more of the
        #: words looks only among those.
        self._narrowed: tuple[tuple[str, ...], list[tuple[IncidentListing, str]]] | None = None
        #: (data_version, minute) when the listings were last read.
        self._seen: tuple[int, dt.datetime] | None = None
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
        self.query_one("#filter", Input).focus()
        self.set_interval(1.0, self.poll)

    def poll(self) -> None:
        """Read the incidents again only when the file changed, the day turned, or a minute passed.

        SQLite's data_version tells in microseconds whether any connection committed; rereading 10,000
        incidents every second would not. The minute keeps open incidents' durations moving.
        """
        if not self.is_active:
            self._waiting = True  # read again when shown (`on_screen_resume`), not while another screen paints
            return
        store = self.wapp.store
        seen = (store.data_version, store.now().replace(second=0, microsecond=0))
        if seen != self._seen:
            self.reload()

    def _first_read(self) -> None:
        """The most recent incidents, a screenful, for the first paint; every incident straight after it."""
        store = self.wapp.store
        total = store.incident_count()
        if total <= BATCH:
            self.reload()
            return
        self._listings = store.list_incidents(today=today_in(store.now(), self.wapp.tz), limit=BATCH)
        self._now = store.now()
        self._measure()
        self._haystacks = []
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
        self._seen = (store.data_version, store.now().replace(second=0, microsecond=0))
        # Overdue counts use today in the display zone, as the header and follow-through do.
        self._listings = store.list_incidents(today=today_in(store.now(), self.wapp.tz))
        self._now = store.now()
        self._measure()
        self._haystacks = []
        self._narrowed = None
        self._partial_total = None
        self._show()

    @on(Input.Changed, "#filter")
    def _show(self) -> None:
        table = self.query_one(RowTable)
        only = parse_filter(self.query_one("#filter", Input).value)
        keep_row = table.cursor_row
        tz = self.wapp.tz
        if only.is_empty:
            matching = self._listings
        elif only.words_only:  # typing words: each incident's text made once per read, not once per key
            if len(self._haystacks) != len(self._listings):
                self._haystacks = [haystack(i.incident) for i in self._listings]
            if self._narrowed and all(any(old in new for new in only.words) for old in self._narrowed[0]):
                pairs = self._narrowed[1]  # every incident the new words match, the old ones matched too
            else:
                pairs = list(zip(self._listings, self._haystacks, strict=True))
            kept = [(i, text) for i, text in pairs if only.words_in(text)]
            self._narrowed = (only.words, kept)
            matching = [i for i, _ in kept]
        else:
            matching = [i for i in self._listings if only.matches(i.incident, tz)]
        # Every row at once, as the listing it comes from: the table makes a row's cells only when it is drawn, so a
        # keystroke in the filter never waits for 10,000 rows to be built.
        table.show_rows([i.incident.id for i in matching], matching, self._cells, self._widths)
        if matching:
            table.move_cursor(row=min(keep_row, len(matching) - 1))
        status = self.query_one("#status", Static)
        total = len(self._listings) if self._partial_total is None else self._partial_total
        shown = str(len(matching))
        if self._partial_total is not None:  # only the first screenful read yet, for a moment
            shown = str(total) if only.is_empty else "…"
        if not total:
            text = "No incidents yet. Press ctrl+n to start one."
        elif only.problems:
            text = f"⚠ {only.problems[0]}"
        else:
            text = f"{shown} of {total} incidents · Enter opens · ctrl+n starts a new one"
        self._say(status, text)

    def _say(self, status: Static, text: str) -> None:
        """The status line's text: without a layout of the screen when the old and new text each fit on the line."""
        old = str(status.content)
        if old != text:
            width = status.content_region.width
            status.update(text, layout=not (width and cell_len(old) <= width and cell_len(text) <= width))

    def _cells(self, item: IncidentListing) -> tuple[Text, ...]:
        """A listed incident's cells, made when its row is drawn (durations as of the last read)."""
        inc = item.incident
        id_text, severity, status, duration, open_text = _plain(item, self._now)
        open_ai = Text(open_text)
        if item.overdue_actions:
            open_ai.append(f" ({item.overdue_actions}!)", "bold red")
        return (
            Text(id_text, "bold"),
            Text.assemble(" ", (severity, severity_style(inc.severity))),
            Text(status),
            Text(" " + visible_line(inc.title)),
            Text(" " + inc.started_at.astimezone(self.wapp.tz).strftime("%m-%d %H:%M")),
            Text(duration),
            open_ai,
        )

    def _measure(self) -> None:
        """Each column's widest cell among the listings just read (the title takes the width the others leave)."""
        widths = [0, 0, 0, 0, STARTED_WIDTH if self._listings else 0, 0, 0]
        now = self._now
        for item in self._listings:
            id_text, severity, status, duration, open_text = _plain(item, now)
            overdue = len(f" ({item.overdue_actions}!)") if item.overdue_actions else 0
            for n, used in ((0, cell_len(id_text)), (1, 1 + cell_len(severity)), (2, len(status))):
                if used > widths[n]:
                    widths[n] = used
            widths[5] = max(widths[5], cell_len(duration))
            widths[6] = max(widths[6], len(open_text) + overdue)
        self._widths = tuple(widths)

    def on_screen_resume(self) -> None:
        """Shown again: read every incident if only the first screenful was, or again if the file changed meanwhile."""
        if not self._waiting:
            return  # the first time shown, or nothing waited
        self._waiting = False
        if self._partial_total is not None:
            self.call_after_refresh(self._read_rest)
        else:
            self.poll()

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


def _plain(item: IncidentListing, now: dt.datetime) -> tuple[str, str, str, str, str]:
    """A listed incident's ID, severity badge, status, duration and open action items as the row shows them (the
    overdue count aside): what the cells are made of, and measured by."""
    inc = item.incident
    end = inc.resolved_at or now
    return (
        " " + visible_line(inc.id),
        f" {inc.severity} ",
        " " + inc.status.value,
        " " + short_duration(end - inc.started_at) + ("" if inc.resolved_at else " …"),
        f" {item.open_actions}",
    )
