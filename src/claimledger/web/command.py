"""``claimledger serve``: the web UI and HTTP API over a ledger, bound to 127.0.0.1 by default.

FastAPI and uvicorn are imported when the command runs, so that importing the CLI stays light.
"""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_DB = "claimledger.db"


@click.command("serve")
@click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    envvar="CLAIMLEDGER_DB",
    help="SQLite file path or a postgresql+psycopg:// URL.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind (keep 127.0.0.1 unless behind a proxy).",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on."
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer to this Host name, on any port (a reverse proxy's public name); repeatable. "
    "Requests naming any other host than 127.0.0.1, localhost, [::1] and --host get 400.",
)
def serve_cmd(db: str, host: str, port: int, allow_hosts: tuple[str, ...]) -> None:
    """Serve the ledger as web pages and an HTTP API (read-only; writes need CLAIMLEDGER_WEB_TOKEN)."""
    import uvicorn

    from ..ledger.store import Ledger
    from ..settings import Settings
    from .app import create_app
    from .security import HostPolicy

    try:
        hosts = HostPolicy.serving(host, allow_hosts)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allow-host") from exc
    settings = Settings.from_env()
    if "://" not in db and not Path(db).expanduser().exists() and not settings.web_token:
        raise click.ClickException(f"no ledger at {db}; create it with `claimledger ingest PAGES --db {db}`")
    try:
        # Like every ledger command, bring the schema up to date (or create an empty ledger when
        # writes are enabled); the server itself then only reads, through a read-only connection.
        Ledger(db, settings=settings).close()
        app = create_app(db, settings, hosts)
    except Exception as exc:  # a bad URL, an unreachable server, a read-only file: say so, no traceback
        raise click.ClickException(f"cannot open the ledger at {db}: {exc}") from exc
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"claimledger: serving on {host}, reachable from other machines", err=True)
        if host in ("0.0.0.0", "::") and not allow_hosts:
            click.echo(
                "claimledger: requests are answered only for 127.0.0.1, localhost and [::1]; "
                "name the address or name other machines use with --allow-host",
                err=True,
            )
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
