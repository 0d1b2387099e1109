"""Running `warroom serve` as a real process for the serve tests: a free port, the printed URL, a clean stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    """A running `warroom serve`: its process, the URL it printed, and its output so far."""

    process: subprocess.Popen[str]
    url: str
    port: int
    lines: list[str]


def warroom() -> str:
    """The installed `warroom` of this environment."""
    return str(Path(sys.executable).with_name("warroom"))


@contextmanager
def serving(db: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """Start `warroom --db DB serve ARGS` and yield once it printed its URL; SIGTERM it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [warroom(), "--db", str(db), "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    lines: list[str] = []
    url = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("warroom: serving on "):
            url = line.split("serving on ", 1)[1].strip()
            break
    try:
        assert url, f"no URL printed: {''.join(lines)}"
        yield Served(process, url, port, lines)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        lines.extend(process.stdout.readlines())


def get(url: str) -> tuple[int, str]:
    """GET a URL without following redirects: the status and body."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
