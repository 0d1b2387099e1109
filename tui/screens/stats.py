"""Stats across incidents: incidents per month by severity, response times, and action items done on time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from warroom.store import metrics
from warroom.store.kinds import Severity
from warroom.store.library import FILTER_HINT, parse_filter
from warroom.store.metrics import LibraryMetrics
from warroom.store.review_followup import ReviewShare, review_share
from warroom.store.text import visible_line
from warroom.store.timeparse import format_duration, zone_name
from warroom.tui.read_apart import read_apart
from warroom.tui.screens.base import WarroomScreen
from warroom.widgets.bar_chart import Bar, BarChart, Series
from warroom.widgets.incident_header import severity_style
from warroom.widgets.key_bar import KeyBar
from warroom.widgets.line_input import LineInput
from warroom.widgets.row_table import RowTable

if TYPE_CHECKING:
    from pathlib import Path

    from warroom.store.config import Config
    from warroom.store.library import IncidentFilter
    from warroom.store.reads import Reads

#: Severity segments: colour as in the header, and a character of their own for monochrome terminals.
SEVERITY_CHARS = "█▓▒░▚▞▙▟"


def severity_series(names: Sequence[str]) -> list[Series]:
    """One segment per severity (the config's levels, then any stored level it no longer defines)."""
    return [
        Series(name, severity_style(name).split(" on ")[-1], SEVERITY_CHARS[i % len(SEVERITY_CHARS)])
        for i, name in enumerate(names)
    ]


SEVERITY_SERIES = severity_series([s.value for s in Severity])
FOLLOWTHROUGH_SERIES = [
    Series("on time", "green", "█"),
    Series("closed late", "yellow", "▒"),
    Series("open past deadline", "red", "░"),
]

REVIEW_SERIES = [
    Series("on time", "green", "█"),
    Series("reviewed late", "yellow", "▒"),
    Series("overdue", "red", "░"),
]


def _seconds(value: float | None) -> str:
    """Seconds as a duration, or a dash."""
    return format_duration(None if value is None else dt.timedelta(seconds=value))


#: From this many incidents the figures are computed in a worker on a connection of its own, after the screen's
#: first paint (10,000 incidents take a quarter of a second); the keys stay live meanwhile.
WORKER_FROM = 1000
#: What stands where the figures go until they are in.
COMPUTING = "computing…"


@dataclass(frozen=True)
class Figures:
    """Everything the screen shows for one filter text."""

    text: str
    metrics: LibraryMetrics
    reviews: ReviewShare


def compute_figures(store: Reads, config: Config, tz: dt.tzinfo, text: str, only: IncidentFilter) -> Figures:
    """The metrics of the incidents `only` lets through and the share of their post-mortems reviewed on time."""
    m = metrics.load(store, tz, only, config.severity_names)
    ids = {t.incident_id for t in m.incidents}
    states = store.postmortems(config, tz)
    return Figures(text, m, review_share((pm for i, pm in states.items() if i in ids), m.today, tz))


class FiguresRead(Message):
    """Figures computed off the UI thread, or why they could not be. Handled by `on_figures_read`."""

    def __init__(self, figures: Figures | None, error: BaseException | None) -> None:
        super().__init__()
        self.figures = figures
        self.error = error


#: Per-incident rows added at a time, and seconds between batches (room for keys and frames in between).
TABLE_BATCH = 100
TABLE_PAUSE = 0.03


class StatsScreen(WarroomScreen):
    """What the incidents add up to; the filter line takes the incident list's syntax."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
        Binding("slash", "focus_filter", "Filter", tooltip="Limit the stats to some incidents (list filter syntax)"),
        Binding("i", "focus_table", "Per incident", tooltip="Go to the table of every incident's times"),
    ]

    DEFAULT_CSS = """
    StatsScreen #stats-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    StatsScreen #stats-filter-row { height: 1; margin-top: 1; background: $boost; }
    StatsScreen #stats-filter-prompt { width: 10; padding-left: 1; color: $accent; text-style: bold; }
    StatsScreen #stats-filter { background: $boost; }
    StatsScreen #stats-hint { height: 1; padding: 0 1; color: $text-muted; margin-bottom: 1; }
    StatsScreen #stats-body { height: 1fr; }
    StatsScreen .section { height: 1; padding: 0 1; color: $text-muted; text-style: bold; }
    StatsScreen .section.-spaced { margin-top: 1; }
    StatsScreen #times, StatsScreen #followthrough-text, StatsScreen #reviews-text { height: auto; padding: 0 1; }
    StatsScreen #per-incident { height: auto; }
    StatsScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, filter_text: str = "") -> None:
        super().__init__()
        self.filter_text = filter_text
        self.result: LibraryMetrics | None = None
        #: The incidents the per-incident table is being filled with (a batch at a time).
        self._table_rows: list[metrics.IncidentTimes] = []
        #: Whether the figures are computed in a worker (a large library in a file); one is computing; the filter
        #: changed since it started.
        self._in_worker = False
        self._computing = False
        self._compute_again = False
        #: The filter text whose figures are shown or on their way.
        self._asked: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("warroom · stats", id="stats-title", markup=False)
        with Horizontal(id="stats-filter-row"):
            yield Static("filter › ", id="stats-filter-prompt")
            yield LineInput(self.filter_text, placeholder="every incident", id="stats-filter", compact=True)
        yield Static(FILTER_HINT, id="stats-hint", markup=False)
        with VerticalScroll(id="stats-body"):
            yield Static("Incidents per month, by severity", classes="section", markup=False)
            yield BarChart(SEVERITY_SERIES, empty_text="No incidents match.", id="per-month")
            yield Static("Response times, from the start", classes="section -spaced", markup=False)
            yield Static("", id="times")
            yield Static("Action items closed by their deadline", classes="section -spaced", markup=False)
            yield BarChart(FOLLOWTHROUGH_SERIES, empty_text="None due yet.", legend=False, id="followthrough")
            yield Static("", id="followthrough-text")
            yield Static("Post-mortems reviewed by their due date", classes="section -spaced", markup=False)
            yield BarChart(REVIEW_SERIES, empty_text="None due yet.", legend=False, id="reviews")
            yield Static("", id="reviews-text")
            yield Static("Per incident (Enter opens it)", classes="section -spaced", markup=False)
            yield RowTable(id="per-incident")
        yield Static("", id="status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#per-incident", RowTable)
        for label, key in [("ID", "id"), ("Sev", "sev"), ("Title", "title"), ("TTD", "ttd"), ("TTM", "ttm")]:
            table.add_column(Text(" " + label), key=key)
        table.add_column(Text(" TTR"), key="ttr")
        store = self.wapp.store
        self._in_worker = store.path is not None and store.incident_count() >= WORKER_FROM
        if self._in_worker:
            # The frame first (titles, "computing…" where the figures go); the figures once the worker has them.
            for chart in self.query(BarChart):
                chart.display = False
            for name in ("#times", "#followthrough-text", "#reviews-text", "#status"):
                self.query_one(name, Static).update(COMPUTING)
            self._asked = self.filter_text
            self.call_after_refresh(self.reload)
        else:
            self.reload()
        self.query_one("#stats-body", VerticalScroll).focus()

    @on(Input.Changed, "#stats-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if event.value != self._asked:  # not the line's first value as it is mounted: that one is on its way
            self.reload()

    def reload(self) -> None:
        """Compute the metrics of the incidents the filter lets through (in a worker for a large library)."""
        text = self.query_one("#stats-filter", Input).value
        self._asked = text
        store = self.wapp.store
        if not self._in_worker or store.path is None:  # an in-memory database is only seen by this connection
            self._show_figures(compute_figures(store, self.wapp.config, self.wapp.tz, text, parse_filter(text)))
        elif self._computing:
            self._compute_again = True
        else:
            self._start_compute(store.path, text)

    def _start_compute(self, path: Path, text: str) -> None:
        self._computing, self._compute_again = True, False
        self._compute_in_worker(path, text)

    @work(thread=True, exit_on_error=False)
    def _compute_in_worker(self, path: Path, text: str) -> None:
        """Compute on this worker's own connection; the result is a message (dropped if the screen closed)."""
        app = self.wapp
        only = parse_filter(text)
        figures, error = read_apart(
            path, app.clock, lambda store: compute_figures(store, app.config, app.tz, text, only)
        )
        if not get_current_worker().is_cancelled:
            self.post_message(FiguresRead(figures, error))

    def on_figures_read(self, message: FiguresRead) -> None:
        self._computing = False
        text = self.query_one("#stats-filter", Input).value
        if message.error is not None:
            self.query_one("#status", Static).update(f"⚠ could not compute the figures: {message.error}")
        elif message.figures is not None and message.figures.text == text:
            self._show_figures(message.figures)
        else:
            self._compute_again = True  # the filter changed while it computed
        path = self.wapp.store.path
        if self._compute_again and path is not None:
            self._start_compute(path, text)

    def _show_figures(self, figures: Figures) -> None:
        """Show computed figures and say how many incidents they count."""
        only = parse_filter(figures.text)
        self.result = figures.metrics
        for chart in self.query(BarChart):
            chart.display = True
        self._show(self.result, figures.reviews)
        status = self.query_one("#status", Static)
        if only.problems:
            status.update("⚠ " + only.problems[0])
        else:
            n = len(self.result.incidents)
            scope = "every incident" if only.is_empty else "incidents matching the filter"
            status.update(f"{n} {'incident' if n == 1 else 'incidents'} ({scope}) · times in {zone_name(self.wapp.tz)}")

    def _show(self, m: LibraryMetrics, r: ReviewShare) -> None:
        chart = self.query_one("#per-month", BarChart)
        columns = list(m.per_month[0][1]) if m.per_month else self.wapp.config.severity_names
        chart.series = severity_series(columns)
        chart.show([Bar(month, tuple(counts[s] for s in columns)) for month, counts in m.per_month])
        times = Table.grid(padding=(0, 2))
        times.add_column(width=16)
        for _ in range(3):
            times.add_column(justify="right")
        times.add_row(Text("", "dim"), Text("incidents", "dim"), Text("median", "dim"), Text("p90", "dim"))
        rows = [("Time to detect", m.detect), ("Time to mitigate", m.mitigate), ("Time to resolve", m.resolve)]
        for label, summary in rows:
            median, p90 = _seconds(summary.median_seconds), _seconds(summary.p90_seconds)
            cells: list[str | Text] = [label, str(summary.count), median, p90]
            if summary.left_out:
                cells.append(Text(f"left out: {summary.left_out}", "italic"))
            times.add_row(*cells)
        self.query_one("#times", Static).update(times)
        a = m.actions
        bars = [Bar("", (a.closed_on_time, a.closed_late, a.open_overdue))] if a.decided else []
        self.query_one("#followthrough", BarChart).show(bars)
        legend = Text()
        for series, n in zip(FOLLOWTHROUGH_SERIES, (a.closed_on_time, a.closed_late, a.open_overdue), strict=True):
            legend.append(series.char, series.style)
            legend.append(f" {series.name} {n}  ")
        if a.share is not None:
            legend.append(f"→ {a.share:.0%} of {a.decided} on time", "bold")
        self.query_one("#followthrough-text", Static).update(legend)
        self._show_reviews(r)
        self._fill_table(m)

    def _show_reviews(self, r: ReviewShare) -> None:
        """The share of these incidents' post-mortems reviewed by their due date (late and overdue beside it)."""
        counts = (r.on_time, r.late, r.overdue)
        self.query_one("#reviews", BarChart).show([Bar("", counts)] if r.decided else [])
        legend = Text()
        for series, n in zip(REVIEW_SERIES, counts, strict=True):
            legend.append(series.char, series.style)
            legend.append(f" {series.name} {n}  ")
        if r.share is not None:
            legend.append(f"→ {r.share:.0%} of {r.decided} on time", "bold")
        self.query_one("#reviews-text", Static).update(legend)

    def _fill_table(self, m: LibraryMetrics) -> None:
        """One row per incident, most recent first: a screenful now, the rest a batch at a time (10,000 rows
        would hold up the first paint, and every key typed in the filter, for seconds)."""
        table = self.query_one("#per-incident", RowTable)
        table.clear()
        self._table_rows = list(reversed(m.incidents))
        self._add_rows(self._table_rows)

    def _add_rows(self, rows: list[metrics.IncidentTimes]) -> None:
        """The next batch of `rows` into the table, unless the table was refilled meanwhile."""
        if rows is not self._table_rows:
            return
        table = self.query_one("#per-incident", RowTable)
        batch: list[tuple[str | None, tuple[Text, ...]]] = []
        for t in rows[table.row_count : table.row_count + TABLE_BATCH]:
            ttr = Text(" ongoing", "italic") if t.ongoing else Text(" " + t.span_text("resolved"))
            cells = (
                Text(" " + visible_line(t.incident_id), "bold"),
                Text.assemble(" ", (f" {t.severity} ", severity_style(t.severity))),
                Text(" " + visible_line(t.title)),
                Text(" " + t.span_text("detected")),
                Text(" " + t.span_text("mitigated")),
                ttr,
            )
            batch.append((t.incident_id, cells))
        table.add_rows(batch)
        if table.row_count < len(rows):
            self.set_timer(TABLE_PAUSE, lambda: self._add_rows(rows))

    @on(Input.Submitted, "#stats-filter")
    def _filter_done(self) -> None:
        self.query_one("#per-incident", RowTable).focus()

    @on(RowTable.RowHighlighted, "#per-incident")
    def _follow_cursor(self, event: RowTable.RowHighlighted) -> None:
        # The table grows to its full height inside the scrolling body, so the body must follow the cursor.
        table = self.query_one("#per-incident", RowTable)
        if not table.has_focus:
            return
        row = table.virtual_region.y + 1 + event.cursor_row
        self.query_one("#stats-body", VerticalScroll).scroll_to_region(
            Region(0, row, 1, 1), animate=False, spacing=None
        )

    @on(RowTable.RowSelected, "#per-incident")
    def _open_incident(self, event: RowTable.RowSelected) -> None:
        if event.key:
            self.wapp.open_incident(event.key)

    def action_focus_table(self) -> None:
        """Move to the per-incident table."""
        self.query_one("#per-incident", RowTable).focus()

    def action_focus_filter(self) -> None:
        """Type a filter (the incident list's syntax) to limit the stats."""
        self.query_one("#stats-filter", Input).focus()

    def action_back(self) -> None:
        """Back to the previous screen (from the filter line: back to the table)."""
        if self.query_one("#stats-filter", Input).has_focus:
            self.query_one("#per-incident", RowTable).focus()
            return
        self.app.pop_screen()
