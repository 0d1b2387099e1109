"""The dependency direction of DESIGN.md, checked on the source: tui -> widgets, tui -> store, store -> nothing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

STORE_FORBIDDEN = {"textual", "rich", "tui", "widgets"}
WIDGETS_FORBIDDEN = {"tui", "sqlite3", "sqlite_utils"}
#: What widgets may take from store/: record types and their kinds to render, text and time helpers. Never I/O.
WIDGETS_MAY_USE = {
    "warroom.store.records",
    "warroom.store.kinds",
    "warroom.store.text",
    "warroom.store.timeparse",
    "warroom.store.spans",
}


def sources(pattern: str) -> list[Path]:
    """Python files under the project root matching a glob, sorted for stable test ids."""
    return sorted(ROOT.glob(pattern))


def package_of(path: Path) -> list[str]:
    """The package a file's relative imports start from (`store/db.py` and `store/__init__.py` -> store)."""
    return list(path.relative_to(ROOT).parent.parts)


def imported(tree: ast.Module, package: list[str], *, top_level_only: bool = False) -> set[str]:
    """Every module an AST imports, relative imports resolved against `package`."""
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # One dot is the file's own package; each further dot goes one package up.
                base = package[: max(len(package) - (node.level - 1), 0)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}".lstrip(".") for alias in node.names if alias.name != "*")
    return {name for name in found if name}


def top(names: set[str]) -> set[str]:
    """The top-level packages of dotted names."""
    return {name.split(".")[0] for name in names}


def parse(path: Path) -> ast.Module:
    """A file's AST."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def calls_store(tree: ast.Module) -> bool:
    """Whether code calls `Store(...)` or `something.Store(...)`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id == "Store") or (
                isinstance(func, ast.Attribute) and func.attr == "Store"
            ):
                return True
    return False


def store_violations(path: Path) -> set[str]:
    """What a store/ module imports that it must not."""
    return top(imported(parse(path), package_of(path))) & STORE_FORBIDDEN


def widget_violations(path: Path) -> set[str]:
    """What a widgets/ module imports or does that it must not."""
    tree = parse(path)
    names = imported(tree, package_of(path))
    bad = top(names) & WIDGETS_FORBIDDEN
    for name in names:
        if name.split(".")[0] != "store" or name in WIDGETS_MAY_USE:
            continue
        # `from warroom.store.records import Event` records both `store.records` and `store.records.Event`.
        if not any(name.startswith(allowed + ".") for allowed in WIDGETS_MAY_USE):
            bad.add(name)
    if calls_store(tree):
        bad.add("Store(...)")
    return bad


def cli_violations(path: Path) -> set[str]:
    """What a tui/cli*.py module imports at module level that would slow every shell command."""
    return top(imported(parse(path), package_of(path), top_level_only=True)) & {"textual"}


@pytest.mark.parametrize("path", sources("store/*.py"), ids=lambda p: p.name)
def test_store_is_plain_python(path: Path) -> None:
    """store/ never imports Textual, Rich or our UI packages."""
    assert store_violations(path) == set()


@pytest.mark.parametrize("path", sources("widgets/*.py"), ids=lambda p: p.name)
def test_widgets_never_open_the_database(path: Path) -> None:
    """widgets/ import nothing from tui, no SQLite library, only record types and helpers from warroom.store."""
    assert widget_violations(path) == set()


@pytest.mark.parametrize("path", sources("tui/cli*.py"), ids=lambda p: p.name)
def test_cli_does_not_import_textual_at_module_level(path: Path) -> None:
    """The shell commands load Textual only when the TUI is started."""
    assert cli_violations(path) == set()


@pytest.mark.parametrize("path", sources("tui/**/*.py"), ids=lambda p: str(p.relative_to(ROOT)))
def test_tui_sources_parse(path: Path) -> None:
    """Every tui/ module is valid Python for the checks above."""
    assert isinstance(parse(path), ast.Module)


def test_there_is_something_to_check() -> None:
    """The globs find the packages, so an empty match cannot make the checks pass vacuously."""
    assert sources("store/*.py") and sources("widgets/*.py") and sources("tui/cli*.py")


# The checker itself must catch what it is meant to catch.


def _write(tmp_root: Path, relative: str, code: str) -> Path:
    """A source file at `relative` under a fake project root."""
    path = tmp_root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(code, encoding="utf-8")
    return path


@pytest.fixture
def fake_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch project root the checker reads instead of the real one."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import textual\n", {"textual"}),
        ("def f():\n    from rich.text import Text\n", {"rich"}),
        ("from warroom.tui.app import run\n", {"tui"}),
        ("from warroom.widgets import timeline\n", {"widgets"}),
        ("import sqlite3\nfrom pydantic import BaseModel\nfrom store.models import Event\n", set()),
    ],
)
def test_checker_catches_store_violations(fake_root: Path, code: str, expected: set[str]) -> None:
    """Store checks see imports at any depth, and allow pydantic and sqlite."""
    assert store_violations(_write(fake_root, "store/bad.py", code)) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("from warroom.tui.cli import cli\n", {"tui"}),
        ("import sqlite3\n", {"sqlite3"}),
        ("def f():\n    import sqlite_utils\n", {"sqlite_utils"}),
        ("from warroom.store.store import Store\n", {"warroom.store.store", "warroom.store.store.Store"}),
        ("from warroom.store import db\n", {"store", "warroom.store.db"}),
        ("def f(make):\n    return make.Store('x.db')\n", {"Store(...)"}),
        ("from ..tui import app\n", {"tui"}),
        ("from .. import tui\n", {"tui"}),
        ("from . import timeline\nfrom .timeline import Timeline\n", set()),
        (
            "from warroom.store.records import Event\nfrom store.text import one_line\nfrom store.timeparse import UTC\n",
            set(),
        ),
    ],
)
def test_checker_catches_widget_violations(fake_root: Path, code: str, expected: set[str]) -> None:
    """Widget checks catch tui imports (also relative), SQLite libraries, store I/O and building a Store."""
    assert widget_violations(_write(fake_root, "widgets/bad.py", code)) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import textual.app\n", {"textual"}),
        ("from textual.widgets import Static\n", {"textual"}),
        ("def run():\n    from textual.app import App\n", set()),
    ],
)
def test_checker_catches_cli_violations(fake_root: Path, code: str, expected: set[str]) -> None:
    """The CLI check flags module-level Textual imports only, not ones inside a function."""
    assert cli_violations(_write(fake_root, "tui/cli_bad.py", code)) == expected
