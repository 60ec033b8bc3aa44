"""The `xwalk` command line: the root group here, one module per command group (data, query, research, coverage,
plan, ai_act, serve, interop), the options they share declared once in `options`, the store and output helpers in
`common`.
Commands are thin: they build a question, call a service and lay out its answer. Heavy packages (rdflib, pySHACL,
owlready2) load only inside the commands that need them.

May import: every layer below (services, presentation, load, store, core), and `xwalk.api` only to serve it
(`cli.serve`)."""

import os
from pathlib import Path

import click

from xwalk.cli.common import Group
from xwalk.core.settings import Settings

COMMANDS = {  # command module -> the commands it defines (its COMMANDS); a new command: its name here
    "data": ("catalogs", "infer", "validate", "build"),
    "query": ("stats", "query"),
    "research": ("show", "search", "gaps", "prefixes", "examples"),
    "coverage": ("coverage", "soa-draft"),
    "plan": ("plan",),
    "ai_act": ("obligations",),
    "serve": ("serve",),
    "interop": ("export", "import-mappings", "release"),
}


class LazyGroup(Group):
    """The root group: a command's module is imported when that command runs (or help lists them all), so that
    `xwalk coverage` does not define, nor import for, the other fourteen."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for names in COMMANDS.values() for name in names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = next((module for module, names in COMMANDS.items() if name in names), None)
        if module is None:
            return None
        from importlib import import_module

        return next(c for c in import_module(f"xwalk.cli.{module}").COMMANDS if c.name == name)


@click.group(cls=LazyGroup)
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


__all__ = ["Group", "main"]
