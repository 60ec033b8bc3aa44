"""The engine over a remote SPARQL 1.1 endpoint: an `oxigraph serve-read-only` server loaded with the dataset gives
the same catalog and coverage answers as the embedded store, through the library, the CLI and the API."""

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from servers import BIN, oxigraph_server, xwalk_service
from xwalk import baseline, coverage
from xwalk.catalog import Catalog
from xwalk.errors import XwalkError
from xwalk.stats import catalog_stats, counterparts
from xwalk.store import RemoteStore

EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.fixture(scope="module")
def endpoint(store, tmp_path_factory):
    with oxigraph_server(store.serialize("nq"), tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="module")
def remote_catalog(endpoint):
    return Catalog(RemoteStore(endpoint))


def test_the_remote_store_holds_the_same_dataset(endpoint, store):
    assert len(RemoteStore(endpoint)) == len(store)


def test_catalog_answers_are_identical(remote_catalog, catalog):
    assert catalog_stats(remote_catalog) == catalog_stats(catalog)
    assert remote_catalog.lookup("Annex A 5.15", "iso27001") == catalog.lookup("Annex A 5.15", "iso27001")
    iri = catalog.lookup("Art. 26", "eu-ai-act")[0].iri
    assert remote_catalog.children(iri) == catalog.children(iri)
    assert remote_catalog.ancestors(iri) == catalog.ancestors(iri)
    assert counterparts(remote_catalog, "iso42001", "iso27001") == counterparts(catalog, "iso42001", "iso27001")


@pytest.mark.parametrize("example", ["soa-27001-full.csv", "soa-27001-partial.csv", "soa-27001-27701.csv"])
def test_coverage_is_identical(remote_catalog, catalog, example):
    for target, options in (("iso42001", {}), ("eu-ai-act", {"role": "provider", "tier": "high-risk"})):
        answers = [
            coverage.compute(c, baseline.build(c, EXAMPLES / example), target, **options).to_dict()
            for c in (catalog, remote_catalog)
        ]
        assert answers[0] == answers[1]


def test_cli_and_api_over_the_remote_store_equal_the_embedded_cli(endpoint):
    soa = str(EXAMPLES / "soa-27001-partial.csv")
    command = ["coverage", "--baseline", soa, "--target", "iso42001", "--format", "json"]
    embedded = json.loads(
        subprocess.run([str(BIN / "xwalk"), *command], capture_output=True, text=True, check=True).stdout
    )
    remote = json.loads(
        subprocess.run(
            [str(BIN / "xwalk"), "--endpoint", endpoint, *command], capture_output=True, text=True, check=True
        ).stdout
    )
    assert remote == embedded
    with xwalk_service("--endpoint", endpoint) as base:
        response = httpx.post(
            f"{base}/api/coverage/upload",
            data={"target": "iso42001"},
            files={"file": ("soa-27001-partial.csv", Path(soa).read_bytes(), "text/csv")},
        )
        assert response.json()["summary"] == embedded["summary"]
        sparql = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s a xw:Control }"})
        assert sparql.json()["boolean"] is True


def test_an_unreachable_endpoint_is_a_clean_error():
    with pytest.raises(XwalkError, match="did not answer"):
        Catalog(RemoteStore("http://127.0.0.1:9/query", timeout=2)).standards()
