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

from store.quickentry import COMMANDS

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
        seen = set()
        for active in self.under.active_bindings.values():
            binding = active.binding
            if not binding.description or (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            where = type(active.node).__name__.replace("Pane", "").replace("View", "").replace("Screen", "")
            table.add_row(self.app.get_key_display(binding), f"{binding.description}  [dim]({where})[/]")
        table.add_row("tab / shift+tab", "next / previous pane")
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
