"""A real browser for the serve tests: Debian's chromium driven by Playwright, installed when missing.

Playwright's own browser download is not used (it is not reachable everywhere CI runs); the distribution's
chromium is, and CI runs as root, so a missing one is installed with apt-get once per test session.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def chromium_path() -> str:
    """Where chromium is, installing Debian's package first when it is missing and we may (root, apt-get)."""
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], env=env, check=False, capture_output=True, timeout=600)
        install = ["apt-get", "install", "-y", "-q", "chromium"]
        subprocess.run(install, env=env, check=False, capture_output=True, timeout=900)
        found = shutil.which("chromium")
    if found is None:
        message = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless chromium per test module.

    Not per session: Playwright's synchronous API keeps an event loop running in this thread while it is
    open, and every later test that runs its own loop (asyncio.run, Textual's pilot) would fail.
    """
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Tab:
    """One browser tab on the served app: what its terminal was sent, and typing into it."""

    def __init__(self, browser: Browser, viewport: tuple[int, int] = (1000, 700)) -> None:
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.page: Page = self.context.new_page()
        self.received: list[str] = []
        self.sockets = 0
        self.page.on("websocket", self._watch)

    def _watch(self, socket: Any) -> None:
        self.sockets += 1

        def frame(payload: str | bytes) -> None:
            self.received.append(payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload)

        socket.on("framereceived", frame)

    def screen_text(self, since: int = 0) -> str:
        """What the app sent to this tab's terminal (from frame `since` on), without the escape sequences."""
        return ANSI.sub("", "".join(self.received[since:]))

    def mark(self) -> int:
        """A point in what was received, for `wait_for(..., since=)`: only what is drawn after it counts."""
        return len(self.received)

    def join(self, url: str, name: str) -> None:
        """Open the URL, give the name the form asks for, wait for the terminal."""
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.fill("#name", name)
        self.page.click("button[type=submit]")
        self.page.wait_for_selector(".xterm-helper-textarea", timeout=30_000)
        # The app's first screen is one (not a parent) Textual app in the middle of drawing: wait for its log line.
        self.wait_for("log ›", "the app's first screen")

    def type_line(self, text: str) -> None:
        """Type into the terminal (where the keyboard goes: the quick-entry line) and press Enter."""
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def wait_for(self, text: str, what: str, timeout: float = 20.0, since: int = 0) -> float:
        """Seconds until `text` was drawn in this tab (after mark `since`); fails after `timeout`."""
        return wait(lambda: text in self.screen_text(since), what, self.page, timeout)

    def close(self) -> None:
        self.context.close()


def wait(condition: Callable[[], Any], what: str, page: Page, timeout: float = 20.0) -> float:
    """Let the browser work until `condition()` holds (Playwright's events arrive only while it waits)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(25)
    return time.monotonic() - start
