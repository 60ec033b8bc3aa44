"""The source tables both generators read (`catalogs` for ontology/catalogs/, `elements` for ontology/elements/):
reading a table with its line numbers, the editions, the IRIs of a scheme and its provisions, and the empty graph
with the prefixes every generated file binds. Below both generators, so neither imports the other for them."""

import csv
from collections.abc import Iterator
from pathlib import Path

from rdflib import SKOS, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS

from xwalk.core import paths
from xwalk.core.ids import local_name
from xwalk.core.vocab import ID, XW

X = Namespace(XW)


def read_table(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a source table with their line numbers, so errors can name them."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


def editions() -> list[dict[str, str]]:
    return [row for _, row in read_table(paths.CATALOG_SOURCE_DIR / "editions.csv")]


def scheme_iri(edition: dict[str, str]) -> URIRef:
    return URIRef(ID + edition["slug"])


def provision_iri(scheme: URIRef, notation: str) -> URIRef:
    return URIRef(f"{scheme}/{local_name(notation)}")


def new_graph() -> Graph:
    """An empty graph binding the prefixes of the generated Turtle files."""
    g = Graph()
    g.bind("xw", X)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    return g
