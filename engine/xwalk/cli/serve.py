"""`xwalk serve`: the one command that starts the API (the only import of `xwalk.api` by the CLI)."""

from pathlib import Path

import click


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

    from xwalk.api import Settings, create_app, server_options

    settings = Settings.from_env()
    if ctx.obj["store"]:
        settings.store_dir = Path(ctx.obj["store"])
    settings.endpoint = ctx.obj["endpoint"] or settings.endpoint
    settings.query_timeout = query_timeout or settings.query_timeout
    settings.workers = workers or settings.workers
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", **server_options(settings))


COMMANDS = [serve]
