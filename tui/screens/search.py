"""Search every incident: timeline events, root-cause notes, action items and write-ups; Enter opens the match."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from warroom.store.search_results import SearchResult, marked_parts
from warroom.tui.screens.base import WarroomScreen
from warroom.widgets.key_bar import KeyBar
from warroom.widgets.line_input import LineInput
from warroom.widgets.search_list import ResultRow, SearchList

SEARCH_HINT = "whole words; the last also as a prefix · ↑↓ choose · Enter opens at the match"
#: How many results one search shows.
LIMIT = 50


class SearchScreen(WarroomScreen):
    """Type words; the best matches across every incident are listed as you type."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
        Binding("down", "move(1)", "Next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", show=False, priority=True),
        Binding("enter", "open", "Open", priority=True, tooltip="Open the incident at the highlighted match"),
    ]

    DEFAULT_CSS = """
    SearchScreen #search-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    SearchScreen #search-row { height: 1; margin-top: 1; background: $boost; }
    SearchScreen #search-prompt { width: 10; padding-left: 1; color: $accent; text-style: bold; }
    SearchScreen #query { background: $boost; }
    SearchScreen #search-hint { height: 1; padding: 0 1; color: $text-muted; margin-bottom: 1; }
    SearchScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query
        self.results: list[SearchResult] = []
        self._timer: Any = None
        #: The query the results shown are for (the line may be ahead of it while typing).
        self.searched: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("warroom · search all incidents", id="search-title", markup=False)
        with Horizontal(id="search-row"):
            yield Static("search › ", id="search-prompt")
            yield LineInput(
                self.query_text, placeholder="words from any timeline, cause or action item", id="query", compact=True
            )
        yield Static(SEARCH_HINT, id="search-hint", markup=False)
        yield SearchList(id="results")
        yield Static("", id="status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.run_search()

    @on(Input.Changed, "#query")
    def _typed(self) -> None:
        # Wait for a pause in typing: ranking every incident on each key would make typing lag.
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.15, self.run_search)

    def run_search(self) -> None:
        """Search for what the line holds now and show the ranked results."""
        if self._timer is not None:
            self._timer.stop()
        query = self.searched = self.query_one("#query", Input).value
        self.results = self.wapp.store.search_results(query, LIMIT)
        tz = self.wapp.tz
        rows = []
        for r in self.results:
            where = r.where + (f" {r.occurred_at.astimezone(tz):%Y-%m-%d %H:%M}" if r.occurred_at else "")
            rows.append(ResultRow(str(r.rank), r.incident_id, where, r.incident_title, tuple(marked_parts(r.snippet))))
        self.query_one(SearchList).show(rows)
        status = self.query_one("#status", Static)
        if not query.strip():
            status.update("Type to search every incident.")
        elif not rows:
            status.update("No matches.")
        else:
            more = f" (the best {LIMIT})" if len(rows) == LIMIT else ""
            incidents = len({r.incident_id for r in self.results})
            status.update(f"{len(rows)} matches{more} in {incidents} incident{'s' if incidents != 1 else ''}")

    def action_move(self, delta: int) -> None:
        """Move the highlight while the search line keeps focus."""
        results = self.query_one(SearchList)
        if results.option_count:
            current = results.highlighted or 0
            results.highlighted = max(0, min(current + delta, results.option_count - 1))

    def action_open(self) -> None:
        """Open the highlighted result's incident, at the event when it is one."""
        if self.query_one("#query", Input).value != self.searched:
            # Enter came before the pause in typing: search what is typed now first.
            self.run_search()
        key = self.query_one(SearchList).current_key
        if key is not None:
            self._open(key)

    @on(SearchList.OpenRequested)
    def _open_requested(self, message: SearchList.OpenRequested) -> None:
        self._open(message.key)

    def _open(self, key: str) -> None:
        result = self.results[int(key) - 1]
        self.wapp.open_incident(result.incident_id, result.event_id)

    def action_back(self) -> None:
        """Back to the previous screen."""
        self.app.pop_screen()
