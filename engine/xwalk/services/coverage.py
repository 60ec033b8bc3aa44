"""Coverage and reuse of a target (a standard, or the EU AI Act obligations of a role and tier on a day) by a
baseline. The evidence is found by one SPARQL query over the store; this module only folds it into verdicts,
scores and bounds, following the formula published in docs/coverage.md:

  per target provision t, over the evidence E(t) (curated mappings between t and a held provision s with weight
  w(s) > 0; no_relationship is a finding, not evidence):
    lower(t)    = max w(s) over evidence where t is equal to, or a subset of, s      (certainly covered)
    estimate(t) = max(lower(t), max w(s) * strength/10 over the other evidence)      (point estimate)
    upper(t)    = 1 if there is any evidence, else 0                                   (anything that helps)
  verdict: covered (lower = 1), partial (some evidence), gap (reviewed, no evidence), not reviewed (no curated
  mapping between t and the baseline's standards). Aggregates are means over the target's provisions.

Every function is monotone in the baseline: adding a provision or raising a status never lowers a score.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from xwalk.core.errors import XwalkError
from xwalk.core.vocab import IRI
from xwalk.services.baseline import Baseline
from xwalk.services.catalog import Catalog, Unit

CONTAINED = ("equal", "subset_of")  # read from the target's side: t equal s, t subset_of s (s contains t)
VERDICTS = ("covered", "partial", "gap", "not reviewed")
PARTS = {  # normativity -> (short name, title) of the parts a target's provisions are summed up in
    "Requirement": ("clauses", "Requirements (clauses)"),
    "SelectableControl": ("controls", "Controls (Annex A/B)"),
    "LegalObligation": ("obligations", "Obligations"),
    "Guidance": ("guidance", "Guidance"),
}
SCHEMA = "https://w3id.org/xwalk/schema/coverage/1"


@dataclass(frozen=True)
class Evidence:
    held: str
    held_id: str
    held_standard: str
    held_status: str
    weight: float
    mapping: str
    relation: str  # read from the target provision's side: "t RELATION held"
    strength: int | None
    rationale: str
    derived: bool
    chain: list[dict] = field(default_factory=list)


@dataclass
class Verdict:
    iri: str
    id: str
    title: str
    group: str
    part: str
    verdict: str
    lower: float
    score: float
    upper: float
    evidence: list[Evidence]
    obligation: dict | None = None


@dataclass(frozen=True)
class Aggregate:
    name: str
    title: str
    provisions: int
    lower: float
    estimate: float
    upper: float
    verdicts: dict[str, int]


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

    def to_dict(self) -> dict:
        data = asdict(self)
        return {"schema": SCHEMA, **data}


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
) -> Report:
    """Coverage of `target` by `baseline`. For the EU AI Act, either the obligations of one `role` and `tier` on day
    `on`, or `inventory_obligations` (provision IRI -> obligation, from xwalk.ai_act for an inventory of systems).

    Why long: the formula of docs/coverage.md in one reading order, for the three kinds of target (a standard, a
    role and tier, an inventory).
    """
    standard = catalog.standard(target)
    target_info: dict[str, object] = {"standard": standard.key, "identifier": standard.identifier, "iri": standard.iri}
    units = _target_units(catalog, standard.key)
    bound: dict[str, dict] = {}
    if standard.family == "eu-law" and inventory_obligations is not None:
        bound = inventory_obligations
        every = {u.iri: u for u in catalog.units(standard.key)}
        units = sorted((every[iri] for iri in bound), key=lambda u: u.order)
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
    elif standard.family == "eu-law":
        if not role or not tier:
            raise XwalkError(
                "the EU AI Act target needs --role and --tier (for example --role deployer --tier high-risk)"
            )
        on = on or date.today()
        found = obligations(catalog, role, tier, on, timeline)
        bound = found["obligations"]
        every = {u.iri: u for u in catalog.units(standard.key)}
        units = [every[iri] for iri in bound]
        units.sort(key=lambda u: u.order)
        target_info.update(
            role=role,
            tier=tier,
            on=on.isoformat(),
            timeline=found["timeline"],
            timeline_label=found["timeline_label"],
            default_timeline=found["default_timeline"],
            conditional=found["conditional"],
        )
    elif role or tier or timeline:
        raise XwalkError(f"--role, --tier and --timeline apply to the EU AI Act target only, not to {standard.key}")
    evidence = _evidence(catalog, baseline, standard.iri, with_derived)
    if bound:
        _roll_up_paragraphs(catalog, evidence, bound)
    reviewed = _reviewed(catalog, baseline, standard.iri)
    verdicts = []
    for unit in units:
        found_evidence = evidence.get(unit.iri, [])
        verdicts.append(_verdict(unit, found_evidence, unit.iri in reviewed, bound.get(unit.iri)))
    summary = _aggregate("all", standard.identifier, verdicts)
    parts = [
        _aggregate(*PARTS[p], [v for v in verdicts if v.part == p]) for p in dict.fromkeys(v.part for v in verdicts)
    ]
    groups = [
        _aggregate(g, next(u.group_title for u in units if u.group == g), [v for v in verdicts if v.group == g])
        for g in dict.fromkeys(u.group for u in units)
    ]
    effort = {
        "model": "uniform: each target provision is one unit of work; a provision's score is the share of that unit "
        "already done (see docs/coverage.md)",
        "units": len(verdicts),
        "done_lower": round(sum(v.lower for v in verdicts), 2),
        "done_estimate": round(sum(v.score for v in verdicts), 2),
        "done_upper": round(sum(v.upper for v in verdicts), 2),
        "remaining_estimate": round(len(verdicts) - sum(v.score for v in verdicts), 2),
        "reuse": summary.estimate,
    }
    baseline_info = {"description": baseline.description, "standards": baseline.standards, "held": len(baseline.held())}
    return Report(target_info, baseline_info, summary, parts, groups, verdicts, effort, baseline.warnings, with_derived)


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
            _evidence_rows(catalog, standard.iri, with_derived)
        _reviewed_rows(catalog, standard.iri)
    _cached(catalog, "ai_act_terms")


def _evidence_rows(catalog: Catalog, target_iri: str, with_derived: bool) -> list[dict]:
    return _cached(catalog, "coverage_evidence", target=IRI(target_iri), with_derived=with_derived)


def _reviewed_rows(catalog: Catalog, target_iri: str) -> list[dict]:
    return _cached(catalog, "coverage_reviewed", target=IRI(target_iri))


def _evidence(catalog: Catalog, baseline: Baseline, target_iri: str, with_derived: bool) -> dict[str, list]:
    rows = _evidence_rows(catalog, target_iri, with_derived)
    rows = [r for r in rows if r["other"] in baseline.entries and baseline.entries[r["other"]].weight > 0]
    chains = _chains(catalog, {step for r in rows if r["derived"] for step in (r["first"], r["second"])})
    found: dict[str, list[Evidence]] = defaultdict(list)
    for row in rows:
        if row["relation"] == "no_relationship":
            continue  # a finding that the two are unrelated: it helps nothing
        entry = baseline.entries[row["other"]]
        found[row["unit"]].append(
            Evidence(
                held=entry.provision,
                held_id=entry.notation,
                held_standard=entry.standard,
                held_status=entry.status,
                weight=entry.weight,
                mapping=row["mapping"],
                relation=row["relation"],
                strength=row["strength"],
                rationale=row["rationale"],
                derived=row["derived"],
                chain=[chains[s] for s in (row["first"], row["second"])] if row["derived"] else [],
            )
        )
    for items in found.values():
        items.sort(key=lambda e: (-_contribution(e), e.held_id))
    return found


def _roll_up_paragraphs(catalog: Catalog, evidence: dict[str, list], bound: dict[str, dict]) -> None:
    """Evidence on a catalogued paragraph of an article that an obligation binds counts for the article too, read
    through the article's side: the article contains the paragraph (superset_of), so the composition table never
    gives more than partial credit (equal becomes superset_of, subset_of becomes intersects_with)."""
    from dataclasses import replace

    from xwalk.core.algebra import compose

    for unit in bound:
        for child in catalog.children(unit):
            if child.iri in bound:
                continue  # a paragraph bound by its own obligation is scored on its own
            for item in evidence.get(child.iri, []):
                relation = compose("superset_of", item.relation)
                if relation:
                    evidence.setdefault(unit, []).append(replace(item, relation=relation))
    for items in evidence.values():
        items.sort(key=lambda e: (-_contribution(e), e.held_id))


def _chains(catalog: Catalog, steps: set[str]) -> dict[str, dict]:
    """The curated mappings that derived mappings were composed from, by IRI."""
    if not steps:
        return {}
    keys = ("mapping", "subject_key", "subject_id", "relation", "object_key", "object_id", "strength", "rationale")
    rows = catalog.store.select("mapping_details", table=[{"mapping": IRI(s)} for s in sorted(steps)])
    return {row["mapping"]: {k: row[k] for k in keys} for row in rows}


def _reviewed(catalog: Catalog, baseline: Baseline, target_iri: str) -> set[str]:
    rows = _reviewed_rows(catalog, target_iri)
    return {row["unit"] for row in rows if row["source"] in baseline.standards}


def _contribution(e: Evidence) -> float:
    if e.relation in CONTAINED:
        return e.weight
    return e.weight * (e.strength or 0) / 10


def _verdict(unit: Unit, evidence: list[Evidence], reviewed: bool, obligation: dict | None) -> Verdict:
    lower = max((e.weight for e in evidence if e.relation in CONTAINED), default=0.0)
    estimate = max([lower, *(_contribution(e) for e in evidence)])
    upper = 1.0 if evidence else 0.0
    if lower == 1.0:
        verdict = "covered"
    elif evidence:
        verdict = "partial"
    elif reviewed:
        verdict = "gap"
    else:
        verdict = "not reviewed"
    return Verdict(
        unit.iri,
        unit.notation,
        unit.title,
        unit.group,
        unit.normativity,
        verdict,
        lower,
        round(estimate, 4),
        upper,
        evidence,
        obligation,
    )


def _aggregate(name: str, title: str, verdicts: list[Verdict]) -> Aggregate:
    n = len(verdicts)
    counts = {v: sum(1 for x in verdicts if x.verdict == v) for v in VERDICTS}

    def mean(values) -> float:
        return round(sum(values) / n, 4) if n else 0.0

    return Aggregate(
        name,
        title,
        n,
        mean(v.lower for v in verdicts),
        mean(v.score for v in verdicts),
        mean(v.upper for v in verdicts),
        counts,
    )
