"""The data never changes while it is served (issue 17): a repeated SPARQL query is answered from memory without a
query worker (except queries whose answer changes between evaluations), and the catalog routes of the service send
ETags, answer 304 to a matching If-None-Match, and change their ETags when the data changes."""

import shutil
import threading

import pytest

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
