"""IRIs of the vocabularies the graph uses, in one place."""

XW = "https://w3id.org/xwalk/ontology#"
ID = "https://w3id.org/xwalk/id/"
GRAPH = "https://w3id.org/xwalk/graph/"
MAPPING_SET = "https://w3id.org/xwalk/mappings/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
PAV = "http://purl.org/pav/"
SSSOM = "https://w3id.org/sssom/"
SEMAPV = "https://w3id.org/semapv/vocab/"

RELATIONS = ("equal", "subset_of", "superset_of", "intersects_with", "no_relationship")
PHASES = ("plan", "do", "check", "act")  # the PDCA phases a plan groups its tasks in, in order

PREFIXES = {
    "xw": XW,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "prov": PROV,
    "pav": PAV,
    "sssom": SSSOM,
    "semapv": SEMAPV,
}


class IRI(str):
    """An IRI, as opposed to a plain string literal, in the neutral triples the loaders produce."""

    __slots__ = ()


def xw(term: str) -> IRI:
    return IRI(XW + term)


def graph_iri(relative_path: str) -> IRI:
    """The named graph of one source file: one graph per file, named after its path in the project."""
    return IRI(GRAPH + relative_path)
