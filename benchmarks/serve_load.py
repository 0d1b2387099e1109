"""Serving under load: 20 browser sessions on one `warroom serve` while 8 pipes log 100 events/s each.

Loopback only, bounded in sessions and seconds. `warroom serve` runs as a real process on 127.0.0.1; each
session is a websocket client speaking textual-serve's protocol, exactly as a browser tab does, so each
gets its own app process (a headless browser per session would measure chromium, not warroom, on 2 cores).
Sessions are 200x120 cells so a new timeline row stays on screen long enough to be drawn at 800 events/s.

- Pipes: each of the 8 is a real `warroom log INCIDENT -` reading lines from a feeder process that
  writes `--rate` lines a second (`--commits each` logs one transaction per event instead, as the
  earlier runs of this script did). Counted: events in the file when the writing time is up.
- Visibility: once a second the benchmark logs a marker event; each session's latency runs from the
  marker's commit to the first frame that draws it, or draws newer events than it (at 800 events/s a
  following timeline scrolls a row off a 120-row screen within a fraction of a second, so a frame that
  shows the tail has caught up past the marker even when the marker itself is already above it). Both
  are reported; the verdict is on the second. Target: every session shows every marker within 1 s.
- Echo: one session, run from a separate process (so that its figures hold none of this process's time
  spent on the other sessions' frames), types a letter every 200 ms into its entry line (never Enter);
  latency runs from sending the key to the first frame holding that letter. Target: p99 < 50 ms.
  Baseline, same run: the same typing before the writers start (after a second of warm-up typing: a
  fresh app process loads what keys need on the first one).
- CPU: time used per process (from /proc) while the sessions sit idle for 5 s and while the writers
  run: the serve process, the tabs' app processes, the pipes, and this client itself. Frames are kept
  as they arrive and only stripped of escape codes after the run, so the client costs little.

    python benchmarks/serve_load.py [--sessions 20] [--writers 8] [--rate 100] [--seconds 20]
"""

from __future__ import annotations

import asyncio
import bisect
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import HIDDEN, Result, clean_env, parser, percentile, report, scratch
from seed import INCIDENT_ID, recent_start, seed

HERE = Path(__file__).resolve().parent
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: The texts of the pipes' events and the markers, as drawn in a timeline row.
EVENT_TEXT = re.compile(r"pipe \d+ event \d+|writer \d+ event \d+|marker-\d+-ok")
#: Letters that appear nowhere else on the incident screen of this benchmark's incident.
ECHO_LETTERS = "QXJVQXJV"
#: Hard limits, whatever the options say.
MAX_SESSIONS = 40
MAX_SECONDS = 60.0
#: Seconds the sessions sit idle while their CPU is counted.
IDLE_SECONDS = 5.0
TICKS = os.sysconf("SC_CLK_TCK")


class Session:
    """One websocket session: everything drawn in it, raw, with arrival times."""

    def __init__(self, number: int, *, strip: bool = False) -> None:
        self.number = number
        self.strip = strip
        self.frames: list[tuple[float, str]] = []
        self.socket: Any = None
        self.ready = asyncio.Event()

    async def run(self, url: str, http: Any) -> None:
        """Connect (as a tab named load-N) and record every frame until closed."""
        headers = {"Cookie": f"warroom_name=load-{self.number}"}
        async with http.ws_connect(f"{url}ws?width=200&height=120", headers=headers, max_msg_size=0) as socket:
            self.socket = socket
            await socket.send_str(json.dumps(["resize", {"width": 200, "height": 120}]))
            async for message in socket:
                data = message.data
                text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
                now = time.perf_counter()
                if self.strip:
                    text = ANSI.sub("", text)
                self.frames.append((now, text))
                if not self.ready.is_set() and "log ›" in ANSI.sub("", text):
                    self.ready.set()

    def first_seen(self, text: str, after: float) -> float | None:
        """When `text` was first drawn at or after `after` (frames already stripped)."""
        for moment, frame in self.frames[bisect.bisect_left(self.frames, (after, "")) :]:
            if text in frame:
                return moment
        return None

    def seen_times(
        self, logged: list[tuple[str, float]], ids: dict[str, int]
    ) -> list[tuple[float | None, float | None]]:
        """For each marker (text, commit time): when this session first drew it, and when it first drew it or a
        newer event (it had caught up past the marker: at 800 events/s a row scrolls off a following timeline
        within a fraction of a second, and a frame that came a little late may show only newer ones)."""
        seen: list[tuple[float | None, float | None]] = [(None, None)] * len(logged)
        marker_ids = [ids.get(text, 0) for text, _ in logged]
        for moment, raw in self.frames:
            frame = None
            newest = -1
            for i, (text, at) in enumerate(logged):
                drawn, past = seen[i]
                if moment < at or (drawn is not None and past is not None):
                    continue
                if frame is None:
                    frame = ANSI.sub("", raw)
                    newest = max((ids.get(found, -1) for found in EVENT_TEXT.findall(frame)), default=-1)
                if drawn is None and text in frame:
                    drawn = moment
                if past is None and (text in frame or newest >= marker_ids[i] > 0):
                    past = moment
                seen[i] = (drawn, past)
        return seen


# -- the echo session, in a process of its own ---------------------------------------------------


async def type_letters(session: Session, seconds: float) -> list[float]:
    """Type a letter every 200 ms for `seconds`; each key's time to its echo, in ms."""
    latencies: list[float] = []
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end:
        letter = ECHO_LETTERS[i % len(ECHO_LETTERS)]
        i += 1
        sent = time.perf_counter()
        await session.socket.send_str(json.dumps(["stdin", letter]))
        while time.perf_counter() - sent < 2.0:
            seen = session.first_seen(letter, sent)
            if seen is not None:
                latencies.append((seen - sent) * 1000)
                break
            await asyncio.sleep(0.001)
        if i % len(ECHO_LETTERS) == 0:  # clear the line again (ctrl+u), so it never grows off screen
            await session.socket.send_str(json.dumps(["stdin", "\x15"]))
        await asyncio.sleep(0.2)
    return latencies


async def echo_client(url: str) -> None:
    """Open one session; on each line `type SECONDS` from stdin, type and print the latencies as JSON."""
    import aiohttp

    session = Session(999, strip=True)
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession() as http:
        task = asyncio.create_task(session.run(url, http))
        await asyncio.wait_for(session.ready.wait(), timeout=180)
        print("ready", flush=True)
        while line := (await loop.run_in_executor(None, sys.stdin.readline)).split():
            print(json.dumps(await type_letters(session, float(line[1]))), flush=True)
            session.frames.clear()
        await session.socket.close()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


# -- the pipes -----------------------------------------------------------------------------------


def feed(seconds: float, rate: float, number: int) -> None:
    """Write `rate` lines a second to stdout for `seconds`, each flushed as it is written."""
    start = time.perf_counter()
    written = 0
    out = sys.stdout
    while (elapsed := time.perf_counter() - start) < seconds:
        due = int(elapsed * rate) + 1
        while written < due:
            out.write(f"pipe {number} event {written}\n")
            written += 1
        out.flush()
        time.sleep(max(0.0, written / rate - (time.perf_counter() - start)))


def start_pipes(db: Path, args: Any) -> list[subprocess.Popen[bytes]]:
    """The writers: `feeder | warroom log -` pairs (or one transaction per event with --commits each)."""
    env = clean_env()
    if args.commits == "each":
        argv = [sys.executable, str(HERE / "live_writers.py"), "--writer", str(db), str(args.seconds), str(args.rate)]
        return [subprocess.Popen([*argv, str(i)], stdout=subprocess.DEVNULL, env=env) for i in range(args.writers)]
    warroom = str(Path(sys.executable).with_name("warroom"))
    procs: list[subprocess.Popen[bytes]] = []
    for i in range(args.writers):
        feeder = subprocess.Popen(
            [sys.executable, __file__, "--feed", str(args.seconds), str(args.rate), str(i)],
            stdout=subprocess.PIPE,
            env=env,
        )
        log = subprocess.Popen(
            [warroom, "--db", str(db), "log", "--incident", INCIDENT_ID, "-"],
            stdin=feeder.stdout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert feeder.stdout is not None
        feeder.stdout.close()  # the log process holds the read end now
        procs += [feeder, log]
    return procs


def event_ids(db: Path) -> dict[str, int]:
    """Each logged event's id by its text (every text in this benchmark is unique)."""
    with sqlite3.connect(db) as conn:
        return {text: int(event_id) for event_id, text in conn.execute("SELECT id, text FROM events")}


def pipe_events(db: Path) -> int:
    """Events the writers have committed so far."""
    with sqlite3.connect(db) as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM events WHERE text LIKE 'pipe % event %' OR text LIKE 'writer % event %'"
            ).fetchone()[0]
        )


# -- CPU per process -----------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def descendants(root: int) -> list[int]:
    """Every process started (at any depth) by `root`."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_line(pid: int) -> bytes:
    """A process's command line (empty once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class CpuMeter:
    """CPU used by groups of processes between `start` and `stop`, as a share of one core."""

    def __init__(self, groups: dict[str, list[int]]) -> None:
        self.groups = groups
        self.before: dict[int, float] = {}
        self.started = 0.0
        self.shares: dict[str, float] = {}

    def start(self) -> None:
        self.before = {pid: cpu_seconds(pid) for pids in self.groups.values() for pid in pids}
        self.started = time.perf_counter()

    def stop(self) -> dict[str, float]:
        wall = time.perf_counter() - self.started
        for name, pids in self.groups.items():
            used = sum(max(cpu_seconds(pid) - self.before.get(pid, 0.0), 0.0) for pid in pids)
            self.shares[name] = 100 * used / wall
        return self.shares


def load_average() -> float:
    return os.getloadavg()[0]


# -- the run -------------------------------------------------------------------------------------


async def markers(db: Path, seconds: float) -> list[tuple[str, float]]:
    """Log a marker event once a second; each marker's text and commit time."""
    from warroom.store.store import Store

    store = Store(db)
    logged: list[tuple[str, float]] = []
    end = time.perf_counter() + seconds
    k = 0
    while time.perf_counter() < end:
        text = f"marker-{k:03d}-ok"
        store.log_event(INCIDENT_ID, text, source="pipe")  # a few ms; it only delays reading (conservative)
        logged.append((text, time.perf_counter()))
        k += 1
        await asyncio.sleep(1.0)
    store.close()
    return logged


async def measure(url: str, db: Path, server: int, args: Any) -> dict[str, Any]:
    """Open the sessions, let them idle, type quietly, then type and log markers under the writers."""
    import aiohttp

    sessions = [Session(n) for n in range(args.sessions - 1)]
    echo = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--echo-client", url, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert echo.stdin is not None and echo.stdout is not None

    async def echo_type(seconds: float) -> list[float]:
        assert echo.stdin is not None and echo.stdout is not None
        echo.stdin.write(f"type {seconds}\n".encode())
        await echo.stdin.drain()
        return list(json.loads(await echo.stdout.readline()))

    async with aiohttp.ClientSession() as http:
        started = time.perf_counter()
        tasks = [asyncio.create_task(s.run(url, http)) for s in sessions]
        await asyncio.wait_for(asyncio.gather(echo.stdout.readline(), *(s.ready.wait() for s in sessions)), timeout=180)
        opened = time.perf_counter() - started
        await asyncio.sleep(2.0)
        tabs = [pid for pid in descendants(server) if b"-m\0warroom.tui.cli" in command_line(pid)]
        startup = sum(cpu_seconds(pid) for pid in tabs) / max(len(tabs), 1)
        client = [os.getpid(), echo.pid]
        idle = CpuMeter({"serve": [server], "tabs": tabs, "client": client})
        idle.start()
        load_idle = load_average()
        await asyncio.sleep(IDLE_SECONDS)
        idle.stop()
        await echo_type(1.0)  # warm-up: the first key of a fresh process loads what keys need
        quiet = await echo_type(5.0)
        load_busy = load_average()
        writers = start_pipes(db, args)
        busy_meter = CpuMeter({"serve": [server], "tabs": tabs, "client": client, "pipes": [w.pid for w in writers]})
        busy_meter.start()
        busy_task = asyncio.create_task(echo_type(args.seconds - 1))
        logged = await markers(db, args.seconds - 1)
        busy = await busy_task
        await asyncio.sleep(max(0.0, args.seconds - (time.perf_counter() - busy_meter.started)))
        written = pipe_events(db)
        busy_meter.stop()
        await asyncio.sleep(1.5)
        for w in writers:
            w.wait(timeout=60)
        drained = pipe_events(db)
        for session in sessions:
            if session.socket is not None:
                await session.socket.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        echo.stdin.close()
        await echo.wait()
    ids = event_ids(db)
    visible: list[float] = []
    caught: list[float] = []
    missed = late = 0
    for session in sessions:
        for (drawn, past), (_, at) in zip(session.seen_times(logged, ids), logged, strict=True):
            if drawn is None or drawn - at > 1.0:
                missed += 1
            if drawn is not None:
                visible.append((drawn - at) * 1000)
            if past is None or past - at > 1.0:
                late += 1
            if past is not None:
                caught.append((past - at) * 1000)
    return {
        "opened": opened,
        "quiet": quiet,
        "busy": busy,
        "visible": visible,
        "missed": missed,
        "caught": caught,
        "late": late,
        "markers": len(logged) * len(sessions),
        "written": written,
        "drained": drained,
        "idle_cpu": idle.shares,
        "busy_cpu": busy_meter.shares,
        "tabs": len(tabs),
        "startup": startup,
        "load": (load_idle, load_busy),
    }


def main() -> int:
    """Serve on loopback, load it, report visibility, echo latency and CPU."""
    if sys.argv[1:2] == ["--feed"]:
        feed(float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
        return 0
    if sys.argv[1:2] == ["--echo-client"]:
        asyncio.run(echo_client(sys.argv[2]))
        return 0
    p = parser(__doc__ or "")
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--writers", type=int, default=8)
    p.add_argument("--rate", type=float, default=100.0, help="events per second per writer")
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument(
        "--commits", choices=("pipe", "each"), default="pipe", help="warroom log - (group commit) or one per event"
    )
    p.add_argument("--feed", help=HIDDEN)
    p.add_argument("--echo-client", help=HIDDEN)
    args = p.parse_args()
    args.sessions = max(2, min(args.sessions, MAX_SESSIONS))
    args.seconds = max(3.0, min(args.seconds, MAX_SECONDS))
    with scratch() as folder:
        db = folder / "serve.db"
        seed(db, 2_000, start=recent_start(2_000))
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        warroom = str(Path(sys.executable).with_name("warroom"))
        server = subprocess.Popen(
            [warroom, "--db", str(db), "serve", INCIDENT_ID, "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=clean_env(),
        )
        try:
            assert server.stdout is not None
            first = server.stdout.readline().decode()
            if "serving on" not in first:
                print(f"warroom serve did not start: {first}")
                return 1
            state = asyncio.run(measure(f"http://127.0.0.1:{port}/", db, server.pid, args))
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    q99, b50, b99 = percentile(state["quiet"], 99), percentile(state["busy"], 50), percentile(state["busy"], 99)
    v50, v_max = percentile(state["visible"], 50), max(state["visible"], default=float("nan"))
    target = int(args.writers * args.rate * args.seconds)
    print(
        f"{args.sessions} sessions opened in {state['opened']:.1f} s; {args.writers} writers x {args.rate:.0f}/s "
        f"({args.commits}) for {args.seconds:.0f} s: {state['written']} of {target} events in the file in time, "
        f"{state['drained']} once drained; load average {state['load'][0]:.1f} idle, "
        f"{state['load'][1]:.1f} before writers"
    )
    c50, c_max = percentile(state["caught"], 50), max(state["caught"], default=float("nan"))
    print(
        f"  markers drawn (or scrolled past by newer rows drawn) in every session within 1 s: "
        f"{state['markers'] - state['late']} of {state['markers']} (median {c50:.0f} ms, slowest {c_max:.0f} ms)"
    )
    print(
        f"  markers drawn themselves within 1 s: {state['markers'] - state['missed']} of {state['markers']}"
        f" (median {v50:.0f} ms, slowest {v_max:.0f} ms)"
    )
    print(
        f"  key -> echo: quiet p99 {q99:.1f} ms ({len(state['quiet'])} keys); busy p50 {b50:.1f} ms, "
        f"p99 {b99:.1f} ms ({len(state['busy'])} keys); slowest: "
        + ", ".join(f"{v:.0f}" for v in sorted(state["busy"])[-5:])
        + " ms"
    )
    for phase in ("idle", "busy"):
        shares = state[f"{phase}_cpu"]
        per_tab = shares["tabs"] / max(state["tabs"], 1)
        parts = ", ".join(f"{name} {share:.0f}%" for name, share in shares.items())
        print(f"  CPU {phase} (% of one core): {parts}; {per_tab:.2f}% per tab ({state['tabs']} tab processes)")
    print(f"  start-up CPU per tab process: {state['startup']:.2f} s")
    results = [
        Result(
            name=f"serve: new event shown in all {args.sessions - 1} watching sessions (slowest)",
            figure=c_max,
            unit="ms",
            target="<= 1000 ms, none missed",
            passed=state["late"] == 0 and c_max <= 1000,
            note=f"{state['late']} of {state['markers']} late or missing; drawn themselves: {state['missed']} late",
        ),
        Result(
            name="serve: keystroke echo p99 under load",
            figure=b99,
            unit="ms",
            target="< 50 ms",
            passed=b99 < 50,
            ratio=b99 / q99 if q99 else None,
            baseline=f"quiet p99 {q99:.1f} ms",
        ),
    ]
    return report(results, args.json)


if __name__ == "__main__":
    sys.exit(main())
