"""Coverage and reuse of a target (a standard, or the EU AI Act obligations of a role and tier on a day) by a
baseline (surfaces ask through xwalk.services.question). The evidence is found by one SPARQL query over the store,
the element-level reuse by two more (xwalk.services.reuse); this module folds them into verdicts, scores and bounds
by the formula of docs/coverage.md (xwalk.services.scoring), under the organisation's overrides.

Every function is monotone in the baseline: adding a provision or raising a status never lowers a score.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import date

from xwalk.core.errors import XwalkError
from xwalk.services import evidence, reuse
from xwalk.services.baseline import Baseline
from xwalk.services.catalog import Catalog, Unit
from xwalk.services.overrides import NONE, Overrides
from xwalk.services.scoring import (  # noqa: F401 - Evidence, Verdict, Aggregate, CONTAINED and VERDICTS are the API
    CONTAINED,
    VERDICTS,
    Aggregate,
    Evidence,
    Verdict,
    aggregate,
    element_scores,
    mapping_scores,
    verdict_of,
)

PARTS = {  # normativity -> (short name, title) of the parts a target's provisions are summed up in
    "Requirement": ("clauses", "Requirements (clauses)"),
    "SelectableControl": ("controls", "Controls (Annex A/B)"),
    "LegalObligation": ("obligations", "Obligations"),
    "Guidance": ("guidance", "Guidance"),
}
SCHEMA = "https://w3id.org/xwalk/schema/coverage/2"


@dataclass
class Report:
    target: dict
    baseline: dict
    summary: Aggregate
    parts: list[Aggregate]
    groups: list[Aggregate]
    provisions: list[Verdict]
    effort: dict
    warnings: list[str]
    with_derived: bool
    elements: list[reuse.ElementResult]
    overrides: dict

    def to_dict(self) -> dict:
        data = asdict(self)
        return {"schema": SCHEMA, **data}

    def gaps(self) -> list[Verdict]:
        """Every target provision not certainly covered, worst first, each with what partly helps (its evidence)."""
        order = {"not reviewed": 0, "new": 1, "partial": 2, "extend": 3}
        open_items = [v for v in self.provisions if v.verdict != "done"]
        return sorted(open_items, key=lambda v: (order[v.verdict], v.score))


def _target_units(catalog: Catalog, key: str) -> list[Unit]:
    """The provisions a target is scored on: its normative leaves (requirements and controls), or its guidance
    leaves for a guidance-only standard."""
    leaves = [u for u in catalog.units(key) if u.leaf]
    normative = [u for u in leaves if u.normativity in ("Requirement", "SelectableControl")]
    return normative or [u for u in leaves if u.normativity == "Guidance"]


def obligations(catalog: Catalog, role: str, tier: str, on: date, timeline: str | None = None) -> dict:
    """The AI Act obligations binding `role` at `tier` (and at every tier) on day `on`, by `timeline` (default: the
    default timeline); an unknown role, tier or timeline is an error listing the valid ones."""
    terms = _cached(catalog, "ai_act_terms")
    valid = defaultdict(list)
    for row in terms:
        valid[row["kind"]].append(row["key"])
    default = next(r["key"] for r in terms if r["kind"] == "timeline" and r["is_default"])
    timeline = timeline or default
    for kind, value in (("role", role), ("tier", tier), ("timeline", timeline)):
        if value not in valid[kind]:
            raise XwalkError(f"unknown {kind} {value!r}; expected one of {', '.join(sorted(valid[kind]))}")
    rows = _cached(catalog, "obligations", role=role, tier=tier, timeline=timeline, on=on)
    by_provision: dict[str, dict] = {}
    conditional: dict[str, dict] = {}  # nothing is known about the system: these apply only if a condition holds
    for row in sorted(rows, key=lambda r: (r["provision"], r["applies"])):
        if row["conditions"]:
            conditional.setdefault(
                row["provision"],
                {"id": row["notation"], "applies_from": row["applies"].isoformat(), "conditions": row["conditions"]},
            )
            continue
        by_provision.setdefault(
            row["provision"],
            {
                "role": role,
                "tier": row["obligation_tier"],
                "applies_from": row["applies"].isoformat(),
                "date_source": row["source"],
                "note": row["note"],
            },
        )
    label = {r["key"]: r["label"] for r in terms if r["kind"] == "timeline"}
    return {
        "timeline": timeline,
        "timeline_label": label[timeline],
        "default_timeline": timeline == default,
        "obligations": by_provision,
        "conditional": list(conditional.values()),
    }


def compute(
    catalog: Catalog,
    baseline: Baseline,
    target: str,
    role: str | None = None,
    tier: str | None = None,
    on: date | None = None,
    timeline: str | None = None,
    with_derived: bool = False,
    inventory_obligations: dict | None = None,
    overrides: Overrides = NONE,
) -> Report:
    """Coverage of `target` by `baseline` (surfaces ask through xwalk.services.question). For the EU AI Act,
    either the obligations of one `role` and `tier` on day `on`, or `inventory_obligations` (provision IRI ->
    obligation, from xwalk.ai_act for an inventory of systems). `overrides`: the organisation's own judgements."""
    standard = catalog.standard(target)
    target_info, units, bound = _target(catalog, standard, role, tier, on, timeline, inventory_obligations)
    found_evidence = evidence.found(catalog, baseline, standard.iri, with_derived, units, bound)
    found = reuse.results(catalog, baseline, standard.key, overrides)
    judged = reuse.reviewed_standards(catalog, standard.key) if found else set()
    by_provision = _by_provision(found)
    mine = overrides.for_target(standard.key)
    reviewed = evidence.reviewed(catalog, baseline, standard.iri)
    element_rows = reuse.elements_by_provision(catalog, standard.key)  # for the provisions scored on mappings
    verdicts: list[Verdict] = []
    elements: list[reuse.ElementResult] = []
    for unit in units:
        items, whole, applied = _overridden(found_evidence.get(unit.iri, []), unit, mine, by_provision.get(unit.iri))
        verdict = _verdict(unit, items, unit.iri in reviewed, bound.get(unit.iri), by_provision.get(unit.iri), judged)
        if whole is not None:  # the organisation's judgement of the whole provision
            share = {"accept": 1.0, "reject": 0.0}.get(whole.action, 1 - (whole.remaining or 0))
            verdict.certain = verdict.lower = verdict.score = verdict.upper = round(share, 4)
            verdict.verdict = verdict_of(share, share, [], True)
        verdict.overrides = list(applied)
        verdicts.append(verdict)
        elements += by_provision.get(unit.iri) or _unjudged(element_rows.get(unit.iri, []), verdict)
    weighting = "effort" if verdicts and all(v.effort for v in verdicts) else "count"
    summary, parts, groups = _aggregates(standard.identifier, units, verdicts, weighting)
    baseline_info = {
        "description": baseline.description,
        "standards": baseline.standards,
        "held": baseline.held_count(),
    }
    return Report(
        target_info,
        baseline_info,
        summary,
        parts,
        groups,
        verdicts,
        _effort(summary, verdicts, elements, weighting),
        baseline.warnings,
        with_derived,
        elements,
        _audit(overrides, verdicts, elements),
    )


def element_results(
    catalog: Catalog, baseline: Baseline, key: str, overrides: Overrides = NONE
) -> tuple[list[reuse.ElementResult], dict] | None:
    """The elements' results and the overrides' audit of `compute`'s report of target `key`, without scoring its
    provisions, when they do not depend on the provisions' verdicts: every element was judged against the baseline
    (then reuse.results answers for each) and no override acts on a provision scored on its mappings. None when
    they do (then compute the report). A plan needs no more, and scoring the provisions was half of its time."""
    found = reuse.results(catalog, baseline, key, overrides)
    if not found:  # the elements take their provisions' shares (_unjudged): the verdicts are needed
        return None
    by_provision = _by_provision(found)
    units = _target_units(catalog, key)
    on_mappings = {u.notation for u in units if u.iri not in by_provision}
    if any(o.subject in on_mappings and not o.on_element for o in overrides.for_target(key)):
        return None
    elements = [e for u in units for e in by_provision.get(u.iri, [])]
    return elements, _audit(overrides, [], elements)


def _by_provision(found: list[reuse.ElementResult]) -> dict[str, list[reuse.ElementResult]]:
    by_provision: dict[str, list[reuse.ElementResult]] = defaultdict(list)
    for element in found:
        by_provision[element.provision].append(element)
    return by_provision


def _aggregates(title: str, units: list[Unit], verdicts: list[Verdict], weighting: str):
    """The whole target, its parts (clauses, controls, obligations) and its groups, each summed up."""
    summary = aggregate("all", title, verdicts, weighting)
    parts = [
        aggregate(*PARTS[p], [v for v in verdicts if v.part == p], weighting)
        for p in dict.fromkeys(v.part for v in verdicts)
    ]
    titles = {u.group: u.group_title for u in reversed(units)}  # each group's title as its first unit gives it
    groups = [
        aggregate(g, titles[g], [v for v in verdicts if v.group == g], weighting)
        for g in dict.fromkeys(u.group for u in units)
    ]
    return summary, parts, groups


def _target(catalog: Catalog, standard, role, tier, on, timeline, inventory) -> tuple[dict, list[Unit], dict]:
    """What the target is, the provisions it is scored on, and for the AI Act the obligations bound to them."""
    target_info = {"standard": standard.key, "identifier": standard.identifier, "iri": standard.iri}
    if standard.family == "eu-law" and inventory is not None:
        bound = dict(inventory)
        every = {u.iri: u for u in catalog.units(standard.key)}
        from xwalk.services.ai_act import timeline_info

        info = timeline_info(catalog, timeline)
        target_info.update(
            inventory=True,
            on=(on or date.today()).isoformat(),
            timeline=info["key"],
            timeline_label=info["label"],
            default_timeline=info["default"],
            legal_source=info["legal_source"],
        )
        return target_info, sorted((every[iri] for iri in bound), key=lambda u: u.order), bound
    if standard.family == "eu-law":
        if not role or not tier:
            raise XwalkError(
                "the EU AI Act target needs --role and --tier (for example --role deployer --tier high-risk)"
            )
        on = on or date.today()
        found = obligations(catalog, role, tier, on, timeline)
        bound = found["obligations"]
        every = {u.iri: u for u in catalog.units(standard.key)}
        target_info.update(
            role=role,
            tier=tier,
            on=on.isoformat(),
            timeline=found["timeline"],
            timeline_label=found["timeline_label"],
            default_timeline=found["default_timeline"],
            conditional=found["conditional"],
        )
        return target_info, sorted((every[iri] for iri in bound), key=lambda u: u.order), bound
    if role or tier or timeline:
        raise XwalkError(f"--role, --tier and --timeline apply to the EU AI Act target only, not to {standard.key}")
    return target_info, _target_units(catalog, standard.key), {}


def _effort(summary: Aggregate, verdicts: list[Verdict], elements: list, weighting: str) -> dict:
    """Effort done and remaining, with bounds: person-days of the elements when every provision has elements, else
    each provision one unit (the v1 model)."""
    if weighting == "effort":
        total = sum(e.effort for e in elements)
        model = (
            "elements: each provision's requirement elements weigh their effort in person-days on the default scale "
            "of docs/effort-model.md (a mid-sized organisation, to be calibrated); bounds from the tolerance of "
            "each reuse judgement"
        )
        unit = "person-day"
    else:
        total = len(verdicts)
        model = (
            "uniform: each target provision is one unit of work; a provision's score is the share of that unit "
            "already done (see docs/coverage.md)"
        )
        unit = "provision"
    done = {k: round(total * getattr(summary, k), 2) for k in ("certain", "lower", "estimate", "upper")}
    return {
        "model": model,
        "unit": unit,
        "units": len(verdicts),
        "total": round(total, 2),
        "done_certain": done["certain"],
        "done_lower": done["lower"],
        "done_estimate": done["estimate"],
        "done_upper": done["upper"],
        "remaining_lower": round(total - done["upper"], 2),
        "remaining_estimate": round(total - done["estimate"], 2),
        "remaining_upper": round(total - done["lower"], 2),
        "reuse": summary.estimate,
    }


def _cached(catalog: Catalog, name: str, **bindings) -> list[dict]:
    """A baseline-independent query, answered once per catalog: every baseline against a target reuses it."""
    key = (name, *sorted(bindings.items()))
    if key not in catalog.memo:
        catalog.memo[key] = catalog.store.select(name, **bindings)
    return catalog.memo[key]


def prepare(catalog: Catalog) -> None:
    """Ask every baseline-independent question a coverage of any standard asks (the AI Act's obligations depend on
    a day and are asked when needed), so a store that persists its answers (xwalk.cache) holds them."""
    catalog.prepare()
    for standard in catalog.standards():
        for with_derived in (False, True):
            evidence.rows(catalog, standard.iri, with_derived)
        evidence.reviewed_rows(catalog, standard.iri)
        reuse.element_rows(catalog, standard.key)
        reuse.reuse_rows(catalog, standard.key)
    _cached(catalog, "ai_act_terms")


def _overridden(items: list[Evidence], unit: Unit, mine: list, elements: list | None):
    """The evidence of a provision scored on mappings after the organisation's overrides on its mappings (those on a
    provision with elements act on the elements instead, in xwalk.services.reuse), the override on the whole
    provision if any, and the rows of the overrides that changed something."""
    if elements:
        return items, None, ()
    mine = [o for o in mine if not o.on_element and o.subject == unit.notation]
    result, applied = [], set()
    for item in items:
        override = next((o for o in mine if o.held == item.held), None)
        if override is None:
            result.append(item)
            continue
        applied.add(override.row)
        if override.action != "reject":
            share = 1 - override.remaining if override.action == "remaining" else item.contribution() / item.weight
            result.append(replace(item, override=override.row, share=share))  # accept: its own share, now certain
    whole = next((o for o in mine if not o.held), None)
    if whole is not None:
        applied.add(whole.row)
    return result, whole, tuple(sorted(applied))


def _verdict(
    unit: Unit,
    evidence: list[Evidence],
    reviewed: bool,
    obligation: dict | None,
    elements: list | None,
    judged: set[str],
) -> Verdict:
    """A provision with judged elements is scored from them (v2); evidence from a standard not judged element by
    element keeps the v1 formula; the two combine by a maximum, term by term."""
    other = [e for e in evidence if not elements or e.held_standard not in judged]
    scores = list(mapping_scores(other))
    if elements:
        scores = [max(a, b) for a, b in zip(scores, element_scores(elements), strict=True)]
    certain, lower, estimate, upper = (round(x, 4) for x in scores)
    return Verdict(
        unit.iri,
        unit.notation,
        unit.title,
        unit.group,
        unit.normativity,
        verdict_of(certain, upper, elements or [], reviewed or bool(elements)),
        lower,
        estimate,
        upper,
        evidence,
        obligation,
        certain=certain,
        basis="elements" if elements else "mappings",
        effort=round(sum(e.effort for e in elements), 2) if elements else None,
        elements=[e.id for e in elements or []],
    )


def _unjudged(rows: list[dict], verdict: Verdict) -> list:
    """The elements (`rows`) of a provision scored on its mappings, each taking the provision's shares."""
    if rows:
        verdict.effort = round(sum(float(r["effort"]) for r in rows), 2)
        verdict.elements = [r["id"] for r in rows]
    return [reuse.from_provision(r, verdict.lower, verdict.score, verdict.upper) for r in rows]


def _audit(overrides: Overrides, verdicts: list[Verdict], elements: list) -> dict:
    """Every override of the file, with what it changed: the audit trail every report lists."""
    touched: dict[int, list[str]] = defaultdict(list)
    for element in elements:
        for row in element.applied:
            touched[row].append(element.id)
    for verdict in verdicts:
        for row in verdict.overrides:
            touched[row].append(verdict.id)
    items = [{**o.as_dict(), "applied_to": touched.get(o.row, [])} for o in overrides.items]
    return {
        "source": overrides.source,
        "applied": [i for i in items if i["applied_to"]],
        "not_applied": [
            {**i, "why": "nothing it names is in this report, or the held provision is not implemented"}
            for i in items
            if not i["applied_to"]
        ],
    }
