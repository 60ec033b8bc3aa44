"""`xwalk coverage` and `soa-draft` (`gaps` is in cli.research): one coverage question (cli.options) asked of the
assessment service with the baseline read from files, its report laid out by the presentation layer."""

from pathlib import Path
from typing import Any

import click

from xwalk.cli import options
from xwalk.cli.common import catalog_of, emit, tabular
from xwalk.core.errors import XwalkError


def held_baseline(catalog, chosen: dict[str, Any], question):
    """The baseline of the options: the SoA file (--baseline, read as --sheet, --columns, --all-implemented say)
    and the certificates."""
    from xwalk.services import baseline

    reading = options.read_options(chosen)
    assume = not question.uncertified
    soa = chosen.get("soa")
    return baseline.build(catalog, soa, question.certified, question.standard, assume, options=reading)


def report(ctx: click.Context, chosen: dict[str, Any], **fixed: Any):
    """The coverage report the options ask for; with --inventory, of the obligations of its systems."""
    from xwalk.services import assess

    catalog = catalog_of(ctx)
    question = options.coverage_question(chosen, **fixed)
    held = held_baseline(catalog, chosen, question)
    bound = None
    if chosen.get("inventory") is not None:
        if question.role or question.tier:
            raise XwalkError("--inventory gives each system its roles and tier: leave out --role and --tier")
        bound = assess.inventory_obligations(catalog, chosen["inventory"], question)
    return assess.coverage_report(catalog, question, held, bound)


@click.command()
@options.question
@options.inventory()
@options.fmt(["table", "json", "csv", "xlsx", "md", "html"])
@options.output("Write the report to this file.")
@click.pass_context
def coverage(ctx: click.Context, fmt: str, output: Path | None, **chosen) -> None:
    """How much of a target a baseline already covers: verdicts, scores with bounds, and the evidence."""
    from xwalk.present import reports

    content = reports.render(report(ctx, chosen), fmt)
    if isinstance(content, str) and fmt == "table":
        content += "\n"
    emit(content, output, fmt in reports.BINARY)


@click.command("soa-draft")
@options.baseline("The ISO/IEC 27001 SoA.")
@options.standard(None)
@options.certified("Certificates held (repeatable).")
@options.uncertified(None)
@options.with_derived(None)
@options.fmt(["table", "csv", "xlsx", "md", "json"])
@options.output()
@options.reading
@click.pass_context
def soa_draft(ctx: click.Context, fmt: str, output: Path | None, **chosen) -> None:
    """A draft ISO/IEC 42001 Statement of Applicability: all 38 controls, suggested applicability and status, the
    reused controls of the baseline and the reasoning."""
    from dataclasses import asdict

    from xwalk.services import soa

    rows = soa.draft(report(ctx, chosen, target="iso42001"))
    if fmt in ("csv", "xlsx"):
        emit(soa.draft_file(rows, fmt), output, fmt == "xlsx")
        return
    columns = list(asdict(rows[0]))
    records = [list(asdict(r).values()) for r in rows]
    emit(tabular(columns, records, fmt, "Draft ISO/IEC 42001 Statement of Applicability"), output, False)


COMMANDS = [coverage, soa_draft]
