"""Statistics of the graph: provisions per standard and kind, controls per group."""

from dataclasses import dataclass

from xwalk.catalog import Catalog


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
