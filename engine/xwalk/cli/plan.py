"""`xwalk plan`: the work plan of a baseline against ISO/IEC 42001 (services.assess.plan, as /api/plan) under an
organisation profile and overrides, in every format of present.plan_reports."""

from pathlib import Path

import click

from xwalk.cli import options
from xwalk.cli.common import emit


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
    from xwalk.cli.coverage import inputs
    from xwalk.present import plan_reports
    from xwalk.services import assess

    catalog, question, held, judged = inputs(ctx, chosen)
    drawn = assess.plan(catalog, question, held, judged, options.profile_of(chosen))
    emit(plan_reports.render(drawn, fmt), output, fmt in plan_reports.BINARY)


COMMANDS = [plan]
