"""`xwalk show`, `stats` and `query`: reading the graph, a provision, the counts, or any SPARQL query."""

import sys
from functools import partial
from pathlib import Path

import click

from xwalk.cli.common import catalog_of, settings_of, store_dir, store_of
from xwalk.core.errors import XwalkError


@click.command()
@click.option("--mappings", is_flag=True, help="Mapping counts per pair of editions and relation instead.")
@click.option("--source", default="iso42001", show_default=True, help="With --mappings: whose controls to relate.")
@click.option("--target", default="iso27001", show_default=True, help="With --mappings: the standard to relate to.")
@click.pass_context
def stats(ctx: click.Context, mappings: bool, source: str, target: str) -> None:
    """Provisions per standard and kind, and controls per theme or objective (or, with --mappings, the crosswalk)."""
    from xwalk.present.render import table
    from xwalk.services.stats import catalog_stats

    if mappings:
        _mapping_stats(catalog_of(ctx), source, target)
        return
    rows = catalog_stats(catalog_of(ctx))
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


QUALITY_COLUMNS = ["mapping set", "rows", "reviewed", "agree (first pass)", "kappa", "strength ±2", "agree (now)"]
QUALITY_COLUMNS += ["kappa (now)", "reuse"]


def _mapping_stats(catalog, source: str, target: str) -> None:
    """The three tables of `xwalk stats --mappings`: the quality of the curated sets, the crosswalk matrix, and how
    the controls of `source` relate to `target`."""
    _quality_table(catalog)
    _matrix_table(catalog)
    _counterparts_table(catalog, source, target)


def _agreement(a) -> list:
    if a is None:
        return ["", "", ""]
    kappa = "n/a" if a.kappa is None else f"{a.kappa:.2f}"
    return [f"{a.same}/{a.pairs} ({a.percent:.0f}%)", kappa, f"{a.strength_within_2}/{a.same}"]


def _quality_table(catalog) -> None:
    from xwalk.present.render import curie, table
    from xwalk.services.stats import RELATION_ORDER, mapping_quality

    click.echo("quality of the curated mapping sets (second review: blind, pairs only; see mappings/REVIEW.md):")
    rows = [
        [
            q.mapping_set,
            q.rows,
            q.reviewed,
            *_agreement(q.first_pass),
            *_agreement(q.final)[:2],
            q.reuse,
            *(f"{q.by_relation.get(r, 0) / q.rows:.0%}" for r in RELATION_ORDER),
        ]
        for q in mapping_quality(catalog)
    ]
    click.echo(table([*QUALITY_COLUMNS, *(curie(r) for r in RELATION_ORDER)], rows))
    click.echo("(kappa n/a: both judgements used a single relation, so chance agreement is total)\n")


def _matrix_table(catalog) -> None:
    from xwalk.present.render import curie, table
    from xwalk.services.stats import RELATION_ORDER, crosswalk_matrix, mapping_counts

    matrix = crosswalk_matrix(mapping_counts(catalog))
    click.echo("curated mappings per pair of editions and relation:")
    rows = [
        [s, o, *(c.get(r, 0) for r in RELATION_ORDER), sum(c.values())] for (s, o), c in sorted(matrix.cells.items())
    ]
    click.echo(table(["subject", "object", *(curie(r) for r in RELATION_ORDER), "total"], rows))
    click.echo(f"derived mappings (xwalk infer, not counted above): {matrix.derived_left_out}")


def _counterparts_table(catalog, source: str, target: str) -> None:
    from xwalk.present.render import curie, table
    from xwalk.services.stats import RELATION_ORDER, counterparts

    columns = [*RELATION_ORDER, "not reviewed"]
    click.echo(
        f"\n{catalog.standard(source).identifier} controls per objective, by their strongest relation to "
        f"{catalog.standard(target).identifier} (share of the objective's controls):"
    )
    rows = [
        [f"{e.objective} {e.title}", e.controls, *(f"{e.by_relation.get(c, 0) / e.controls:.0%}" for c in columns)]
        for e in counterparts(catalog, source, target)
    ]
    click.echo(table(["objective", "controls", *(curie(r) for r in RELATION_ORDER), "not reviewed"], rows))


QUERY_FORMATS = ["table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld", "rdf"]


@click.command()
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
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds the query may run; then it is stopped.",
)
@click.pass_context
def query(ctx: click.Context, query: str, fmt: str, timeout: float) -> None:
    """Run a SPARQL query, given as text or as the path of a .rq file. Common prefixes (xw, skos, dcterms, ...)
    are predeclared. The query runs in a worker process with a time and memory limit and without network access;
    federated queries (SERVICE) are refused."""
    from xwalk.present.render import table

    path = Path(query)
    text = path.read_text("utf-8") if query.endswith((".rq", ".sparql")) and path.is_file() else query
    if ctx.obj["endpoint"]:
        found = store_of(ctx)
        if fmt != "table":
            sys.stdout.buffer.write(found.query_as(text, fmt))
            return
        result = found.query(text)
    else:
        result = _bounded_query(ctx, text, fmt, timeout)
        if isinstance(result, bytes):
            sys.stdout.buffer.write(result)
            return
    if result.kind == "ask":
        click.echo("true" if result.boolean else "false")
    else:
        click.echo(table(result.variables, result.rows))
        click.echo(f"({len(result.rows)} rows)")


def _bounded_query(ctx: click.Context, text: str, fmt: str, timeout: float):
    """The answer of a query run in one bounded worker: the bytes in `fmt`, or a QueryResult for the table."""
    from xwalk.load import load
    from xwalk.store import GRAPH_FORMATS, RESULT_FORMATS, result_of
    from xwalk.store.pool import run_once

    select = [fmt] if fmt in RESULT_FORMATS else ["json"]
    graph = [fmt] if fmt in GRAPH_FORMATS else ["nt"]
    limits = {"max_bytes": 1_000_000_000, "memory_bytes": 4_000_000_000}
    sources = partial(load, imports=settings_of(ctx).imports)  # the worker loads the sources with the imported sets
    answer = run_once(store_dir(ctx), text, select, graph, timeout, sources=sources, **limits)
    if fmt == "table":
        return result_of(answer.format, answer.body)
    if answer.format != fmt:
        kind, fits = (
            ("a CONSTRUCT or DESCRIBE answer is a graph", "table, ttl, nt, jsonld, rdf")
            if answer.format in GRAPH_FORMATS
            else ("a SELECT or ASK answer is a table", f"table, {', '.join(RESULT_FORMATS)}")
        )
        raise XwalkError(f"{kind}: format {fmt!r} does not fit; use one of {fits}")
    return answer.body


COMMANDS = [stats, query]
