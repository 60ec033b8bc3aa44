"""The options that several commands share, declared once as decorators, and the one value they make together:
the coverage question (`services.assess.Question`, shared with the API) that coverage, gaps, soa-draft and
obligations ask. A command whose help text must say more takes the option with its own `help`."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

FILE = click.Path(dir_okay=False, path_type=Path)
Decorator = Callable[[Any], Any]

BASELINE_HELP = (
    "Statement of Applicability: CSV, XLSX, JSON or YAML (columns: control id, applicable, justification, "
    "implementation status)."
)


def together(*decorators: Decorator) -> Decorator:
    """Several option decorators as one, applied so that the options show in the order given."""

    def apply(command):
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


def baseline(help: str | None = BASELINE_HELP) -> Decorator:
    return click.option("--baseline", "soa", type=FILE, help=help)


def standard(help: str | None = "Standard of the SoA's ids, unless the file has a standard column.") -> Decorator:
    return click.option("--standard", default="iso27001", show_default=True, help=help)


def certified(
    help: str | None = "A certificate held (repeatable): iso27001, iso27701-2019, ... Implies its clauses; without "
    "an SoA for it, all its controls too.",
) -> Decorator:
    return click.option("--certified", multiple=True, help=help)


def uncertified(
    help: str | None = "The SoA's standard is not certified: do not assume its clauses are implemented.",
) -> Decorator:
    return click.option("--uncertified", is_flag=True, help=help)


def with_derived(help: str | None = "Let derived (chained) mappings count as evidence.") -> Decorator:
    return click.option("--with-derived", is_flag=True, help=help)


def target() -> Decorator:
    return click.option(
        "--target", required=True, help="iso42001, iso27701-2019, iso27701-2025, iso23894 or eu-ai-act."
    )


def role() -> Decorator:
    return click.option("--role", help="EU AI Act target: provider, deployer, importer, distributor, ...")


def tier() -> Decorator:
    return click.option("--tier", help="EU AI Act target: high-risk, high-risk-product, transparency, gpai, ...")


def on(help: str = "EU AI Act target: the day (default today).") -> Decorator:
    return click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), help=help)


def timeline(help: str = "EU AI Act target: omnibus-2026 (default) or published-2024.") -> Decorator:
    return click.option("--timeline", help=help)


def inventory(
    help: str = "EU AI Act target: an inventory of AI systems (YAML, JSON, CSV or XLSX) instead of --role and --tier.",
    required: bool = False,
) -> Decorator:
    return click.option("--inventory", required=required, type=FILE, help=help)


def fmt(choices: list[str], show_default: bool = True) -> Decorator:
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=show_default)


def output(help: str | None = None) -> Decorator:
    return click.option("--output", type=FILE, help=help)


# How to read an SoA whose layout is not found alone.
reading = together(
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
)

# What the organisation holds and what it measures itself against: the options of coverage and gaps (the reading
# options first, where the help has always listed them).
question = together(
    reading,
    baseline(),
    standard(),
    certified(),
    uncertified(),
    target(),
    role(),
    tier(),
    on(),
    timeline(),
    with_derived(),
)


def coverage_question(options: dict[str, Any], **fixed: Any):
    """The coverage question (`services.assess.Question`, the one the API asks too) that the options of `question`
    make, `fixed` filling those a command does not offer (soa-draft's and obligations' target)."""
    from xwalk.services.assess import Question

    values = {**options, **fixed}
    day = values.get("on")
    return Question(
        standard=values.get("standard", "iso27001"),
        certified=list(values.get("certified", ())),
        uncertified=values.get("uncertified", False),
        target=values["target"],
        role=values.get("role"),
        tier=values.get("tier"),
        on=day.date() if day else None,
        timeline=values.get("timeline"),
        with_derived=values.get("with_derived", False),
    )


def read_options(options: dict[str, Any]):
    """How to read the SoA (`services.baseline.ReadOptions`), from the options of `reading`."""
    from xwalk.services import baseline

    columns = baseline.parse_columns(options.get("columns", ()))
    return baseline.ReadOptions(options.get("sheet"), columns, options.get("all_implemented", False))
