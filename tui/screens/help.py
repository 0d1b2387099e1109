"""Help, built from the live key bindings, the quick-entry prefixes and the slash commands."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from warroom.store.quickentry import COMMANDS

PREFIXES = [
    ("14:02  14:02:30  -5m  -1h30m", "backdate: when it happened (default: when you started typing)"),
    ("?  text", "hypothesis"),
    ("=  text", "decision"),
    (">  text", "action taken"),
    ('"  text', "communication (status page, customers)"),
    ("+  text", "detection"),
    ("*  text", "star the event (stands out in review and export)"),
    ("@team", "responsible team, as the first or last word"),
    ("!detected  !mitigated  !resolved", "milestone: sets the incident's key time"),
    ("//text", "log text that starts with /"),
]


def own_bindings(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys, what they do, where) for the bindings warroom declares on the app, the screen and its panes."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    kinds = [type(node) for node in [screen.app, screen, *screen.query("*")]]
    # A widget the screen mounts only when first used has its keys listed as if it were there already.
    for later, follows in getattr(screen, "MOUNTED_WHEN_USED", ()):
        if later not in kinds and follows in kinds:
            kinds.insert(kinds.index(follows) + 1, later)
    for kind in kinds:
        # Only our own classes: the stock widgets' text-editing keys would drown the useful ones.
        if not kind.__module__.startswith(("warroom.tui.", "warroom.widgets.")):
            continue
        where = PANE_NAMES.get(kind.__name__, "anywhere")
        for item in kind.__dict__.get("BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            if not binding.description or (where, binding.action) in seen:
                continue
            seen.add((where, binding.action))
            keys = ", ".join(screen.app.get_key_display(Binding(k.strip(), "")) for k in binding.key.split(","))
            rows.append((keys, binding.tooltip or binding.description, where))
    return rows


PANE_NAMES = {
    "TimelineView": "timeline",
    "FindBar": "find bar",
    "FactorsPane": "root cause",
    "ActionsPane": "action items",
}


class HelpScreen(ModalScreen[None]):
    """Keys of the screen underneath, quick-entry prefixes and slash commands."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 95%; max-width: 110; height: 90%; border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Help · Escape closes · ctrl+p searches every command", "bold"))
            yield Static(self._keys())
            if COMMANDS and self.under.__class__.__name__ == "IncidentScreen":
                yield Static(self._prefixes())
                yield Static(self._commands())

    def _keys(self) -> Table:
        table = Table(title="Keys", title_justify="left", expand=True, show_header=False, box=None)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        table.add_column(style="dim")
        for keys, what, where in own_bindings(self.under):
            table.add_row(keys, what, where)
        table.add_row("tab / shift+tab", "next / previous pane", "")
        return table

    def _prefixes(self) -> Table:
        table = Table(title="Quick entry", title_justify="left", expand=True, show_header=False, box=None)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for typed, meaning in PREFIXES:
            table.add_row(Text(typed), Text(meaning))
        return table

    def _commands(self) -> Table:
        table = Table(
            title="Slash commands (Tab or → completes)", title_justify="left", expand=True, show_header=False, box=None
        )
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for spec in COMMANDS.values():
            table.add_row(Text(spec.usage), Text(spec.description))
        return table
