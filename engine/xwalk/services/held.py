"""What an organisation holds: the entries of a baseline (a provision, its implementation status and where the
status comes from), the baseline they make, and what a certificate implies. The model below both readers of a
baseline (an SoA table, `services.baseline`; an OSCAL profile or plan, `services.exchange.oscal_read`)."""

from dataclasses import dataclass, field

from xwalk.services.catalog import Catalog

WEIGHTS = {"implemented": 1.0, "partially implemented": 0.5, "planned": 0.0, "not implemented": 0.0, "excluded": 0.0}


@dataclass(frozen=True)
class Entry:
    provision: str
    notation: str
    standard: str
    status: str
    justification: str
    origin: str

    @property
    def weight(self) -> float:
        return WEIGHTS[self.status]


@dataclass
class Baseline:
    entries: dict[str, Entry] = field(default_factory=dict)
    standards: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def held_count(self) -> int:
        """How many provisions are held with a weight above 0."""
        return sum(e.weight > 0 for e in self.entries.values())

    def add(self, entry: Entry) -> None:
        current = self.entries.get(entry.provision)
        if current is None or entry.weight > current.weight:
            self.entries[entry.provision] = entry
        if entry.standard not in self.standards:
            self.standards.append(entry.standard)


def listing(items: list[str], shown: int = 5) -> str:
    """A short list for a warning: the first few and how many more."""
    return ", ".join(items[:shown]) + (f" and {len(items) - shown} more" if len(items) > shown else "")


def certify(catalog: Catalog, baseline: Baseline, key: str, with_controls: bool, listing: str) -> None:
    """A certificate of standard `key`: its requirements implemented and, when no `listing` (an SoA, a plan) says
    which of its controls are, all its selectable controls too."""
    for unit in catalog.units(key):
        if unit.normativity == "Requirement" or (with_controls and unit.normativity == "SelectableControl"):
            baseline.add(Entry(unit.iri, unit.notation, key, "implemented", "", f"certified {key}"))
    what = "its clauses and all its controls" if with_controls else f"its clauses; its controls as {listing} says"
    baseline.description.append(f"certified {catalog.standard(key).identifier}: {what}")
