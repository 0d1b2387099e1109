"""Exit statuses of the installed `warroom`, run as a real process: what scripts and CI gates see.

click's CliRunner runs commands in standalone mode and hides what the console entry point does with
their status, so every status here comes from `subprocess` (and a pseudo-terminal for the TUI).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from tests.process_support import clean_env
from tests.process_support import script as warroom_script


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`warroom --db DB ARGS...` as a process."""
    return subprocess.run(
        [str(warroom_script()), "--db", str(db), *args], capture_output=True, text=True, env=clean_env(), timeout=120
    )


def complete_incident(db: Path) -> str:
    """An incident with nothing missing from its post-mortem."""
    inc = run(db, "new", "Checkout errors", "--owner", "alex", "--started", "2026-11-27T14:00Z").stdout.strip()
    for args in (
        ("log", "alert fired", "--at", "2026-11-27T14:03Z", "--milestone", "detected"),
        ("log", "errors gone", "--at", "2026-11-27T14:20Z", "--milestone", "mitigated"),
        ("log", "stable", "--at", "2026-11-27T14:40Z", "--milestone", "resolved"),
        ("cause", "add", "Pool too small for the traffic", "--kind", "root"),
        ("set", "summary", "Checkout failed for 20 minutes."),
        ("set", "customers", "About 300 checkouts failed"),
        ("set", "went-well", "The alert fired quickly"),
        ("set", "went-wrong", "Pool metrics were not on the dashboard"),
        ("set", "status", "resolved"),
    ):
        assert run(db, *args, "-i", inc).returncode == 0
    return inc


def test_lint_exits_1_with_findings_and_0_when_clean(tmp_path: Path) -> None:
    """`warroom lint` is a gate: findings exit 1 (and are printed), a clean incident exits 0."""
    db = tmp_path / "w.db"
    inc = complete_incident(db)
    clean = run(db, "lint", inc)
    assert clean.returncode == 0, clean.stderr
    run(db, "set", "summary", "It was human error.", "-i", inc)
    found = run(db, "lint", inc)
    assert found.returncode == 1
    assert '"human error"' in found.stdout


def test_export_check_exits_1_with_gaps_and_writes_nothing(tmp_path: Path) -> None:
    """`export --check` with gaps exits 1, lists them on stderr and prints no document; without gaps it exits 0."""
    db = tmp_path / "w.db"
    inc = complete_incident(db)
    ok = run(db, "export", inc, "--check")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("# Incident Post-Mortem: Checkout errors")
    run(db, "set", "summary", "", "-i", inc)
    gaps = run(db, "export", inc, "--check")
    assert gaps.returncode == 1
    assert gaps.stdout == ""
    assert "No incident summary" in gaps.stderr
    out = tmp_path / "pm.md"
    assert run(db, "export", inc, "--check", "-o", str(out)).returncode == 1
    assert not out.exists()


def test_a_reader_that_stops_early_is_not_a_failure(tmp_path: Path) -> None:
    """`warroom event list | head -1` on a long timeline: the pipe breaks mid-output, warroom exits 0, silently."""
    db = tmp_path / "w.db"
    inc = run(db, "new", "Checkout errors").stdout.strip()
    lines = "".join(f"alert {i} fired\n" for i in range(20_000))
    subprocess.run(
        [str(warroom_script()), "--db", str(db), "log", "-", "-i", inc],
        input=lines,
        text=True,
        check=True,
        capture_output=True,
        env=clean_env(),
        timeout=120,
    )
    for args in (("event", "list"), ("show",), ("export",)):
        with subprocess.Popen(
            [str(warroom_script()), "--db", str(db), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=clean_env(),
        ) as proc:
            assert proc.stdout is not None and proc.stderr is not None
            proc.stdout.read(100)
            proc.stdout.close()
            err = proc.stderr.read().decode()
            assert proc.wait(timeout=120) == 0, (args, err)
        assert "Traceback" not in err and "Broken pipe" not in err


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    """An unknown command or option, or a bad time, is a usage error: exit 2 with one line."""
    db = tmp_path / "w.db"
    run(db, "new", "x")
    usage = [("bogus",), ("list", "--nope"), ("log", "x", "--at", "25:99"), ("export", "--format", "pdf"), ("set",)]
    for args in usage:
        done = run(db, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith("warroom:") and done.stderr.count("\n") == 1, done.stderr


def test_unknown_incident_exits_1(tmp_path: Path) -> None:
    """A runtime failure (no such incident) exits 1."""
    db = tmp_path / "w.db"
    run(db, "new", "x")
    assert run(db, "export", "INC-NOPE").returncode == 1
    assert run(db, "lint", "INC-NOPE").returncode == 1


def _tui(db: Path, inc: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """The installed `warroom open INC` in a pseudo-terminal; the process and the pty's master end."""
    master, slave = os.openpty()
    env = {k: v for k, v in env.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
    proc = subprocess.Popen(
        [str(warroom_script()), "--db", str(db), "open", inc],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    return proc, master


def _read_until_exit(proc: subprocess.Popen[bytes], master: int, send: bytes, timeout: float = 60) -> bytes:
    """Wait for the screen, send `send`, and collect the output until the process ends."""
    import select

    output = b""
    sent = False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk and proc.poll() is not None:
                break
            output += chunk
        if not sent and b"log" in output and b"Timeline" in output:
            time.sleep(0.5)
            os.write(master, send)
            sent = True
        if proc.poll() is not None and not ready:
            break
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=30)
    os.close(master)
    return output


def test_tui_exits_non_zero_after_an_unexpected_error(tmp_path: Path) -> None:
    """A crash inside the TUI (a fault injected into the review screen) makes the process exit 1, not 0."""
    db = tmp_path / "w.db"
    inc = run(db, "new", "Crashing").stdout.strip()
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "import warroom.tui.screens.incident as screen\n"
        "def boom(self):\n"
        "    raise RuntimeError('injected fault')\n"
        "screen.IncidentScreen.action_review = boom\n"
    )
    proc, master = _tui(db, inc, {**clean_env(), "PYTHONPATH": str(inject)})
    output = _read_until_exit(proc, master, b"\x12")  # ctrl+r
    assert b"injected fault" in output
    assert proc.returncode == 1
    assert b"the TUI stopped after an unexpected error" in output


def test_tui_exits_0_when_the_user_quits(tmp_path: Path) -> None:
    """ctrl+q is a clean quit: exit 0."""
    db = tmp_path / "w.db"
    inc = run(db, "new", "Quitting").stdout.strip()
    proc, master = _tui(db, inc, clean_env())
    _read_until_exit(proc, master, b"\x11")  # ctrl+q
    assert proc.returncode == 0
