"""`warroom serve`: the command that serves the TUI to browsers (the server itself is tui/serve.py)."""

from __future__ import annotations

import click

from warroom.tui.cli_common import Context, pass_ctx


@click.command()
@click.argument("incident_id", metavar="[ID]", required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: no token).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--token",
    envvar="WARROOM_TOKEN",
    help="Access token to require (env WARROOM_TOKEN; default: a new one when --host is not loopback).",
)
@click.option("--public-url", metavar="URL", help="The address browsers use, when behind a reverse proxy.")
@pass_ctx
def serve(
    obj: Context, incident_id: str | None, host: str, port: int, token: str | None, public_url: str | None
) -> None:
    """Serve the TUI to browsers: each tab is one more responder on this database."""
    from warroom.tui.serve import build_server

    if incident_id is not None:
        incident_id = obj.incident_id(incident_id)
    obj.store  # noqa: B018 - create (or migrate) the file once here, not in every tab at the same moment
    obj.close()
    server = build_server(
        obj.db_path.resolve(),
        obj.tz_name,
        host=host,
        port=port,
        incident_id=incident_id,
        token=token,
        public_url=public_url,
    )
    server.serve()
