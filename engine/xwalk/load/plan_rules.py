"""Planning data next to the requirement elements (ontology/elements/src/), the project's own judgements with their
provenance:

- `iso42001_dependencies.csv`: what must be in place before what, with the reason (task, depends_on: an element id
  such as 6.1.4/e1, or a provision id standing for all its elements). They add to the elements' own depends_on.
- `iso42001_phases.csv`: the PDCA phase of each scored provision, the group its tasks are planned in (Plan: clauses
  4-6, Do: 7-8 and most Annex A, Check: 9, Act: 10; each exception says why).
- `iso42001_applicability.csv`: when an Annex A control applies, from an organisation profile (always, or any of the
  profile's flags), with a reason specific to the control either way.

Kept as package data, not in the graph: only the planner and the SoA draft read them. `problems` is the named check
`plan-dependencies` (run by `xwalk validate`): every reference exists, no cycle, and nothing depends on a later phase,
so grouping tasks by phase keeps them in dependency order.
"""

from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import TYPE_CHECKING

from xwalk.core import paths
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import PHASES

if TYPE_CHECKING:  # the element tables import rdflib to generate their graph; a plan only reads them
    from xwalk.load.elements import Element

DEPENDENCIES_FILE = "iso42001_dependencies.csv"
PHASES_FILE = "iso42001_phases.csv"
APPLICABILITY_FILE = "iso42001_applicability.csv"
PHASE_ORDER = {phase: index for index, phase in enumerate(PHASES)}
PROFILE_FLAGS = ("develops", "provides", "uses_third_party", "personal_data")
CHECK = "plan-dependencies"


@dataclass(frozen=True)
class Dependency:
    task: str  # an element id, or a provision id (all its elements)
    depends_on: str
    reason: str
    provenance: str


@dataclass(frozen=True)
class Phase:
    provision: str
    phase: str
    reason: str


@dataclass(frozen=True)
class Rule:
    control: str
    applies_if: tuple[str, ...]  # profile flags, any of which makes the control apply; () means always
    reason_applicable: str
    reason_not_applicable: str


def _rows(name: str, columns: tuple[str, ...], directory: Path | None = None):
    from xwalk.load.elements import _rows as rows

    path = (directory or paths.ELEMENTS_SOURCE_DIR) / name
    shown = paths.display(path)  # resolved once, not per row
    for line, row in rows(path, columns):
        yield f"{shown} line {line}", row


def _references(elements: list["Element"]) -> dict[str, list[str]]:
    """Every id a dependency may name, and the element ids it stands for."""
    found: dict[str, list[str]] = {}
    for element in elements:
        found[element.id] = [element.id]
        found.setdefault(element.provision, []).append(element.id)
    return found


def read_dependencies(elements: list["Element"], directory: Path | None = None) -> list[Dependency]:
    known = _references(elements)
    found = []
    for where, row in _rows(DEPENDENCIES_FILE, ("task", "depends_on", "reason", "provenance"), directory):
        for column in ("task", "depends_on"):
            if row[column] not in known:
                raise XwalkError(f"{where}: {column} {row[column]!r} is neither an element nor a scored provision")
        if row["task"] == row["depends_on"]:
            raise XwalkError(f"{where}: {row['task']} cannot depend on itself")
        if not row["reason"] or not row["provenance"]:
            raise XwalkError(f"{where}: every dependency gives its reason and provenance")
        found.append(Dependency(row["task"], row["depends_on"], row["reason"], row["provenance"]))
    return found


def read_phases(elements: list["Element"], directory: Path | None = None) -> dict[str, Phase]:
    provisions = list(dict.fromkeys(e.provision for e in elements))
    found: dict[str, Phase] = {}
    for where, row in _rows(PHASES_FILE, ("provision", "phase", "reason", "provenance"), directory):
        if row["provision"] not in provisions:
            raise XwalkError(f"{where}: {row['provision']!r} is not a scored provision with elements")
        if row["provision"] in found:
            raise XwalkError(f"{where}: {row['provision']} has a phase already")
        if row["phase"] not in PHASE_ORDER:
            raise XwalkError(f"{where}: phase {row['phase']!r} is not one of {', '.join(PHASE_ORDER)}")
        if not row["reason"]:
            raise XwalkError(f"{where}: the reason is empty")
        found[row["provision"]] = Phase(row["provision"], row["phase"], row["reason"])
    missing = [p for p in provisions if p not in found]
    if missing:
        raise XwalkError(f"{PHASES_FILE}: no phase for {', '.join(missing)}")
    return found


def read_applicability(controls: list[str], directory: Path | None = None) -> dict[str, Rule]:
    columns = ("control", "applies_if", "reason_applicable", "reason_not_applicable", "provenance")
    found: dict[str, Rule] = {}
    for where, row in _rows(APPLICABILITY_FILE, columns, directory):
        if row["control"] not in controls or row["control"] in found:
            raise XwalkError(f"{where}: {row['control']!r} is not an Annex A control, or is listed twice")
        flags = () if row["applies_if"] == "always" else tuple(f.strip() for f in row["applies_if"].split(" or "))
        unknown = [f for f in flags if f not in PROFILE_FLAGS]
        if unknown:
            raise XwalkError(
                f"{where}: applies_if {row['applies_if']!r}: write 'always' or flags joined by ' or ' "
                f"among {', '.join(PROFILE_FLAGS)}"
            )
        if not row["reason_applicable"] or (flags and not row["reason_not_applicable"]):
            raise XwalkError(f"{where}: give the reason it applies, and (unless always) why it may not")
        found[row["control"]] = Rule(row["control"], flags, row["reason_applicable"], row["reason_not_applicable"])
    missing = [c for c in controls if c not in found]
    if missing:
        raise XwalkError(f"{APPLICABILITY_FILE}: no rule for {', '.join(missing)}")
    return found


def prerequisites(elements: list["Element"], dependencies: list[Dependency]) -> dict[str, set[str]]:
    """For each element, the elements that must be in place first: its own depends_on and the table's."""
    known = _references(elements)
    graph = {e.id: set(e.depends_on) for e in elements}
    for dependency in dependencies:
        for task in known[dependency.task]:
            graph[task] |= set(known[dependency.depends_on])
    return graph


def order(graph: dict[str, set[str]], rank: dict[str, tuple]) -> list[str]:
    """The elements in an order where none comes before what it depends on; among those ready at the same time,
    by `rank` (phase, then catalog order)."""
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    result: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda n: rank[n])
        result += ready
        sorter.done(*ready)
    return sorted(result, key=lambda n: rank[n][0])  # phase-major; stable, and phases never depend forwards


def problems(elements: list["Element"], dependencies: list[Dependency], phases: dict[str, Phase]) -> list[str]:
    """What is wrong with the planning data: a cycle, or an element depending on one planned in a later phase."""
    graph = prerequisites(elements, dependencies)
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return [f"the task dependencies have a cycle: {' -> '.join(error.args[1])}"]
    provision = {e.id: e.provision for e in elements}
    found = []
    for task, before in sorted(graph.items()):
        mine = phases[provision[task]].phase
        for other in sorted(before):
            theirs = phases[provision[other]].phase
            if PHASE_ORDER[theirs] > PHASE_ORDER[mine]:
                found.append(f"{task} ({mine}) depends on {other}, planned later ({theirs})")
    return found


@dataclass(frozen=True)
class PlanData:
    elements: list["Element"]
    dependencies: list[Dependency]
    phases: dict[str, Phase]
    graph: dict[str, set[str]]


def plan_data(elements: list["Element"]) -> PlanData:
    dependencies = read_dependencies(elements)
    phases = read_phases(elements)
    return PlanData(elements, dependencies, phases, prerequisites(elements, dependencies))


def main() -> None:
    """`python -m xwalk.load.plan_rules`: the named check over the shipped tables."""
    from xwalk.load.elements import read_elements

    elements = read_elements()
    data = plan_data(elements)
    found = problems(elements, data.dependencies, data.phases)
    print("\n".join(found) or f"{len(data.dependencies)} dependencies, {len(data.phases)} phases: no problem")


if __name__ == "__main__":
    main()
