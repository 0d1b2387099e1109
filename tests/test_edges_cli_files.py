"""`export -o` to what is not a plain file: standard output or error, a named pipe, a device, a symbolic link.
Nothing that is not a regular file is ever replaced by one, and --force never replaces a link.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.edge_support import INC, Done, run, seeded
from tests.postmortem_support import SIZE, demo_app, run_async, status_text, wait_until
from tests.process_support import clean_env, script
from tests.test_export_screen import open_export, write


def exported(db: Path) -> str:
    """The post-mortem as `export` prints it."""
    return run(db, "export", INC).ok()


def _export_with_stdout(db: Path, output: str, stdout: int) -> Done:
    """`warroom export -o OUTPUT` with its standard output on the given descriptor."""
    done = subprocess.run(
        [script(), "--db", str(db), "export", INC, "-o", output],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(WARROOM_TZ="UTC"),
        timeout=120,
    )
    return Done(done.returncode, "", done.stderr)


def test_export_to_dev_stdout_writes_into_the_pipe(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    assert run(db, "export", INC, "-o", "/dev/stdout").ok() == exported(db)
    assert run(db, "export", INC, "-o", "/dev/fd/1").ok() == exported(db)
    done = run(db, "export", INC, "-o", "/dev/stderr")
    assert done.code == 0 and exported(db) in done.err


def test_export_to_dev_stdout_appends_to_a_redirected_file(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    out = tmp_path / "out.md"
    out.write_text("kept\n")
    with out.open("a") as fh:
        _export_with_stdout(db, "/dev/stdout", fh.fileno()).ok()
    assert out.read_text() == "kept\n" + exported(db)


def test_export_through_a_link_to_dev_stdout_writes_there_and_keeps_the_link(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    link = tmp_path / "out.md"
    link.symlink_to("/dev/stdout")
    assert run(db, "export", INC, "-o", str(link)).ok() == exported(db)
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"


def test_export_to_a_named_pipe_writes_into_it(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    try:
        run(db, "export", INC, "-o", str(fifo)).ok()
    finally:
        reader.join(timeout=60)
    assert got == [exported(db)]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_force_never_replaces_a_device_or_a_link_to_one(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    link = tmp_path / "null.md"
    link.symlink_to("/dev/null")
    run(db, "export", INC, "-o", str(link), "--force").ok()
    run(db, "export", INC, "-o", "/dev/null", "--force").ok()
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_link_to_a_file_is_refused_accurately_and_force_writes_its_target(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    target = tmp_path / "pm.md"
    target.write_text("yesterday\n")
    target.chmod(0o640)
    link = tmp_path / "latest.md"
    link.symlink_to(target.name)
    line = run(db, "export", INC, "-o", str(link)).one_line(2)
    assert line == (
        f"warroom: {link} is a symbolic link to {target}; not following it: give -o {target},"
        " or --force to write that file (the link is kept)"
    )
    assert "replace" not in line and target.read_text() == "yesterday\n"
    run(db, "export", INC, "-o", str(link), "--force").ok()
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text() == exported(db) and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_dangling_link_is_refused_and_force_creates_its_target(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    link = tmp_path / "latest.md"
    link.symlink_to(tmp_path / "new.md")
    run(db, "export", INC, "-o", str(link)).one_line(2)
    assert not (tmp_path / "new.md").exists()
    run(db, "export", INC, "-o", str(link), "--force").ok()
    assert link.is_symlink() and (tmp_path / "new.md").read_text() == exported(db)


@run_async
async def test_tui_refuses_to_write_onto_its_own_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`w` to a path that is standard output (here a link to /dev/stdout) would draw over the TUI: refused."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app, incident_id = demo_app(tmp_path)
    link = folder / f"{incident_id}-postmortem.md"
    link.symlink_to("/dev/stdout")
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        await write(pilot)
        await wait_until(pilot, lambda: "is this terminal" in status_text(app), "the refusal")
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"


def test_block_device_and_socket_are_refused_in_one_line(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    block = tmp_path / "disk"
    try:
        os.mknod(block, stat.S_IFBLK | 0o600, os.makedev(7, 250))  # a loop device number nothing uses
    except PermissionError:
        pytest.skip("making a device node needs root")
    line = run(db, "export", INC, "-o", str(block), "--force").one_line(2)
    assert line == f"warroom: {block} is a block device; not writing there"
    assert stat.S_ISBLK(os.lstat(block).st_mode)
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        line = run(db, "export", INC, "-o", str(path)).one_line(2)
    assert line == f"warroom: {path} is neither a file, a pipe nor a terminal; not writing there"


def test_export_never_writes_over_the_database_it_reads(tmp_path: Path) -> None:
    """`-o` naming the database, a link to it (even with --force) or its -wal is refused: every incident is kept."""
    db = seeded(tmp_path / "w.db")
    before = db.read_bytes()
    link = tmp_path / "pm.md"
    link.symlink_to(db)
    for output, force in ((db, ()), (link, ("--force",)), (Path(f"{db}-wal"), ())):
        line = run(db, "export", INC, "-o", str(output), *force).one_line(2)
        assert "is warroom's database" in line, line
    assert db.read_bytes()[:16] == b"SQLite format 3\x00" and link.is_symlink()
    assert run(db, "show", INC).ok() and db.read_bytes() == before


@run_async
async def test_tui_refuses_to_write_over_its_own_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`w` to a path that is the open database (here through a link) says so and asks nothing."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app, incident_id = demo_app(tmp_path)
    assert app.store.path is not None
    link = folder / f"{incident_id}-postmortem.md"
    link.symlink_to(app.store.path)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        await write(pilot)
        await wait_until(pilot, lambda: "is warroom's database" in status_text(app), "the refusal")
    assert app.store.path.read_bytes()[:16] == b"SQLite format 3\x00"


@run_async
async def test_tui_refuses_a_named_pipe_instead_of_waiting_for_a_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`w` to a FIFO: opening it would wait for a reader on the writer thread, and every entry logged after it
    would wait too ("the database is busy"). The TUI writes files only and says so."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app, incident_id = demo_app(tmp_path)
    fifo = folder / f"{incident_id}-postmortem.md"
    os.mkfifo(fifo)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        await write(pilot)
        await wait_until(pilot, lambda: "is a pipe or a device" in status_text(app), "the refusal")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_loop_of_links_is_refused_and_force_keeps_the_links(tmp_path: Path) -> None:
    """Two links pointing at each other: one line naming the loop (not a made-up target), and --force does not
    replace a link with a file."""
    db = seeded(tmp_path / "w.db")
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.symlink_to(second)
    second.symlink_to(first)
    for force in ((), ("--force",)):
        line = run(db, "export", INC, "-o", str(first), *force).one_line(2)
        assert line == f"warroom: {first} is a symbolic link that leads back to itself (a loop); not writing there"
    assert first.is_symlink() and second.is_symlink()


def test_the_wrote_line_shows_a_hostile_file_name_on_one_line(tmp_path: Path) -> None:
    """A name with an escape sequence and a newline: the closing line shows them, it does not run or split them."""
    db = seeded(tmp_path / "w.db")
    name = tmp_path / "pm\x1b[2J\nsecond.md"
    done = run(db, "export", INC, "-o", str(name))
    assert done.code == 0 and name.read_text() == exported(db)
    last = done.err.splitlines()[-1]
    assert last == f"wrote {tmp_path}/pm␛[2J second.md" and "\x1b" not in done.err


@pytest.mark.parametrize("stop", [KeyboardInterrupt, RuntimeError])
def test_an_export_stopped_mid_write_leaves_no_temporary(tmp_path: Path, stop: type[BaseException]) -> None:
    # Ctrl+C (or a failure reading the incident) half-way through `export -o FILE`: FILE as it was, and
    # nothing beside it, not even a temporary file left for a later export to clean up.
    from warroom.store.files import write_atomic

    target = tmp_path / "pm.md"
    target.write_text("before\n")

    def pieces() -> Iterator[str]:
        yield "# half a post-mortem\n" * 1000
        raise stop

    with pytest.raises(stop):
        write_atomic(target, pieces())
    assert target.read_text() == "before\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pm.md"]
