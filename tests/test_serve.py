"""`warroom serve` without a browser: who gets in, what is printed, what is never logged."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from tests.serve_support import get, serving
from warroom.store.errors import InputError
from warroom.tui.serve import REFUSED, WarroomServer, build_server, clean_name, is_loopback, token_ok

TOKEN = "s3cret-token-for-tests"


def test_token_check() -> None:
    """Only the exact token gets in; no token is asked for when none is set."""
    assert token_ok(TOKEN, TOKEN)
    assert not token_ok(TOKEN, None)
    assert not token_ok(TOKEN, "")
    assert not token_ok(TOKEN, TOKEN[:-1])
    assert not token_ok(TOKEN, TOKEN + "x")
    assert not token_ok(TOKEN, "ünïcode")
    assert token_ok(None, None)


def test_loopback_needs_no_token_and_any_other_address_gets_one(tmp_path: Path) -> None:
    """Loopback: no token. 0.0.0.0 or a LAN address: a fresh random token, in the printed URL."""
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")
    local = build_server(tmp_path / "w.db", "UTC", host="127.0.0.1", port=8000)
    assert local.token is None and local.access_url() == "http://127.0.0.1:8000/"
    lan = build_server(tmp_path / "w.db", "UTC", host="192.168.1.10", port=8000)
    again = build_server(tmp_path / "w.db", "UTC", host="192.168.1.10", port=8000)
    assert lan.token and len(lan.token) >= 40 and lan.token != again.token
    assert lan.access_url() == f"http://192.168.1.10:8000/?token={lan.token}"
    with pytest.raises(InputError):
        build_server(tmp_path / "w.db", "UTC", host="0.0.0.0", port=8000, token=" ")


def test_names_are_one_clean_line() -> None:
    """A name is trimmed to one line without control characters; empty or too long is refused."""
    assert clean_name("  Alice\n Example\x1b[31m ") == "Alice Example[31m"
    for bad in ("", "   ", "x" * 61):
        with pytest.raises(InputError):
            clean_name(bad)


def with_client(server: WarroomServer, test: Callable[[TestClient], Awaitable[None]]) -> None:
    """Run `test` against the server's routes in-process."""

    async def run() -> None:
        client = TestClient(TestServer(await server._make_app()))
        await client.start_server()
        try:
            await test(client)
        finally:
            await client.close()

    asyncio.run(run())


def test_requests_without_the_token_are_refused_and_start_nothing(tmp_path: Path) -> None:
    """No token or a wrong one: 401 on every route, the websocket included, and no app process starts."""
    server = build_server(tmp_path / "w.db", "UTC", host="0.0.0.0", port=8000, token=TOKEN)

    async def test(client: TestClient) -> None:
        for path in ("/", "/?token=wrong", "/?name=Mallory", "/ws", "/ws?token=nope", "/static/js/textual.js"):
            response = await client.get(path)
            assert response.status == 401, path
            assert await response.text() == REFUSED
        response = await client.get("/ws", headers={"Cookie": "warroom_token=wrong; warroom_name=Mallory"})
        assert response.status == 401
        assert server.sessions_started == 0

    with_client(server, test)


def test_the_token_lets_a_browser_in_and_asks_its_name_once(tmp_path: Path) -> None:
    """With the token: the name form; the name and token go into cookies; then textual-serve's page."""
    server = build_server(tmp_path / "w.db", "UTC", host="0.0.0.0", port=8000, token=TOKEN)

    async def test(client: TestClient) -> None:
        response = await client.get(f"/?token={TOKEN}", allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/"  # out of the address bar
        token_cookie = response.cookies["warroom_token"]
        assert token_cookie.value == TOKEN and token_cookie["samesite"] == "Lax" and token_cookie["httponly"]
        response = await client.get("/")
        assert response.status == 200 and "Your name" in await response.text()
        response = await client.get("/?name=%3Cb%3EBob%3C%2Fb%3E", allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/"
        assert "%3Cb%3EBob" in response.cookies["warroom_name"].value
        page = await client.get("/")  # the cookies now carry both
        text = await page.text()
        assert page.status == 200 and 'data-session-websocket-url="ws://127.0.0.1:' in text
        bad = await client.get("/?name=%20")
        assert "type your name" in await bad.text()

    with_client(server, test)


def test_a_websocket_from_another_site_is_refused(tmp_path: Path) -> None:
    """A page on another site cannot open a session on a loopback server (403, no process)."""
    server = build_server(tmp_path / "w.db", "UTC", host="127.0.0.1", port=8000)

    async def test(client: TestClient) -> None:
        response = await client.get("/ws", headers={"Origin": "http://evil.example", "Cookie": "warroom_name=Eve"})
        assert response.status == 403
        assert server.sessions_started == 0

    with_client(server, test)


def test_serve_binds_loopback_by_default(tmp_path: Path) -> None:
    """The installed command: loopback only and no token, unless told otherwise; SIGTERM stops it cleanly."""
    with serving(tmp_path / "w.db") as served:
        assert served.url == f"http://127.0.0.1:{served.port}/"
        assert get(served.url)[0] == 200
        with pytest.raises(OSError), socket.create_connection(("127.0.0.2", served.port), timeout=2):
            pass  # bound to 127.0.0.1 only: even another loopback address does not reach it
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(timeout=15) == 0


def test_serve_beyond_loopback_prints_the_token_once_and_never_logs_it(tmp_path: Path) -> None:
    """Bound to every address: the printed URL carries a token; without it 401; no request line is logged."""
    with serving(tmp_path / "w.db", "--host", "0.0.0.0") as served:
        url = served.url
        token = url.split("?token=", 1)[1]
        base = f"http://127.0.0.1:{served.port}/"
        assert get(base) == (401, REFUSED)
        assert get(base + "?token=wrong")[0] == 401
        assert get(f"{base}?token={token}")[0] == 303
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(timeout=15) == 0
    output = "".join(served.lines)
    assert output.count(token) == 1 and "serving on" in output
    assert "GET /" not in output


@pytest.mark.parametrize(
    "token",
    ["short", "abc def?&#x=long-enough", "ünïcode-token-long-enough", pytest.param("t" * 5000, id="5000-characters")],
)
def test_a_guessable_or_unprintable_token_is_refused(tmp_path: Path, token: str) -> None:
    """Beyond loopback a token of a few characters can be guessed, and `&`, `#` or a space break the printed URL:
    `warroom serve --token` refuses them in one line (exit 2) before listening; a long URL-safe one is taken."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("WARROOM_")}
    env["WARROOM_DB"] = str(tmp_path / "w.db")
    script = str(Path(sys.executable).parent / "warroom")
    refused = subprocess.run(
        [script, "serve", "--host", "0.0.0.0", "--port", "1", "--token", token],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "at least 16 letters, digits" in refused.stderr
    assert build_server(tmp_path / "w.db", "UTC", host="0.0.0.0", port=8000, token=TOKEN).token == TOKEN
