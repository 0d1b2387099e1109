"""Messages built from a name take the article its sound needs: "an action", "an HTML block", "a URL"."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.edge_support import INC, run, seeded
from warroom.store.wording import with_article

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("noun", "said"),
    [
        ("action", "an action"),
        ("note", "a note"),
        ("hypothesis", "a hypothesis"),
        ("update", "an update"),
        ("HTML block", "an HTML block"),
        ("URL", "a URL"),
        ("user", "a user"),
        ("hour", "an hour"),
        ("one-line field", "a one-line field"),
    ],
)
def test_article_follows_the_sound(noun: str, said: str) -> None:
    assert with_article(noun) == said


def test_settling_an_action_as_a_hypothesis_says_an_action(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    run(db, "log", "rolled back", "-i", INC, "--kind", "action").ok()
    line = run(db, "hypothesis", "confirm", "2", "it was", "-i", INC).one_line(2)
    assert line == "warroom: event #2 is an action, not a hypothesis"


def test_markdown_blocks_out_of_place_are_named_with_their_article(tmp_path: Path) -> None:
    db = seeded(tmp_path / "w.db")
    text = run(db, "export", INC).ok()
    crafted = tmp_path / "pm.md"
    crafted.write_text(text.replace("## Impact\n", "## Impact\n\n<div>\nhi\n</div>\n\n---\n", 1))
    done = run(tmp_path / "other.db", "import", str(crafted))
    done.ok()
    assert "an HTML block in Impact" in done.err and "a horizontal rule in Impact" in done.err
    assert "a html" not in done.err and "a hr" not in done.err


def _article_before_a_value(tree: ast.AST) -> list[int]:
    """Lines of f-strings that put a fixed `a ` or `an ` right before an interpolated value."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for before, after in zip(node.values, node.values[1:], strict=False):
            if (
                isinstance(before, ast.Constant)
                and isinstance(after, ast.FormattedValue)
                and isinstance(before.value, str)
                and (f" {before.value}".endswith((" a ", " an ", " A ", " An ")))
            ):
                found.append(node.lineno)
    return found


def test_no_message_puts_a_fixed_article_before_a_name() -> None:
    """`f"is a {kind}"` says "is a action": messages use `with_article` (store/wording.py) instead."""
    slips = [
        f"{path.relative_to(REPO)}:{line}"
        for folder in ("store", "tui", "widgets")
        for path in sorted((REPO / folder).rglob("*.py"))
        for line in _article_before_a_value(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert slips == []


@pytest.mark.parametrize(
    "args",
    [
        ["hypothesis", "confirm", "99999999999999999999", "seen on the graph"],
        ["event", "delete", "99999999999999999999"],
        ["action", "done", "--", "-99999999999999999999"],
        ["cause", "add", "pool too small", "--event", "99999999999999999999"],
    ],
)
def test_a_number_beyond_sqlite_is_one_line_not_a_traceback(tmp_path: Path, args: list[str]) -> None:
    db = seeded(tmp_path / "w.db")
    line = run(db, *args).one_line(2)
    assert "is too large to number anything warroom keeps" in line and "Traceback" not in line, line
