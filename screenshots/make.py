"""Regenerate every SVG in screenshots/ from the demo incident: `python screenshots/make.py`.

Each shot is (file name, terminal size, keys to press after start). The clock is fixed so the
pictures only change when the screens do. The HTML export is shot with a real browser
(headless Chromium) into export-html.png, when one is installed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from warroom.store.demo import seed_demo  # noqa: E402
from warroom.store.export_html import render_html  # noqa: E402
from warroom.store.store import Store  # noqa: E402
from warroom.tui.app import create_app  # noqa: E402

NOW = dt.datetime(2026, 11, 27, 14, 45, tzinfo=dt.UTC)

SHOTS: list[tuple[str, tuple[int, int], list[str]]] = [
    ("incident-80x24", (80, 24), []),
    ("incident-120x40", (120, 40), []),
    ("incident-200x60", (200, 60), []),
    ("quick-entry", (100, 30), [*"? maybe the [bold]cache[/] @platform", "enter", *"-2m !mitigated"]),
    ("edit-event", (100, 30), ["escape", "k", "e"]),
    ("incident-list", (100, 30), ["ctrl+l"]),
    ("help", (100, 40), ["f1"]),
    ("find", (100, 30), ["ctrl+f", *"batch", "enter"]),
    ("follow-through", (100, 30), ["ctrl+t"]),
    ("stats", (100, 30), ["ctrl+l", "ctrl+g"]),
    ("search", (100, 30), ["ctrl+l", "ctrl+f", *"connections", "enter"]),
    ("review", (120, 40), ["ctrl+r", "j", "j", "j", "n"]),
    ("export", (120, 40), ["ctrl+e"]),
    ("catch-up", (80, 24), ["f2"]),
    ("stakeholder-update", (100, 30), [*"/update", "enter"]),
]


def clock() -> dt.datetime:
    """The fixed time every screenshot shows."""
    return NOW


async def shoot(name: str, size: tuple[int, int], keys: list[str], folder: Path) -> None:
    """Save one screenshot of the demo incident after pressing `keys`."""
    path = folder / f"{name}.db"
    store = Store(path, clock=clock)
    incident_id = seed_demo(store)
    store.close()
    app = create_app(path, clock=clock, incident_id=incident_id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        app.save_screenshot(str(HERE / f"{name}.svg"))


def shoot_html(folder: Path) -> None:
    """Save the demo incident's HTML export as Chromium shows it, 1000 pixels wide."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("no chromium: screenshots/export-html.png left as it is")
        return
    store = Store(folder / "html.db", clock=clock)
    page = folder / "export.html"
    page.write_text(render_html(store, seed_demo(store), dt.UTC), encoding="utf-8")
    store.close()
    shot = HERE / "export-html.png"
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    command += [f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    print("screenshots/export-html.png")


async def main() -> None:
    """Take every shot."""
    with tempfile.TemporaryDirectory() as folder:
        for name, size, keys in SHOTS:
            await shoot(name, size, keys, Path(folder))
            print(f"screenshots/{name}.svg")
        shoot_html(Path(folder))


if __name__ == "__main__":
    asyncio.run(main())
