"""The options that several commands share, declared once as decorators, and the one value they make together:
the coverage question (xwalk.services.question) that coverage, gaps, soa-draft and obligations ask. A command
whose help text must say more takes the option with its own `help`."""

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


def overrides(
    help: str = "The organisation's own judgements (CSV or YAML): accept, reject or change the remaining share of "
    "an element or a mapping, with author, date and reason (docs/coverage.md). Listed in the report.",
) -> Decorator:
    return click.option("--overrides", type=FILE, help=help)


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
    overrides(),
)


def coverage_question(options: dict[str, Any], **fixed: Any):
    """The CoverageQuestion the options of `question` (and `inventory`) make, `fixed` filling those a command does
    not offer (soa-draft's target)."""
    from xwalk.services.question import CoverageQuestion

    values = {**options, **fixed}
    day = values.get("on")
    return CoverageQuestion(
        target=values["target"],
        soa=values.get("soa"),
        standard=values.get("standard", "iso27001"),
        certified=tuple(values.get("certified", ())),
        assume_certified=not values.get("uncertified", False),
        role=values.get("role"),
        tier=values.get("tier"),
        on=day.date() if day else None,
        timeline=values.get("timeline"),
        with_derived=values.get("with_derived", False),
        inventory=values.get("inventory"),
        sheet=values.get("sheet"),
        columns=tuple(values.get("columns", ())),
        all_implemented=values.get("all_implemented", False),
        overrides=values.get("overrides"),
    )


# The organisation profile (xwalk.services.profile): plan and soa-draft.
YES_NO = click.Choice(["yes", "no"])
PROFILE_FLAGS = ("develops", "provides", "uses_third_party", "personal_data")


def _flag(name: str, words: str) -> Decorator:
    return click.option(f"--{name.replace('_', '-')}", name, type=YES_NO, help=f"Profile: the organisation {words}.")


profile = together(
    click.option(
        "--profile",
        "profile_file",
        type=FILE,
        help="Organisation profile file: YAML (develops: yes) or CSV (flag,value); the flags below win over it.",
    ),
    _flag("develops", "develops AI systems"),
    _flag("provides", "provides AI systems to others"),
    _flag("uses_third_party", "uses third-party AI systems or models"),
    _flag("personal_data", "processes personal data"),
)


def profile_of(values: dict[str, Any]):
    """The organisation profile the options of `profile` give (a file, then the flags over it)."""
    from xwalk.services.profile import Profile, read

    base = read(values["profile_file"]) if values.get("profile_file") else Profile()
    return base.merged(**{f: None if values.get(f) is None else values[f] == "yes" for f in PROFILE_FLAGS})
