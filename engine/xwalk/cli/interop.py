"""`xwalk export`, `import-mappings` and `release`: thin commands over the exchange services (export, strm,
release). Only click and pathlib are imported at start."""

from pathlib import Path

import click

from xwalk.cli.common import store_of


@click.command("export")
@click.option(
    "--format",
    "formats",
    type=click.Choice(["ttl", "trig", "nq", "jsonld", "sssom", "oscal", "csv"]),
    multiple=True,
    required=True,
    help="ttl, jsonld: the union graph; trig, nq: the dataset with its named graphs; sssom: every mapping set as "
    "SSSOM/TSV (derived ones with their chains); oscal: catalogs and mapping-collections; csv: every mapping in "
    "one table. Repeatable.",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write into (it must exist); files of the same name are replaced.",
)
@click.option(
    "--baseline",
    "soa",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --format oscal: also write this Statement of Applicability as an OSCAL system security plan "
    "(baseline.ssp.json) and the profile it imports (baseline.profile.json).",
)
@click.option("--standard", default="iso27001", show_default=True, help="Standard of the --baseline ids.")
@click.pass_context
def export(ctx: click.Context, formats: tuple[str, ...], output: Path, soa: Path | None, standard: str) -> None:
    """Write the graph in the formats of the field: RDF dumps, SSSOM, OSCAL, CSV."""
    from xwalk.core.errors import XwalkError
    from xwalk.services.exchange import export as exporter

    if not output.is_dir():
        raise XwalkError(f"--output {output}: no such folder; create it first")
    store = store_of(ctx)
    entries = None
    if soa is not None:
        if "oscal" not in formats:
            raise XwalkError("--baseline is written as OSCAL: add --format oscal")
        from xwalk.services import baseline
        from xwalk.services.catalog import Catalog

        entries = baseline.build(Catalog(store), soa, standard=standard).entries.values()
    for path in exporter.export(store, list(dict.fromkeys(formats)), output, entries):
        click.echo(f"wrote {path}")


@click.command("import-mappings")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--name", help="Name of the imported set (default: the file's name); the file is imported-NAME.sssom.tsv."
)
@click.option(
    "--license", "license_", help="URL of the licence the mappings come under (required unless the file says)."
)
@click.option(
    "--focal",
    help="Standard of the mappings' subjects: a STRM file's focal document elements, an OSCAL file's sources "
    "(iso42001, iso27001, eu-ai-act, ...). Needed for STRM; for OSCAL when its ids do not say it.",
)
@click.option("--reference", help="Standard of the objects: the reference document elements, or the OSCAL targets.")
@click.option(
    "--default-strength",
    type=click.IntRange(1, 10),
    help="Strength (1-10) for rows that give none; each such mapping says so in its rationale.",
)
@click.option("--provider", help="Who published the mappings (a name or URL), recorded with the set.")
@click.option(
    "--into",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="XWALK_IMPORTS",
    help="Folder of imported sets (default: $XWALK_IMPORTS). Never the curated mappings/ folder.",
)
@click.option("--replace", is_flag=True, help="Overwrite a set imported before under the same name.")
@click.pass_context
def import_mappings(
    ctx: click.Context,
    file: Path,
    name: str | None,
    license_: str | None,
    focal: str | None,
    reference: str | None,
    default_strength: int | None,
    provider: str | None,
    folder: Path | None,
    replace: bool,
) -> None:
    """Import a mapping set of your own (a STRM spreadsheet as CSV or XLSX, an OSCAL mapping-collection, or SSSOM/TSV)
    as SSSOM/TSV into a folder of imported sets, which `xwalk --imports DIR ...` (or XWALK_IMPORTS) loads, each
    set in its own named graph, for coverage and queries."""
    from xwalk.core import paths
    from xwalk.core.errors import XwalkError
    from xwalk.services.catalog import Catalog
    from xwalk.services.exchange import strm

    if folder is None:
        raise XwalkError("say where imported sets live: --into DIR, or set XWALK_IMPORTS")
    if folder.resolve() == paths.MAPPINGS_DIR.resolve():
        raise XwalkError(f"--into {folder}: that is the curated mappings folder; keep imported sets in a folder apart")
    if not file.is_file():
        raise XwalkError(f"{file}: no such file")
    catalog = Catalog(store_of(ctx))
    imported = strm.import_file(
        catalog,
        file,
        name,
        license_,
        focal,
        reference,
        default_strength,
        provider,
        name=str(file),
    )
    target = strm.write(imported, folder, replace)
    for note in imported.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"imported {len(imported.records)} mappings into {target}")
    click.echo(f"use them with: xwalk --imports {folder} coverage ... (or XWALK_IMPORTS={folder})")


@click.command("release")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the release into (it must exist).",
)
@click.option(
    "--since",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the previous release: the changelog lists the mappings added, retyped, changed and removed since.",
)
@click.option(
    "--base", default="https://w3id.org/xwalk/", show_default=True, help="URL the release is published under."
)
@click.pass_context
def release(ctx: click.Context, output: Path, since: Path | None, base: str) -> None:
    """Write a citable release: dumps named after the data's version, SHA-256 checksums, the VoID/DCAT description
    and a changelog of the mappings."""
    from xwalk.services.exchange import release as releaser

    for path in releaser.release(store_of(ctx), output, since, base if base.endswith("/") else base + "/"):
        click.echo(f"wrote {path}")


COMMANDS = [export, import_mappings, release]
