"""`xwalk plan`: the work plan of a baseline against ISO/IEC 42001 (services.plan) under an organisation profile
and overrides, in every format of present.plan_reports."""

from pathlib import Path

import click

from xwalk.cli import options
from xwalk.cli.common import catalog_of, emit


@click.command()
@options.question
@options.profile
@options.fmt(["table", "json", "csv", "xlsx", "md", "html"])
@options.output("Write the plan to this file.")
@click.pass_context
def plan(ctx: click.Context, fmt: str, output: Path | None, **chosen) -> None:
    """The work left to meet ISO/IEC 42001: one task per requirement element not done, in dependency order and
    grouped by PDCA phase, with the effort remaining (person-days, with bounds), the held provisions to reuse, the
    totals (done, saved, remaining) and which unfinished baseline controls to implement next."""
    from xwalk.present import plan_reports
    from xwalk.services import overrides, question
    from xwalk.services import plan as planning

    catalog = catalog_of(ctx)
    asked = options.coverage_question(options.without_profile(chosen))
    planning.check_target(catalog, asked.target)
    held = asked.build_baseline(catalog)
    judged = overrides.read(catalog, asked.overrides) if asked.overrides is not None else overrides.NONE
    report = question.answer(catalog, asked, held=held, judged=judged)
    drawn = planning.from_report(catalog, held, report, options.profile_of(chosen), judged)
    emit(plan_reports.render(drawn, fmt), output, fmt in plan_reports.BINARY)


COMMANDS = [plan]
