"""The HTTP service, against a real `xwalk serve` process, with real clients: SPARQLWrapper, rdflib's SPARQL store,
httpx, schemathesis."""

import io
import json
import subprocess
import threading
from pathlib import Path

import httpx
import pytest
import rdflib
import schemathesis
from hypothesis import HealthCheck, settings
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from schemathesis.config import SchemathesisConfig
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from servers import BIN, xwalk_service
from xwalk.api import create_app

EXAMPLES = Path(__file__).parents[1] / "examples"
PREFIX = "PREFIX xw: <https://w3id.org/xwalk/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
COUNT_27001_CONTROLS = PREFIX + "SELECT (COUNT(?c) AS ?n) WHERE { ?c a xw:Control ; xw:standard/xw:key 'iso27001' }"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server():
    with xwalk_service(env={"XWALK_QUERY_TIMEOUT": "3"}) as base:
        yield base


def wrapper(server: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_select_in_every_results_format(server):
    data = wrapper(server, COUNT_27001_CONTROLS, JSON).queryAndConvert()
    assert data["results"]["bindings"][0]["n"]["value"] == "93"
    xml = wrapper(server, COUNT_27001_CONTROLS, XML).queryAndConvert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == ["93"]
    assert wrapper(server, COUNT_27001_CONTROLS, CSV).queryAndConvert().decode().splitlines() == ["n", "93"]
    tsv = wrapper(server, COUNT_27001_CONTROLS, TSV).queryAndConvert().decode().splitlines()
    assert tsv[0] == "?n" and tsv[1].startswith("93")


def test_ask_answers_true_and_false(server):
    assert wrapper(server, PREFIX + "ASK { ?p skos:notation 'A.6.2.8' }", JSON).queryAndConvert()["boolean"] is True
    assert wrapper(server, PREFIX + "ASK { ?p skos:notation 'A.99' }", JSON).queryAndConvert()["boolean"] is False


def test_construct_and_describe_as_graphs(server):
    construct = PREFIX + (
        "CONSTRUCT { ?c skos:prefLabel ?t } WHERE { ?c a xw:Control ; xw:standard/xw:key "
        "'iso42001' ; skos:prefLabel ?t }"
    )
    graph = rdflib.Graph().parse(data=wrapper(server, construct, TURTLE).queryAndConvert(), format="turtle")
    assert len(graph) == 38
    describe = "DESCRIBE <https://w3id.org/xwalk/id/iso-iec-27001-2022/A.8.15>"
    described = rdflib.Graph().parse(data=wrapper(server, describe, TURTLE).queryAndConvert(), format="turtle")
    assert (
        rdflib.URIRef("https://w3id.org/xwalk/id/iso-iec-27001-2022/A.8.15"),
        rdflib.SKOS.prefLabel,
        rdflib.Literal("Logging", lang="en"),
    ) in described
    for accept, fmt in (
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ):
        response = httpx.post(f"{server}/sparql", data={"query": construct}, headers={"Accept": accept})
        assert response.headers["content-type"].startswith(accept)
        assert len(rdflib.Graph().parse(data=response.text, format=fmt)) == 38


def test_rdflib_sparql_store_reads_the_endpoint(server):
    graph = rdflib.Graph(store=SPARQLStore(f"{server}/sparql", returnFormat="json"))
    rows = list(graph.query(COUNT_27001_CONTROLS))
    assert int(rows[0][0]) == 93


def test_an_update_is_refused(server):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setMethod("POST")
    client.setQuery("INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }")
    with pytest.raises(Exception, match="403"):
        client.query()
    response = httpx.post(
        f"{server}/sparql", content="DELETE WHERE { ?s ?p ?o }", headers={"Content-Type": "application/sparql-update"}
    )
    assert response.status_code == 403 and "read-only" in response.json()["error"]
    assert wrapper(server, COUNT_27001_CONTROLS, JSON).queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "93"


def test_malformed_query_is_a_400_with_a_message(server):
    response = httpx.get(f"{server}/sparql", params={"query": "SELEC ?x WHERE {"})
    assert response.status_code == 400 and "not valid SPARQL" in response.json()["error"]


def test_an_expensive_query_is_stopped_while_a_simple_one_answers(server):
    slow: dict = {}
    thread = threading.Thread(
        target=lambda: slow.update(response=httpx.get(f"{server}/sparql", params={"query": EXPENSIVE}, timeout=60))
    )
    thread.start()
    try:
        simple = httpx.get(f"{server}/sparql", params={"query": COUNT_27001_CONTROLS}, timeout=60)
        assert simple.status_code == 200 and thread.is_alive()  # answered while the expensive one still runs
    finally:
        thread.join(60)
    assert slow["response"].status_code == 503
    assert "time limit" in slow["response"].json()["error"]
    assert httpx.get(f"{server}/sparql", params={"query": COUNT_27001_CONTROLS}).status_code == 200


def test_request_size_is_bounded(server):
    response = httpx.post(
        f"{server}/sparql", content="ASK {}" + " " * 2_000_000, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


def test_result_size_is_bounded():
    with xwalk_service(env={"XWALK_MAX_RESULT_BYTES": "5000"}) as base:
        response = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert response.status_code == 413 and "5000-byte limit" in response.json()["error"]


def test_cors_and_service_description(server):
    response = httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    description = rdflib.Graph().parse(data=httpx.get(f"{server}/sparql").text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.endpoint, rdflib.URIRef(f"{server}/sparql")) in description


def test_example_queries_page_and_each_example_runs(server):
    examples = httpx.get(f"{server}/sparql/examples").json()
    assert len(examples) >= 5
    for example in examples:
        response = httpx.get(f"{server}/sparql", params={"query": example["query"]})
        assert response.status_code == 200, example["name"]
        assert len(response.json()["results"]["bindings"]) > 0, example["name"]
    page = httpx.get(f"{server}/sparql/examples", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "Example SPARQL queries" in page.text


def test_every_iri_dereferences_with_content_negotiation(server):
    iri = "https://w3id.org/xwalk/id/iso-iec-42001-2023/A.6.2.8"
    path = iri.removeprefix("https://w3id.org/xwalk")
    html = httpx.get(server + path, headers={"Accept": "text/html"})
    assert html.status_code == 200 and "AI system recording of event logs" in html.text
    turtle = rdflib.Graph().parse(
        data=httpx.get(server + path, headers={"Accept": "text/turtle"}).text, format="turtle"
    )
    assert (rdflib.URIRef(iri), rdflib.SKOS.notation, rdflib.Literal("A.6.2.8")) in turtle
    jsonld = httpx.get(server + path, headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == len(turtle)
    assert httpx.get(f"{server}/id/eu-ai-act-2024-1689/art-26-5").status_code == 200
    assert httpx.get(f"{server}/id/iso-iec-42001-2023/A.99").status_code == 404


def test_downloads(server, store):
    dump = httpx.get(f"{server}/dataset.nq", timeout=120)  # the first dump computes the data's content digest
    dataset = rdflib.Dataset().parse(data=dump.text, format="nquads")
    in_graphs = sum(len(dataset.graph(rdflib.URIRef(name))) for name in store.graphs())
    described = rdflib.URIRef("https://w3id.org/xwalk/graph/void")  # the dump carries its VoID/DCAT description
    assert in_graphs == len(store) and len(dataset.graph(described)) > 0
    sssom = httpx.get(f"{server}/mappings/iso42001-2023_iso27001-2022.sssom.tsv")
    assert sssom.text == (Path(__file__).parents[1] / "mappings/iso42001-2023_iso27001-2022.sssom.tsv").read_text()
    ontology = rdflib.Graph().parse(data=httpx.get(f"{server}/ontology").text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/xwalk/ontology"), rdflib.OWL.versionIRI, None) in ontology


def test_rest_catalog_routes(server):
    standards = {s["key"]: s for s in httpx.get(f"{server}/api/standards").json()}
    assert standards["iso27001"]["provisions"] == 138
    found = httpx.get(f"{server}/api/provisions", params={"q": "A 5.15", "standard": "iso27001"}).json()
    assert found[0]["id"] == "A.5.15"
    record = httpx.get(f"{server}/api/provisions/iso42001/A.6.2.8").json()
    assert {m["other_id"] for m in record["mappings"]} >= {"A.8.15", "Article 12"}
    assert not any(m["derived"] for m in record["mappings"])  # curated only, unless with_derived=true
    unknown = httpx.get(f"{server}/api/provisions/iso27001/5.38")
    assert unknown.status_code == 404 and "close matches" in unknown.json()["error"]
    mappings = httpx.get(
        f"{server}/api/mappings",
        params={"subject_standard": "iso42001", "object_standard": "iso27001", "relation": "equal", "min_strength": 8},
    )
    assert mappings.status_code == 200 and all(m["relation"] == "equal" and m["strength"] >= 8 for m in mappings.json())


@pytest.mark.parametrize(
    ("standard", "provision_id", "with_derived"),
    [("iso42001", "A.6.2.8", False), ("eu-ai-act", "Article 12", True), ("iso27001", "A 5.15", False)],
)
def test_a_provision_record_is_one_answer_for_cli_api_and_service(
    server, catalog, standard, provision_id, with_derived
):
    """`xwalk show --format json`, /api/provisions/{standard}/{id} and services.browse.provision_record give the same
    record (the explorer's detail panel draws it too)."""
    from dataclasses import asdict

    from xwalk.services import browse

    command = [str(BIN / "xwalk"), "show", provision_id, "--standard", standard, "--format", "json"]
    cli = json.loads(
        subprocess.run(command + ["--with-derived"] * with_derived, capture_output=True, check=True).stdout
    )
    params = {"with_derived": "true"} if with_derived else {}
    api = httpx.get(f"{server}/api/provisions/{standard}/{provision_id}", params=params, timeout=60).json()
    found = catalog.resolve(provision_id, standard)
    service = json.loads(json.dumps(asdict(browse.provision_record(catalog, found, with_derived))))
    assert cli == [api] == [service]
    assert api["notation"] == found.notation and api["mappings"] and api["parents"]
    derived = [m for m in api["mappings"] if m["derived"]]
    assert all(len(m["chain"]) == 2 for m in derived) and (bool(derived) == with_derived)


@pytest.mark.parametrize("example", ["soa-27001-full.csv", "soa-27001-partial.csv", "soa-27001-27701.csv"])
def test_coverage_through_the_api_equals_the_cli(server, example):
    path = EXAMPLES / example
    cli = subprocess.run(
        [str(BIN / "xwalk"), "coverage", "--baseline", str(path), "--target", "iso42001", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(cli.stdout)
    response = httpx.post(
        f"{server}/api/coverage/upload",
        data={"target": "iso42001"},
        files={"file": (example, path.read_bytes(), "text/csv")},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["summary"] == expected["summary"] and answer["provisions"] == expected["provisions"]


def test_coverage_from_json_and_obligations(server):
    report = httpx.post(
        f"{server}/api/coverage",
        json={
            "baseline": [{"id": "A 8.15", "status": "implemented"}],
            "uncertified": True,
            "target": "eu-ai-act",
            "role": "deployer",
            "tier": "high-risk",
            "on": "2028-01-01",
        },
    ).json()
    assert report["target"]["timeline"] == "omnibus-2026"
    logs = next(p for p in report["provisions"] if p["id"] == "Article 26(6)")
    assert logs["verdict"] == "partial" and logs["evidence"][0]["held_id"] == "A.8.15"
    obligations = httpx.get(
        f"{server}/api/obligations", params={"role": "deployer", "tier": "high-risk", "on": "2026-09-01"}
    ).json()
    assert [o["id"] for o in obligations["obligations"]] == ["Article 4"]
    draft = httpx.post(f"{server}/api/soa-draft", json={"certified": ["iso27001"]}).json()
    assert len(draft) == 38


def test_bad_input_is_json_with_the_right_status(server):
    bad = io.BytesIO(b"Control,Status\nA.5.1,implemented\n5.38,implemented\n")
    response = httpx.post(f"{server}/api/coverage/upload", files={"file": ("my-soa.csv", bad, "text/csv")})
    assert response.status_code == 400
    assert "my-soa.csv: 1 row(s) could not be read" in response.json()["error"] and "row 3" in response.json()["error"]
    assert httpx.post(f"{server}/api/coverage", json={"target": 5}).status_code == 422
    response = httpx.get(f"{server}/api/obligations", params={"role": "ceo", "tier": "high-risk"})
    assert response.status_code == 400 and "unknown role" in response.json()["error"]


def test_bounded_concurrent_load_gives_no_errors(server):
    """8 clients on loopback for 8 seconds, mixing catalog, SPARQL and coverage requests."""
    import time

    failures, counts = [], []

    def client(n: int) -> None:
        done, deadline = 0, time.monotonic() + 8
        with httpx.Client(base_url=server, timeout=30) as http:
            while time.monotonic() < deadline:
                if n % 3 == 0:
                    response = http.get("/sparql", params={"query": COUNT_27001_CONTROLS})
                elif n % 3 == 1:
                    response = http.get("/api/provisions/iso27001/A.5.15")
                else:
                    response = http.post("/api/coverage", json={"certified": ["iso27001"], "target": "iso42001"})
                if response.status_code != 200:
                    failures.append((response.status_code, response.text[:200]))
                done += 1
        counts.append(done)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == [] and len(counts) == 8 and min(counts) > 0


# The schema comes from the app itself (no server at collection time); every case is sent to the real server.
# Valid data may still name what the catalog does not hold (a standard, a role) or be invalid SPARQL: the answer is
# then a 400 that says so, which the schema cannot rule out; every other check keeps its defaults.
CHECKS = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]
"""
schema = schemathesis.openapi.from_dict(create_app().openapi(), config=SchemathesisConfig.from_str(CHECKS))
schemathesis.serializer.alias("application/sparql-query", "text/plain")  # a query sent as the body is text


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_conforms_to_the_schema(case, server):
    """All of schemathesis' checks: no server error, and every status, content type, header and body as the
    OpenAPI document declares them; invalid data refused, valid data accepted."""
    case.call_and_validate(base_url=server, timeout=30)


def test_cli_and_api_give_the_same_inventory_answer(server):
    """`xwalk obligations --format json` and the inventory upload ask the same service (services.assess.inventory):
    the same systems, obligations, verdicts and fine ceilings for the example inventory, SME, with a certificate."""
    day, upload = "2027-09-01", (EXAMPLES / "ai-inventory.yaml").read_bytes()
    command = [str(BIN / "xwalk"), "obligations", "--inventory", str(EXAMPLES / "ai-inventory.yaml"), "--sme"]
    command += ["--on", day, "--certified", "iso27001", "--format", "json"]
    cli = json.loads(subprocess.run(command, capture_output=True, check=True, text=True, timeout=120).stdout)
    api = httpx.post(
        f"{server}/api/obligations/inventory/upload",
        files={"file": ("ai-inventory.yaml", io.BytesIO(upload), "application/yaml")},
        data={"on": day, "sme": "true", "certified": "iso27001"},
        timeout=60,
    ).json()
    assert len(cli["systems"]) >= 3 and any(s["obligations"] for s in cli["systems"])
    assert cli["systems"] == api["systems"] and cli["organisation"] == api["organisation"]


def test_ai_act_inventory_as_json_and_as_upload(server):
    inventory = {
        "public_body": False,
        "systems": [
            {"name": "CV screening", "roles": ["deployer"], "tier": "high-risk", "annex_iii_area": "employment"},
            {"name": "bot", "roles": ["provider"], "tier": "transparency", "interacts_with_people": True},
        ],
    }
    answer = httpx.post(
        f"{server}/api/obligations/inventory",
        json={"inventory": inventory, "on": "2026-08-02", "certified": ["iso27001"]},
        timeout=60,
    ).json()
    assert answer["timeline"]["key"] == "omnibus-2026" and "2026/1744" in answer["timeline"]["legal_source"]
    bot = answer["systems"][1]["obligations"]
    article_50_1 = next(o for o in bot if o["id"] == "Article 50(1)")
    assert article_50_1["applies"] is True and "verdict" in article_50_1
    upload = (EXAMPLES / "ai-inventory.yaml").read_bytes()
    answer = httpx.post(
        f"{server}/api/obligations/inventory/upload",
        files={"file": ("ai-inventory.yaml", io.BytesIO(upload), "application/yaml")},
        data={"on": "2026-12-02", "sme": "true"},
        timeout=60,
    ).json()
    assert [s["name"] for s in answer["systems"]][:2] == ["CV screening", "Customer chatbot"]
    assert answer["organisation"]["sme"] is True
    bad = httpx.post(
        f"{server}/api/obligations/inventory",
        json={"inventory": {"systems": [{"name": "x", "roles": ["boss"], "tier": "high-risk"}]}},
    )
    assert bad.status_code == 400 and "entry 1 (x) field roles: 'boss' is not a role" in bad.json()["error"]
