"""The evidence for a target's provisions: the curated (and, when asked, derived) mappings between each provision
and a provision the baseline holds with a weight above 0, read from the target's side (docs/coverage.md)."""

from collections import defaultdict
from dataclasses import asdict

from xwalk.core.vocab import IRI
from xwalk.services.baseline import Baseline
from xwalk.services.catalog import Catalog
from xwalk.services.scoring import Evidence


def rows(catalog: Catalog, target_iri: str, with_derived: bool) -> list[dict]:
    return catalog.cached("coverage_evidence", target=IRI(target_iri), with_derived=with_derived)


def _by_unit(catalog: Catalog, target_iri: str, with_derived: bool) -> dict[str, list[dict]]:
    return catalog.grouped("coverage_evidence", "unit", target=IRI(target_iri), with_derived=with_derived)


def reviewed_rows(catalog: Catalog, target_iri: str) -> list[dict]:
    return catalog.cached("coverage_reviewed", target=IRI(target_iri))


def found(
    catalog: Catalog, baseline: Baseline, target_iri: str, with_derived: bool, units: list, bound: dict[str, dict]
) -> dict[str, list[Evidence]]:
    """The evidence of each of `units` (the target's scored provisions); for the AI Act, the evidence of the
    paragraphs of each article an obligation binds (`bound`) counts for the article too."""
    children = catalog.children_of(bound)  # one query for all bound articles, not one per article
    wanted = {u.iri for u in units} | {c.iri for kids in children.values() for c in kids}
    entries, by_unit = baseline.entries, _by_unit(catalog, target_iri, with_derived)
    answers = [
        r for unit in wanted for r in by_unit.get(unit, ()) if r["other"] in entries and entries[r["other"]].weight > 0
    ]
    chains = _chains(catalog, {step for r in answers if r["derived"] for step in (r["first"], r["second"])})
    result: dict[str, list[Evidence]] = defaultdict(list)
    for row in answers:
        if row["relation"] == "no_relationship":
            continue  # a finding that the two are unrelated: it helps nothing
        entry = baseline.entries[row["other"]]
        result[row["unit"]].append(
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
    if bound:
        _roll_up_paragraphs(result, bound, children)
    for items in result.values():
        items.sort(key=lambda e: (-e.contribution(), e.held_id))
    return result


def _roll_up_paragraphs(evidence: dict[str, list], bound: dict[str, dict], children: dict[str, list]) -> None:
    """Evidence on a catalogued paragraph of an article that an obligation binds counts for the article too, read
    through the article's side: the article contains the paragraph (superset_of), so the composition table never
    gives more than partial credit (equal becomes superset_of, subset_of becomes intersects_with). `children`: each
    bound article's paragraphs (Catalog.children_of)."""
    from dataclasses import replace

    from xwalk.core.algebra import compose

    for unit in bound:
        for child in children[unit]:
            if child.iri in bound:
                continue  # a paragraph bound by its own obligation is scored on its own
            for item in evidence.get(child.iri, []):
                relation = compose("superset_of", item.relation)
                if relation:
                    evidence.setdefault(unit, []).append(replace(item, relation=relation))


def _chains(catalog: Catalog, steps: set[str]) -> dict[str, dict]:
    """The curated mappings that derived mappings were composed from, by IRI (explore.chain_links, as dicts)."""
    if not steps:  # no derived evidence: the browsing services are not needed
        return {}
    from xwalk.services.explore import chain_links

    return {iri: asdict(link) for iri, link in chain_links(catalog, steps).items()}


def reviewed(catalog: Catalog, baseline: Baseline, target_iri: str) -> set[str]:
    return {row["unit"] for row in reviewed_rows(catalog, target_iri) if row["source"] in baseline.standards}
