"""Textual's private API is used in one module only, and each name it uses exists in the pinned Textual."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from warroom.widgets.textual_compat import PARSER_DRIVERS, PRIVATE_ATTRIBUTES, PRIVATE_MODULE_ATTRIBUTES

ROOT = Path(__file__).resolve().parents[1]
COMPAT = ROOT / "widgets" / "textual_compat.py"


@pytest.mark.parametrize(("owner", "name"), PRIVATE_ATTRIBUTES, ids=lambda v: getattr(v, "__name__", v))
def test_each_private_name_exists_in_the_pinned_textual(owner: type, name: str) -> None:
    """If an upgrade removes one, this fails first (the app itself degrades to slower paints)."""
    has = hasattr(owner, name) or name in getattr(owner, "__slots__", ()) or name in _instance_attributes(owner)
    assert has, f"{owner.__name__}.{name} is gone from this Textual"


def _instance_attributes(owner: type) -> set[str]:
    """Names assigned as `self.<name>` in the owner's source (instance attributes are not on the class)."""
    import inspect

    names: set[str] = set()
    for klass in owner.__mro__:
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        names.update(re.findall(r"self\.(_\w+)\s*[:=]", source))
    return names


def test_no_other_module_reaches_into_textual_privates() -> None:
    """Every private name of PRIVATE_ATTRIBUTES appears in the compat module and nowhere else."""
    names = {name for _owner, name in PRIVATE_ATTRIBUTES}
    pattern = re.compile(r"\.(" + "|".join(re.escape(n) for n in sorted(names)) + r")\b")
    offenders = []
    for path in sorted(p for layer in ("store", "widgets", "tui") for p in (ROOT / layer).rglob("*.py")):
        if path == COMPAT:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize(("module", "name"), PRIVATE_MODULE_ATTRIBUTES)
def test_each_private_module_exists_in_the_pinned_textual(module: str, name: str) -> None:
    """The input parser that pasted text is filtered for is still where the compat module looks for it."""
    import importlib

    assert hasattr(importlib.import_module(module), name), f"{module}.{name} is gone from this Textual"


@pytest.mark.parametrize("driver", PARSER_DRIVERS)
def test_each_driver_still_builds_its_parser_by_that_name(driver: str) -> None:
    """A driver that stopped naming `XTermParser` would parse unfiltered: the paste guard would be off there."""
    import importlib

    assert hasattr(importlib.import_module(driver), "XTermParser")


def test_no_other_module_imports_a_private_textual_module() -> None:
    """`textual._something` is imported by the compat module only."""
    pattern = re.compile(r"^\s*(from|import)\s+textual\._|^\s*from\s+textual\s+import\s+_")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(p for layer in ("store", "widgets", "tui") for p in (ROOT / layer).rglob("*.py"))
        if path != COMPAT
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
    assert any(pattern.search(line) for line in COMPAT.read_text().splitlines())  # the check can see one


def _textual_private_names() -> set[str]:
    """Private names (methods and instance attributes) of the Textual classes the app builds on."""
    from textual.app import App
    from textual.scroll_view import ScrollView
    from textual.widgets import DataTable, Input, OptionList, Select, Static, TextArea

    names: set[str] = set()
    for owner in (App, ScrollView, Input, TextArea, OptionList, DataTable, Select, Static):
        names.update(n for n in dir(owner) if n.startswith("_") and not n.startswith("__"))
        names.update(n for n in _instance_attributes(owner) if not n.startswith("__"))
    from textual.screen import ModalScreen

    names.update(n for n in _instance_attributes(ModalScreen) if not n.startswith("__"))
    return names


#: Names that are a Textual private's namesake on a class that is not Textual's (file: names).
NOT_TEXTUAL = {
    "tui/writer.py": {"_ready"},  # the writer thread's own start-up flag
    "tui/keygate.py": {"_task"},  # the key gate's own settling task
    "tui/serve.py": {"_process_messages"},  # textual-serve's Server relays a tab's packets with it
}


def test_no_module_outside_compat_touches_any_textual_private() -> None:
    """Not only the listed names: no `x._name`, `getattr(x, "_name")`, `super()._name` or overriding
    `def _name` of a Textual private outside the compat module (event handlers `_on_*`, which Textual calls
    along the class hierarchy, excepted)."""
    privates = _textual_private_names()
    use = re.compile(r"\.(_[a-z]\w*)\b|getattr\([^,]+,\s*\"(_[a-z]\w*)\"|^\s+def (_[a-z]\w*)\(")
    offenders = []
    for path in sorted(p for layer in ("widgets", "tui") for p in (ROOT / layer).rglob("*.py")):
        if path == COMPAT:
            continue
        own = NOT_TEXTUAL.get(str(path.relative_to(ROOT)), set())
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for found in use.finditer(line):
                name = next(g for g in found.groups() if g)
                if name in privates and name not in own and not name.startswith("_on_"):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
