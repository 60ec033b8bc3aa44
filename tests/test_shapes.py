"""One conforming and one failing example per SHACL shape (tests/shapes/), with the expected message."""

from pathlib import Path

import pytest
from rdflib import Graph

from xwalk.core.paths import SCHEMA_FILE, SHAPES_FILE
from xwalk.services.validate import shacl_violations

EXAMPLES = Path(__file__).parent / "shapes"

FAILING = {
    "standard": "exactly one id family, 'iso' or 'eu-law'",
    "provision": "placed in its hierarchy",
    "mapping": "object_id is not a provision of any catalog",
    "mapping-strength": "strength is not a whole number from 1 to 10",
    "mapping-repeated-pair": "appears on more than one row",
    "mapping-set": "object_source of a mapping set is not a standard edition",
    "obligation": "exactly one date (xsd:date)",
    "conditional-obligation": "names the facts it tests",
    "fact": "boolean, date or choice",
    "penalty-tier": "between 1 and 100 percent",
    "transitional-rule": "only-if or deadline",
    "requirement-element": "effort weight, a decimal number of person-days above 0",
    "requirement-element-deliverable": "exactly one deliverable kind",
    "element-reuse": "low end of the remaining share is a decimal from 0 up to the remaining share",
    "element-reuse-mode": "A done judgement leaves nothing",
}


def violations(name: str) -> list[tuple[str, str]]:
    data = Graph().parse(SCHEMA_FILE).parse(EXAMPLES / name)
    return shacl_violations(data)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.pass.ttl")))
def test_conforming_example(name):
    assert violations(name) == []


@pytest.mark.parametrize(("stem", "expected"), sorted(FAILING.items()))
def test_failing_example(stem, expected):
    messages = [message for _, message in violations(f"{stem}.fail.ttl")]
    assert any(expected in m for m in messages), messages


def test_every_shape_has_both_examples():
    shapes = Graph().parse(SHAPES_FILE)
    names = {str(s).rsplit("#", 1)[1] for s in shapes.subjects(predicate=None, object=None) if "#" in str(s)}
    top = {n.removesuffix("Shape") for n in names if n.endswith("Shape") and n != "ApplicabilityShape"}
    kebab = {"".join("-" + c.lower() if c.isupper() else c for c in n).lstrip("-") for n in top}
    assert kebab == {p.name.removesuffix(".pass.ttl") for p in EXAMPLES.glob("*.pass.ttl")}
    assert kebab <= {p.name.removesuffix(".fail.ttl") for p in EXAMPLES.glob("*.fail.ttl")}


def test_every_constraint_has_a_message():
    shapes = Graph().parse(SHAPES_FILE)
    rows = shapes.query(
        """PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?c WHERE { { ?s sh:property ?c } UNION { ?s sh:sparql ?c } FILTER NOT EXISTS { ?c sh:message ?m } }"""
    )
    assert list(rows) == []
