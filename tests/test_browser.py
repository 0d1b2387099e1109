"""`warroom serve` end to end in a real browser: two responders on one incident, and a stranger kept out."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser_support import Tab, browser  # noqa: F401 - the module fixture
from tests.serve_support import serving
from warroom.store.store import Store
from warroom.tui.serve import REFUSED

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def authors(db: Path) -> dict[str, str]:
    """Event text to author, as saved."""
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT text, author FROM events WHERE deleted_at IS NULL"))


def test_two_browsers_log_into_one_incident(tmp_path: Path, browser: Browser) -> None:  # noqa: F811
    """Alice's event shows in Bob's tab and is hers in the file, and back; then Bob follows Alice's review."""
    db = tmp_path / "w.db"
    store = Store(db)
    store.create_incident("Checkout errors after deploy")
    store.close()
    with serving(db, "--host", "0.0.0.0") as served:
        url = served.url.replace(served.url.split("//", 1)[1].split("/", 1)[0], f"127.0.0.1:{served.port}")
        alice, bob = Tab(browser), Tab(browser)
        try:
            alice.join(url, "Alice Example")
            bob.join(url, "Bob")
            assert "Checkout errors after deploy" in bob.screen_text()
            alice.type_line("rolled back deploy 4411")
            bob.wait_for("rolled back deploy 4411", "Alice's event in Bob's tab")
            bob.type_line("error rate back to normal")
            alice.wait_for("error rate back to normal", "Bob's event in Alice's tab")
            assert authors(db) == {"rolled back deploy 4411": "Alice Example", "error rate back to normal": "Bob"}
            alice.wait_for("by Bob", "the author in the timeline detail")
            # Alice presents the review; Bob, in his own tab and process, follows it through the file.
            alice.type_line("/review")
            alice.wait_for("event 1 of 2", "Alice's review")
            alice.page.keyboard.press("P")
            alice.wait_for("presenting", "Alice presenting")
            bob.type_line("/review")
            bob.wait_for("event 1 of 2", "Bob's review")
            bob.page.keyboard.press("F")
            bob.wait_for("following Alice Example", "Bob following")
            for key, where in (("j", "event 2 of 2"), ("k", "event 1 of 2")):
                mark = bob.mark()
                alice.page.keyboard.press(key)
                bob.wait_for(where, f"Bob's screen moving to {where} with Alice's", since=mark)
            # The name is remembered for that browser: opening the page again goes straight to the app.
            alice.page.goto(f"http://127.0.0.1:{served.port}/", wait_until="domcontentloaded")
            assert alice.page.locator("#name").count() == 0
        finally:
            alice.close()
            bob.close()


def test_a_browser_without_the_token_is_refused(tmp_path: Path, browser: Browser) -> None:  # noqa: F811
    """A page opened without the token gets 401 and the refusal, and never opens a session."""
    with serving(tmp_path / "w.db", "--host", "0.0.0.0") as served:
        stranger = Tab(browser)
        try:
            response = stranger.page.goto(f"http://127.0.0.1:{served.port}/", wait_until="domcontentloaded")
            assert response is not None and response.status == 401
            assert stranger.page.inner_text("body").strip() == REFUSED.strip()
            stranger.page.wait_for_timeout(500)
            assert stranger.sockets == 0 and stranger.page.locator(".xterm").count() == 0
        finally:
            stranger.close()
