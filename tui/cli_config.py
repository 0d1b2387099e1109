"""`warroom config`: where the config file is, and what warroom makes of it."""

from __future__ import annotations

import click

from warroom.tui.cli_common import Context, pass_ctx

SAMPLE = """\
# warroom's config file. Every key is optional; `warroom config show` prints what is in effect.
timezone = "Europe/Berlin"        # display zone (--tz and WARROOM_TZ win over it)
author = "alex"                   # the author of what you log (--author and WARROOM_AUTHOR win)
teams = ["sre", "payments", "dba"]  # offered after @ in the entry line
lint_allow = ["blast radius"]     # phrases the blameless check accepts in every incident

[severities.SEV0]                 # a level of your own: accepted by `new --severity SEV0`
meaning = "Company-wide outage"
update_every = "15m"              # stakeholder updates ("none" for none)
review_within = "2d"              # post-mortem review due after resolution ("5bd": business days)

[[sections]]                      # an extra post-mortem section, in this order after the template's
title = "Detection"
prompt = "How did we find out, and how could we have found out sooner?"
required = true                   # the export gate lists it while it is empty
"""


@click.group()
def config() -> None:
    """The TOML config file (--config FILE or env WARROOM_CONFIG; else the user config folder)."""


@config.command()
@pass_ctx
def path(obj: Context) -> None:
    """Print the config file's path (and say when there is none yet)."""
    from warroom.store.config import chosen_path

    where, _asked = chosen_path(obj.config_path)
    click.echo(str(where))
    if not where.exists():
        click.echo("(no file there: the defaults apply; `warroom config sample` prints a starting point)", err=True)


@config.command()
@pass_ctx
def show(obj: Context) -> None:
    """Print the config in effect, defaults included, as TOML."""
    from warroom.store.config_show import to_toml

    settings = obj.config
    source = f"# from {settings.path}" if settings.path else "# no config file: the defaults"
    click.echo(source)
    click.echo(to_toml(settings), nl=False)


@config.command()
def sample() -> None:
    """Print a commented sample config file to start from."""
    click.echo(SAMPLE, nl=False)
