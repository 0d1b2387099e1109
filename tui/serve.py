"""`warroom serve`: the TUI in browsers through textual-serve, one app process per tab.

Every tab is just another writer on the same SQLite file. Who may open a tab is decided here, before any
process starts: loopback needs nothing (whoever can reach it already has the host), any other address needs
the access token printed in the URL. The token is compared in constant time and never written to a log; the
access log is off, since a request line would carry it.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import ipaddress
import json
import math
import secrets
import shlex
import signal
import sys
import time
import unicodedata
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from warroom.store.errors import InputError
from warroom.tui.serve_watch import FileWatch
from warroom.tui.tab_signal import CHANGED, DRIVER, READ

TOKEN_COOKIE = "warroom_token"
NAME_COOKIE = "warroom_name"
#: A responder's name is a short label on every entry they log.
MAX_NAME = 60
#: A year: the name is asked once per browser.
NAME_MAX_AGE = 365 * 24 * 3600

#: The whole answer to a request without the token: nothing about the incident, not even its name.
REFUSED = "warroom: a valid access token is needed (the URL `warroom serve` printed)\n"

#: The meta packet that tells a tab the database changed, and how much unread input makes a tab skipped.
CHANGED_PACKET = json.dumps({"type": CHANGED}).encode()
#: The meta packet a tab sends once it has read a change and drawn it, exactly as its driver writes it.
READ_PACKET = json.dumps({"type": READ}).encode()
CHANGED_BACKLOG = 4096

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A fresh access token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def token_ok(expected: str | None, given: str | None) -> bool:
    """Whether `given` is the access token; no token needed when `expected` is None. Constant time."""
    if expected is None:
        return True
    if not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def clean_name(raw: str) -> str:
    """A responder's name as typed: one line, no control characters, at most MAX_NAME characters."""
    name = " ".join("".join(c for c in raw if unicodedata.category(c)[0] != "C").split())
    if not name:
        raise InputError("type your name: it goes on every entry you log")
    if len(name) > MAX_NAME:
        raise InputError(f"a name is at most {MAX_NAME} characters")
    return name


def app_command(db_path: Path, tz_name: str, incident_id: str | None) -> str:
    """The shell command that runs one tab's TUI: this same installation of warroom, on the same file."""
    argv = [sys.executable, "-m", "warroom.tui.cli", "--db", str(db_path), "--tz", tz_name]
    if incident_id:
        argv += ["open", incident_id]
    return shlex.join(argv)


class ResponderService(AppService):
    """One tab's app process, with the tab's responder name as the author of what it logs."""

    def __init__(self, *args: Any, author: str, watch: FileWatch | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.author = author
        #: What tells this tab of changes and gives it its turns to redraw (None: its screens poll as a terminal's).
        self.watch = watch
        #: When the browser last sent the tab a key (time.monotonic()).
        self.typed_at = -math.inf

    async def send_bytes(self, data: bytes) -> bool:
        """Pass typed input on to the tab's process, noting when (a tab being typed into is told without a turn)."""
        self.typed_at = time.monotonic()
        return await super().send_bytes(data)

    async def on_meta(self, data: bytes) -> None:
        """The tab's word that it has read a change and drawn it ends its turn; the rest is textual-serve's."""
        if data == READ_PACKET:
            if self.watch is not None:
                self.watch.read(self)
            return
        await super().on_meta(data)

    async def run(self) -> None:
        """The tab's process until it ends; if it ends by itself (killed, crashed), the browser tab's connection is
        closed too: its page says the session ended, not frozen on its last frame, and the server forgets the tab."""
        try:
            await super().run()
        finally:
            await self.remote_close()

    def file_changed(self) -> None:
        """Tell the tab's process the database changed (it reads what did at once; see tui/tab_signal.py).

        Never waits: a tab whose process is not reading its input (busy, stopping) is skipped, and its
        own slow poll picks the change up.
        """
        stdin = self._stdin
        if stdin is None or stdin.is_closing() or stdin.transport.get_write_buffer_size() > CHANGED_BACKLOG:
            return
        stdin.write(self.encode_packet(b"M", CHANGED_PACKET))

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        if self.watch is not None:
            environment["TEXTUAL_DRIVER"] = DRIVER
        environment["WARROOM_AUTHOR"] = self.author
        environment.pop("WARROOM_TOKEN", None)  # the tab's app has no use for it
        return environment


NAME_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>warroom: who are you?</title>
<style>body{{background:#0c181f;color:#eee;font-family:monospace;display:flex;justify-content:center;padding-top:15vh}}
input,button{{font:inherit;padding:.4em;margin:.3em 0}}p.error{{color:#f88}}</style></head>
<body><form method="get" action="/">
<h1>warroom</h1>
<p>Your name goes on every entry you log from this browser.</p>
{error}<label for="name">Your name</label><br>
<input id="name" name="name" maxlength="{max_name}" autofocus required value="{value}"><br>
<button type="submit">Join the incident</button>
</form></body></html>
"""


class WarroomServer(Server):
    """textual-serve's server with an access check in front of every route and a name per browser."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        token: str | None,
        public_url: str | None = None,
        db_path: Path | None = None,
    ):
        super().__init__(command, host=host, port=port, title="warroom", public_url=public_url)
        self.token = token
        self.explicit_public_url = public_url
        #: App processes started so far (one per tab that got in).
        self.sessions_started = 0
        #: The tabs open now, each told when the database changes.
        self.tabs: set[ResponderService] = set()
        #: None without a database path: nobody watches, and the tabs poll as a terminal does.
        self.watch = FileWatch(db_path, lambda: self.tabs) if db_path else None

    def access_url(self) -> str:
        """The URL to give responders: with the token when one is needed."""
        base = self.explicit_public_url or f"http://{_url_host(self.host)}:{self.port}"
        return f"{base.rstrip('/')}/" + (f"?token={self.token}" if self.token else "")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a request without the token (401) or a websocket opened by another site's page (403)."""
        given = request.query.get("token") or request.cookies.get(TOKEN_COOKIE)
        if not token_ok(self.token, given):
            return web.Response(status=401, text=REFUSED)
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin and urlsplit(origin).netloc != request.host:
            return web.Response(status=403, text="warroom: this page may not open a session\n")
        return await handler(request)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """Ask the responder's name once per browser, then serve textual-serve's page for the app."""
        if self.token and "token" in request.query:
            # Into a cookie and out of the address bar (and of anything copied from it).
            response = web.HTTPSeeOther("/")
            self._set_cookie(response, TOKEN_COOKIE, self.token, max_age=None)
            raise response
        if "name" in request.query or NAME_COOKIE not in request.cookies:
            typed = request.query.get("name")
            if typed is None:
                return self._name_page("", "")
            try:
                name = clean_name(typed)
            except InputError as exc:
                return self._name_page(typed, str(exc))
            response = web.HTTPSeeOther("/")
            self._set_cookie(response, NAME_COOKIE, quote(name), max_age=NAME_MAX_AGE)
            raise response
        return self._app_page(request)

    def _app_page(self, request: web.Request) -> web.Response:
        """textual-serve's page, its websocket on the address the browser used (not 0.0.0.0, not a guess)."""
        import aiohttp_jinja2

        if self.explicit_public_url:
            origin = self.explicit_public_url.rstrip("/")
        else:
            secure = request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"
            origin = f"{'https' if secure else 'http'}://{request.host}"
        ws_origin = ("wss:" if origin.startswith("https:") else "ws:") + origin.split(":", 1)[1]
        context = {
            "font_size": _int(request.query.get("fontsize"), 16),
            "app_websocket_url": f"{ws_origin}/ws",
            "config": {"static": {"url": f"{origin}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def _name_page(self, value: str, error: str) -> web.Response:
        """The form that asks for a name (what was typed is shown back literally)."""
        error_html = f'<p class="error">{html.escape(error)}</p>' if error else ""
        text = NAME_PAGE.format(error=error_html, max_name=MAX_NAME, value=html.escape(value, quote=True))
        return web.Response(text=text, content_type="text/html", headers={"Cache-Control": "no-store"})

    @staticmethod
    def _set_cookie(response: web.StreamResponse, key: str, value: str, *, max_age: int | None) -> None:
        """Lax, not Strict: a token link clicked in a chat's web page must still get in after its redirect.

        Another site's page still gets neither cookie on a websocket; the Origin check refuses it anyway.
        """
        response.set_cookie(key, value, max_age=max_age, httponly=True, samesite="Lax", path="/")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: an app process whose entries carry the tab's responder name."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        author = unquote(request.cookies.get(NAME_COOKIE, ""))
        try:
            author = clean_name(author)
        except InputError:
            author = ""
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = ResponderService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
                author=author,
                watch=self.watch,
            )
            self.sessions_started += 1
            await service.start(width, height)
            self.tabs.add(service)
            await self._process_messages(websocket, service)
        except Exception:  # noqa: BLE001 - one tab's failure must not stop the others
            pass
        finally:
            if service is not None:
                self.tabs.discard(service)
                await service.stop()
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: the address is printed once the socket listens (see _run)."""

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C or SIGTERM."""
        self.debug = debug
        asyncio.run(self._run())

    async def _run(self) -> None:
        """Listen, say where to point browsers (the one place the token is shown), wait for a stop signal.

        No access log: its request lines would carry the token.
        """
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        watching = asyncio.create_task(self.watch.run()) if self.watch else None
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            print(f"warroom: serving on {self.access_url()}", flush=True)
            if self.token is None:
                print("warroom: loopback only; use an SSH tunnel to reach it from another machine", flush=True)
            print("warroom: press Ctrl+C to stop", flush=True)
            await stop.wait()
        finally:
            if watching is not None:
                watching.cancel()
            await runner.cleanup()


def _url_host(host: str) -> str:
    """A host as it goes in a URL (IPv6 in brackets); 0.0.0.0 and :: as this machine's host name."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        return socket.gethostname()
    return f"[{host}]" if ":" in host else host


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


#: The shortest access token accepted from --token or WARROOM_TOKEN (a made one has 43 characters).
MIN_TOKEN = 16
#: The longest: the token travels in a cookie, and browsers drop a cookie of more than 4,096 bytes.
MAX_TOKEN = 256
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def build_server(
    db_path: Path,
    tz_name: str,
    *,
    host: str,
    port: int,
    incident_id: str | None = None,
    token: str | None = None,
    public_url: str | None = None,
) -> WarroomServer:
    """The server for `warroom serve`: a token is made when the address is not loopback and none was given."""
    if token is None and not is_loopback(host):
        token = new_token()
    if token is not None and not token.strip():
        raise InputError("the access token cannot be empty")
    if token is not None and (not MIN_TOKEN <= len(token) <= MAX_TOKEN or not _TOKEN_CHARS.issuperset(token)):
        # A short token can be guessed from the network; other characters break the printed URL; a very long
        # one is dropped by the browser with its cookie, so every page after the first is refused.
        raise InputError(
            f"the access token must be at least {MIN_TOKEN} letters, digits, '-' or '_' (at most {MAX_TOKEN};"
            " leave it out for a random one)"
        )
    return WarroomServer(
        app_command(db_path, tz_name, incident_id),
        host=host,
        port=port,
        token=token,
        public_url=public_url,
        db_path=db_path,
    )
