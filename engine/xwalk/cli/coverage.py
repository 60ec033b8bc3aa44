"""`xwalk coverage` and `soa-draft` (`gaps` is in cli.research): one coverage question (cli.options) asked of the
services the API's coverage and soa-draft routes ask (services.assess), its report laid out by the presentation
layer."""

from pathlib import Path
from typing import Any

import click

from xwalk.cli import options
from xwalk.cli.common import catalog_of, emit, tabular


def inputs(ctx: click.Context, chosen: dict[str, Any], **fixed: Any):
    """The catalog, the coverage question the options ask (`fixed` fills those a command does not offer), and the
    baseline and overrides it names, read as the API reads them (services.assess)."""
    from xwalk.services import assess

    catalog = catalog_of(ctx)
    question = options.coverage_question(chosen, **fixed)
    return catalog, question, assess.held(catalog, question), assess.judged(catalog, path=question.overrides)


def report(ctx: click.Context, chosen: dict[str, Any], **fixed: Any):
    """The coverage report the options ask for (`fixed` fills those a command does not offer)."""
    from xwalk.services import assess

    catalog, question, held, judged = inputs(ctx, chosen, **fixed)
    return assess.coverage_report(catalog, question, held, judgements=judged)


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
@options.overrides()
@options.profile
@options.fmt(["table", "csv", "xlsx", "md", "json"])
@options.output()
@options.reading
@click.pass_context
def soa_draft(ctx: click.Context, fmt: str, output: Path | None, **chosen) -> None:
    """A draft ISO/IEC 42001 Statement of Applicability: all 38 controls, applicability suggested from the
    organisation profile with each control's reason, status from the requirement elements (done, extend, new), what
    is reused and what is to add, and a justification of its own for each control."""
    from dataclasses import asdict

    from xwalk.present import soa_reports
    from xwalk.services import assess

    catalog, question, held, judged = inputs(ctx, chosen, target="iso42001")
    rows = assess.soa_draft(catalog, question, held, judged, options.profile_of(chosen))
    if fmt in ("csv", "xlsx"):
        emit(soa_reports.draft_file(rows, fmt), output, fmt == "xlsx")
        return
    columns = list(asdict(rows[0]))
    records = [list(asdict(r).values()) for r in rows]
    emit(tabular(columns, records, fmt, soa_reports.TITLE), output, False)


COMMANDS = [coverage, soa_draft]
