"""The data never changes while it is served (issue 17): a repeated SPARQL query is answered from memory without a
query worker (except queries whose answer changes between evaluations), and the catalog routes of the service send
ETags, answer 304 to a matching If-None-Match, and change their ETags when the data changes."""

import shutil
import threading

import httpx
import pytest

from servers import xwalk_service
from xwalk.store import pool as sparql

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
STANDARDS = "SELECT ?s WHERE { ?s a <https://w3id.org/xwalk/ontology#Standard> } ORDER BY ?s"
CHANGING = "SELECT ?s (NOW() AS ?t) WHERE { ?s a <https://w3id.org/xwalk/ontology#Standard> }"


@pytest.fixture(scope="module")
def one_worker():
    """A pool of a single query worker over the shipped data."""
    from xwalk.load import load

    directory = sparql.materialise(load())
    pool = sparql.BlockingPool(sparql.QueryPool(directory, size=1, timeout=60, quick_seconds=60))
    yield pool
    pool.close()
    shutil.rmtree(directory, ignore_errors=True)


def _held(pool: sparql.BlockingPool):
    """Submit a runaway and wait until it holds the only worker."""
    held = pool.submit(RUNAWAY, ["json"], ["nt"])
    for _ in range(200):
        if pool.pool._idle.qsize() == 0:
            return held
        threading.Event().wait(0.05)
    raise AssertionError("the runaway never took the worker")


def test_a_repeated_query_is_answered_from_memory_while_the_only_worker_is_busy(one_worker):
    first = one_worker.submit(STANDARDS, ["json"], ["nt"]).result(timeout=60)
    assert b"iso-iec-42001-2023" in first.body
    changing = one_worker.submit(CHANGING, ["json"], ["nt"]).result(timeout=60)
    assert b"iso-iec-42001-2023" in changing.body
    held = _held(one_worker)
    try:
        again = one_worker.submit(STANDARDS, ["json"], ["nt"]).result(timeout=30)
        assert again.body == first.body
        other_format = one_worker.submit(STANDARDS, ["csv"], ["nt"])  # another answer: it needs the worker
        asked_again = one_worker.submit(CHANGING, ["json"], ["nt"])  # NOW() changes: it needs the worker
        threading.Event().wait(1.5)
        assert not other_format.done() and not asked_again.done()
        other_format.cancel()
        asked_again.cancel()
    finally:
        held.cancel()


def _etags(base: str) -> dict[str, httpx.Response]:
    """A catalog route, a linked-data IRI in two formats and a filtered mapping list, fetched once each."""
    asked = {
        "standards": ("/api/standards", {}),
        "html": ("/id/iso-iec-42001-2023/A.6.2.8", {"Accept": "text/html"}),
        "turtle": ("/id/iso-iec-42001-2023/A.6.2.8", {"Accept": "text/turtle"}),
        "mappings": ("/api/mappings?subject_standard=iso42001&object_standard=iso27001", {}),
    }
    return {name: httpx.get(base + path, headers=headers, timeout=60) for name, (path, headers) in asked.items()}


def test_catalog_routes_send_etags_answer_304_and_change_with_the_data(project_copy):
    with xwalk_service("--root", str(project_copy)) as base:
        answers = _etags(base)
        assert all(a.status_code == 200 and a.headers["etag"].startswith('"') for a in answers.values())
        assert all("max-age" in a.headers["cache-control"] and "Accept" in a.headers["vary"] for a in answers.values())
        assert len({a.headers["etag"] for a in answers.values()}) == 4  # per route, parameters and format
        etag, body = answers["standards"].headers["etag"], answers["standards"].content
        for named in (etag, f'"other", W/{etag}', "*"):
            unchanged = httpx.get(f"{base}/api/standards", headers={"If-None-Match": named}, timeout=60)
            assert unchanged.status_code == 304 and unchanged.content == b"", named
            assert unchanged.headers["etag"] == etag
        stale = httpx.get(f"{base}/api/standards", headers={"If-None-Match": '"an-older-version"'}, timeout=60)
        assert stale.status_code == 200 and stale.content == body and stale.headers["etag"] == etag
        missing = httpx.get(f"{base}/api/provisions/iso42001/Z.99", timeout=60)
        assert missing.status_code == 404 and "etag" not in missing.headers  # only answers are tagged
        query = httpx.post(f"{base}/sparql", data={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert query.status_code == 200 and "etag" not in query.headers
    mapping_set = project_copy / "mappings" / "iso42001-2023_iso27001-2022.sssom.tsv"
    mapping_set.write_text(mapping_set.read_text("utf-8").replace("\txw:intersects_with\t", "\txw:equal\t"), "utf-8")
    with xwalk_service("--root", str(project_copy)) as base:
        changed = _etags(base)
        assert changed["mappings"].json() != answers["mappings"].json()  # the data did change
        for name, answer in changed.items():  # every ETag changes with the data, even where the body did not
            assert answer.headers["etag"] != answers[name].headers["etag"], name
        old = httpx.get(f"{base}/api/standards", headers={"If-None-Match": etag}, timeout=60)
        assert old.status_code == 200 and old.content == changed["standards"].content
