"""The root-cause pane alone: wrapped by cells at its width, user text literal, keys and clicks on the highlight."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.containers import Vertical

from tests.tui_helpers import run_async
from warroom.store.kinds import FactorKind
from warroom.store.records import Factor
from warroom.widgets.factors import FactorsPane
from warroom.widgets.item_messages import DeleteItem, EditItem

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def factor(number: int, text: str, kind: FactorKind = FactorKind.CONTRIBUTING) -> Factor:
    """A factor record as the store reads it."""
    return Factor(incident_id="INC-1", number=number, kind=kind, text=text, created_at=NOW, updated_at=NOW)


class PaneApp(App[None]):
    """The pane in a box of a given width, 10 rows high, recording what it asks for."""

    def __init__(self, factors: list[Factor], notes: str = "", width: int = 30) -> None:
        super().__init__()
        self.factors, self.notes, self.width = factors, notes, width
        self.asked: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield FactorsPane(id="factors")

    def on_mount(self) -> None:
        self.query_one("#box").styles.width = self.width
        self.query_one("#box").styles.height = 10
        self.query_one(FactorsPane).show(self.factors, self.notes)

    def on_edit_item(self, message: EditItem) -> None:
        self.asked.append(("edit", message.number))

    def on_delete_item(self, message: DeleteItem) -> None:
        self.asked.append(("delete", message.number))


def pane_lines(app: App[Any]) -> list[str]:
    """The pane's visible lines as drawn."""
    pane = app.query_one(FactorsPane)
    return [pane.render_line(y).text for y in range(pane.scrollable_content_region.height)]


@run_async
async def test_long_and_wide_entries_wrap_by_cells_at_the_pane_width() -> None:
    """A long entry of double-width characters takes several lines, none wider than the pane; nothing is lost."""
    text = "接続プールが共有されていた" * 3  # 39 double-width characters
    app = PaneApp([factor(1, text, FactorKind.ROOT), factor(2, "short one")], width=24)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        pane = app.query_one(FactorsPane)
        lines = pane_lines(app)
        width = pane.scrollable_content_region.width
        assert all(cell_len(line) == width for line in lines)
        assert len([line for line in lines if line.strip()]) >= 4  # 78 cells of text at 24 a line
        drawn = "".join(line.strip() for line in lines)
        assert drawn.startswith("ROOT" + text)
        assert drawn.endswith("CONTRIB short one")
        assert pane.size.height == len([line for line in lines if line.strip()])  # its height is its lines


@run_async
async def test_user_text_is_shown_literally() -> None:
    """Markup typed in a factor or the notes shows as typed, never as style or link."""
    typed = "[bold]pool[/bold] [link=http://x]y[/link] [red"
    app = PaneApp([factor(1, typed)], notes="[i]notes[/i]", width=70)
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        lines = pane_lines(app)
        assert lines[0].rstrip() == "CONTRIB " + typed
        assert lines[1].rstrip() == "NOTES   [i]notes[/i]"


@run_async
async def test_keys_act_on_the_highlight_from_the_first_press() -> None:
    """Focused, the first entry is highlighted: e edits it at once; j/k and arrows move; d deletes the one shown."""
    app = PaneApp([factor(1, "first", FactorKind.ROOT), factor(2, "second"), factor(3, "third")], notes="n")
    async with app.run_test(size=(60, 20)) as pilot:
        app.query_one(FactorsPane).focus()
        await pilot.press("e", "j", "d", "down", "down", "e", "k", "up", "up", "up", "d", "end", "enter")
        await pilot.pause()
        # Entries: ROOT 1, CONTRIB 2, CONTRIB 3, NOTES (edit: 0); the highlight stops at either end.
        assert app.asked == [("edit", 1), ("delete", 2), ("edit", 0), ("delete", 1), ("edit", 0)]


@run_async
async def test_a_click_highlights_the_entry_under_the_pointer() -> None:
    """Clicking the second line of a wrapped entry highlights that entry; d then deletes it."""
    app = PaneApp([factor(1, "one", FactorKind.ROOT), factor(2, "a factor long enough to wrap twice")], width=20)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.click(FactorsPane, offset=(3, 2))
        await pilot.press("d")
        await pilot.pause()
        assert app.asked == [("delete", 2)]


@run_async
async def test_without_factors_the_hint_cannot_be_acted_on() -> None:
    """The empty pane's hint is never highlighted: e and d do nothing, the notes stay editable."""
    app = PaneApp([], notes="free text")
    async with app.run_test(size=(60, 20)) as pilot:
        app.query_one(FactorsPane).focus()
        await pilot.press("d", "e", "up", "e")
        await pilot.pause()
        assert pane_lines(app)[0].startswith("No factors yet")
        assert app.asked == [("edit", 0), ("edit", 0)]


@run_async
async def test_new_contents_keep_the_highlight_in_place() -> None:
    """After a change (another writer, an undo) the highlight stays at its place, within the entries left."""
    app = PaneApp([factor(1, "one"), factor(2, "two"), factor(3, "three")])
    async with app.run_test(size=(60, 20)) as pilot:
        pane = app.query_one(FactorsPane)
        pane.focus()
        await pilot.press("end")
        pane.show([factor(1, "one")], "")
        await pilot.press("d")
        pane.show([factor(1, "one"), factor(4, "four")], "")
        pane.highlight_number(4)
        await pilot.press("d")
        await pilot.pause()
        assert app.asked == [("delete", 1), ("delete", 4)]


@run_async
async def test_page_down_and_up_pass_an_entry_taller_than_the_pane() -> None:
    """An entry of thirty lines in a pane of ten: page down goes on to the entry after it, page up back."""
    tall = "wrap me please " * 60
    app = PaneApp([factor(1, "first"), factor(2, tall), factor(3, "after the tall one")])
    async with app.run_test(size=(60, 20)) as pilot:
        pane = app.query_one(FactorsPane)
        pane.focus()
        await pilot.press("home", "pagedown")
        assert pane.highlighted_key == "factor-2"
        await pilot.press("pagedown")
        assert pane.highlighted_key == "factor-3"
        await pilot.pause()
        assert any("after the tall one" in line for line in pane_lines(app))
        await pilot.press("pagedown")
        assert pane.highlighted_key == "factor-3"
        await pilot.press("pageup")
        assert pane.highlighted_key == "factor-2"
        await pilot.press("pageup")
        assert pane.highlighted_key == "factor-1"
