"""The `xwalk` command line: thin commands over the library. Heavy packages (rdflib, pySHACL, owlready2) load only
inside the commands that need them.

May import: every layer below (services, presentation, load, store, core), and `xwalk.api` only to serve it."""

import json
import os
import sys
from dataclasses import asdict
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


def _store(ctx: click.Context):
    """The store to answer from: a remote SPARQL endpoint (--endpoint), a built store directory (--store) opened
    read-only, or the source files (answered from the cache while it matches them, see xwalk.cache)."""
    from xwalk.load.cache import open_cached

    path = Path(ctx.obj["store"]) if ctx.obj["store"] else None
    if path is not None and not path.is_dir():
        raise XwalkError(f"--store {path}: no such store directory; create it with `xwalk build --store {path}`")
    if ctx.obj["endpoint"] or path is not None:
        from xwalk.store import open_store

        return open_store(ctx.obj["endpoint"], path)
    return open_cached()


def _catalog(ctx: click.Context):
    from xwalk.services.catalog import Catalog

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
    if root:
        os.environ["XWALK_ROOT"] = root  # read by xwalk.paths, which the commands import after this point
    if imports:
        os.environ["XWALK_IMPORTS"] = imports  # read by xwalk.load
    ctx.obj = {"store": store, "endpoint": endpoint}


@main.command()
@click.option("--check", is_flag=True, help="Only report generated files that are stale; exit 1 if any.")
def catalogs(check: bool) -> None:
    """Regenerate ontology/catalogs/*.ttl and ontology/elements/*.ttl from the tables in their src/ folders."""
    from xwalk.core.paths import display
    from xwalk.load import catalogs as generator

    if check:
        stale = generator.stale()
        for path in stale:
            click.echo(f"stale: {display(path)} (run `xwalk catalogs`)")
        sys.exit(1 if stale else 0)
    changed = generator.write()
    click.echo("\n".join(f"wrote {display(p)}" for p in changed) or "catalogs are up to date")


@main.command()
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


@main.command()
@click.option("--check", is_flag=True, help="Only report whether mappings/derived.ttl is stale; exit 1 if so.")
def infer(check: bool) -> None:
    """Derive mappings by composing curated ones (A-B, B-C gives A-C) into mappings/derived.ttl."""
    from xwalk.services import infer as inference

    if check:
        if inference.stale():
            click.echo("stale: mappings/derived.ttl (run `xwalk infer`)")
            sys.exit(1)
        click.echo("mappings/derived.ttl is up to date")
        return
    click.echo(f"wrote {inference.write()} derived mappings to mappings/derived.ttl")


@main.command()
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL reasoner (HermiT), which needs Java.")
@click.pass_context
def validate(ctx: click.Context, no_reasoner: bool) -> None:
    """Check the graph: SHACL shapes, the named checks in ontology/checks/, OWL consistency."""
    from xwalk.services.validate import validate as run

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
    help="Directory to write the store to (replaced whole, only once the new one validates). Without it, the "
    "cache the commands answer from is filled instead.",
)
@click.option("--no-validate", is_flag=True, help="Write the store without validating it first.")
def build(target: str | None, no_validate: bool) -> None:
    """Load every source file into a persistent store directory, after validating it; or, without --store, fill
    the cache (the loaded dataset and every baseline-independent answer) that the commands read while it matches
    the source files."""
    if target is None:
        _build_cache(no_validate)
        return
    import shutil

    from xwalk.load import load
    from xwalk.services.validate import validate as run
    from xwalk.store import Store

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


def _build_cache(no_validate: bool) -> None:
    from xwalk.load import cache
    from xwalk.services import coverage
    from xwalk.services.catalog import Catalog
    from xwalk.services.validate import validate as run

    store = cache.open_cached()
    if not isinstance(store, cache.CachedStore):
        raise XwalkError("the cache is off (XWALK_CACHE=off): give --store DIR to write a store directory instead")
    findings = [] if no_validate else run(store.store)
    if findings:
        for finding in findings:
            click.echo(f"{finding.check}: {finding.message}", err=True)
        raise XwalkError(f"{len(findings)} violation(s); fix them, then build again")
    coverage.prepare(Catalog(store))
    click.echo(f"cached {len(store)} quads and {len(store.answers)} answers in {store.where}")


@main.command()
@click.option("--mappings", is_flag=True, help="Mapping counts per pair of editions and relation instead.")
@click.option("--source", default="iso42001", show_default=True, help="With --mappings: whose controls to relate.")
@click.option("--target", default="iso27001", show_default=True, help="With --mappings: the standard to relate to.")
@click.pass_context
def stats(ctx: click.Context, mappings: bool, source: str, target: str) -> None:
    """Provisions per standard and kind, and controls per theme or objective (or, with --mappings, the crosswalk)."""
    from xwalk.present.render import table
    from xwalk.services.stats import catalog_stats

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
    from xwalk.present.render import table
    from xwalk.services.stats import RELATION_ORDER, counterparts, mapping_counts, mapping_quality

    def agreement(a) -> list:
        if a is None:
            return ["", "", ""]
        kappa = "n/a" if a.kappa is None else f"{a.kappa:.2f}"
        return [f"{a.same}/{a.pairs} ({a.percent:.0f}%)", kappa, f"{a.strength_within_2}/{a.same}"]

    quality = mapping_quality(catalog)
    click.echo("quality of the curated mapping sets (second review: blind, pairs only; see mappings/REVIEW.md):")
    click.echo(
        table(
            [
                "mapping set",
                "rows",
                "reviewed",
                "agree (first pass)",
                "kappa",
                "strength ±2",
                "agree (now)",
                "kappa (now)",
                "reuse",
                *RELATION_ORDER,
            ],
            [
                [
                    q.mapping_set,
                    q.rows,
                    q.reviewed,
                    *agreement(q.first_pass),
                    *agreement(q.final)[:2],
                    q.reuse,
                    *(f"{q.by_relation.get(r, 0) / q.rows:.0%}" for r in RELATION_ORDER),
                ]
                for q in quality
            ],
        )
    )
    click.echo("(kappa n/a: both judgements used a single relation, so chance agreement is total)\n")

    counts: dict[tuple[str, str], dict[str, int]] = {}
    derived = 0
    for row in mapping_counts(catalog):
        if row["derived"]:
            derived += row["count"]
            continue
        counts.setdefault((row["subject_key"], row["object_key"]), {})[row["relation"]] = row["count"]
    click.echo("curated mappings per pair of editions and relation:")
    click.echo(
        table(
            ["subject", "object", *RELATION_ORDER, "total"],
            [[s, o, *(c.get(r, 0) for r in RELATION_ORDER), sum(c.values())] for (s, o), c in sorted(counts.items())],
        )
    )
    click.echo(f"derived mappings (xwalk infer, not counted above): {derived}")
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
        store = _store(ctx)
        if fmt != "table":
            sys.stdout.buffer.write(store.query_as(text, fmt))
            return
        result = store.query(text)
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
    from xwalk.store import GRAPH_FORMATS, RESULT_FORMATS, result_of
    from xwalk.store.pool import run_once

    store_dir = Path(ctx.obj["store"]) if ctx.obj["store"] else None
    if store_dir is not None and not store_dir.is_dir():
        raise XwalkError(
            f"--store {store_dir}: no such store directory; create it with `xwalk build --store {store_dir}`"
        )
    select = [fmt] if fmt in RESULT_FORMATS else ["json"]
    graph = [fmt] if fmt in GRAPH_FORMATS else ["nt"]
    answer = run_once(store_dir, text, select, graph, timeout, max_bytes=1_000_000_000, memory_bytes=4_000_000_000)
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


def _baseline_options(command):
    """Options shared by the commands that read a baseline and a target."""
    options = [
        click.option(
            "--baseline",
            "soa",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Statement of Applicability: CSV, XLSX, JSON or YAML (columns: control id, applicable, "
            "justification, implementation status).",
        ),
        click.option(
            "--standard",
            default="iso27001",
            show_default=True,
            help="Standard of the SoA's ids, unless the file has a standard column.",
        ),
        click.option(
            "--certified",
            multiple=True,
            help="A certificate held (repeatable): iso27001, iso27701-2019, ... Implies its clauses; without "
            "an SoA for it, all its controls too.",
        ),
        click.option(
            "--uncertified",
            is_flag=True,
            help="The SoA's standard is not certified: do not assume its clauses are implemented.",
        ),
        click.option("--target", required=True, help="iso42001, iso27701-2019, iso27701-2025, iso23894 or eu-ai-act."),
        click.option("--role", help="EU AI Act target: provider, deployer, importer, distributor, ..."),
        click.option("--tier", help="EU AI Act target: high-risk, high-risk-product, transparency, gpai, ..."),
        click.option(
            "--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="EU AI Act target: the day (default today)."
        ),
        click.option("--timeline", help="EU AI Act target: omnibus-2026 (default) or published-2024."),
        click.option("--with-derived", is_flag=True, help="Let derived (chained) mappings count as evidence."),
    ]
    for option in reversed(options):
        command = option(command)
    return _reading_options(command)


def _reading_options(command):
    """How to read an SoA whose layout is not found alone (shared by coverage, gaps and soa-draft)."""
    options = [
        click.option("--sheet", help="Workbook sheet holding the SoA (default: the first sheet with an SoA table)."),
        click.option(
            "--columns",
            multiple=True,
            help='Columns named by hand, e.g. --columns status="Our status",id=Ref (columns: id, applicable, '
            "justification, status, standard).",
        ),
        click.option(
            "--all-implemented",
            is_flag=True,
            help="The SoA has no status column and every applicable control it lists is implemented.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _inventory_option(command):
    return click.option(
        "--inventory",
        type=click.Path(dir_okay=False, path_type=Path),
        help="EU AI Act target: an inventory of AI systems (YAML, JSON, CSV or XLSX) instead of --role and --tier.",
    )(command)


def _report(
    ctx: click.Context,
    soa,
    standard,
    certified,
    uncertified,
    target,
    role,
    tier,
    on,
    timeline,
    with_derived,
    inventory=None,
    catalog=None,
    evaluated=None,
    sheet=None,
    columns=(),
    all_implemented=False,
):
    from xwalk.services import baseline, coverage

    catalog = catalog or _catalog(ctx)
    options = baseline.ReadOptions(sheet, baseline.parse_columns(columns), all_implemented)
    held = baseline.build(catalog, soa, list(certified), standard, assume_certified=not uncertified, options=options)
    day = on.date() if on else None
    bound = None
    if inventory is not None:
        if role or tier:
            raise XwalkError("--inventory gives each system its roles and tier: leave out --role and --tier")
        if evaluated is None:
            from datetime import date

            from xwalk.services import ai_act

            read = ai_act.read_inventory(catalog, inventory)
            evaluated = ai_act.evaluate(catalog, read, day or date.today(), timeline)
        bound = ai_act_scored(evaluated)
    return coverage.compute(catalog, held, target, role, tier, day, timeline, with_derived, inventory_obligations=bound)


def ai_act_scored(evaluated: dict) -> dict:
    from xwalk.services import ai_act

    return ai_act.scored_obligations(evaluated)


def _emit(content: str | bytes, output: Path | None, binary: bool) -> None:
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


@main.command()
@_baseline_options
@_inventory_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "xlsx", "md", "html"]),
    default="table",
    show_default=True,
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@click.pass_context
def coverage(ctx: click.Context, fmt: str, output: Path | None, **options) -> None:
    """How much of a target a baseline already covers: verdicts, scores with bounds, and the evidence."""
    from xwalk.present import reports

    report = _report(ctx, **options)
    content = reports.render(report, fmt)
    _emit(content if fmt != "table" else content + "\n", output, fmt in reports.BINARY)


@main.command()
@_baseline_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the list to this file.")
@click.pass_context
def gaps(ctx: click.Context, fmt: str, output: Path | None, **options) -> None:
    """The target provisions not certainly covered, worst first, with what partly helps."""
    from xwalk.present import reports
    from xwalk.services import soa

    report = _report(ctx, **options)
    items = soa.gaps(report)
    columns = ["id", "title", "verdict", "score", "what partly helps"]
    records = [[v.id, v.title, v.verdict, v.score, reports.evidence_text(v)] for v in items]
    _emit(_tabular(columns, records, fmt, reports.headline(report)), output, False)


@main.command("soa-draft")
@click.option("--baseline", "soa_file", type=click.Path(dir_okay=False, path_type=Path), help="The ISO/IEC 27001 SoA.")
@click.option("--standard", default="iso27001", show_default=True)
@click.option("--certified", multiple=True, help="Certificates held (repeatable).")
@click.option("--uncertified", is_flag=True)
@click.option("--with-derived", is_flag=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "md", "json"]), default="table", show_default=True
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path))
@_reading_options
@click.pass_context
def soa_draft(ctx, soa_file, standard, certified, uncertified, with_derived, fmt, output, **reading) -> None:
    """A draft ISO/IEC 42001 Statement of Applicability: all 38 controls, suggested applicability and status, the
    reused controls of the baseline and the reasoning."""
    from dataclasses import asdict

    from xwalk.services import soa

    report = _report(
        ctx, soa_file, standard, certified, uncertified, "iso42001", None, None, None, None, with_derived, **reading
    )
    rows = soa.draft(report)
    if fmt in ("csv", "xlsx"):
        from xwalk.present.soa_reports import draft_file

        _emit(draft_file(rows, fmt), output, fmt == "xlsx")
        return
    columns = list(asdict(rows[0]))
    records = [list(asdict(r).values()) for r in rows]
    _emit(_tabular(columns, records, fmt, "Draft ISO/IEC 42001 Statement of Applicability"), output, False)


def _tabular(columns: list[str], records: list[list], fmt: str, title: str) -> str:
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


@main.command()
@click.option(
    "--inventory",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The AI systems: YAML or JSON (organisation facts at the top, then systems:), CSV or XLSX (one row each).",
)
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="The day (default today).")
@click.option("--timeline", help="omnibus-2026 (default: as amended by Regulation (EU) 2026/1744) or published-2024.")
@click.option(
    "--baseline", "soa", type=click.Path(dir_okay=False, path_type=Path), help="A Statement of Applicability."
)
@click.option("--standard", default="iso27001", show_default=True, help="Standard of the SoA's ids.")
@click.option("--certified", multiple=True, help="A certificate held (repeatable): iso27001, iso42001, ...")
@click.option("--uncertified", is_flag=True, help="The SoA's standard is not certified.")
@click.option("--with-derived", is_flag=True, help="Let derived (chained) mappings count as evidence.")
@click.option("--sme", is_flag=True, default=None, help="The organisation is an SME (fine ceilings: the lower amount).")
@click.option("--smc", is_flag=True, default=None, help="The organisation is a small mid-cap (SMC).")
@click.option("--public-body", is_flag=True, default=None, help="The organisation is a public authority or body.")
@click.option("--outside-eu", is_flag=True, default=None, help="The organisation is established outside the Union.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx", "md", "html"]), default="table")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@click.pass_context
def obligations(
    ctx,
    inventory,
    on,
    timeline,
    soa,
    standard,
    certified,
    uncertified,
    with_derived,
    sme,
    smc,
    public_body,
    outside_eu,
    fmt,
    output,
) -> None:
    """The EU AI Act per AI system of an inventory: what applies on the day, what comes next and when, what applies
    only if a condition holds, fine ceilings, and with a baseline how much each is already covered."""
    from datetime import date

    from xwalk.present import ai_act_reports
    from xwalk.services import ai_act

    catalog = _catalog(ctx)
    flags = {"sme": sme, "smc": smc, "public_body": public_body}
    flags = {k: v for k, v in flags.items() if v}
    if outside_eu:
        flags["established_in_eu"] = False
    read = ai_act.read_inventory(catalog, inventory, organisation=flags)
    result = ai_act.evaluate(catalog, read, on.date() if on else date.today(), timeline)
    if soa or certified:
        report = _report(
            ctx,
            soa,
            standard,
            certified,
            uncertified,
            "eu-ai-act",
            None,
            None,
            on,
            timeline,
            with_derived,
            inventory=inventory,
            catalog=catalog,
            evaluated=result,
        )
        ai_act.attach_coverage(result, report)
    content = ai_act_reports.render(result, fmt)
    _emit(content, output, fmt in ai_act_reports.BINARY)


from xwalk.cli.interop import export, import_mappings, release  # noqa: E402 (registered after the group is defined)

main.add_command(export)
main.add_command(import_mappings)
main.add_command(release)
