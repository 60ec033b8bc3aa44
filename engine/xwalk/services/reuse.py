"""Element-level results: for each requirement element of a target, what the baseline already does for it, read from
the element-level reuse judgements (ontology/elements/, docs/effort-model.md), under an organisation's overrides.

For an element e of effort E(e) and each reuse row from a held provision s of weight w(s) (implemented 1,
partially 0.5, otherwise 0: a row counts only when the baseline implements s), with its remaining share r and the
reviewer's tolerance low <= r <= high:

    saved(e)       = max over rows of w(s) * (1 - r)        the estimate
    saved_lower(e) = max over rows of w(s) * (1 - high)     the pessimistic bound
    saved_upper(e) = max over rows of w(s) * (1 - low)      the optimistic bound
    certain(e)     = max over done rows of w(s)             certainly done (a done row has r = low = high = 0)

mode: done (certain = 1), extend (some saving), new (no saving), not reviewed (no element-level judgement was made
against any standard of the baseline). Every term is a maximum of products of weights that only grow with the
baseline, so each is monotone in it, and certain <= saved_lower <= saved <= saved_upper.
"""

from dataclasses import dataclass, replace

from xwalk.services.baseline import Baseline
from xwalk.services.catalog import Catalog
from xwalk.services.overrides import NONE, Override, Overrides

MODES = ("done", "extend", "new", "not reviewed")


# HeldReuse and ElementResult are not frozen: a computation builds hundreds, and a frozen dataclass sets each field
# through object.__setattr__ (a third of reuse.results); the services never change one after building it.
@dataclass
class HeldReuse:
    held: str  # the held provision's IRI
    held_id: str
    held_standard: str
    held_status: str
    weight: float
    mode: str  # done or extend
    remaining: float
    low: float
    high: float
    extension: str
    rationale: str
    override: int | None = None  # the row of the organisation's override that set this judgement

    @property
    def saved(self) -> tuple[float, float, float]:
        """The share of the element's effort this row saves: pessimistic, estimate, optimistic."""
        return self.weight * (1 - self.high), self.weight * (1 - self.remaining), self.weight * (1 - self.low)


@dataclass
class ElementResult:
    id: str  # 6.1.4/e1
    provision: str  # the provision's IRI
    provision_id: str
    statement: str
    deliverable: str
    phase: str
    depends_on: tuple[str, ...]
    effort: float  # person-days on the default scale (docs/effort-model.md)
    mode: str
    basis: str  # "elements" (element-level reuse) or "provision" (shares of the provision's v1 score)
    certain: float  # share of the effort certainly done
    saved_lower: float
    saved: float
    saved_upper: float
    remaining_lower: float  # person-days still to do, optimistic
    remaining: float
    remaining_upper: float  # pessimistic
    reused: tuple[HeldReuse, ...]  # the rows that count, most helpful first
    extension: str  # what to add to the most helpful reuse ("" when done or new)
    override: int | None = None  # the row of an override on the element as a whole
    applied: tuple[int, ...] = ()  # the rows of every override that changed this element (the audit trail)


def element_rows(catalog: Catalog, key: str) -> list[dict]:
    return catalog.cached("requirement_elements", key=key)


def elements_by_provision(catalog: Catalog, key: str) -> dict[str, list[dict]]:
    return catalog.grouped("requirement_elements", "provision", key=key)


def reuse_rows(catalog: Catalog, key: str) -> list[dict]:
    return catalog.cached("element_reuse", key=key)


def reviewed_standards(catalog: Catalog, key: str) -> set[str]:
    """The held standards whose provisions were judged element by element against the target's elements."""
    return {row["held_key"] for row in reuse_rows(catalog, key)}


def results(
    catalog: Catalog, baseline: Baseline, key: str, overrides: Overrides = NONE, only: set[str] | None = None
) -> list[ElementResult]:
    """The element-level result of every element of target `key` (or of the element ids `only`) that was judged
    against a standard of the baseline (basis "elements"); the others are left to the coverage service (basis
    "provision")."""
    reviewed = bool(set(baseline.standards) & reviewed_standards(catalog, key))
    mine = overrides.for_target(key)
    if not reviewed and not mine:
        return []
    by_element: dict[str, list[HeldReuse]] = {}
    for row in reuse_rows(catalog, key):
        if only is not None and row["element_id"] not in only:
            continue
        entry = baseline.entries.get(row["held"])
        if entry is None or entry.weight <= 0:
            continue
        by_element.setdefault(row["element_id"], []).append(
            HeldReuse(
                held=row["held"],
                held_id=row["held_id"],
                held_standard=row["held_key"],
                held_status=entry.status,
                weight=entry.weight,
                mode=row["mode"],
                remaining=float(row["remaining"]),
                low=float(row["low"]),
                high=float(row["high"]),
                extension=row["extension"] or "",
                rationale=row["rationale"],
            )
        )
    return [
        fold(row, *on_element(baseline, row, by_element.get(row["id"], []), mine), reviewed=reviewed)
        for row in element_rows(catalog, key)
        if only is None or row["id"] in only
    ]


def fold(
    row: dict,
    reused: list[HeldReuse],
    whole: Override | None = None,
    applied: tuple[int, ...] = (),
    reviewed: bool = True,
) -> ElementResult:
    """One element's result from the reuse rows that count (after overrides) and an override on the element."""
    effort = float(row["effort"])
    reused = sorted(reused, key=lambda r: (-r.saved[1], -r.saved[0], r.held_id))
    certain = max((r.weight for r in reused if r.mode == "done"), default=0.0)
    lower, estimate, upper = (max((r.saved[i] for r in reused), default=0.0) for i in range(3))
    if whole is not None and whole.action != "reject":  # the organisation's own judgement of the whole element
        share = 0.0 if whole.action == "accept" else (whole.remaining or 0.0)
        certain = 1.0 if share == 0 else 0.0
        lower = estimate = upper = 1 - share
    mode = "done" if certain >= 1 else "extend" if upper > 0 else "new" if reviewed or whole else "not reviewed"
    best = next((r for r in reused if r.mode == "extend"), None)
    return ElementResult(
        **_element(row),
        mode=mode,
        basis="elements",
        certain=round(certain, 4),
        saved_lower=round(lower, 4),
        saved=round(estimate, 4),
        saved_upper=round(upper, 4),
        remaining_lower=round(effort * (1 - upper), 4),
        remaining=round(effort * (1 - estimate), 4),
        remaining_upper=round(effort * (1 - lower), 4),
        reused=tuple(reused),
        extension=best.extension if best and mode == "extend" else "",
        override=whole.row if whole is not None else None,
        applied=applied,
    )


def from_provision(row: dict, lower: float, estimate: float, upper: float) -> ElementResult:
    """An element nobody judged against the baseline's standards: it takes its provision's (v1) shares."""
    effort = float(row["effort"])
    return ElementResult(
        **_element(row),
        mode="not reviewed" if upper == 0 else "extend",
        basis="provision",
        certain=0.0,
        saved_lower=lower,
        saved=estimate,
        saved_upper=upper,
        remaining_lower=round(effort * (1 - upper), 4),
        remaining=round(effort * (1 - estimate), 4),
        remaining_upper=round(effort * (1 - lower), 4),
        reused=(),
        extension="",
    )


def _element(row: dict) -> dict:
    """What an element's result says of the element itself, from its row of the `requirement_elements` answer."""
    return {
        "id": row["id"],
        "provision": row["provision"],
        "provision_id": row["provision_id"],
        "statement": row["statement"],
        "deliverable": row["deliverable"],
        "phase": row["phase"],
        "depends_on": tuple(sorted((row["depends_on"] or "").split())),
        "effort": float(row["effort"]),
    }


def _matches(item: Override, element_id: str, provision_id: str) -> bool:
    return item.subject == element_id or (not item.on_element and item.subject == provision_id)


def on_element(
    baseline: Baseline, row: dict, reused: list[HeldReuse], overrides: list[Override]
) -> tuple[list[HeldReuse], Override | None, tuple[int, ...]]:
    """The reuse rows of one element after the `overrides` of its target on it (or on its provision), the override
    on the element as a whole, if any (the most specific: one on the element before one on its provision), and the
    rows of the overrides that changed something."""
    if not overrides:
        return reused, None, ()
    mine = [o for o in overrides if _matches(o, row["id"], row["provision_id"])]
    mine.sort(key=lambda o: not o.on_element)  # an override on the element is more specific than its provision's
    result = list(reused)
    applied = []
    for item in reversed([o for o in mine if o.held]):  # the provision's first, the element's last (it wins)
        index = next((i for i, r in enumerate(result) if r.held == item.held), None)
        if item.action == "reject":
            if index is not None:
                result.pop(index)
                applied.append(item.row)
            continue
        share = None if item.action == "accept" else item.remaining
        if index is not None:
            old = result[index]
            share = old.remaining if share is None else share
            result[index] = replace(
                old, remaining=share, low=share, high=share, mode="done" if share == 0 else "extend", override=item.row
            )
            applied.append(item.row)
            continue
        entry = baseline.entries.get(item.held)
        if entry is None or entry.weight <= 0 or share is None:
            continue  # accepting a reuse nobody recorded says nothing; an unheld provision helps nothing
        result.append(
            HeldReuse(
                held=item.held,
                held_id=entry.notation,
                held_standard=entry.standard,
                held_status=entry.status,
                weight=entry.weight,
                mode="done" if share == 0 else "extend",
                remaining=share,
                low=share,
                high=share,
                extension=f"the organisation's judgement: {item.reason}" if share else "",
                rationale=f"organisation override (row {item.row}, {item.author}, {item.date}): {item.reason}",
                override=item.row,
            )
        )
        applied.append(item.row)
    whole = next((o for o in mine if not o.held), None)
    if whole is not None:
        applied.append(whole.row)
        if whole.action == "reject":
            result = []
    return result, whole, tuple(sorted(set(applied)))
