"""The dataset described for the Web of data: VoID and DCAT (DCAT-AP 3 where it fits) for the dataset, each named
graph, each mapping set and each download, with its version, licences, triple counts and SPARQL endpoint.

The version follows the data: a SHA-256 digest of the canonical N-Quads of the store (RDFC-1.0, so blank nodes do
not change it), and the version IRI `https://w3id.org/xwalk/dataset/version/<first 16 hex digits>`. The
description is served at /.well-known/void (linked from the /sparql service description) and written into every
RDF dump as the named graph `https://w3id.org/xwalk/graph/void`; its triple counts are those of the data graphs,
the description's own graph left out.
"""

from datetime import date

from xwalk.core.vocab import GRAPH, ID, XW

DATASET = "https://w3id.org/xwalk/dataset"
DESCRIPTION_GRAPH = GRAPH + "void"
BASE = "https://w3id.org/xwalk/"  # where the dumps and the endpoint are published, unless a server says otherwise
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "https://w3id.org/xwalk/"
MEDIA = {
    "trig": "application/trig",
    "nq": "application/n-quads",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "tsv": "text/tab-separated-values",
    "csv": "text/csv",
}
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"


def version(store) -> str:
    """The SHA-256 digest (hex) of the store's canonical N-Quads."""
    return store.digest()


def version_iri(digest: str) -> str:
    return f"{DATASET}/version/{digest[:16]}"


def graph(store, base: str = BASE, issued: date | None = None, downloads: dict[str, str] | None = None, digest=None):
    """The description as an rdflib Graph. `downloads` (file name -> SHA-256) describes the files of a release under
    `base` instead of the service's downloads.

    Why long: one description written statement by statement in the order docs/linked-data.md gives; its parts
    share the graph and its namespaces.
    """
    from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, FOAF, OWL

    void, dcat, spdx = Namespace(VOID), Namespace(DCAT), Namespace(SPDX)
    g = Graph()
    for prefix, ns in (("void", void), ("dcat", dcat), ("dcterms", DCTERMS), ("spdx", spdx), ("foaf", FOAF)):
        g.bind(prefix, ns)
    g.bind("xw", Namespace(XW))
    digest = digest or version(store)
    issued = issued or date.today()
    dataset, release = URIRef(DATASET), URIRef(version_iri(digest))
    publisher = URIRef(PUBLISHER)
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("xwalk contributors")))

    def licence(iri: str) -> URIRef:
        node = URIRef(iri)
        g.add((node, RDF.type, DCTERMS.LicenseDocument))
        return node

    def describe(node, title: str, description: str, license_iri: str) -> None:
        g.add((node, RDF.type, void.Dataset))
        g.add((node, RDF.type, dcat.Dataset))
        g.add((node, DCTERMS.title, Literal(title, lang="en")))
        g.add((node, DCTERMS.description, Literal(description, lang="en")))
        g.add((node, DCTERMS.license, licence(license_iri)))
        g.add((node, DCTERMS.publisher, publisher))

    def distribution(of, url: str, media: str, checksum: str | None = None) -> None:
        node = URIRef(url)
        g.add((of, dcat.distribution, node))
        g.add((of, void.dataDump, node))
        g.add((node, RDF.type, dcat.Distribution))
        g.add((node, dcat.accessURL, node))
        g.add((node, dcat.downloadURL, node))
        media_type = URIRef(f"http://www.iana.org/assignments/media-types/{media}")
        g.add((media_type, RDF.type, DCTERMS.MediaType))
        g.add((node, dcat.mediaType, media_type))
        g.add((node, DCTERMS.license, licence(DEFAULT_LICENSE)))
        if checksum:
            value = URIRef(f"{url}#sha256")
            g.add((node, spdx.checksum, value))
            g.add((value, RDF.type, spdx.Checksum))
            g.add((value, spdx.algorithm, spdx.checksumAlgorithm_sha256))
            g.add((value, spdx.checksumValue, Literal(checksum, datatype=XSD.hexBinary)))

    counts = store.select("graph_counts")
    total = sum(row["triples"] for row in counts if row["graph"] != DESCRIPTION_GRAPH)
    describe(
        dataset,
        "xwalk: a crosswalk knowledge graph of AI-governance standards",
        "Provisions of ISO/IEC 42001, 27001, 27701, 23894 and the EU AI Act (identifiers and short titles; EU AI Act "
        "content from EUR-Lex), typed NIST IR 8477 mappings between them with rationales, derived mappings, the AI "
        "Act's roles, risk tiers and obligations, and alignments with W3C DPV and AIRO. Each named graph has its own "
        "licence.",
        DEFAULT_LICENSE,
    )
    g.add((dataset, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((dataset, dcat.version, Literal(f"sha256:{digest}")))
    g.add((dataset, dcat.hasVersion, release))
    g.add((dataset, void.triples, Literal(total)))
    g.add((dataset, void.uriSpace, Literal(ID)))
    g.add((dataset, void.sparqlEndpoint, URIRef(base + "sparql")))
    g.add((dataset, void.exampleResource, URIRef(ID + "eu-ai-act-2024-1689/art-26-5")))
    for vocabulary in (XW.rstrip("#"), "http://www.w3.org/2004/02/skos/core", "https://w3id.org/sssom/"):
        g.add((dataset, void.vocabulary, URIRef(vocabulary)))
    describe(
        release,
        f"xwalk dataset, version {digest[:16]}",
        f"The xwalk dataset whose content digest is {digest}.",
        DEFAULT_LICENSE,
    )
    g.add((release, dcat.isVersionOf, dataset))
    g.add((release, dcat.version, Literal(f"sha256:{digest}")))
    g.add((release, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((release, OWL.versionInfo, Literal(digest[:16])))

    service = URIRef(base + "sparql")
    g.add((service, RDF.type, dcat.DataService))
    g.add((service, DCTERMS.title, Literal("xwalk SPARQL 1.1 endpoint", lang="en")))
    g.add((service, dcat.endpointURL, service))
    g.add((service, dcat.servesDataset, dataset))

    for row in counts:
        if row["graph"] == DESCRIPTION_GRAPH:
            continue
        node = URIRef(row["graph"])
        source = row["graph"].removeprefix(GRAPH)
        describe(node, source, f"The named graph loaded from {source}.", row["license"] or DEFAULT_LICENSE)
        g.add((node, void.triples, Literal(row["triples"])))
        g.add((node, DCTERMS.isPartOf, dataset))
        g.add((dataset, void.subset, node))
        if downloads is None and source == "ontology/xwalk.ttl":  # the service serves the ontology at /ontology
            distribution(node, f"{base}ontology", MEDIA["ttl"])

    for row in store.select("mapping_set_graphs"):
        node = URIRef(row["set"])
        name = row["set"].rstrip("/").rsplit("/", 1)[-1]
        describe(
            node,
            row["title"] or f"Mapping set {name}",
            f"A set of {row['mappings']} typed mappings between provisions (a VoID linkset), held in {row['graph']}.",
            row["license"] or DEFAULT_LICENSE,
        )
        g.add((node, RDF.type, void.Linkset))
        g.add((node, void.entities, Literal(row["mappings"])))
        g.add((node, void.linkPredicate, URIRef(XW + "mappingRelation")))
        g.add((node, DCTERMS.isPartOf, URIRef(row["graph"])))
        g.add((URIRef(row["graph"]), void.subset, node))
        for side, key in ((void.subjectsTarget, "subject_graph"), (void.objectsTarget, "object_graph")):
            if row[key]:
                g.add((node, side, URIRef(row[key])))
        file = row["file"] or ""
        if downloads is None and file.endswith(".sssom.tsv"):
            distribution(node, f"{base}mappings/{file.rsplit('/', 1)[-1]}", MEDIA["tsv"])

    if downloads is None:
        for extension in ("trig", "nq"):
            distribution(dataset, f"{base}dataset.{extension}", MEDIA[extension])
    else:
        for name, checksum in sorted(downloads.items()):
            extension = name.rsplit(".", 1)[-1]
            distribution(release, f"{base}{name}", MEDIA.get(extension, "application/octet-stream"), checksum)
    return g


def turtle(store, base: str = BASE, **options) -> str:
    return graph(store, base, **options).serialize(format="turtle")


def nquads(store, base: str = BASE, **options) -> bytes:
    """The description as N-Quads in its own named graph, to add to a dump."""
    from rdflib import Dataset, URIRef

    dataset = Dataset()
    named = dataset.graph(URIRef(DESCRIPTION_GRAPH))
    for triple in graph(store, base, **options):
        named.add(triple)
    return dataset.serialize(format="nquads").encode("utf-8")


def with_description(store, **options):
    """A copy of the store with the description in its named graph: what the RDF dumps hold."""
    from xwalk.store import Store

    copy = Store()
    copy.load_dump(store.serialize("nq") + nquads(store, **options))
    return copy
