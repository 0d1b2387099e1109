"""A browser tab nobody types in draws only its clock: no blinking cursor sent to the browser twice a second."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

from tests.serve_support import serving
from warroom.store.store import Store

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


async def frames_while_idle(url: str, seconds: float) -> tuple[int, str]:
    """Open a tab as a browser does, wait until the incident is drawn, then count the frames of `seconds` idle."""
    import aiohttp

    frames: list[float] = []
    screen = ""
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{url}ws?width=100&height=30", headers={"Cookie": "warroom_name=idle"}) as socket,
    ):
        await socket.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        ready = time.monotonic() + 60
        while "log ›" not in screen and time.monotonic() < ready:
            message = await socket.receive(timeout=60)
            screen += ANSI.sub("", message.data.decode() if isinstance(message.data, bytes) else str(message.data))
        settled = time.monotonic() + 1.5  # start-up settles (the theme, the first look at the file)
        end = settled + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                await socket.receive(timeout=left)
            except TimeoutError:
                break
            if time.monotonic() > settled:
                frames.append(time.monotonic())
    return len(frames), screen


def test_an_idle_tab_sends_the_clock_and_nothing_else(tmp_path: Path) -> None:
    """Four idle seconds: the header's clock once a second (no more than five frames), not a blinking cursor too."""
    db = tmp_path / "w.db"
    store = Store(db)
    store.create_incident("Checkout errors after deploy")
    store.close()
    with serving(db) as served:
        count, screen = asyncio.run(frames_while_idle(served.url, 4.0))
    assert "Checkout errors after deploy" in screen
    assert count <= 5, f"{count} frames in 4 idle seconds"
