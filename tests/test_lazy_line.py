"""Lines made into content only when drawn look exactly like the Rich text they hold, wrapped or not."""

from __future__ import annotations

import asyncio

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import OptionList

from warroom.widgets.lazy_line import LazyLine

LINES = [
    Text.assemble((" INC-7 #3", "bold"), "  restart the pool after every deploy", (" 3 d late", "bold red")),
    Text(" OVERDUE · 12", "bold red"),
    Text(" a line long enough to need a second row in a narrow terminal, and a third in a very narrow one"),
]


def _screen(lazy: bool, size: tuple[int, int]) -> tuple[str, int]:
    """The screen's text with LINES in an option list (the third highlighted), and how many rows they take."""

    class Lines(App[None]):
        def compose(self) -> ComposeResult:
            yield OptionList(*[LazyLine(t) if lazy else t for t in LINES])

    async def run() -> tuple[str, int]:
        app = Lines()
        async with app.run_test(size=size) as pilot:
            listed = app.query_one(OptionList)
            listed.focus()
            listed.highlighted = 2
            await pilot.pause()
            text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
            return text, listed.virtual_size.height

    return asyncio.run(run())


@pytest.mark.parametrize("size", [(100, 10), (40, 12), (16, 20)])
def test_lazy_lines_look_like_the_text(size: tuple[int, int]) -> None:
    """Wide, narrow and very narrow: the same rows on screen as the Rich text itself gives."""
    assert _screen(True, size) == _screen(False, size)


def test_a_narrow_list_still_wraps_a_long_line() -> None:
    """The long line takes more than one row where it does not fit (the check above can tell wrapping apart)."""
    assert _screen(True, (40, 12))[1] > len(LINES)
