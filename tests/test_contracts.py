"""The architecture and the types, checked by the tools configured in pyproject.toml (run as `lint-imports`, `mypy`).

The layers (DESIGN.md): warroom.tui wires warroom.widgets to warroom.store; the store never imports Textual;
widgets never open the database. import-linter holds those contracts, mypy --strict the types.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(tool: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / tool)], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_import_contracts_hold() -> None:
    """`lint-imports` keeps every contract of pyproject.toml."""
    result = _run("lint-imports", ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


@pytest.mark.parametrize(
    ("module", "code", "broken"),
    [
        ("store/bad.py", "import textual\n", "warroom.store is not allowed to import textual"),
        ("widgets/bad.py", "from warroom.store.store import Store\n", "warroom.widgets is not allowed to import"),
        ("widgets/bad.py", "import sqlite3\n", "warroom.widgets is not allowed to import sqlite3"),
        ("store/bad.py", "from warroom.tui import app\n", "warroom.store.bad -> warroom.tui.app"),
    ],
)
def test_import_contracts_catch_a_violation(tmp_path: Path, module: str, code: str, broken: str) -> None:
    """The contracts can fail: a copy of the package with one bad import is refused."""
    shutil.copytree(ROOT / "warroom", tmp_path / "warroom", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "warroom" / module).write_text(code)
    result = _run("lint-imports", tmp_path)
    assert result.returncode == 1
    assert broken in " ".join(result.stdout.split())


def test_types_are_strict() -> None:
    """`mypy` (strict, configured in pyproject.toml) finds nothing in the package."""
    result = _run("mypy", ROOT)
    assert result.returncode == 0, result.stdout[-4000:]


def test_the_type_check_can_fail(tmp_path: Path) -> None:
    """The same `mypy` refuses a copy of the package with one wrongly typed line."""
    shutil.copytree(ROOT / "warroom", tmp_path / "warroom", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "warroom" / "store" / "bad.py").write_text('def count() -> int:\n    return "many"\n')
    result = _run("mypy", tmp_path)
    assert result.returncode == 1
    assert "warroom/store/bad.py:2: error" in result.stdout


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


CLI_MODULES = sorted((ROOT / "tui").glob("cli*.py"))


@pytest.mark.parametrize("path", CLI_MODULES, ids=lambda p: p.name)
def test_shell_commands_load_textual_only_for_the_tui(path: Path) -> None:
    """`warroom log` and friends stay fast: the CLI modules import Textual only inside the TUI's commands."""
    assert "textual" not in _top_level_imports(path)


def test_the_cli_check_can_fail(tmp_path: Path) -> None:
    """The check above sees a module-level Textual import."""
    bad = tmp_path / "cli_bad.py"
    bad.write_text("import click\nfrom textual.app import App\n")
    assert "textual" in _top_level_imports(bad)
    assert CLI_MODULES


def _stubbed_classes(source: str) -> list[str]:
    """Classes whose body declares, under `if TYPE_CHECKING:`, what some other class is expected to provide."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.If) and isinstance(item.test, ast.Name) and item.test.id == "TYPE_CHECKING":
                    found.append(node.name)
    return found


def test_no_class_stubs_the_screen_it_is_mixed_into() -> None:
    """Screen helpers are objects the screen owns (like `screen.find`, `screen.follow`), not mixins with stubs."""
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for layer in ("store", "widgets", "tui")
        for path in sorted((ROOT / layer).rglob("*.py"))
        for name in _stubbed_classes(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_stub_check_can_fail() -> None:
    """The check above sees a mixin that stubs its host's attributes."""
    mixin = "class Finder:\n    if TYPE_CHECKING:\n        def query_one(self) -> None: ...\n"
    assert _stubbed_classes(mixin) == ["Finder"]
