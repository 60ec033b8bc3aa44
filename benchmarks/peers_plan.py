"""The plain-Python floor of the work plan (`xwalk plan`, services.plan), beside the coverage floor of peers.py.

`prepare` reads, once and untimed, everything the plan needs into dictionaries straight from the element tables
(ontology/elements/src/: the elements, their reuse rows, the dependencies, the phases and the applicability rules)
and the catalog (the order of the provisions, which held provisions are controls). `floor` then computes what the
engine's plan computes from the coverage report: every element's result (docs/effort-model.md), the tasks in
dependency order grouped by phase, the totals with their bounds, the controls excluded by the profile and what to
implement next. `outcome` is what the engine, rdflib and the floor must agree on.
"""

from collections import defaultdict
from dataclasses import dataclass
from graphlib import TopologicalSorter

from xwalk.load import elements as tables
from xwalk.load import plan_rules
from xwalk.services.baseline import Baseline
from xwalk.services.catalog import Catalog
from xwalk.services.profile import Profile

KEY = "iso42001"


def outcome(plan) -> dict:
    """What the three implementations must agree on: the tasks in order (phase, mode, effort, dependencies), the
    totals, the excluded controls and what to implement next."""
    return {
        "tasks": [[t.id, t.phase, t.mode, t.effort, t.depends_on] for t in plan.tasks],
        "totals": {k: plan.totals[k] for k in ("effort", "done", "saved", "remaining", "share_saved")},
        "excluded": [[e["control"], e["effort"]] for e in plan.excluded],
        "next": [[s.held, s.gain, s.elements] for s in plan.next],
    }


def element_outcome(results) -> list:
    """The element-level results of a coverage report (formula v2), as the floor computes them."""
    rows = [[r.id, r.mode, r.certain, r.saved_lower, r.saved, r.saved_upper, r.remaining] for r in results]
    return sorted(rows)


@dataclass
class Prepared:
    elements: list[tuple[str, str, float, tuple]]  # (id, provision, effort, rank), in the engine's element order
    reuse: dict[str, list[tuple[str, str, float, float, float]]]  # element -> (held IRI, mode, remaining, low, high)
    graph: dict[str, set[str]]  # element -> the elements it depends on
    phase: dict[str, str]  # provision -> PDCA phase
    rules: dict[str, tuple[str, ...]]  # control -> the profile flags any of which makes it apply (() always)
    controls: dict[str, str]  # held control IRI -> "STANDARD IDENTIFIER NOTATION"
    weights: dict[str, float]  # held provision -> weight
    reviewed: bool  # a standard of the baseline was judged element by element


def prepare(catalog: Catalog, baseline: Baseline) -> Prepared:
    """The floor's dictionaries (untimed: done once, beforehand)."""
    elements = tables.read_elements(target=KEY)
    data = plan_rules.plan_data(elements)
    units = {u.notation: u for u in catalog.units(KEY)}
    index = {e.id: i for i, e in enumerate(elements)}  # the plan's rank: phase, then the table's order
    rank = {e.id: (plan_rules.PHASE_ORDER[data.phases[e.provision].phase], index[e.id]) for e in elements}
    ordered = sorted(elements, key=lambda e: (units[e.provision].order, e.id))  # the query's order
    reuse = defaultdict(list)
    judged = set()
    for row in tables.read_reuse(elements):
        prefix, _, notation = row.held.partition(":")
        held = catalog.resolve(notation, prefix).iri
        reuse[row.element].append((held, row.mode, float(row.remaining), float(row.low), float(row.high)))
        judged.add(prefix)
    controls = [u.notation for u in units.values() if u.normativity == "SelectableControl" and u.leaf]
    held_controls = {}
    for key in baseline.standards:
        identifier = catalog.standard(key).identifier
        for unit in catalog.units(key):
            if unit.normativity == "SelectableControl":
                held_controls[unit.iri] = f"{identifier} {unit.notation}"
    return Prepared(
        elements=[(e.id, e.provision, float(e.effort), rank[e.id]) for e in ordered],
        reuse=dict(reuse),
        graph=data.graph,
        phase={p: phase.phase for p, phase in data.phases.items()},
        rules={c: r.applies_if for c, r in plan_rules.read_applicability(controls).items()},
        controls=held_controls,
        weights={iri: entry.weight for iri, entry in baseline.entries.items()},
        reviewed=bool(judged & set(baseline.standards)),
    )


def _fold(effort: float, rows, weights: dict[str, float], reviewed: bool) -> tuple:
    """One element's result (services.reuse.fold): mode, certain, saved lower/estimate/upper, remaining."""
    counted = [(weights.get(held, 0.0), mode, r, lo, hi) for held, mode, r, lo, hi in rows]
    counted = [c for c in counted if c[0] > 0]
    certain = max((w for w, mode, *_ in counted if mode == "done"), default=0.0)
    lower = max((w * (1 - hi) for w, _, _, _, hi in counted), default=0.0)
    estimate = max((w * (1 - r) for w, _, r, _, _ in counted), default=0.0)
    upper = max((w * (1 - lo) for w, _, _, lo, _ in counted), default=0.0)
    mode = "done" if certain >= 1 else "extend" if upper > 0 else "new" if reviewed else "not reviewed"
    return (
        mode,
        round(certain, 4),
        round(lower, 4),
        round(estimate, 4),
        round(upper, 4),
        round(effort * (1 - estimate), 4),
        round(effort * (1 - upper), 4),
        round(effort * (1 - lower), 4),
    )


def elements(p: Prepared, weights: dict[str, float] | None = None) -> dict[str, tuple]:
    """Every element's result, in the engine's element order."""
    weights = p.weights if weights is None else weights
    return {i: _fold(effort, p.reuse.get(i, ()), weights, p.reviewed) for i, _, effort, _ in p.elements}


def _bounds(lower: float, estimate: float, upper: float) -> dict:
    return {"lower": round(lower, 2), "estimate": round(estimate, 2), "upper": round(upper, 2)}


def floor(p: Prepared, profile: Profile) -> dict:
    """The plan over the prepared dictionaries; the same shape as `outcome`, with the element results."""
    results = elements(p)
    provision = {i: prov for i, prov, _, _ in p.elements}
    effort = {i: e for i, _, e, _ in p.elements}
    flags = {f: getattr(profile, f) for f in plan_rules.PROFILE_FLAGS}
    out = {c for c, need in p.rules.items() if need and all(flags[f] is False for f in need)}  # not applicable
    in_scope = [i for i, *_ in p.elements if provision[i] not in out]
    open_ids = {i for i in in_scope if results[i][0] != "done"}
    rank = {i: r for i, _, _, r in p.elements}
    sorter = TopologicalSorter({i: p.graph[i] & open_ids for i in open_ids})
    sorter.prepare()
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda n: rank[n])
        order += ready
        sorter.done(*ready)
    order.sort(key=lambda n: rank[n][0])
    tasks = [
        [
            i,
            p.phase[provision[i]],
            results[i][0],
            {
                "full": effort[i],
                "remaining": round(results[i][5], 2),
                "lower": round(results[i][6], 2),
                "upper": round(results[i][7], 2),
            },
            sorted(p.graph[i] & open_ids),
        ]
        for i in order
    ]
    total = sum(effort[i] for i in in_scope)
    saved = [sum(effort[i] * results[i][k] for i in in_scope) for k in (2, 3, 4)]
    totals = {
        "effort": round(total, 2),
        "done": round(sum(effort[i] * results[i][1] for i in in_scope), 2),
        "saved": _bounds(*saved),
        "remaining": _bounds(total - saved[2], total - saved[1], total - saved[0]),
        "share_saved": {k: round(s / total, 4) for k, s in zip(("lower", "estimate", "upper"), saved, strict=True)},
    }
    excluded = [[c, round(sum(effort[i] for i in effort if provision[i] == c), 2)] for c in p.rules if c in out]
    return {
        "tasks": tasks,
        "totals": totals,
        "excluded": excluded,
        "next": _next(p, results, in_scope),
        "elements": sorted([i, *r[:5], r[5]] for i, r in results.items()),
    }


def _next(p: Prepared, results: dict, in_scope: list[str]) -> list:
    """The held controls not fully implemented, ranked by the target effort implementing each would save."""
    scope = set(in_scope)
    touched = defaultdict(list)  # held provision -> the elements in scope it has a reuse row for, in order
    for i, _, effort, _ in p.elements:
        if i in scope:
            for held in dict.fromkeys(row[0] for row in p.reuse.get(i, ())):
                touched[held].append((i, effort))
    found = []
    for held, weight in p.weights.items():
        if weight >= 1 or held not in p.controls:
            continue
        raised = {**p.weights, held: 1.0}
        gains, better = [0.0, 0.0, 0.0], []
        for i, effort in touched.get(held, ()):
            after = _fold(effort, p.reuse[i], raised, p.reviewed)
            for k in range(3):
                gains[k] += effort * (after[2 + k] - results[i][2 + k])
            if after[3] > results[i][3]:
                better.append(i)
        if gains[1] > 0:
            found.append([p.controls[held], _bounds(*gains), sorted(better)])
    return sorted(found, key=lambda s: (-s[1]["estimate"], s[0]))
