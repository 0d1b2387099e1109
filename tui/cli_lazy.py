"""A click group that imports a subcommand's module only when that subcommand runs.

`warroom log` is called from alert hooks and must start fast; it should not pay for importing
the export, import, lint, search and stats commands it never uses.
"""

from __future__ import annotations

import importlib

import click

#: Command name -> "module:attribute" of the click command.
LAZY_COMMANDS = {
    "list": "warroom.tui.cli_library:list_",
    "cause": "warroom.tui.cli_items:cause",
    "action": "warroom.tui.cli_items:action",
    "event": "warroom.tui.cli_items:event",
    "hypothesis": "warroom.tui.cli_hypotheses:hypothesis",
    "stats": "warroom.tui.cli_library:stats",
    "search": "warroom.tui.cli_library:search",
    "export": "warroom.tui.cli_export:export",
    "import": "warroom.tui.cli_postmortem:import_",
    "schema": "warroom.tui.cli_postmortem:schema",
    "lint": "warroom.tui.cli_postmortem:lint",
    "config": "warroom.tui.cli_config:config",
    "related": "warroom.tui.cli_learning:related",
    "serve": "warroom.tui.cli_serve:serve",
    "datasette": "warroom.tui.cli_datasette:datasette",
    "update": "warroom.tui.cli_comms:update",
    "catchup": "warroom.tui.cli_comms:catchup",
    "role": "warroom.tui.cli_comms:role",
}


class LazyGroup(click.Group):
    """Lists every command at once, loads each on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Eager and lazy command names, sorted."""
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, importing its module if it is a lazy one."""
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, attr = LAZY_COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)
