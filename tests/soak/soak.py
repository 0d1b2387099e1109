"""Crash and concurrency soak for warroom: SIGKILL writers and the TUI at random moments, then check the file.

    python tests/soak/soak.py                    # 50 crash rounds
    python tests/soak/soak.py --rounds 200 --seed 7
    python tests/soak/soak.py --concurrency      # 8 processes x 1,000 events with a TUI open

Each crash round runs, at once, against one database that lives for the whole run:

- two loops of real `warroom log TEXT` processes, one after another;
- a process calling the CLI's `main()` in a loop (many commands a second, so kills land mid-write);
- `warroom log -` fed a line every few milliseconds, each line carrying terminal escape sequences;
- the real TUI (`warroom open`) in a pseudo-terminal, typed into key by key.

At a random moment the writers are SIGKILLed; the TUI is SIGKILLed while typing, after its draft was
saved, or just after Enter. Then, every round: `PRAGMA integrity_check` is ok; every event whose command
exited 0 and printed "logged event N" is there as event N, from this round and every earlier one; no
text is stored twice; the piped lines stored are exactly the first k lines sent; the TUI's text is in
its draft or logged once (never both, never neither once the 0.3 s draft delay has passed); the next
TUI start shows "restored the entry" and Enter logs it; and no escape sequence from logged text
reached the terminal raw.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.soak.pty_app import PtyApp  # noqa: E402

WORKERS = Path(__file__).with_name("workers.py")
INC = "SOAK-1"
CLI = [sys.executable, "-m", "warroom.tui.cli"]
LOGGED = re.compile(r"^logged event (\d+) at .+ in " + INC + r"$")
#: Appended to every piped line: title change, clipboard write, hyperlink, 8-bit CSI, bell.
HOSTILE = "\x1b]0;PWNED\x07 \x1b]52;c;U09BSw==\x07 \x1b]8;;http://evil.test/\x07link\x1b]8;;\x07 \x9b31mred\x07"
#: What must never appear in the TUI's output: the hostile sequences, as a terminal would receive them.
RAW = ("\x1b]0;PWNED", "\x1b]52;c;U09BSw", "\x1b]8;;http://evil.test", "\x9b31m")
#: How long the TUI may take to save a draft after the last key (0.3 s delay plus a loaded machine).
DRAFT_DEADLINE = 5.0
WORDS = ["db", "pool", "saturated", "eu-west", "failover", "rollback", "p99", "5xx"]


@dataclass
class Report:
    """What a run did and every invariant it found broken."""

    rounds: int = 0
    acked: int = 0
    killed_commands: int = 0
    piped: int = 0
    tui_kills: collections.Counter[str] = field(default_factory=collections.Counter)
    restored: int = 0
    events: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def fail(self, message: str) -> None:
        """Record a broken invariant."""
        self.failures.append(f"round {self.rounds}: {message}")

    def summary(self) -> str:
        """One paragraph for the person running the soak."""
        kills = ", ".join(f"{n} {how}" for how, n in sorted(self.tui_kills.items()))
        return (
            f"{self.rounds} rounds in {self.seconds:.0f} s: {self.events} events in the file, "
            f"{self.acked} acknowledged commands all present, {self.killed_commands} commands killed mid-flight, "
            f"{self.piped} piped lines stored, "
            f"TUI killed {sum(self.tui_kills.values())} times ({kills}), {self.restored} drafts restored; "
            f"{len(self.failures)} failures"
        )


def query(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Rows from a read-only connection, as an independent reader sees the file."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as conn:
        return conn.execute(sql, params).fetchall()


def draft_text(db: Path) -> str:
    """The quick-entry draft the TUI saved, or empty text."""
    rows = query(db, "SELECT text FROM drafts WHERE incident_id=? AND field='entry'", (INC,))
    return json.loads(str(rows[0][0]))["text"] if rows and rows[0][0] else ""


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


class CliLoop:
    """Real `warroom log` processes, one after another, until stopped; each outcome is kept."""

    def __init__(self, db: Path, prefix: str) -> None:
        self.db, self.prefix = db, prefix
        self.outcomes: list[tuple[str, int, str, str]] = []
        self._lock = threading.Lock()
        self._stopped = False
        self._proc: subprocess.Popen[str] | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        n = 0
        while True:
            text = f"{self.prefix} {n}"
            with self._lock:
                if self._stopped:
                    return
                self._proc = subprocess.Popen(
                    [*CLI, "--db", str(self.db), "log", text, "-i", INC],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    cwd=REPO,
                )
            out, err = self._proc.communicate()
            self.outcomes.append((text, self._proc.returncode, out.strip(), err.strip()))
            n += 1

    def kill(self) -> None:
        """SIGKILL the command in flight and start no more."""
        with self._lock:
            self._stopped = True
            if self._proc is not None and self._proc.poll() is None:
                self._proc.send_signal(signal.SIGKILL)
        self._thread.join(timeout=30)


class WorkerLoop:
    """workers.py log-loop: the CLI's main() called in a loop, one JSON line per command."""

    def __init__(self, db: Path, prefix: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKERS), "log-loop", str(db), INC, prefix],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )

    def kill(self) -> list[tuple[str, int, str, str]]:
        """SIGKILL it; the outcome of every command it finished reporting."""
        self.proc.send_signal(signal.SIGKILL)
        out, _err = self.proc.communicate(timeout=30)
        outcomes = []
        for line in out.splitlines():
            with suppress(ValueError):
                record = json.loads(line)
                outcomes.append((record["text"], record["code"], record["out"], record["err"]))
        return outcomes


class Pipe:
    """`warroom log -` fed one hostile line every few milliseconds until killed."""

    def __init__(self, db: Path, prefix: str) -> None:
        self.prefix = prefix
        self.sent = 0
        self.proc = subprocess.Popen(
            [*CLI, "--db", str(db), "log", "-", "-i", INC],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=REPO,
        )
        self._thread = threading.Thread(target=self._feed, daemon=True)
        self._thread.start()

    def line(self, n: int) -> str:
        """The n-th line sent."""
        return f"{self.prefix} {n} {HOSTILE}"

    def _feed(self) -> None:
        assert self.proc.stdin is not None
        with suppress(OSError):
            while self.proc.poll() is None:
                self.proc.stdin.write(self.line(self.sent).encode() + b"\n")
                self.proc.stdin.flush()
                self.sent += 1
                time.sleep(0.005)

    def kill(self) -> str:
        """SIGKILL it; its stderr (empty unless something failed before the kill)."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._thread.join(timeout=30)
        assert self.proc.stderr is not None
        return self.proc.stderr.read().decode("utf-8", "replace")


def check_commands(report: Report, outcomes: list[tuple[str, int, str, str]], acked: dict[str, int]) -> None:
    """Count acknowledged and killed commands; any other ending (an error reaching a user) is a failure."""
    for text, code, out, err in outcomes:
        match = LOGGED.match(out)
        if code == 0 and match:
            acked[text] = int(match.group(1))
            report.acked += 1
        elif code == -signal.SIGKILL:
            report.killed_commands += 1
        else:
            report.fail(f"{text!r} ended with status {code}: {err or out!r}")


def check_file(report: Report, db: Path, acked: dict[str, int], pipe: Pipe) -> dict[str, int]:
    """Integrity, every acknowledged event in place, nothing twice, piped lines a prefix; returns text counts."""
    verdict = query(db, "PRAGMA integrity_check")
    if verdict != [("ok",)]:
        report.fail(f"integrity_check: {verdict[:5]}")
    rows = query(db, "SELECT id, text FROM events WHERE incident_id=? ORDER BY id", (INC,))
    by_id = {int(str(i)): str(t) for i, t in rows}
    counts = collections.Counter(str(t) for _i, t in rows)
    report.events = len(rows)
    for text, event_id in acked.items():
        if by_id.get(event_id) != text:
            report.fail(f"acknowledged event {event_id} {text!r} is missing (found {by_id.get(event_id)!r})")
    for text, n in counts.items():
        if n > 1:
            report.fail(f"{text[:60]!r} is stored {n} times")
    piped = [t for t in by_id.values() if t.startswith(pipe.prefix + " ")]
    expected = [pipe.line(n) for n in range(len(piped))]
    if piped != expected:
        report.fail(f"piped lines stored are not the first {len(piped)} sent, in order")
    if len(piped) > pipe.sent:
        report.fail(f"{len(piped)} piped lines stored but only {pipe.sent} sent")
    report.piped += len(piped)
    return dict(counts)


def tui_round(report: Report, db: Path, rng: random.Random, number: int) -> tuple[str, str, str]:
    """Start the TUI, log any restored draft, type a new entry and SIGKILL it; (how, typed, output)."""
    app = PtyApp(db, INC)
    try:
        if not app.wait_for("log ›"):
            report.fail("the TUI did not start: " + app.text()[-300:])
            return "no start", "", app.text()
        restored = draft_text(db)
        if restored:
            if not app.wait_for("restored the entry you were typing", 10) or restored not in app.text():
                report.fail(f"draft {restored!r} was not shown as restored")
            app.press_enter()
            if not wait_for(lambda: not draft_text(db) and restored.strip() in texts(db), DRAFT_DEADLINE):
                report.fail(
                    f"the restored draft {restored!r} was not logged by Enter (draft now {draft_text(db)!r}); "
                    f"the screen: {screen_tail(app)!r}"
                )
            report.restored += 1
        words = [rng.choice(WORDS) for _ in range(4)]
        head = f"tui-r{number} "
        typed = head + " ".join(words)
        how = rng.choice(["while typing", "after the draft", "after Enter"])
        if how == "while typing":
            # At least one word character after the round's own head, so no two rounds share a text.
            typed = typed[: rng.randint(len(head) + 1, len(typed))]
            app.type(typed, delay=rng.uniform(0, 0.01))
            time.sleep(rng.uniform(0, 0.25))
        else:
            app.type(typed, delay=rng.uniform(0, 0.01))
            if not wait_for(lambda: draft_text(db) == typed, DRAFT_DEADLINE):
                report.fail(
                    f"draft {typed!r} not saved {DRAFT_DEADLINE} s after the last key (has {draft_text(db)!r}); "
                    f"the screen: {screen_tail(app)!r}"
                )
            if how == "after Enter":
                app.press_enter()
            time.sleep(rng.uniform(0, 0.4))
    finally:
        app.kill()
    report.tui_kills[how] += 1
    return how, typed, app.output.decode("utf-8", "replace")


def screen_tail(app: PtyApp) -> str:
    """The last words the TUI drew, for a failure message."""
    return " ".join(app.text().split())[-400:]


def texts(db: Path) -> list[str]:
    """Every event text of the soak incident."""
    return [str(t) for (t,) in query(db, "SELECT text FROM events WHERE incident_id=?", (INC,))]


def check_tui(report: Report, db: Path, how: str, typed: str, counts: dict[str, int], output: str) -> None:
    """The typed text is in the draft or logged once, as the moment of the kill allows; nothing raw reached the pty."""
    draft, logged = draft_text(db), counts.get(typed, 0)
    if how == "while typing":
        if draft and not typed.startswith(draft):
            report.fail(f"draft {draft!r} is not a prefix of what was typed ({typed!r})")
    elif how == "after the draft":
        if draft != typed or logged:
            report.fail(f"after the draft was saved: draft {draft!r}, logged {logged} times")
    elif (draft == typed) == (logged == 1) or logged > 1:
        report.fail(f"killed after Enter: draft {draft!r} and logged {logged} times (exactly one of the two)")
    for raw in RAW:
        if raw in output:
            report.fail(f"the TUI wrote {raw!r} to the terminal raw")
    shown = " ".join(PtyApp.strip(output.encode("utf-8", "replace")).split())
    for alarm in ("⚠", "Traceback", "Error"):
        if alarm in shown:
            at = shown.index(alarm)
            report.fail(f"the TUI showed {shown[at : at + 160]!r}")


def crash_soak(workdir: Path, rounds: int, seed: int, log: Callable[[str], None] = print) -> Report:
    """Run `rounds` crash rounds against one database in `workdir`; the report lists every broken invariant."""
    rng = random.Random(seed)
    db = workdir / "soak.db"
    subprocess.run([*CLI, "--db", str(db), "new", "Soak", "--id", INC], check=True, cwd=REPO, capture_output=True)
    report = Report()
    acked: dict[str, int] = {}
    started = time.monotonic()
    for number in range(rounds):
        report.rounds = number + 1
        loops = [CliLoop(db, f"cli-r{number}-w{k}") for k in range(2)]
        worker = WorkerLoop(db, f"loop-r{number}")
        pipe = Pipe(db, f"pipe-r{number}")
        outcomes: list[tuple[str, int, str, str]] = []
        pipe_err: list[str] = []

        def kill_writers(
            loops: list[CliLoop] = loops,
            worker: WorkerLoop = worker,
            pipe: Pipe = pipe,
            outcomes: list[tuple[str, int, str, str]] = outcomes,
            pipe_err: list[str] = pipe_err,
        ) -> None:
            for loop in loops:
                loop.kill()
            outcomes.extend(worker.kill())
            pipe_err.append(pipe.kill())

        killer = threading.Timer(rng.uniform(1.0, 3.5), kill_writers)
        killer.start()
        how, typed, output = tui_round(report, db, rng, number)
        killer.join()
        for loop in loops:
            outcomes.extend(loop.outcomes)
        check_commands(report, outcomes, acked)
        if pipe_err and pipe_err[0].strip():
            report.fail(f"`log -` said: {pipe_err[0].strip()[:200]}")
        counts = check_file(report, db, acked, pipe)
        check_tui(report, db, how, typed, counts, output)
        log(
            f"round {number + 1}/{rounds}: writers killed at {killer.interval:.1f} s after {len(outcomes)} commands "
            f"and {pipe.sent} piped lines; TUI killed {how}; {len(acked)} acknowledged, {report.events} events"
        )
    report.seconds = time.monotonic() - started
    return report


def concurrency(
    workdir: Path, writers: int, events: int, log: Callable[[str], None] = print, timeout: float = 600
) -> Report:
    """`writers` processes each log `events` events to one incident while a headless TUI logs entries too."""
    db = workdir / "concurrent.db"
    subprocess.run([*CLI, "--db", str(db), "new", "Busy", "--id", INC], check=True, cwd=REPO, capture_output=True)
    report = Report(rounds=1)
    started = time.monotonic()
    tui = subprocess.Popen(
        [sys.executable, str(WORKERS), "tui-headless", str(db), INC],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert tui.stdout is not None
    first = tui.stdout.readline()
    if not first:
        report.fail("the headless TUI did not start: " + (tui.stderr.read() if tui.stderr else ""))
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKERS), "log-loop", str(db), INC, f"w{k}", "--count", str(events)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for k in range(writers)
    ]
    acked: dict[str, int] = {}
    for k, proc in enumerate(procs):
        out, err = proc.communicate(timeout=timeout)
        records = [json.loads(line) for line in out.splitlines() if line.strip()]
        commands = [r for r in records if "text" in r]
        check_commands(report, [(r["text"], r["code"], r["out"], r["err"]) for r in commands], acked)
        if len(commands) != events or proc.returncode != 0:
            report.fail(f"writer {k} finished {len(commands)} of {events} commands ({proc.returncode}) {err[-300:]}")
        for r in commands:
            if "locked" in (r["out"] + r["err"]).lower():
                report.fail(f"writer {k} showed a user {r['err'] or r['out']!r}")
    tui_out, tui_err = tui.communicate(input="", timeout=timeout)
    lines = [json.loads(line) for line in (first + tui_out).splitlines() if line.strip()]
    typed = [r["typed"] for r in lines if "typed" in r]
    said = [r["status"] for r in lines if "status" in r]
    for line in said:
        if line.startswith("⚠") or "locked" in line.lower():
            report.fail(f"the TUI said {line!r}")
    if tui.returncode != 0 or not any("done" in r for r in lines):
        report.fail(f"the headless TUI ended with status {tui.returncode}: {tui_err[-500:]}")
    rows = query(db, "SELECT id, text FROM events WHERE incident_id=?", (INC,))
    counts = collections.Counter(str(t) for _i, t in rows)
    by_id = {int(str(i)): str(t) for i, t in rows}
    for text, event_id in acked.items():
        if by_id.get(event_id) != text:
            report.fail(f"acknowledged event {event_id} {text!r} is missing")
    expected = {f"w{k} {n}" for k in range(writers) for n in range(events)} | set(typed)
    if set(counts) != expected:
        report.fail(f"{len(expected - set(counts))} events missing, {len(set(counts) - expected)} unexpected")
    if any(n > 1 for n in counts.values()):
        report.fail(f"{sum(n > 1 for n in counts.values())} texts stored more than once")
    if query(db, "PRAGMA integrity_check") != [("ok",)]:
        report.fail("integrity_check is not ok")
    report.events = len(rows)
    report.seconds = time.monotonic() - started
    log(
        f"{writers} writers x {events} events + {len(typed)} TUI entries: {len(rows)} rows, "
        f"{len(acked)} acknowledged, {len(report.failures)} failures in {report.seconds:.0f} s"
    )
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the crash soak (or the concurrency run) and print what it found; exit 1 on any failure."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=50, help="crash rounds (default 50)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock, printed)")
    parser.add_argument("--concurrency", action="store_true", help="run the concurrency check instead")
    parser.add_argument("--writers", type=int, default=8, help="concurrent writer processes (default 8)")
    parser.add_argument("--events", type=int, default=1000, help="events per writer (default 1000)")
    parser.add_argument("--keep", action="store_true", help="keep the database folder afterwards")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="warroom-soak-"))
    if args.concurrency:
        report = concurrency(workdir, args.writers, args.events)
    else:
        seed = args.seed if args.seed is not None else int(time.time())
        print(f"seed {seed}; database in {workdir}")
        report = crash_soak(workdir, args.rounds, seed)
    if not args.concurrency:
        print(report.summary())
    for failure in report.failures:
        print("FAIL", failure)
    if not args.keep and not report.failures:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
