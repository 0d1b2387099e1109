"""The row table (incident list, stats per incident, action items): what a reader sees and what the keys do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.strip import Strip

from tests.conftest import FakeClock
from tests.tui_helpers import run_async, type_text, wait_until
from warroom.store.store import Store
from warroom.tui.app import create_app
from warroom.tui.screens.incident import IncidentScreen
from warroom.tui.screens.incident_list import IncidentListScreen
from warroom.widgets.row_lines import RowLines
from warroom.widgets.row_table import RowTable

SIZE = (60, 12)


class TableApp(App[None]):
    """One table filling the screen: an id, a flexible title and a status column; remembers what it selected."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield RowTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.styles.height = "1fr"
        for label, key in ((" ID", "id"), (" Title", "title"), (" Status", "status")):
            table.add_column(Text(label), key=key)
        table.add_rows(
            (key, (Text(" " + key), Text(" " + title), Text(" " + status))) for key, title, status in self.rows
        )
        table.focus()

    def on_row_table_row_selected(self, message: RowTable.RowSelected) -> None:
        self.selected.append(message.key)


def lines(table: RowTable) -> list[str]:
    """The table's lines as a reader sees them."""
    return [table.render_line(y).text for y in range(table.size.height)]


def numbered(n: int) -> list[tuple[str, str, str]]:
    return [(f"R{i}", f"Row number {i}", "open") for i in range(n)]


@run_async
async def test_markup_and_escapes_in_a_cell_are_shown_as_typed() -> None:
    """Text that looks like Rich markup, or holds an escape's characters, is shown literally."""
    app = TableApp([("A", "[bold]x[/] and [red]y", "open"), ("B", "\\[not] :smile:", "open")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = lines(app.query_one(RowTable))
        assert "[bold]x[/] and [red]y" in shown[1]
        assert "\\[not] :smile:" in shown[2]


@run_async
async def test_a_long_title_is_cut_to_its_column_and_the_next_row_follows() -> None:
    """A title longer than the screen is cut at the title column (wide characters by their cells), never wrapped:
    the status column keeps its place and the next line is the next row."""
    long_title = "word " * 40
    wide = "日本語の障害🔥" * 10
    app = TableApp([("A", long_title, "open"), ("B", wide, "closed"), ("C", "short", "open")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(RowTable)
        shown = lines(table)
        width = table.scrollable_content_region.width
        status_at = width - len(" Status")
        for line in shown[1:4]:
            assert cell_len(line) == width
        assert shown[1].startswith(" A  word word") and shown[1].endswith(" open  ")
        assert shown[2].startswith(" B  日本語") and shown[2].endswith(" closed")
        assert shown[3].startswith(" C  short")
        # Cut by cells: the wide row's status starts in the same column as the others'.
        assert cell_len(shown[2][: shown[2].rindex(" closed")]) == status_at
        assert table.row_count == 3


@run_async
async def test_keys_move_the_cursor_and_enter_selects_the_highlighted_row() -> None:
    """Down, Up, PgDn, PgUp, End and Home move the highlight; Enter and a click on it select that row's key."""
    app = TableApp(numbered(100))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(RowTable)
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("up")
        assert table.cursor_row == 1
        await pilot.press("pagedown")
        page = table.cursor_row - 1
        assert page >= SIZE[1] - 2
        await pilot.press("end")
        assert table.cursor_row == 99
        assert " R99 " in lines(table)[-1]  # scrolled with the cursor
        await pilot.press("pageup")
        assert table.cursor_row == 99 - page
        await pilot.press("home")
        assert table.cursor_row == 0
        assert lines(table)[1].startswith(" R0 ")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == ["R1"]
        await pilot.click(RowTable, offset=(2, 4))  # the row on line 4: R3, highlighted by the first click
        assert table.cursor_row == 3 and app.selected == ["R1"]
        await pilot.click(RowTable, offset=(2, 4))
        await pilot.pause()
        assert app.selected == ["R1", "R3"]


@run_async
async def test_plain_str_cells_are_drawn_as_text_cells_are() -> None:
    """A cell given as a str looks exactly as the same cell given as Text: same segments, same cut of a long
    title (wide characters by their cells), and get_row answers Text either way."""
    wide = "日本語の障害🔥" * 10
    rows = [("A", "[bold]x[/] literal", "open"), ("B", wide, "closed"), ("C", "short", "open")]
    as_text = TableApp(rows)
    async with as_text.run_test(size=SIZE) as pilot:
        await pilot.pause()
        expected = [list(as_text.query_one(RowTable).render_line(y)) for y in range(5)]
    as_str = TableApp(rows)
    async with as_str.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = as_str.query_one(RowTable)
        table.set_rows((key, (" " + key, " " + title, " " + status)) for key, title, status in rows)
        await pilot.pause()
        assert [list(table.render_line(y)) for y in range(5)] == expected
        assert [cell.plain for cell in table.get_row("B")] == [" B", " " + wide, " closed"]


@run_async
async def test_set_rows_replaces_the_rows_and_the_scrollbar_counts_those_to_come() -> None:
    """set_rows puts new rows in place of the old ones, the highlight on the first; with `total`, the rows not
    added yet are blank lines the scrollbar already counts, and adding them shows them."""
    app = TableApp(numbered(100))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(RowTable)
        await pilot.press("down", "down")
        table.set_rows([(f"N{i}", (Text(f" N{i}"), Text(" new"), Text(" open"))) for i in range(3)], total=50)
        await pilot.pause()
        assert table.row_keys == ["N0", "N1", "N2"] and table.cursor_row == 0
        shown = lines(table)
        assert shown[1].startswith(" N0 ") and shown[3].startswith(" N2 ") and not shown[4].strip()
        assert table.virtual_size.height == 50 + 1  # the header and the fifty rows
        table.add_rows([(f"N{i}", (Text(f" N{i}"), Text(" new"), Text(" open"))) for i in range(3, 50)])
        await pilot.pause()
        assert lines(table)[4].startswith(" N3 ")
        await pilot.press("end")
        assert table.cursor_row == 49 and " N49 " in lines(table)[-1]
        table.clear()
        await pilot.pause()
        assert table.row_count == 0 and table.virtual_size.height == 1


@run_async
async def test_only_the_rows_in_sight_are_drawn_on_a_ten_thousand_row_table(monkeypatch: Any) -> None:
    """10,000 rows: a paint, and a key moving to the end, draw a screenful of lines, not the table."""
    drawn: list[int] = []
    line = RowLines.line

    def counted(lines: RowLines, *args: Any) -> Strip:
        drawn.append(args[-2])  # the row (-1: the header)
        return line(lines, *args)

    monkeypatch.setattr(RowLines, "line", counted)
    app = TableApp(numbered(10_000))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(RowTable)
        assert table.row_count == 10_000
        assert 0 < len(drawn) <= 4 * SIZE[1]
        drawn.clear()
        await pilot.press("end")
        await pilot.pause()
        assert lines(table)[-1].startswith(" R9999 ")
        rows = [n for n in drawn if n >= 0]
        assert rows and min(rows) >= 10_000 - 2 * SIZE[1] and len(drawn) <= 4 * SIZE[1]


@run_async
async def test_after_filtering_the_incident_list_down_and_enter_open_the_highlighted_incident(
    db_path: Path, clock: FakeClock, store: Store
) -> None:
    """The filter narrows the list; the cursor walks the matches; Enter opens the one highlighted."""
    store.create_incident("DNS outage in eu-west", id="INC-A", status="closed")
    clock.advance(minutes=1)
    store.create_incident("Checkout failing", id="INC-B", status="closed")
    clock.advance(minutes=1)
    store.create_incident("DNS resolver flapping", id="INC-C", status="closed")
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, IncidentListScreen)
        table = app.screen.query_one(RowTable)
        await type_text(pilot, "dns")
        await wait_until(pilot, lambda: table.row_count == 2, "the filter")
        assert table.row_keys == ["INC-C", "INC-A"]  # most recent first
        await pilot.press("down")
        assert table.cursor_row == 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident screen")
        assert isinstance(app.screen, IncidentScreen) and app.screen.incident_id == "INC-A"


@run_async
async def test_end_pressed_before_every_row_is_in_lands_on_the_last_row_once_they_are() -> None:
    """End while the rows to come are still blank lines: the highlight goes to the very last row when it is added,
    not to whichever row happened to be last at the key; a key moving the highlight after it cancels that."""
    app = TableApp(numbered(0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(RowTable)

        def batch(first: int, last: int) -> list[tuple[str, tuple[Text, Text, Text]]]:
            return [(f"N{i}", (Text(f" N{i}"), Text(" new"), Text(" open"))) for i in range(first, last)]

        table.set_rows(batch(0, 10), total=30)
        await pilot.press("end")
        table.add_rows(batch(10, 20))
        table.add_rows(batch(20, 30))
        await pilot.pause()
        assert table.current_key == "N29" and " N29 " in lines(table)[-1]
        await pilot.press("enter")
        assert app.selected == ["N29"]
        table.set_rows(batch(0, 10), total=30)
        await pilot.press("end", "up")
        table.add_rows(batch(10, 30))
        await pilot.pause()
        assert table.current_key == "N8"
