"""Derived mappings: compose two curated mappings A-B and B-C into A-C through the composition table, never where
a curated mapping already relates A and C. Each derived mapping keeps its chain, takes the strength of its weakest
link, and is justified as mapping chaining. `xwalk infer` writes them to mappings/derived.ttl (their own named
graph once loaded); coverage uses them only when asked (--with-derived)."""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from xwalk.core import algebra, paths
from xwalk.core.vocab import ID, XW
from xwalk.store import Store

DERIVED_FILE_NAME = "derived.ttl"
DERIVED_SET = "https://w3id.org/xwalk/mappings/derived/"


@dataclass(frozen=True)
class Edge:
    """A curated mapping read from `source`'s side."""

    mapping: str
    source: str
    target: str
    relation: str
    strength: int | None
    source_key: str
    target_key: str


@dataclass(frozen=True)
class Derived:
    subject: str
    object: str
    relation: str
    strength: int | None
    chain: tuple[Edge, Edge]
    subject_key: str
    object_key: str


def edges(store: Store) -> list[Edge]:
    """Each curated mapping in both readings: as stored, and inverted from the object's side."""
    found = []
    for row in store.select("curated_mappings"):
        m, s, o, r, w = row["mapping"], row["subject"], row["object"], row["relation"], row["strength"]
        found.append(Edge(m, s, o, r, w, row["subject_key"], row["object_key"]))
        found.append(Edge(m, o, s, algebra.invert(r), w, row["object_key"], row["subject_key"]))
    return found


def derive(store: Store) -> list[Derived]:
    """Every derivable mapping between provisions of two different standards that no curated mapping relates."""
    all_edges = edges(store)
    curated_pairs = {(e.source, e.target) for e in all_edges}
    outgoing: dict[str, list[Edge]] = defaultdict(list)
    for edge in all_edges:
        outgoing[edge.source].append(edge)
    derived = {}
    for first in all_edges:
        for second in outgoing[first.target]:
            a, c = first.source, second.target
            keys = {first.source_key, first.target_key, second.target_key}
            if len(keys) < 3 or (a, c) in curated_pairs or first.source_key > second.target_key:
                continue  # one standard twice, a curated pair, or the mirror image of another derivation
            relation = algebra.compose(first.relation, second.relation)
            if relation is None:
                continue
            strengths = [s for s in (first.strength, second.strength) if s is not None]
            strength = min(strengths) if strengths else None
            item = Derived(a, c, relation, strength, (first, second), first.source_key, second.target_key)
            derived[(a, c, first.target)] = item
    return sorted(derived.values(), key=lambda d: (d.subject_key, d.object_key, d.subject, d.object, d.chain[0].target))


def derived_turtle(store: Store) -> str:
    """The derived mappings as Turtle, one mapping set per pair of editions."""
    from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import DCTERMS, OWL, PROV

    xw = Namespace(XW)
    sssom = Namespace("https://w3id.org/sssom/")
    semapv = Namespace("https://w3id.org/semapv/vocab/")
    scheme = {row["key"]: row["iri"] for row in store.select("standards")}
    g = Graph()
    g.bind("xw", xw)
    g.bind("sssom", sssom)
    for item in derive(store):
        set_iri = URIRef(f"{DERIVED_SET}{item.subject_key}_{item.object_key}")
        g.add((set_iri, RDF.type, xw.MappingSet))
        g.add((set_iri, RDF.type, sssom.MappingSet))
        g.add((set_iri, sssom.subject_source, URIRef(scheme[item.subject_key])))
        g.add((set_iri, sssom.object_source, URIRef(scheme[item.object_key])))
        g.add((set_iri, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
        g.add((set_iri, xw.sourceFile, Literal(f"mappings/{DERIVED_FILE_NAME}")))
        first, second = item.chain
        via = first.target
        node = URIRef(
            f"{ID}mapping/derived/{item.subject_key}_{item.object_key}/"
            f"{_local(item.subject)}--{_local(item.object)}--via-{first.target_key}-{_local(via)}"
        )
        g.add((node, RDF.type, xw.DerivedMapping))
        g.add((node, RDF.type, xw.Mapping))
        g.add((node, RDF.type, sssom.Mapping))
        g.add((node, xw.mappingSet, set_iri))
        g.add((node, OWL.annotatedSource, URIRef(item.subject)))
        g.add((node, OWL.annotatedProperty, xw[item.relation]))
        g.add((node, OWL.annotatedTarget, URIRef(item.object)))
        g.add((node, sssom.mapping_justification, semapv.MappingChaining))
        if item.strength is not None:
            g.add((node, xw.strength, Literal(item.strength, datatype=XSD.integer)))
        g.add(
            (
                node,
                RDFS.comment,
                Literal(
                    f"Derived: {item.subject_key} {_local(item.subject)} {first.relation} "
                    f"{first.target_key} {_local(via)} (curated), which is {second.relation} "
                    f"{item.object_key} {_local(item.object)} (curated); "
                    f"the composition table gives {item.relation}."
                ),
            )
        )
        chain = BNode(f"chain-{len(g)}")
        Collection(g, chain, [URIRef(first.mapping), URIRef(second.mapping)])
        g.add((node, xw.chain, chain))
        for edge in item.chain:
            g.add((node, PROV.wasDerivedFrom, URIRef(edge.mapping)))
    header = "# Generated by `xwalk infer` from the curated mapping sets. Do not edit.\n"
    return header + g.serialize(format="turtle")


def _local(iri: str) -> str:
    return iri.rpartition("/")[2]


def derived_file() -> Path:
    return paths.MAPPINGS_DIR / DERIVED_FILE_NAME


def curated_store() -> Store:
    """The graph without any previous derivation, which a new derivation must not feed on."""
    from xwalk.load import load, source_files

    return load(files=[f for f in source_files() if f.name != DERIVED_FILE_NAME])


def stale() -> bool:
    path = derived_file()
    return not path.exists() or path.read_text("utf-8") != derived_turtle(curated_store())


def write() -> int:
    """Regenerate mappings/derived.ttl; returns the number of derived mappings."""
    store = curated_store()
    text = derived_turtle(store)
    tmp = derived_file().with_suffix(".tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(derived_file())
    return len(derive(store))
