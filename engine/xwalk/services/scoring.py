"""The coverage formula, v2 (docs/coverage.md), per provision and per aggregate.

A provision with requirement elements judged against a standard of the baseline is scored from its elements
(xwalk.services.reuse), weighted by effort:

    certain(t)  = sum E(e) certain(e) / sum E(e)          certainly done
    lower(t)    = sum E(e) saved_lower(e) / sum E(e)      every reuse at the pessimistic end of its tolerance
    estimate(t) = sum E(e) saved(e) / sum E(e)            every reuse at its stated remaining share
    upper(t)    = sum E(e) saved_upper(e) / sum E(e)      every reuse at the optimistic end

Evidence from a standard that was not judged element by element (and every provision without elements: other
targets, the AI Act, derived-only evidence) keeps the v1 formula: certain = lower = max w(s) over containing
evidence, estimate = max(lower, w(s) strength/10), upper = 1 with any evidence. The two are combined by a maximum,
term by term, so each stays monotone in the baseline and certain <= lower <= estimate <= upper.
"""

from collections import Counter
from dataclasses import dataclass, field

CONTAINED = ("equal", "subset_of")  # read from the target's side: t equal s, t subset_of s (s contains t)
VERDICTS = ("done", "extend", "partial", "new", "not reviewed")


@dataclass  # not frozen, as reuse's results: built by the hundred per computation (services never change one)
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
    override: int | None = None  # the row of an organisation override that fixed this mapping's share
    share: float | None = None  # the share the override fixed (1 - remaining), certain when set

    def contribution(self) -> float:
        if self.share is not None:
            return self.weight * self.share
        if self.relation in CONTAINED:
            return self.weight
        return self.weight * (self.strength or 0) / 10


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
    certain: float = 0.0
    basis: str = "mappings"  # "elements" (formula v2) or "mappings" (the v1 formula)
    effort: float | None = None  # person-days of its elements, when it has elements
    elements: list[str] = field(default_factory=list)  # the ids of its elements
    overrides: list[int] = field(default_factory=list)  # the rows of the overrides that changed its mappings


@dataclass(frozen=True)
class Aggregate:
    name: str
    title: str
    provisions: int
    lower: float
    estimate: float
    upper: float
    verdicts: dict[str, int]
    certain: float = 0.0
    weighting: str = "count"  # "effort" (person-days of the elements) or "count" (each provision one unit)
    effort: float | None = None  # person-days, effort-weighted aggregates only
    by_count: dict[str, float] = field(default_factory=dict)  # the unit-count view: each provision one unit


def mapping_scores(evidence: list[Evidence]) -> tuple[float, float, float, float]:
    """certain, lower, estimate, upper of the v1 formula over `evidence` (an override's share is certain)."""
    certain = max(
        [
            *(e.weight for e in evidence if e.relation in CONTAINED and e.share is None),
            *(e.contribution() for e in evidence if e.share is not None),
        ],
        default=0.0,
    )
    estimate = max([certain, *(e.contribution() for e in evidence)])
    upper = max([estimate, *(1.0 for e in evidence if e.share is None)])
    return certain, certain, estimate, upper


def element_scores(elements: list) -> tuple[float, float, float, float]:
    """certain, lower, estimate, upper: the effort-weighted means of the elements' shares."""
    total = sum(e.effort for e in elements)
    if not total:
        return 0.0, 0.0, 0.0, 0.0
    certain, lower, estimate, upper = (
        sum(e.effort * getattr(e, name) for e in elements) / total
        for name in ("certain", "saved_lower", "saved", "saved_upper")
    )
    return certain, lower, estimate, upper


def verdict_of(certain: float, upper: float, elements: list, reviewed: bool) -> str:
    """done: certainly all done; extend: every element reuses something; partial: some help; new: reviewed and
    nothing helps; not reviewed: nobody judged the provision against the baseline's standards."""
    if certain >= 1:
        return "done"
    if elements and all(e.saved_upper > 0 for e in elements):
        return "extend"
    if upper > 0:
        return "partial"
    return "new" if reviewed else "not reviewed"


def aggregate(name: str, title: str, verdicts: list[Verdict], weighting: str) -> Aggregate:
    counted = Counter(v.verdict for v in verdicts)
    by_effort, by_one = [v.effort or 0.0 for v in verdicts], [1.0] * len(verdicts)
    weighted = weighting == "effort"

    def mean(attribute: str, weights: list[float]) -> float:
        total = sum(weights)
        shares = (w * getattr(v, attribute) for w, v in zip(weights, verdicts, strict=True))
        return round(sum(shares) / total, 4) if total else 0.0

    by_count = {k: mean(a, by_one) for k, a in (("lower", "lower"), ("estimate", "score"), ("upper", "upper"))}
    lower, estimate, upper = (
        (mean(a, by_effort) for a in ("lower", "score", "upper")) if weighted else by_count.values()
    )
    return Aggregate(
        name,
        title,
        len(verdicts),
        lower,
        estimate,
        upper,
        {v: counted[v] for v in VERDICTS},
        certain=mean("certain", by_effort if weighted else by_one),
        weighting=weighting,
        effort=round(sum(by_effort), 2) if weighted else None,
        by_count=by_count,
    )
