"""`xwalk serve`: the one command that starts the API (the only import of `xwalk.api` by the CLI)."""

from dataclasses import replace

import click

from xwalk.cli.common import settings_of


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--query-timeout", type=float, help="Seconds a SPARQL query may take, waiting included (default 10).")
@click.option(
    "--workers",
    type=click.IntRange(1, 32),
    help="Processes answering SPARQL queries (default 4; half of them may hold long queries).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, query_timeout: float | None, workers: int | None) -> None:
    """Serve the SPARQL endpoint (/sparql), the REST API (/api, docs at /docs) and the linked data (/id/...)."""
    import uvicorn

    from xwalk.api import create_app, server_options

    # the root group's settings (environment, then --store, --endpoint, --imports), then this command's options
    settings = replace(
        settings_of(ctx), **{k: v for k, v in (("query_timeout", query_timeout), ("workers", workers)) if v}
    )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", **server_options(settings))


COMMANDS = [serve]
