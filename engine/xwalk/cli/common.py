"""What every command module shares: the group that turns errors into one line, the store and catalog the
commands answer from, and the writers of their output. Only click and the standard library are imported at start."""

import json
import sys
from pathlib import Path

import click

from xwalk.core.errors import XwalkError


class Group(click.Group):
    """Turns an XwalkError into one line on stderr and exit code 2: bad input never shows a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except XwalkError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)


def settings_of(ctx: click.Context):
    """The settings the root group read (xwalk.core.settings); a command invoked alone, outside the `xwalk` group,
    reads them from the environment itself."""
    from xwalk.core.settings import Settings

    return (ctx.obj or {}).get("settings") or Settings.from_env()


def store_dir(ctx: click.Context) -> Path | None:
    """The directory given with --store, which must exist; None without --store."""
    path = Path(ctx.obj["store"]) if ctx.obj["store"] else None
    if path is not None and not path.is_dir():
        raise XwalkError(f"--store {path}: no such store directory; create it with `xwalk build --store {path}`")
    return path


def store_of(ctx: click.Context):
    """The store to answer from: a remote SPARQL endpoint (--endpoint), a built store directory (--store) opened
    read-only, or the source files (answered from the cache while it matches them, see xwalk.load.cache). A
    command run alone, outside the `xwalk` group, reads the source files."""
    if not ctx.obj:
        from xwalk.load import load

        return load()
    from xwalk.load.cache import open_cached

    path = store_dir(ctx)
    if ctx.obj["endpoint"] or path is not None:
        from xwalk.store import open_store

        return open_store(ctx.obj["endpoint"], path)
    settings = settings_of(ctx)
    return open_cached(imports=settings.imports, where=settings.cache)


def catalog_of(ctx: click.Context):
    from xwalk.services.catalog import Catalog

    return Catalog(store_of(ctx))


def emit(content: str | bytes, output: Path | None, binary: bool) -> None:
    """Write to --output whole or not at all (a temporary file renamed into place), or to stdout."""
    if output is None:
        if binary:
            raise XwalkError("this format is binary: give --output FILE")
        click.echo(content, nl=False)
        return
    if not output.parent.is_dir():
        raise XwalkError(f"--output {output}: the folder {output.parent} does not exist")
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    tmp.replace(output)
    click.echo(f"wrote {output}", err=True)


def tabular(columns: list[str], records: list[list], fmt: str, title: str) -> str:
    """Rows as a terminal table, CSV, Markdown or JSON; spreadsheet cells are guarded against formulas."""
    from xwalk.core.cells import csv_text
    from xwalk.present.render import table

    if fmt == "json":
        return json.dumps([dict(zip(columns, r, strict=True)) for r in records], indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return csv_text(columns, records)
    if fmt == "md":
        from xwalk.present.reports import md_cell

        lines = [f"# {md_cell(title)}", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        return "\n".join(lines + ["| " + " | ".join(md_cell(v) for v in r) + " |" for r in records]) + "\n"
    return f"{title}\n\n" + table(columns, [[str(v)[:90] for v in r] for r in records]) + "\n"
