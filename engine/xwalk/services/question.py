"""The coverage question as one frozen value: what the organisation holds (an SoA, certificates, how to read the
SoA) and what it measures itself against (a target, and for the EU AI Act a role and tier or an inventory, a day
and a timeline). The CLI's coverage, gaps, soa-draft and obligations commands build one and ask `answer`."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from xwalk.core.errors import XwalkError
from xwalk.services import baseline, coverage
from xwalk.services.catalog import Catalog


@dataclass(frozen=True)
class CoverageQuestion:
    """How much of `target` a baseline covers. `certified` are certificates held; `assume_certified` says the SoA's
    own standard is certified (its clauses implemented). For the EU AI Act: `role` and `tier`, or an `inventory`
    of systems; `on` the day (default today) and the `timeline`. `sheet`, `columns` and `all_implemented` say how
    to read an SoA whose layout is not found alone."""

    target: str
    soa: Path | None = None
    standard: str = "iso27001"
    certified: tuple[str, ...] = ()
    assume_certified: bool = True
    role: str | None = None
    tier: str | None = None
    on: date | None = None
    timeline: str | None = None
    with_derived: bool = False
    inventory: Path | None = None
    sheet: str | None = None
    columns: tuple[str, ...] = ()
    all_implemented: bool = False


def answer(catalog: Catalog, question: CoverageQuestion, evaluated: dict | None = None) -> coverage.Report:
    """The coverage report for `question`. `evaluated` is the inventory already evaluated (xwalk.services.ai_act),
    when the caller has it; otherwise the inventory is read and evaluated here."""
    q = question
    options = baseline.ReadOptions(q.sheet, baseline.parse_columns(q.columns), q.all_implemented)
    held = baseline.build(
        catalog, q.soa, list(q.certified), q.standard, assume_certified=q.assume_certified, options=options
    )
    bound = None
    if q.inventory is not None:
        if q.role or q.tier:
            raise XwalkError("--inventory gives each system its roles and tier: leave out --role and --tier")
        from xwalk.services import ai_act

        if evaluated is None:
            read = ai_act.read_inventory(catalog, q.inventory)
            evaluated = ai_act.evaluate(catalog, read, q.on or date.today(), q.timeline)
        bound = ai_act.scored_obligations(evaluated)
    return coverage.compute(
        catalog, held, q.target, q.role, q.tier, q.on, q.timeline, q.with_derived, inventory_obligations=bound
    )
