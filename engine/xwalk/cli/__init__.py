"""The `xwalk` command line: the root group here, one module per command group (data, query, coverage, ai_act,
serve, interop), the options they share declared once in `options`, the store and output helpers in `common`.
Commands are thin: they build a question, call a service and lay out its answer. Heavy packages (rdflib, pySHACL,
owlready2) load only inside the commands that need them.

May import: every layer below (services, presentation, load, store, core), and `xwalk.api` only to serve it
(`cli.serve`)."""

import os
from pathlib import Path

import click

from xwalk.cli.common import Group
from xwalk.core.settings import Settings


@click.group(cls=Group)
@click.option(
    "--store",
    "store",
    type=click.Path(file_okay=False),
    default=None,
    help="Read a store built by `xwalk build` instead of loading the source files.",
)
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True),
    envvar="XWALK_ROOT",
    help="Folder holding the ontology/ and mappings/ to load (default: this installation's).",
)
@click.option(
    "--imports",
    type=click.Path(file_okay=False, exists=True),
    envvar="XWALK_IMPORTS",
    help="Folder of mapping sets imported with `xwalk import-mappings`, loaded with the curated ones.",
)
@click.option(
    "--endpoint",
    envvar="XWALK_SPARQL_ENDPOINT",
    help="Answer from a remote SPARQL 1.1 endpoint holding the dataset instead of the embedded store.",
)
@click.version_option(package_name="xwalk")
@click.pass_context
def main(ctx: click.Context, store: str | None, root: str | None, imports: str | None, endpoint: str | None) -> None:
    """xwalk: a crosswalk engine across ISO/IEC 42001, 27001, 27701, 23894 and the EU AI Act."""
    folders = {"root": root, "imports": imports, "store_dir": store}
    settings = Settings.from_env(endpoint=endpoint, **{k: Path(v) for k, v in folders.items() if v})
    if settings.root:  # xwalk.core.paths takes it when first imported, which the commands do after this point
        os.environ["XWALK_ROOT"] = str(settings.root)
    ctx.obj = {"store": store, "endpoint": endpoint, "settings": settings}


from xwalk.cli import ai_act, coverage, data, interop, query, research, serve  # noqa: E402 (after the group they join)

for _group in (data, query, research, coverage, ai_act, serve, interop):  # a new command module: one more name here
    for _command in _group.COMMANDS:
        main.add_command(_command)

__all__ = ["Group", "main"]
