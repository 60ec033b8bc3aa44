"""`xwalk coverage`, `gaps` and `soa-draft`: one coverage question (cli.options) asked of the coverage service, its
report laid out by the presentation layer."""

from pathlib import Path

import click

from xwalk.cli import options
from xwalk.cli.common import catalog_of, emit, tabular


@click.command()
@options.question
@options.inventory()
@options.fmt(["table", "json", "csv", "xlsx", "md", "html"])
@options.output("Write the report to this file.")
@click.pass_context
def coverage(ctx: click.Context, fmt: str, output: Path | None, **chosen) -> None:
    """How much of a target a baseline already covers: verdicts, scores with bounds, and the evidence."""
    from xwalk.present import reports
    from xwalk.services.question import answer

    report = answer(catalog_of(ctx), options.coverage_question(chosen))
    content = reports.render(report, fmt)
    emit(content if fmt != "table" else content + "\n", output, fmt in reports.BINARY)


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
    from xwalk.services.question import answer

    report = answer(catalog_of(ctx), options.coverage_question(chosen, target="iso42001"))
    rows = soa.draft(report)
    if fmt in ("csv", "xlsx"):
        emit(soa.draft_file(rows, fmt), output, fmt == "xlsx")
        return
    columns = list(asdict(rows[0]))
    records = [list(asdict(r).values()) for r in rows]
    emit(tabular(columns, records, fmt, "Draft ISO/IEC 42001 Statement of Applicability"), output, False)


COMMANDS = [coverage, soa_draft]
