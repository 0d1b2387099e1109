"""Helpers for driving the warroom TUI with Textual's pilot: typing, pasting, waiting for writes, reading the screen."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, ParamSpec

from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from warroom.store.store import Store
from warroom.tui.app import WarroomApp, create_app
from warroom.widgets.quick_entry import QuickEntry
from warroom.widgets.timeline import TimelineView

P = ParamSpec("P")
WAIT_SECONDS = 3.0


def app_on_new_incident(folder: Path, title: str = "Checkout errors") -> tuple[WarroomApp, Store, str]:
    """The app on a fresh database's one incident, and a store on that file to write as another process does
    (the caller closes it)."""
    store = Store(folder / "w.db")
    incident_id = store.create_incident(title).id
    return create_app(folder / "w.db", incident_id=incident_id), store, incident_id


def run_async(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Let pytest run an async pilot test without an asyncio plugin (fixtures still resolve by signature)."""

    @functools.wraps(test)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


async def wait_until(pilot: Pilot[Any], condition: Callable[[], Any], what: str = "the condition") -> None:
    """Let the app (and its writer thread) work until `condition()` holds; fail after a few seconds."""
    await pilot.pause()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text one key at a time into whatever has focus."""
    await pilot.press(*text)


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste text into whatever has focus, the way a terminal delivers a bracketed paste."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def app_of(pilot: Pilot[Any]) -> WarroomApp:
    """The app under test, typed."""
    app = pilot.app
    assert isinstance(app, WarroomApp)
    return app


def entry(app: WarroomApp) -> QuickEntry:
    """The quick-entry line of the incident screen."""
    return app.screen.query_one(QuickEntry)


def timeline(app: WarroomApp) -> TimelineView:
    """The timeline of the incident screen."""
    return app.screen.query_one(TimelineView)


def status(app: WarroomApp) -> Static:
    """The one-line feedback under the entry."""
    return app.screen.query_one("#status", Static)


def status_text(app: WarroomApp) -> str:
    """What the status line says."""
    return str(status(app).content)


def screen_text(app: WarroomApp) -> str:
    """Everything the current screen shows, as plain text lines."""
    # The compositor is what the terminal gets: modal screens over their background, pane titles, the footer.
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def timeline_lines(app: WarroomApp) -> list[str]:
    """The visible timeline rows as the user reads them."""
    view = timeline(app)
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


async def submit(pilot: Pilot[Any], text: str, *, typed: bool = True) -> None:
    """Type (or paste) a line into the focused entry and press Enter."""
    await (type_text(pilot, text) if typed else paste(pilot, text))
    await pilot.press("enter")
    await pilot.pause()


async def wait_for_status(pilot: Pilot[Any], fragment: str) -> str:
    """Wait until the status line mentions `fragment`; return the whole line."""
    app = app_of(pilot)
    try:
        await wait_until(pilot, lambda: fragment in status_text(app))
    except AssertionError:
        raise AssertionError(f"the status line never said {fragment!r}; it says {status_text(app)!r}") from None
    return status_text(app)
