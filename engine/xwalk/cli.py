"""The `xwalk` command line: thin commands over the library. Heavy packages (rdflib, pySHACL, owlready2) load only
inside the commands that need them."""

import json
import os
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

import click

from xwalk.errors import XwalkError


class Group(click.Group):
    """Turns an XwalkError into one line on stderr and exit code 2: bad input never shows a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except XwalkError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)


def _store(ctx: click.Context):
    """The store to answer from: a built store directory (--store) opened read-only, or the source files."""
    from xwalk.load import load
    from xwalk.store import Store

    if ctx.obj["store"] is None:
        return load()
    path = Path(ctx.obj["store"])
    if not path.is_dir():
        raise XwalkError(f"--store {path}: no such store directory; create it with `xwalk build --store {path}`")
    return Store(path, read_only=True)


def _catalog(ctx: click.Context):
    from xwalk.catalog import Catalog

    return Catalog(_store(ctx))


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
@click.version_option(package_name="xwalk")
@click.pass_context
def main(ctx: click.Context, store: str | None, root: str | None) -> None:
    """xwalk: a crosswalk engine across ISO/IEC 42001, 27001, 27701, 23894 and the EU AI Act."""
    if root:
        os.environ["XWALK_ROOT"] = root  # read by xwalk.paths, which the commands import after this point
    ctx.obj = {"store": store}


@main.command()
@click.option("--check", is_flag=True, help="Only report generated files that are stale; exit 1 if any.")
def catalogs(check: bool) -> None:
    """Regenerate ontology/catalogs/*.ttl from the tables in ontology/catalogs/src/."""
    from xwalk import catalogs as generator
    from xwalk.paths import display

    if check:
        stale = generator.stale()
        for path in stale:
            click.echo(f"stale: {display(path)} (run `xwalk catalogs`)")
        sys.exit(1 if stale else 0)
    changed = generator.write()
    click.echo("\n".join(f"wrote {display(p)}" for p in changed) or "catalogs are up to date")


@main.command()
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL reasoner (HermiT), which needs Java.")
@click.pass_context
def validate(ctx: click.Context, no_reasoner: bool) -> None:
    """Check the graph: SHACL shapes, the named checks in ontology/checks/, OWL consistency."""
    from xwalk.validate import validate as run

    findings = run(_store(ctx), with_reasoner=not no_reasoner)
    for finding in findings:
        click.echo(f"{finding.check}: {finding.message}")
    if findings:
        raise XwalkError(f"{len(findings)} violation(s)")
    click.echo("0 violations: SHACL shapes, named checks" + ("" if no_reasoner else " and OWL consistency") + " pass")


@main.command()
@click.option(
    "--store",
    "target",
    type=click.Path(file_okay=False),
    required=True,
    help="Directory to write the store to (replaced whole, only once the new one validates).",
)
@click.option("--no-validate", is_flag=True, help="Write the store without validating it first.")
def build(target: str, no_validate: bool) -> None:
    """Load every source file into a persistent store directory, after validating it."""
    from xwalk.load import load
    from xwalk.store import Store
    from xwalk.validate import validate as run

    final = Path(target).resolve()
    scratch = final.with_name(f".{final.name}.building")
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        store = load(Store(scratch))
        findings = [] if no_validate else run(store)
        store.flush()
        size = len(store)
        del store
        if findings:
            for finding in findings:
                click.echo(f"{finding.check}: {finding.message}", err=True)
            raise XwalkError(f"{len(findings)} violation(s); {final} was left as it was")
        if final.exists():
            shutil.rmtree(final)
        scratch.rename(final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    click.echo(f"wrote {size} quads to {final}")


@main.command()
@click.option("--mappings", is_flag=True, help="Mapping counts per pair of editions and relation instead.")
@click.option("--source", default="iso42001", show_default=True, help="With --mappings: whose controls to relate.")
@click.option("--target", default="iso27001", show_default=True, help="With --mappings: the standard to relate to.")
@click.pass_context
def stats(ctx: click.Context, mappings: bool, source: str, target: str) -> None:
    """Provisions per standard and kind, and controls per theme or objective (or, with --mappings, the crosswalk)."""
    from xwalk.render import table
    from xwalk.stats import catalog_stats

    if mappings:
        _mapping_stats(_catalog(ctx), source, target)
        return
    rows = catalog_stats(_catalog(ctx))
    kinds = sorted({kind for row in rows for kind in row.kinds})
    click.echo(
        table(
            ["standard", "key", "provisions", *kinds],
            [[r.identifier, r.key, r.provisions, *(r.kinds.get(k, "") for k in kinds)] for r in rows],
        )
    )
    click.echo("\ncontrols per group:")
    for row in rows:
        if row.controls_per_group:
            groups = " · ".join(f"{group} {n}" for group, n in row.controls_per_group.items())
            click.echo(f"  {row.identifier}: {sum(row.controls_per_group.values())} controls ({groups})")


def _mapping_stats(catalog, source: str, target: str) -> None:
    from xwalk.render import table
    from xwalk.stats import RELATION_ORDER, counterparts, mapping_counts

    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in mapping_counts(catalog):
        counts.setdefault((row["subject_key"], row["object_key"]), {})[row["relation"]] = row["count"]
    click.echo(
        table(
            ["subject", "object", *RELATION_ORDER, "total"],
            [[s, o, *(c.get(r, 0) for r in RELATION_ORDER), sum(c.values())] for (s, o), c in sorted(counts.items())],
        )
    )
    entries = counterparts(catalog, source, target)
    columns = [*RELATION_ORDER, "not reviewed"]
    click.echo(
        f"\n{catalog.standard(source).identifier} controls per objective, by their strongest relation to "
        f"{catalog.standard(target).identifier} (share of the objective's controls):"
    )
    click.echo(
        table(
            ["objective", "controls", *columns],
            [
                [
                    f"{e.objective} {e.title}",
                    e.controls,
                    *(f"{e.by_relation.get(c, 0) / e.controls:.0%}" for c in columns),
                ]
                for e in entries
            ],
        )
    )


@main.command()
@click.argument("provision_id")
@click.option("--standard", "-s", help="Standard key or identifier (iso42001, iso27001, eu-ai-act, ...).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show(ctx: click.Context, provision_id: str, standard: str | None, fmt: str) -> None:
    """A provision with its parents and children. Ids are read as users write them (`A 5.15`, `Art. 9(2)`)."""
    catalog = _catalog(ctx)
    found = catalog.lookup(provision_id, standard)
    records = [
        {
            **asdict(p),
            "parents": [asdict(a) for a in catalog.ancestors(p.iri)],
            "children": [asdict(c) for c in catalog.children(p.iri)],
        }
        for p in found
    ]
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    for record in records:
        click.echo(f"{record['identifier']} {record['notation']} — {record['title']}")
        click.echo(f"  {record['kind']}, {record['normativity']}, {record['verification']}  <{record['iri']}>")
        for parent in reversed(record["parents"]):
            click.echo(f"  parent:   {parent['notation']} {parent['title']}")
        for child in record["children"]:
            click.echo(f"  child:    {child['notation']} {child['title']}")
        click.echo(f"  source:   {record['source']}\n")


QUERY_FORMATS = ["table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld", "rdf"]


@main.command()
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(QUERY_FORMATS),
    default="table",
    show_default=True,
    help="table for the terminal; json, csv, tsv, xml (SPARQL results) for SELECT and ASK; "
    "ttl, nt, jsonld, rdf for CONSTRUCT and DESCRIBE.",
)
@click.pass_context
def query(ctx: click.Context, query: str, fmt: str) -> None:
    """Run a SPARQL query, given as text or as the path of a .rq file. Common prefixes (xw, skos, dcterms, ...)
    are predeclared."""
    from xwalk.render import table

    path = Path(query)
    text = path.read_text("utf-8") if query.endswith((".rq", ".sparql")) and path.is_file() else query
    store = _store(ctx)
    if fmt != "table":
        sys.stdout.buffer.write(store.query_as(text, fmt))
        return
    result = store.query(text)
    if result.kind == "ask":
        click.echo("true" if result.boolean else "false")
    else:
        click.echo(table(result.variables, result.rows))
        click.echo(f"({len(result.rows)} rows)")
