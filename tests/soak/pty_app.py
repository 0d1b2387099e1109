"""The real `warroom` TUI in a pseudo-terminal: keys go in as a terminal sends them, the screen's bytes come out."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: CSI and OSC sequences and lone escapes, removed to read the text a terminal would show.
_SEQUENCE = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P^_X][^\x1b]*\x1b\\|\x1b.")


class PtyApp:
    """`warroom --db DB open ID` running in a pty of `size` (columns, rows), its output collected."""

    def __init__(self, db: Path, incident: str, *, size: tuple[int, int] = (100, 30)) -> None:
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WARROOM_", "TEXTUAL"))}
        env.update(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(rows), PYTHONPATH=str(REPO))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "warroom.tui.cli", "--db", str(db), "open", incident],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=REPO,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._drain, name="pty-reader", daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        """Read everything the app writes, or the app would block on a full pty buffer."""
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    @property
    def output(self) -> bytes:
        """Every byte the app has written to the terminal so far."""
        with self._lock:
            return bytes(self._output)

    def text(self) -> str:
        """The output with escape sequences removed: the words the screen has shown."""
        return self.strip(self.output)

    @staticmethod
    def strip(output: bytes) -> str:
        """Terminal output without its escape sequences, as text."""
        return _SEQUENCE.sub(b"", output).decode("utf-8", "replace")

    def wait_for(self, fragment: str, timeout: float = 20.0) -> bool:
        """Wait until the screen has shown `fragment` (False on timeout or if the app died)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if fragment in self.text():
                return True
            if self.proc.poll() is not None:
                return fragment in self.text()
            time.sleep(0.05)
        return False

    def type(self, text: str, *, delay: float = 0.0) -> None:
        """Send keys as a terminal does: one character at a time, `delay` seconds apart."""
        for char in text:
            os.write(self.master, char.encode())
            if delay:
                time.sleep(delay)

    def press_enter(self) -> None:
        """Send Enter (a carriage return, as terminals do)."""
        os.write(self.master, b"\r")

    def kill(self) -> None:
        """SIGKILL the app: no clean-up, no chance to save anything more."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        with contextlib.suppress(OSError):
            os.close(self.master)
        self._reader.join(timeout=5)
