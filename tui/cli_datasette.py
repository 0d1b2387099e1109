"""`warroom datasette`: the incident library in the browser, read-only, through Datasette (an optional extra).

The metadata (table and column descriptions, the full-text search, the metrics and follow-through views as
named queries) is a file the package ships, tui/datasette-metadata.json, written for a database called
warroom.db; this command renames it to the database's own name and starts Datasette on it.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from warroom.store.errors import WarroomError
from warroom.tui.cli_common import Context, pass_ctx

#: The shipped metadata file, for `datasette serve warroom.db --metadata ...` by hand.
METADATA_FILE = Path(__file__).resolve().parent / "datasette-metadata.json"


def metadata_for(db_path: Path) -> dict[str, Any]:
    """The shipped metadata, keyed by the name Datasette gives this database (its file name without suffix)."""
    metadata: dict[str, Any] = json.loads(METADATA_FILE.read_text(encoding="utf-8"))
    metadata["databases"] = {db_path.stem: metadata["databases"]["warroom"]}
    return metadata


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port to listen on.")
@click.option("--metadata", "metadata_out", is_flag=True, help="Print the metadata for this database and exit.")
@pass_ctx
def datasette(obj: Context, host: str, port: int, metadata_out: bool) -> None:
    """Browse every incident read-only in Datasette (pip install 'warroom[datasette]')."""
    db_path = obj.db_path.resolve()
    if metadata_out:
        click.echo(json.dumps(metadata_for(db_path), indent=2))
        return
    if not db_path.exists():
        raise WarroomError(f"{db_path}: no such database (log an incident first)")
    if importlib.util.find_spec("datasette") is None:
        raise WarroomError("Datasette is not installed: pip install 'warroom[datasette]'")
    obj.store  # noqa: B018 - bring an older file up to date first: Datasette only reads
    obj.close()
    with tempfile.TemporaryDirectory(prefix="warroom-datasette-") as folder:
        path = Path(folder) / "metadata.json"
        path.write_text(json.dumps(metadata_for(db_path)), encoding="utf-8")
        command = [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(path)]
        command += ["--host", host, "--port", str(port), "--setting", "allow_download", "off"]
        try:
            code = subprocess.call(command)
        except KeyboardInterrupt:
            code = 0
    if code not in (0, -2, 130):
        raise WarroomError(f"Datasette stopped with status {code}")
