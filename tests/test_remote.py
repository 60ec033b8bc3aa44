"""The surfaces over a remote SPARQL 1.1 endpoint: the CLI and the API over an `oxigraph serve-read-only` server give
the embedded store's answers (the store interface itself is checked on every backend in test_store_compliance.py)."""

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from servers import BIN, oxigraph_server, xwalk_service
from xwalk.core.errors import XwalkError
from xwalk.services.catalog import Catalog
from xwalk.store import RemoteStore

EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.fixture(scope="module")
def endpoint(store, tmp_path_factory):
    with oxigraph_server(store.serialize("nq"), tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


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
