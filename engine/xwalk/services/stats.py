"""Statistics of the graph: provisions per standard and kind, controls per group."""

import re
from dataclasses import dataclass

from xwalk.services.catalog import Catalog


@dataclass(frozen=True)
class StandardStats:
    key: str
    identifier: str
    provisions: int
    kinds: dict[str, int]
    controls_per_group: dict[str, int]


def catalog_stats(catalog: Catalog) -> list[StandardStats]:
    counts = catalog.counts()
    groups: dict[str, dict[str, int]] = {}
    for row in catalog.store.select("controls_per_group"):
        groups.setdefault(row["key"], {})[row["group"]] = row["controls"]
    return [
        StandardStats(s.key, s.identifier, s.provisions, counts[s.key], groups.get(s.key, {}))
        for s in sorted(catalog.standards(), key=lambda s: s.identifier)
    ]


RELATION_ORDER = ("equal", "subset_of", "superset_of", "intersects_with", "no_relationship")


@dataclass(frozen=True)
class ObjectiveCounterparts:
    objective: str
    title: str
    controls: int
    by_relation: dict[str, int]  # best relation of each control -> number of controls; "not reviewed" when none


def mapping_counts(catalog: Catalog) -> list[dict]:
    """Curated mappings per (subject edition, object edition, relation)."""
    return catalog.store.select("mapping_counts")


def counterparts(catalog: Catalog, source: str, target: str) -> list[ObjectiveCounterparts]:
    """Per objective of `source`, how its controls relate to `target`: each control counted once, under the
    strongest relation any of its mappings gives (equal first, no_relationship last, "not reviewed" without any)."""
    rows = catalog.store.select(
        "control_counterparts", from_key=catalog.standard(source).key, to_key=catalog.standard(target).key
    )
    best: dict[str, tuple[str, str, str]] = {}
    rank = {name: i for i, name in enumerate((*RELATION_ORDER, "not reviewed"))}
    for row in rows:
        relation = row["relation"] or "not reviewed"
        current = best.get(row["control"])
        if current is None or rank[relation] < rank[current[2]]:
            best[row["control"]] = (row["objective"], row["objective_title"], relation)
    result: dict[str, ObjectiveCounterparts] = {}
    for objective, title, relation in best.values():
        entry = result.setdefault(objective, ObjectiveCounterparts(objective, title, 0, {}))
        entry.by_relation[relation] = entry.by_relation.get(relation, 0) + 1
        result[objective] = ObjectiveCounterparts(objective, title, entry.controls + 1, entry.by_relation)
    return sorted(result.values(), key=lambda e: _natural(e.objective))


def _natural(notation: str) -> tuple:
    """Sort key that puts A.2 before A.10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"[.\s]", notation))
