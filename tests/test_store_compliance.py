"""One suite, every backend: the embedded pyoxigraph store, an `oxigraph` server and Virtuoso (two independent
SPARQL 1.1 servers) holding the same dataset give the same answers through every method of the store interface,
through the catalog and coverage services, and through `xwalk --endpoint URL serve`."""

import contextlib
import json
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from servers import oxigraph_server, virtuoso_server, xwalk_service
from xwalk.core.vocab import ID, IRI, XSD
from xwalk.services import baseline, coverage
from xwalk.services.catalog import Catalog
from xwalk.services.exchange.description import DESCRIPTION_GRAPH
from xwalk.services.stats import catalog_stats, counterparts
from xwalk.store import RemoteStore, StoreBackend

EXAMPLES = Path(__file__).parents[1] / "examples"
CONTROL = IRI(ID + "iso-iec-42001-2023/A.6.2.8")
ARTICLE = IRI(ID + "eu-ai-act-2024-1689/art-26")
SERVERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}


@pytest.fixture(scope="module")
def endpoints(store, tmp_path_factory):
    """Both servers, started once for the module and loaded with the shipped dataset."""
    with contextlib.ExitStack() as stack:
        yield {
            name: stack.enter_context(server(store.serialize("nq"), tmp_path_factory.mktemp(name)))
            for name, server in SERVERS.items()
        }


@pytest.fixture(params=["embedded", *SERVERS])
def backend(request, store, endpoints) -> StoreBackend:
    return store if request.param == "embedded" else RemoteStore(endpoints[request.param])


@pytest.fixture(params=list(SERVERS))
def endpoint(request, endpoints) -> str:
    return endpoints[request.param]


def _quads(data: bytes, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> set:
    """The quads (triples in the default graph) with blank nodes relabelled canonically (RDFC-1.0) and numbers and
    booleans written in one lexical form, so that two stores' answers compare. (Virtuoso keeps the value of a typed
    literal, not its lexical form: it writes "1"^^xsd:double as "1.0" and true as "1".)"""
    dataset = ox.Dataset(_same_values(q) for q in ox.parse(data, format=fmt))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


CANONICAL = {
    XSD + "double": lambda v: repr(float(v)),
    XSD + "decimal": lambda v: str(Decimal(v).normalize()),
    XSD + "boolean": lambda v: str(v in ("true", "1")).lower(),
}


def _same_values(quad: ox.Quad) -> ox.Quad:
    value = quad.object
    if isinstance(value, ox.Literal) and value.datatype.value in CANONICAL:
        value = ox.Literal(CANONICAL[value.datatype.value](value.value), datatype=value.datatype)
    return ox.Quad(quad.subject, quad.predicate, value, quad.graph_name)


def test_every_backend_implements_the_whole_interface(backend):
    assert isinstance(backend, StoreBackend)


def test_the_dataset_is_the_same(backend, store):
    assert len(backend) == len(store)
    assert backend.graphs() == store.graphs()
    assert _quads(backend.serialize("nq")) == _quads(store.serialize("nq"))
    assert _quads(backend.serialize("nt"), ox.RdfFormat.N_TRIPLES) == _quads(
        store.serialize("nt"), ox.RdfFormat.N_TRIPLES
    )


def test_named_selects_with_bindings_and_tables(backend, store):
    assert backend.select("standards") == store.select("standards")
    assert backend.select("ancestors", provision=CONTROL) == store.select("ancestors", provision=CONTROL)
    table = [{"provision": CONTROL}, {"provision": ARTICLE}]
    assert sorted(map(str, backend.select("parents", table=table))) == sorted(
        map(str, store.select("parents", table=table))
    )


def test_named_construct(backend, store):
    for fmt, rdf_format in (("nt", ox.RdfFormat.N_TRIPLES), ("ttl", ox.RdfFormat.TURTLE)):
        answers = [_quads(s.construct("describe", fmt, resource=CONTROL), rdf_format) for s in (backend, store)]
        assert answers[0] == answers[1] and answers[0]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?id WHERE { ?c a xw:Control ; skos:notation ?id ; skos:inScheme ?s } ORDER BY ?id LIMIT 5",
        "ASK { ?c a xw:Control }",
        "ASK { ?c a xw:NoSuchClass }",
        "CONSTRUCT { ?c skos:notation ?id } WHERE { ?c a xw:Control ; skos:notation ?id } ",
    ],
)
def test_user_queries_answer_alike(backend, store, text):
    mine, reference = backend.query(text), store.query(text)
    assert (mine.kind, mine.variables, mine.boolean) == (reference.kind, reference.variables, reference.boolean)
    assert sorted(mine.rows, key=str) == sorted(reference.rows, key=str)


def test_protocol_answers_are_standard_sparql_results(backend, store):
    for text in ("ASK { ?c a xw:Control }", "SELECT (COUNT(*) AS ?n) WHERE { ?c a xw:Control }"):
        key, media, body = backend.answer(text, ["json"], ["ttl"], 1_000_000)
        assert (key, media) == ("json", "application/sparql-results+json")
        assert json.loads(body) == json.loads(store.answer(text, ["json"], ["ttl"], 1_000_000)[2])


def test_catalog_services_answer_alike(backend, catalog):
    remote = Catalog(backend)
    assert catalog_stats(remote) == catalog_stats(catalog)
    assert remote.lookup("Annex A 5.15", "iso27001") == catalog.lookup("Annex A 5.15", "iso27001")
    assert remote.children(ARTICLE) == catalog.children(ARTICLE)
    assert remote.ancestors(CONTROL) == catalog.ancestors(CONTROL)
    assert counterparts(remote, "iso42001", "iso27001") == counterparts(catalog, "iso42001", "iso27001")


@pytest.mark.parametrize("example", ["soa-27001-full.csv", "soa-27001-partial.csv", "soa-27001-27701.csv"])
def test_coverage_answers_alike(backend, catalog, example):
    remote = Catalog(backend)
    for target, options in (("iso42001", {}), ("eu-ai-act", {"role": "provider", "tier": "high-risk"})):
        answers = [
            coverage.compute(c, baseline.build(c, EXAMPLES / example), target, **options).to_dict()
            for c in (catalog, remote)
        ]
        assert answers[0] == answers[1]


def test_the_service_over_a_remote_server_serves_linked_data_and_dumps(endpoint, store):
    with xwalk_service("--endpoint", endpoint) as base:
        turtle = httpx.get(f"{base}/id/iso-iec-42001-2023/A.6.2.8", headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
        assert _quads(turtle.content, ox.RdfFormat.TURTLE) == _quads(
            store.construct("describe", "ttl", resource=CONTROL), ox.RdfFormat.TURTLE
        )
        dump = httpx.get(f"{base}/dataset.nq", timeout=60)
        assert dump.status_code == 200
        data = {q for q in _quads(dump.content) if q.graph_name != ox.NamedNode(DESCRIPTION_GRAPH)}
        assert data == _quads(store.serialize("nq"))  # the dataset, with its VoID/DCAT description beside it
