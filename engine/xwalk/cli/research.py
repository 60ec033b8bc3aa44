"""`xwalk show`, `search`, `gaps`, `prefixes` and `examples`: the researcher's commands. A provision with its
mappings in both directions, ranked full-text search (the explorer's and /api/search's answer), the gap list as a
documented JSON object, the prefixes every query has, and the example queries to start from."""

import json
from dataclasses import asdict
from pathlib import Path

import click

from xwalk.cli import options
from xwalk.cli.common import catalog_of, emit, tabular
from xwalk.core.errors import XwalkError


@click.command()
@click.argument("provision_id")
@click.option("--standard", "-s", help="Standard key or identifier (iso42001, iso27001, eu-ai-act, ...).")
@click.option("--with-derived", is_flag=True, help="Also the mappings derived by chaining, with their chains.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show(ctx: click.Context, provision_id: str, standard: str | None, with_derived: bool, fmt: str) -> None:
    """A provision with its parents, children and mappings in both directions (each read "this RELATION other").
    Ids are read as users write them (`A 5.15`, `Art. 9(2)`). JSON is a list of the records that
    /api/provisions/{standard}/{id} answers (one per standard the id resolves in)."""
    from xwalk.services import browse

    catalog = catalog_of(ctx)
    records = [
        asdict(browse.provision_record(catalog, p, with_derived)) for p in catalog.lookup(provision_id, standard)
    ]
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    for record in records:
        click.echo(_provision_text(record))


def _provision_text(record: dict) -> str:
    from xwalk.present.render import curie, table, trim

    lines = [
        f"{record['identifier']} {record['notation']} — {record['title']}",
        f"  {record['kind']}, {record['normativity']}, {record['verification']}  <{record['iri']}>",
        *(f"  parent:   {p['notation']} {p['title']}" for p in reversed(record["parents"])),
        *(f"  child:    {c['notation']} {c['title']}" for c in record["children"]),
        f"  source:   {record['source']}",
    ]
    mappings = record["mappings"]
    lines.append(
        f"\n  {len(mappings)} mappings ({record['notation']} RELATION other; whole rationales: --format json):"
    )
    if mappings:
        rows = [
            [
                m["direction"],
                curie(m["relation"]) + (" (derived)" if m["derived"] else ""),
                "" if m["strength"] is None else m["strength"],
                m["other_standard"],
                m["other_id"],
                trim(m["other_title"], 40),
                trim(m["rationale"], 70),
            ]
            for m in mappings
        ]
        rendered = table(["dir", "relation", "strength", "standard", "other", "title", "rationale"], rows)
        lines += [f"  {line}" for line in rendered.splitlines()]
    return "\n".join(lines) + "\n"


@click.command()
@click.argument("text")
@click.option("--standard", "-s", help="Only in this standard (key or identifier).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 500))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def search(ctx: click.Context, text: str, standard: str | None, limit: int, fmt: str) -> None:
    """Find provisions by id, or by words of their ids, titles, texts and mapping rationales, best first (the
    explorer's and /api/search's answer)."""
    from xwalk.present.render import table
    from xwalk.services import search as service

    hits = service.search(catalog_of(ctx), text, standard, limit)
    if fmt == "json":
        click.echo(json.dumps([asdict(h) for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        raise XwalkError(f"no provision matches {text!r}; try an id such as A.5.15 or Art. 9, or fewer words")
    rows = [[h.standard, h.id, h.title[:70], "id" if h.match == "id" else ", ".join(h.found_in)] for h in hits]
    click.echo(table(["standard", "id", "title", "found in"], rows))


@click.command()
@options.question
@options.fmt(["table", "json", "csv", "md"])
@options.output("Write the list to this file.")
@click.pass_context
def gaps(ctx: click.Context, fmt: str, output: Path | None, **chosen) -> None:
    """The target provisions not certainly covered, worst first, with what partly helps. JSON is one object:
    {target, headline, gaps: [{id, title, group, verdict, lower, score, upper, evidence: [{held_standard, held_id,
    held_status, relation, strength, derived, rationale, chain}]}]}; relations are CURIEs (xw:subset_of)."""
    from xwalk.cli.coverage import report as coverage_report
    from xwalk.present import reports

    report = coverage_report(ctx, chosen)
    if fmt == "json":
        emit(json.dumps(reports.gaps_document(report), indent=2, ensure_ascii=False) + "\n", output, False)
        return
    columns = ["id", "title", "verdict", "score", "what partly helps"]
    records = [[v.id, v.title, v.verdict, v.score, reports.evidence_text(v)] for v in report.gaps()]
    emit(tabular(columns, records, fmt, reports.headline(report)), output, False)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def prefixes(fmt: str) -> None:
    """The prefixes predeclared in every SPARQL query (`xwalk query`, /sparql, the explorer)."""
    from xwalk.core.vocab import PREFIXES
    from xwalk.present.render import table

    if fmt == "json":
        click.echo(json.dumps(dict(PREFIXES), indent=2))
        return
    click.echo(table(["prefix", "namespace"], [[f"{k}:", v] for k, v in PREFIXES.items()]))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def examples(fmt: str) -> None:
    """The example SPARQL queries shipped in the package, with their titles and files; run one with
    `xwalk query FILE`."""
    from xwalk.core.paths import EXAMPLE_QUERIES_DIR, display
    from xwalk.present.render import table
    from xwalk.services import explore

    found = explore.examples()
    if fmt == "json":
        records = [asdict(e) | {"file": str(EXAMPLE_QUERIES_DIR / f"{e.name}.rq")} for e in found]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    click.echo(table(["name", "title"], [[e.name, e.title] for e in found]))
    click.echo(f"\nfiles: {display(EXAMPLE_QUERIES_DIR)}/NAME.rq; run one with `xwalk query FILE`")


COMMANDS = [show, search, gaps, prefixes, examples]
