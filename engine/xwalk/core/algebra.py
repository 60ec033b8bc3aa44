"""The algebra of NIST IR 8477 set relations: inversion and composition, with the composition table kept as data
(ontology/composition.csv, the table of DESIGN "Derived mappings")."""

import csv
from functools import cache

from xwalk.core import paths
from xwalk.core.errors import XwalkError

RELATIONS = ("equal", "subset_of", "superset_of", "intersects_with", "no_relationship")
INVERSE = {
    "equal": "equal",
    "subset_of": "superset_of",
    "superset_of": "subset_of",
    "intersects_with": "intersects_with",
    "no_relationship": "no_relationship",
}


@cache
def table() -> dict[tuple[str, str], str]:
    """(first, second) -> result; pairs absent from the table infer nothing."""
    path = paths.ONTOLOGY_DIR / "composition.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    for row in rows:
        if "no_relationship" in (row["first"], row["second"], row["result"]):
            raise XwalkError(
                f"{paths.display(path)}: the row {row['first']},{row['second']},{row['result']} involves "
                "no_relationship; composition never derives it nor chains through it (a chain proves nothing "
                "about disjointness)"
            )
    return {(row["first"], row["second"]): row["result"] for row in rows}


def invert(relation: str) -> str:
    """The same mapping read from the other side: A subset_of B is B superset_of A."""
    return INVERSE[relation]


def compose(first: str, second: str) -> str | None:
    """What A first B and B second C say about A and C, or None when nothing may be inferred."""
    return table().get((first, second))


def compose_chain(relations: list[str]) -> str | None:
    """Compose a chain left to right; None as soon as a step infers nothing."""
    result: str | None = relations[0]
    for relation in relations[1:]:
        result = compose(result, relation) if result else None
    return result


def invert_chain(relations: list[str]) -> list[str]:
    """A chain read backwards: each step inverted, the order reversed."""
    return [invert(r) for r in reversed(relations)]
