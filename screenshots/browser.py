"""The browser screenshot of `warroom serve`: `python screenshots/browser.py` writes screenshots/browser.png.

Serves the demo incident on loopback, joins as a responder in headless chromium (Debian's package, as the
tests use it), logs one entry and saves what the tab shows.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from warroom.store.demo import seed_demo  # noqa: E402
from warroom.store.store import Store  # noqa: E402

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> int:
    """Serve, join, type, shoot."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="warroom-shot-") as folder:
        db = Path(folder) / "demo.db"
        store = Store(db)
        seed_demo(store)
        store.close()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        warroom = str(Path(sys.executable).with_name("warroom"))
        server = subprocess.Popen([warroom, "--db", str(db), "serve", "--port", str(port)], stdout=subprocess.PIPE)
        try:
            assert server.stdout is not None
            server.stdout.readline()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 760})
                page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
                page.fill("#name", "Dana (DBA)")
                page.click("button[type=submit]")
                page.wait_for_selector(".xterm-helper-textarea", timeout=30_000)
                page.wait_for_timeout(3000)
                page.focus(".xterm-helper-textarea")
                page.keyboard.type("replica lag back under 1 s on db-2 @database")
                page.keyboard.press("Enter")
                page.wait_for_timeout(1500)
                page.screenshot(path=str(HERE / "browser.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"wrote {HERE / 'browser.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
