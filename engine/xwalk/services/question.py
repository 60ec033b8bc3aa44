"""The coverage question: what is asked of a baseline, as frozen values the surfaces build and hand to the coverage
service (and through it to the plan and the SoA draft), so the options are read in one place and two surfaces asking
the same thing get the same answer. `Question` is what the coverage service answers for a Baseline (branch cov2);
`CoverageQuestion` is what the CLI's coverage, gaps, soa-draft and obligations commands build from their options and
ask `answer` (branch cli-split)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xwalk.core.errors import XwalkError
from xwalk.services.baseline import Baseline, ReadOptions, build, parse_columns
from xwalk.services.catalog import Catalog
from xwalk.services.overrides import Overrides

if TYPE_CHECKING:
    from xwalk.services import coverage


@dataclass(frozen=True)
class BaselineSpec:
    """How to build a baseline: a Statement of Applicability (a file) and/or certificates. Surfaces that read an
    upload build the Baseline themselves and pass it with the question instead."""

    soa: Path | None = None
    certified: tuple[str, ...] = ()
    standard: str = "iso27001"
    assume_certified: bool = True
    options: ReadOptions = ReadOptions()

    def build(self, catalog: Catalog) -> Baseline:
        return build(
            catalog, self.soa, list(self.certified), self.standard, self.assume_certified, options=self.options
        )


@dataclass(frozen=True)
class Question:
    """Coverage of `target` (a standard key, or `eu-ai-act` with `role` and `tier` on day `on` by `timeline`, or
    with `inventory`: provision IRI -> obligation from xwalk.ai_act), with or without derived mappings, under an
    organisation's `overrides` (an empty Overrides when it has none)."""

    target: str = "iso42001"
    role: str | None = None
    tier: str | None = None
    on: date | None = None
    timeline: str | None = None
    with_derived: bool = False
    overrides: Overrides = field(default_factory=Overrides)
    baseline: BaselineSpec | None = None
    inventory: Mapping[str, dict] | None = field(default=None, hash=False)

    def __post_init__(self):
        if self.inventory is not None and (self.role or self.tier):
            raise XwalkError("an inventory gives each system its roles and tier: leave out --role and --tier")

    def held(self, catalog: Catalog) -> Baseline:
        """The baseline the question names (a question without one is asked with a Baseline built elsewhere)."""
        if self.baseline is None:
            raise XwalkError("the question names no baseline: give --baseline FILE and/or --certified STANDARD")
        return self.baseline.build(catalog)


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


def answer(catalog: Catalog, question: CoverageQuestion, evaluated: dict | None = None) -> "coverage.Report":
    """The coverage report for `question`. `evaluated` is the inventory already evaluated (xwalk.services.ai_act),
    when the caller has it; otherwise the inventory is read and evaluated here."""
    from xwalk.services import coverage  # noqa: F811 - coverage imports this module for Question

    q = question
    held = held_by(catalog, q)
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
        catalog,
        held,
        q.target,
        q.role,
        q.tier,
        q.on,
        q.timeline,
        q.with_derived,
        inventory_obligations=bound,
    )


def held_by(catalog: Catalog, question: CoverageQuestion) -> Baseline:
    """The baseline a CoverageQuestion names: its SoA, read as its options say, and its certificates."""
    q = question
    options = ReadOptions(q.sheet, parse_columns(q.columns), q.all_implemented)
    return build(catalog, q.soa, list(q.certified), q.standard, assume_certified=q.assume_certified, options=options)
