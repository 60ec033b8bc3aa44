"""The coverage question as one frozen value: what the organisation holds (an SoA, certificates, how to read the
SoA), what it measures itself against (a target, and for the EU AI Act a role and tier or an inventory, a day
and a timeline), whether derived mappings count, and the organisation's own overrides. The CLI, the API and the
explorer build one and ask `answer` (the SoA draft reads the same report; the plan its elements, or the report)."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from xwalk.core.errors import XwalkError
from xwalk.services import baseline, coverage, overrides
from xwalk.services.catalog import Catalog


@dataclass(frozen=True)
class CoverageQuestion:
    """How much of `target` a baseline covers. `certified` are certificates held; `assume_certified` says the SoA's
    own standard is certified (its clauses implemented). For the EU AI Act: `role` and `tier`, or an `inventory`
    of systems; `on` the day (default today) and the `timeline`. `sheet`, `columns` and `all_implemented` say how
    to read an SoA whose layout is not found alone. `overrides`: the organisation's overrides file (CSV or YAML,
    xwalk.services.overrides), or None."""

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
    overrides: Path | None = None

    def reading(self) -> baseline.ReadOptions:
        return baseline.ReadOptions(self.sheet, baseline.parse_columns(self.columns), self.all_implemented)

    def build_baseline(self, catalog: Catalog) -> baseline.Baseline:
        """The baseline the question names: its SoA file and/or certificates."""
        return baseline.build(
            catalog, self.soa, list(self.certified), self.standard, self.assume_certified, options=self.reading()
        )


def answer(
    catalog: Catalog,
    question: CoverageQuestion,
    evaluated: dict | None = None,
    held: baseline.Baseline | None = None,
    judged: overrides.Overrides | None = None,
    bound: dict | None = None,
) -> coverage.Report:
    """The coverage report for `question`. A surface that read an upload passes what it read: the baseline
    (`held`), the overrides (`judged`), the inventory's evaluation (`evaluated`, from xwalk.services.ai_act) or
    its scored obligations (`bound`); whatever is not passed is read from the files the question names."""
    q = question
    held = held if held is not None else q.build_baseline(catalog)
    if judged is None:
        judged = overrides.read(catalog, q.overrides) if q.overrides is not None else overrides.NONE
    if bound is None and (q.inventory is not None or evaluated is not None) and (q.role or q.tier):
        raise XwalkError("--inventory gives each system its roles and tier: leave out --role and --tier")
    if bound is None and evaluated is None and q.inventory is not None:
        from xwalk.services import ai_act

        read = ai_act.read_inventory(catalog, q.inventory)
        evaluated = ai_act.evaluate(catalog, read, q.on or date.today(), q.timeline)
    if bound is None and evaluated is not None:
        from xwalk.services import ai_act

        bound = ai_act.scored_obligations(evaluated)
    return coverage.compute(
        catalog,
        held,
        q.target,
        q.role,
        q.tier,
        q.on,
        q.timeline,
        q.with_derived,
        inventory_obligations=bound,
        overrides=judged,
    )
