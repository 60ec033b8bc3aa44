"""`xwalk obligations`: the EU AI Act per AI system of an inventory, and with a baseline how much of it is covered."""

from pathlib import Path

import click

from xwalk.cli import options
from xwalk.cli.common import catalog_of, emit


@click.command()
@options.inventory(
    "The AI systems: YAML or JSON (organisation facts at the top, then systems:), CSV or XLSX (one row each).",
    required=True,
)
@options.on("The day (default today).")
@options.timeline("omnibus-2026 (default: as amended by Regulation (EU) 2026/1744) or published-2024.")
@options.baseline("A Statement of Applicability.")
@options.standard("Standard of the SoA's ids.")
@options.certified("A certificate held (repeatable): iso27001, iso42001, ...")
@options.uncertified("The SoA's standard is not certified.")
@options.with_derived()
@click.option("--sme", is_flag=True, default=None, help="The organisation is an SME (fine ceilings: the lower amount).")
@click.option("--smc", is_flag=True, default=None, help="The organisation is a small mid-cap (SMC).")
@click.option("--public-body", is_flag=True, default=None, help="The organisation is a public authority or body.")
@click.option("--outside-eu", is_flag=True, default=None, help="The organisation is established outside the Union.")
@options.fmt(["table", "json", "csv", "xlsx", "md", "html"], show_default=False)
@options.output("Write the report to this file.")
@click.pass_context
def obligations(
    ctx: click.Context,
    sme: bool | None,
    smc: bool | None,
    public_body: bool | None,
    outside_eu: bool | None,
    fmt: str,
    output: Path | None,
    **chosen,
) -> None:
    """The EU AI Act per AI system of an inventory: what applies on the day, what comes next and when, what applies
    only if a condition holds, fine ceilings, and with a baseline how much each is already covered."""
    from xwalk.present import ai_act_reports
    from xwalk.services import ai_act, assess

    question = options.coverage_question(chosen, target="eu-ai-act")
    found = catalog_of(ctx)
    flags = {"sme": sme, "smc": smc, "public_body": public_body}
    flags = {k: v for k, v in flags.items() if v}
    if outside_eu:
        flags["established_in_eu"] = False
    read = ai_act.read_inventory(found, question.inventory, organisation=flags)
    held = assess.held(found, question) if question.soa or question.certified else None
    result = assess.inventory(found, read, question, held)  # as /api/obligations/inventory answers
    emit(ai_act_reports.render(result, fmt), output, fmt in ai_act_reports.BINARY)


COMMANDS = [obligations]
