"""A timeline's scrollbar is redrawn only when its thumb moves a cell's eighth, and always looks as Textual draws it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.scrollbar import ScrollBarRender

from tests.tui_helpers import run_async
from warroom.store.store import Store
from warroom.tui import tab_signal
from warroom.tui.app import create_app
from warroom.tui.tab_signal import FileChanged
from warroom.widgets.textual_compat import SteadyScrollBar, thumb_eighths
from warroom.widgets.timeline import TimelineView


def drawn(size: int, virtual: float, window: float, position: float, thickness: int = 1) -> list[Segment]:
    """The bar's cells as Textual's renderer draws them (characters, styles and click meta), top to bottom."""
    bar = ScrollBarRender.render_bar(
        size=size, virtual_size=virtual, window_size=window, position=position, thickness=thickness
    )
    return [segment for segment in bar.segments if segment.text != "\n"]


def look(text: str, style: Style | None) -> tuple[str, bool, object]:
    """What a row of the bar shows: its glyphs, whether it is thumb (reversed), what a click on it does."""
    return (text, bool(style and style.reverse), style.meta.get("@mouse.down") if style else None)


@pytest.mark.parametrize("size", [1, 7, 24, 111])
def test_equal_thumb_places_draw_equal_bars(size: int) -> None:
    """Over growing timelines followed at the end and scrolled anywhere: whenever thumb_eighths says two states
    match, Textual draws the same cells, so a redraw skipped for them changes nothing on screen."""
    seen: dict[tuple[int, int] | None, list[object]] = {}
    for virtual in range(size + 1, size + 2_000, 7):
        for position in (0, 1, virtual // 3, virtual - size - 1, virtual - size):
            thumb = thumb_eighths(size, virtual, size, position)
            cells = drawn(size, virtual, size, position)
            assert seen.setdefault(thumb, cells) == cells, (virtual, position)
    assert thumb_eighths(size, size, size, 0) is None and thumb_eighths(size, 100, 0, 0) is None  # no thumb


@run_async
async def test_a_followed_timeline_redraws_its_bar_only_when_the_thumb_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events arriving one at a time: the bar is drawn again only for some of them, and the screen's bar column
    always shows the thumb where Textual would draw it now."""
    monkeypatch.setattr(tab_signal, "_told", True)
    db = tmp_path / "w.db"
    store = Store(db)
    incident_id = store.create_incident("Checkout errors").id
    for n in range(300):
        store.log_event(incident_id, f"event {n}")
    app = create_app(db, incident_id=incident_id)
    renders = 0
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(TimelineView)
        bar = timeline.vertical_scrollbar
        assert isinstance(bar, SteadyScrollBar)
        original = bar.render

        def counted() -> object:
            nonlocal renders
            renders += 1
            return original()

        bar.render = counted  # type: ignore[method-assign]
        for n in range(30):
            store.log_event(incident_id, f"new {n}")
            app.post_message(FileChanged())
            await pilot.pause()
            size = bar.size.height
            on_screen = [look(strip.text, list(strip)[0].style) for strip in bar.render_lines(bar.region.reset_offset)]
            now = drawn(size, bar.window_virtual_size, bar.window_size, bar.position, bar.size.width)
            assert on_screen == [look(s.text, s.style) for s in now]  # the thumb where Textual would draw it now
        assert timeline.count == 330
        assert 0 < renders < 30  # redrawn as the thumb crept down, not for every event
    store.close()
