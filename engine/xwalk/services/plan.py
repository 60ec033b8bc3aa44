"""The work plan: what a baseline still has to do to meet a target, element by element, in dependency order and
grouped by PDCA phase, with the effort remaining and its bounds, and which of the baseline's own unfinished controls
would save the most target effort if implemented next.

One task per requirement element that is not done (docs/effort-model.md): what to do, the deliverable, the effort
remaining (person-days, with the bounds of the reuse judgements), the held provisions to reuse, the tasks it depends
on (the elements' own depends_on and ontology/elements/src/iso42001_dependencies.csv) and its phase (the provision's
phase, iso42001_phases.csv). An organisation profile drops the Annex A controls it makes not applicable
(iso42001_applicability.csv); their effort is reported apart, not counted.
"""

import os
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace

from xwalk.core import paths
from xwalk.core.errors import XwalkError
from xwalk.load import elements as element_tables
from xwalk.load import plan_rules
from xwalk.services.baseline import Baseline
from xwalk.services.catalog import Catalog
from xwalk.services.overrides import NONE, Overrides
from xwalk.services.profile import Applicability, Profile, applicability

SCHEMA = "https://w3id.org/xwalk/schema/plan/1"
TARGETS = ("iso42001",)  # the targets with requirement elements and planning tables
CLAIM = 0.40  # "a 27001 holder implements 42001 up to 40% faster": tested against the share of effort saved


@dataclass(frozen=True)
class Task:
    id: str  # the element id, 6.1.4/e1
    provision: str
    provision_title: str
    phase: str
    summary: str
    what: str  # what to do, one sentence
    statement: str  # what the auditor looks for
    deliverable: str
    mode: str  # extend, new or not reviewed
    effort: dict  # person-days: full, remaining, lower, upper
    reuse: str  # the held artefacts to reuse, as a sentence
    depends_on: list[str]  # ids of other tasks of the plan


@dataclass(frozen=True)
class NextStep:
    held: str  # STANDARD ID, such as "ISO/IEC 27001:2022 A.5.23"
    held_id: str
    title: str
    status: str
    gain: dict  # target person-days saved if implemented: lower, estimate, upper
    elements: list[str]


@dataclass
class Plan:
    target: dict
    baseline: dict
    profile: dict
    totals: dict
    phases: list[dict]
    tasks: list[Task]
    next: list[NextStep]
    excluded: list[dict]  # controls the profile makes not applicable, with the reason and their effort
    overrides: dict = field(default_factory=dict)  # the coverage report's audit: source, applied, not applied
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"schema": SCHEMA, **asdict(self)}


def build(
    catalog: Catalog,
    baseline: Baseline,
    target: str,
    profile: Profile | None = None,
    overrides: Overrides = NONE,
    with_derived: bool = False,
) -> Plan:
    """The plan of `baseline` against `target` under the organisation's `profile` and `overrides`: drawn from the
    elements' results alone when they do not depend on the provisions' verdicts, else from the coverage report
    (the same plan either way: tests/test_plan.py), where derived mappings count as evidence if `with_derived`."""
    from xwalk.services import coverage

    key, profile = check_target(catalog, target), profile or Profile()
    known = coverage.element_results(catalog, baseline, key, overrides)
    if known is None:
        report = coverage.compute(catalog, baseline, key, with_derived=with_derived, overrides=overrides)
        return from_report(catalog, baseline, report, profile, overrides)
    return draw(catalog, baseline, key, *known, profile, overrides)


def check_target(catalog: Catalog, target: str) -> str:
    """The key of a target a plan can be drawn for, or an error saying which can."""
    key = catalog.standard(target).key
    if key not in TARGETS:
        raise XwalkError(f"a plan is drawn for {', '.join(TARGETS)} only (its elements have planning tables)")
    return key


def from_report(catalog: Catalog, baseline: Baseline, report, profile: Profile, overrides: Overrides) -> Plan:
    """The plan read off a coverage report of the target (its element-level results and its overrides audit)."""
    key = check_target(catalog, report.target["standard"])
    return draw(catalog, baseline, key, report.elements, report.overrides, profile, overrides)


def draw(
    catalog: Catalog,
    baseline: Baseline,
    key: str,
    results: list,
    audit: dict,
    profile: Profile,
    overrides: Overrides,
) -> Plan:
    """The plan from the target's element results (in the coverage report's order) and the overrides' audit."""
    units = {u.notation: u for u in catalog.units(key)}
    controls = tuple(u.notation for u in units.values() if u.normativity == "SelectableControl" and u.leaf)
    tables, data, rules = _tables(key, controls)
    suggested = {c: applicability(profile, rule) for c, rule in rules.items()}
    in_scope = [r for r in results if suggested.get(r.provision_id) is None or suggested[r.provision_id].applicable]
    open_ids = {r.id for r in in_scope if r.mode != "done"}
    rank = {e.id: (plan_rules.PHASE_ORDER[data.phases[e.provision].phase], index) for index, e in enumerate(tables)}
    ordered = plan_rules.order({i: data.graph[i] & open_ids for i in open_ids}, rank)
    by_id = {r.id: r for r in in_scope}
    tasks = [_task(catalog, by_id[i], units, data, open_ids) for i in ordered]
    return Plan(
        target={"standard": key, "identifier": catalog.standard(key).identifier},
        baseline={"standards": list(baseline.standards), "description": list(baseline.description)},
        profile=profile.to_dict(),
        totals=totals(in_scope),
        phases=_phases(tasks),
        tasks=tasks,
        next=next_steps(catalog, baseline, key, overrides, in_scope),
        excluded=_excluded(suggested, results, units),
        overrides=audit,
        warnings=list(baseline.warnings),
    )


_TABLES: dict[tuple, tuple] = {}


def _tables(key: str, controls: tuple[str, ...]) -> tuple:
    """The element and planning tables of `key` (elements, plan data, applicability rules), read once per process
    while their files stay as they are (size and time checked on every call): reading and checking them was most of
    a warm plan's time."""
    source = paths.ELEMENTS_SOURCE_DIR
    names = (
        next(s for s in element_tables.SETS if s.target == key).elements_file,
        plan_rules.DEPENDENCIES_FILE,
        plan_rules.PHASES_FILE,
        plan_rules.APPLICABILITY_FILE,
    )
    stamp = (key, controls, str(source), *((s.st_size, s.st_mtime_ns) for s in (os.stat(source / n) for n in names)))
    if stamp not in _TABLES:
        tables = element_tables.read_elements(target=key)
        _TABLES.clear()  # one set of tables at a time: an edited file replaces the old answer
        _TABLES[stamp] = (tables, plan_rules.plan_data(tables), plan_rules.read_applicability(list(controls)))
    return _TABLES[stamp]


def _bounds(lower: float, estimate: float, upper: float) -> dict:
    return {"lower": round(lower, 2), "estimate": round(estimate, 2), "upper": round(upper, 2)}


def totals(results: list) -> dict:
    """Effort of the elements in scope: certainly done, saved and remaining (each with bounds), the share saved."""
    total = sum(r.effort for r in results)
    if not total:
        raise XwalkError("no requirement element is in scope: check the organisation profile")
    saved = [sum(r.effort * getattr(r, name) for r in results) for name in ("saved_lower", "saved", "saved_upper")]
    share = [s / total for s in saved]
    return {
        "effort": round(total, 2),
        "done": round(sum(r.effort * r.certain for r in results), 2),
        "saved": _bounds(*saved),
        "remaining": _bounds(total - saved[2], total - saved[1], total - saved[0]),
        "share_saved": {k: round(v, 4) for k, v in zip(("lower", "estimate", "upper"), share, strict=True)},
        "claim": {
            "share": CLAIM,
            "within_bounds": share[0] <= CLAIM <= share[2],
            "reached_by_estimate": share[1] >= CLAIM,
        },
    }


def _task(catalog: Catalog, result, units: dict, data: plan_rules.PlanData, open_ids: set[str]) -> Task:
    unit = units[result.provision_id]
    extend = [r for r in result.reused if r.mode == "extend"]
    if result.mode == "extend" and extend:
        best = extend[0]
        what = f"Extend {_held(catalog, best)}: {best.extension}"
    else:
        what = f"Put in place: {result.statement}"
    return Task(
        id=result.id,
        provision=result.provision_id,
        provision_title=unit.title,
        phase=data.phases[result.provision_id].phase,
        summary=f"{result.id} {unit.title}: {'extend' if result.mode == 'extend' else 'new'} {result.deliverable}",
        what=what,
        statement=result.statement,
        deliverable=result.deliverable,
        mode=result.mode,
        effort={
            "full": result.effort,
            "remaining": round(result.remaining, 2),
            "lower": round(result.remaining_lower, 2),
            "upper": round(result.remaining_upper, 2),
        },
        reuse=reuse_sentence(catalog, result.reused),
        depends_on=sorted(data.graph[result.id] & open_ids),
    )


def _held(catalog: Catalog, row) -> str:
    return f"{catalog.standard(row.held_standard).identifier} {row.held_id} ({row.held_status})"


def reuse_sentence(catalog: Catalog, reused) -> str:
    """The held artefacts to reuse, most helpful first, as one sentence."""
    if not reused:
        return "Nothing the baseline holds helps: new work."
    first, *others = reused
    sentence = f"Reuse {_held(catalog, first)}"
    sentence += f" and extend it: {first.extension}." if first.mode == "extend" else " as it is."
    if others:
        sentence += " Also helps: " + ", ".join(_held(catalog, r) for r in others[:3]) + "."
    return sentence


def _phases(tasks: list[Task]) -> list[dict]:
    found = []
    for phase in plan_rules.PHASE_ORDER:
        mine = [t for t in tasks if t.phase == phase]
        found.append(
            {
                "phase": phase,
                "tasks": len(mine),
                "remaining": _bounds(*(sum(t.effort[k] for t in mine) for k in ("lower", "remaining", "upper"))),
            }
        )
    return found


def _excluded(suggested: dict[str, Applicability], results: list, units: dict) -> list[dict]:
    return [
        {
            "control": control,
            "title": units[control].title,
            "reason": a.reason,
            "effort": round(sum(r.effort for r in results if r.provision_id == control), 2),
        }
        for control, a in suggested.items()
        if not a.applicable
    ]


def next_steps(catalog: Catalog, baseline: Baseline, key: str, overrides, in_scope: list) -> list[NextStep]:
    """The baseline's controls that are not fully implemented (planned, partial, excluded), ranked by the target
    effort they would save if implemented: the remaining effort now (the results `in_scope`) minus with that
    control implemented."""
    from xwalk.services import reuse

    before = {r.id: r for r in in_scope if r.basis == "elements"}
    held_units = {u.iri: u for key in {e.standard for e in baseline.entries.values()} for u in catalog.units(key)}
    candidates = [e for e in baseline.entries.values() if e.weight < 1 and _is_control(held_units, e)]
    reused_by: dict[str, set[str]] = defaultdict(set)  # held provision -> the elements it has a reuse row for
    for row in reuse.reuse_rows(catalog, key):
        reused_by[row["held"]].add(row["element_id"])
    named = {o.held for o in overrides.for_target(key) if o.held}
    found = []
    for entry in candidates:
        # implementing `entry` changes only the elements it has a reuse row for (or all, if an override names it):
        # the others keep their result, so only these are folded again
        only = None if entry.provision in named else reused_by[entry.provision] & before.keys()
        if only == set():
            continue
        raised = Baseline(
            entries={**baseline.entries, entry.provision: replace(entry, status="implemented")},
            standards=list(baseline.standards),
        )
        after = {r.id: r for r in reuse.results(catalog, raised, key, overrides, only) if r.id in before}
        gains = {
            name: sum(before[i].effort * (getattr(after[i], name) - getattr(before[i], name)) for i in after)
            for name in ("saved_lower", "saved", "saved_upper")
        }
        if gains["saved"] <= 0:
            continue
        found.append(
            NextStep(
                held=f"{catalog.standard(entry.standard).identifier} {entry.notation}",
                held_id=entry.notation,
                title=held_units[entry.provision].title,
                status=entry.status,
                gain=_bounds(gains["saved_lower"], gains["saved"], gains["saved_upper"]),
                elements=sorted(i for i in after if after[i].saved > before[i].saved),
            )
        )
    return sorted(found, key=lambda s: (-s.gain["estimate"], s.held))


def _is_control(units: dict, entry) -> bool:
    unit = units.get(entry.provision)
    return unit is not None and unit.normativity == "SelectableControl"
