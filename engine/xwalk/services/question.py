"""The coverage question: what is asked of a baseline, as one frozen value that the CLI, the API and the explorer
build and hand to the coverage service (and through it to the plan and the SoA draft), so the options are read in
one place and two surfaces asking the same thing get the same answer."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from xwalk.core.errors import XwalkError
from xwalk.services.baseline import Baseline, ReadOptions, build
from xwalk.services.catalog import Catalog
from xwalk.services.overrides import Overrides


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
