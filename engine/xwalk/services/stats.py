"""Statistics of the graph: provisions per standard and kind, controls per group, and the published quality
figures of the curated mapping sets (counts, share of each relation, blind second-review agreement)."""

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from xwalk.core import paths
from xwalk.core.errors import XwalkError
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


@dataclass(frozen=True)
class Crosswalk:
    """The crosswalk matrix: mappings per (subject edition, object edition) and relation, and how many derived
    mappings it leaves out (none when they are counted in)."""

    cells: dict[tuple[str, str], dict[str, int]]
    derived_left_out: int


def crosswalk_matrix(counts: list[dict], with_derived: bool = False) -> Crosswalk:
    """The crosswalk matrix from the rows of `mapping_counts` (the one computation behind `xwalk stats --mappings`
    and the explorer's overview); derived mappings count only `with_derived`."""
    cells: dict[tuple[str, str], dict[str, int]] = {}
    left_out = 0
    for row in counts:
        if row["derived"] and not with_derived:
            left_out += row["count"]
            continue
        cell = cells.setdefault((row["subject_key"], row["object_key"]), {})
        cell[row["relation"]] = cell.get(row["relation"], 0) + row["count"]
    return Crosswalk(cells, left_out)


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


REVIEW_LEDGER = paths.MAPPINGS_DIR / "review" / "second-review.csv"
LEDGER_COLUMNS = ("mapping_set", "subject_id", "object_id", "first_relation", "second_relation", "final_relation")


@dataclass(frozen=True)
class Agreement:
    """How a blind second review compares with another judgement of the same pairs, on the relation."""

    pairs: int
    same: int
    kappa: float | None  # Cohen's kappa; None when chance agreement is total (both used one relation only)
    strength_within_2: int  # of the pairs with the same relation, those whose strengths differ by 2 or less

    @property
    def percent(self) -> float:
        return 100 * self.same / self.pairs if self.pairs else 0.0


@dataclass
class SetQuality:
    mapping_set: str
    subject_key: str
    object_key: str
    rows: int = 0
    reviewed: int = 0
    reuse: int = 0
    by_relation: dict[str, int] = field(default_factory=dict)
    first_pass: Agreement | None = None  # second review against the first pass, before any resolution
    final: Agreement | None = None  # second review against the rows as they are now


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters over the same items; None when chance agreement is total."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[k] * second[k] for k in first) / (n * n)
    return None if chance == 1 else (observed - chance) / (1 - chance)


def review_ledger(path: Path = REVIEW_LEDGER) -> list[dict[str, str]]:
    """The rows of the second-review ledger; a missing column names the file and what was expected."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(line for line in handle if not line.startswith("#"))
        missing = [c for c in LEDGER_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise XwalkError(f"{paths.display(path)}: the columns {', '.join(missing)} are missing")
        return list(reader)


def _agreement(rows: list[dict[str, str]], other: str) -> Agreement:
    pairs = [(r[f"{other}_relation"], r["second_relation"]) for r in rows]
    close = sum(
        1
        for r in rows
        if r[f"{other}_relation"] == r["second_relation"]
        and (r.get(f"{other}_strength") or "") != ""
        and (r.get("second_strength") or "") != ""
        and abs(int(r[f"{other}_strength"]) - int(r["second_strength"])) <= 2
        or r[f"{other}_relation"] == r["second_relation"] == "no_relationship"
    )
    kappa = cohen_kappa(pairs)
    return Agreement(len(pairs), sum(a == b for a, b in pairs), None if kappa is None else round(kappa, 2), close)


def mapping_quality(catalog: Catalog, ledger: Path = REVIEW_LEDGER) -> list[SetQuality]:
    """Per curated mapping set: its rows, reviewed rows, rows recording reuse, the count of each relation, and the
    agreement of the blind second review with the first pass and with the current rows."""
    sets: dict[str, SetQuality] = {}
    for row in catalog.store.select("mapping_quality"):
        stem = Path(row["file"]).name.removesuffix(".sssom.tsv")
        entry = sets.setdefault(stem, SetQuality(stem, row["subject_key"], row["object_key"]))
        entry.rows += row["count"]
        entry.reviewed += row["reviewed"]
        entry.reuse += row["reuses"]
        entry.by_relation[row["relation"]] = row["count"]
    reviews: dict[str, list[dict[str, str]]] = {}
    for row in review_ledger(ledger):
        reviews.setdefault(row["mapping_set"], []).append(row)
    for stem, rows in reviews.items():
        if stem in sets:
            sets[stem].first_pass = _agreement(rows, "first")
            sets[stem].final = _agreement(rows, "final")
    return [sets[k] for k in sorted(sets)]
