"""Untrusted SPARQL is bounded on every surface (issue 11): no federation in any spelling (a real local HTTP
listener proves no request arrives), workers without network, admission control of the query pool (waiting counts,
a quick lane while runaways run, queries stopped when their client goes away, a memory limit), the CLI and the
explorer through the same workers, and the protocol details (JSON 413 for a long GET, the request's dataset)."""

import contextlib
import http.server
import multiprocessing
import socket
import subprocess
import threading
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper
from streamlit.testing.v1 import AppTest

from servers import BIN, xwalk_service
from xwalk.store import pool as sparql
from xwalk.store.federation import REFUSAL

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f ?c"
SIMPLE = "ASK { ?s ?p ?o }"
APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"


@contextmanager
def listener():
    """A real HTTP server on loopback recording every request it receives (the federation target)."""
    hits: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()


def federated(target: str) -> list[str]:
    """The spellings of a federated query to `target` that a text filter misses or may miss."""
    return [
        f"PREFIX ev: <{target}> SELECT * WHERE {{ SERVICE ev:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\U00000053\\u0045RVICE\n<{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{target}> AS ?x) SERVICE ?x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE#comment\n<{target}> {{ ?s ?p ?o }} }}",
    ]


SERVICE_IN_TEXT = (
    "# SERVICE <http://127.0.0.1:9/> in a comment\n"
    "SELECT ?x WHERE { BIND('SERVICE <http://127.0.0.1:9/> { }' AS ?x) . ?service ?p xw:SERVICE } LIMIT 1"
)


@pytest.fixture(scope="module")
def server():
    with xwalk_service(env={"XWALK_QUERY_TIMEOUT": "8"}) as base:
        yield base


def test_federation_is_refused_in_every_spelling_and_nothing_reaches_the_target(server):
    with listener() as (target, hits):
        for query in federated(target):
            response = httpx.get(f"{server}/sparql", params={"query": query}, timeout=30)
            assert response.status_code == 400, (query, response.text)
            assert response.json()["error"] == REFUSAL
        client = SPARQLWrapper(f"{server}/sparql")
        client.setQuery(federated(target)[0])
        client.setReturnFormat(JSON)
        with pytest.raises(Exception, match="not allowed here"):
            client.query()
        assert hits == []


def test_service_in_comments_strings_and_names_still_runs(server):
    response = httpx.get(f"{server}/sparql", params={"query": SERVICE_IN_TEXT}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.json()["head"]["vars"] == ["x"]


def _reach(url: str, isolate: bool, answers) -> None:
    """In a fresh process: optionally isolate as a query worker does, then let the query engine federate."""
    import pyoxigraph

    isolated = sparql._isolate_network() if isolate else None
    try:
        rows = list(pyoxigraph.Store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
        answers.put((isolated, f"answered {len(rows)} rows"))
    except Exception as error:
        answers.put((isolated, f"failed: {error}"))


def test_a_worker_cannot_open_a_socket_even_for_a_query_the_check_would_miss():
    """Defence in depth: the engine itself, run the way a worker runs it, cannot reach a listener on loopback;
    the same query from a process that is not isolated does reach it (the test can tell the difference)."""
    context = multiprocessing.get_context("spawn")
    with listener() as (target, hits):
        for isolate in (True, False):
            answers = context.Queue()
            process = context.Process(target=_reach, args=(target, isolate, answers))
            process.start()
            isolated, outcome = answers.get(timeout=60)
            process.join(30)
            if isolate:
                assert isolated is True and outcome.startswith("failed") and hits == [], outcome
            else:
                assert hits, outcome  # without the namespace, pyoxigraph did call the target


def test_a_simple_query_answers_while_runaways_hold_the_other_workers(server):
    runaways: list[httpx.Response] = []

    def runaway() -> None:
        runaways.append(httpx.get(f"{server}/sparql", params={"query": RUNAWAY}, timeout=60))

    threads = [threading.Thread(target=runaway) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        simple = httpx.get(f"{server}/sparql", params={"query": SIMPLE}, timeout=60)
        assert simple.status_code == 200 and simple.json()["boolean"] is True
        assert all(thread.is_alive() for thread in threads)  # answered while both runaways were running
    finally:
        for thread in threads:
            thread.join(60)
    assert [r.status_code for r in runaways] == [503, 503]
    assert all("time limit" in r.json()["error"] for r in runaways)


def test_waiting_for_a_worker_counts_against_the_time_limit():
    """One worker, held by a runaway: a second query is answered 503 within its own limit instead of waiting
    for the runaway to be stopped and then running."""
    with xwalk_service(env={"XWALK_QUERY_TIMEOUT": "3", "XWALK_WORKERS": "1"}) as base:
        held: list[httpx.Response] = []
        thread = threading.Thread(
            target=lambda: held.append(httpx.get(f"{base}/sparql", params={"query": RUNAWAY}, timeout=60))
        )
        thread.start()
        try:
            waiting = httpx.get(f"{base}/sparql", params={"query": RUNAWAY.replace("?i", "?j")}, timeout=60)
        finally:
            thread.join(60)
        assert waiting.status_code == 503
        assert "busy" in waiting.json()["error"] or "time limit" in waiting.json()["error"]
        assert held[0].status_code == 503
        assert httpx.get(f"{base}/sparql", params={"query": SIMPLE}, timeout=60).status_code == 200


def _processes() -> dict[int, tuple[int, list[bytes]]]:
    """pid -> (parent pid, command line) of every process, read from /proc."""
    found = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
                found[int(proc.name)] = (parent, (proc / "cmdline").read_bytes().split(b"\0"))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _children(port: int) -> set[int]:
    """The query workers of the `xwalk serve` listening on `port` (its spawned child processes)."""
    processes = _processes()
    server = next(
        pid for pid, (_, command) in processes.items() if b"serve" in command and str(port).encode() in command
    )
    return {
        pid
        for pid, (parent, command) in processes.items()
        if parent == server and any(b"spawn_main" in part for part in command)
    }


def test_a_query_is_stopped_when_its_client_goes_away():
    with xwalk_service(env={"XWALK_QUERY_TIMEOUT": "120"}) as base:
        port = int(base.rsplit(":", 1)[1])
        before = _children(port)
        assert len(before) == 5  # four workers and the spare
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{base}/sparql", params={"query": RUNAWAY}, timeout=2)
        for _ in range(100):  # liveness bound: well under the 120 s the query could have run
            gone = before - _children(port)
            if gone:
                break
            threading.Event().wait(0.1)
        assert len(gone) == 1  # the worker that ran the abandoned query was killed (and replaced)
        assert httpx.get(f"{base}/sparql", params={"query": SIMPLE}, timeout=60).status_code == 200


def test_a_query_over_the_memory_limit_is_stopped_and_its_worker_replaced():
    with xwalk_service(env={"XWALK_QUERY_MEMORY_MB": "700", "XWALK_QUERY_TIMEOUT": "60"}) as base:
        response = httpx.get(f"{base}/sparql", params={"query": MEMORY_HOG}, timeout=90)
        assert response.status_code == 503
        assert "700 MB memory limit" in response.json()["error"]
        assert httpx.get(f"{base}/sparql", params={"query": SIMPLE}, timeout=60).status_code == 200


def test_a_get_over_the_size_limit_is_the_documented_json_413(server):
    host, port = server.removeprefix("http://").split(":")
    for size in (1_100_000, 4_000_000):
        query = urllib.parse.quote("ASK {}" + " " * size)
        with socket.create_connection((host, int(port)), timeout=60) as connection:
            with contextlib.suppress(ConnectionResetError):  # it may answer and close before reading it all
                connection.sendall(f"GET /sparql?query={query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            answer = b""
            with contextlib.suppress(ConnectionResetError):
                while chunk := connection.recv(65536):
                    answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), head
        assert b"application/json" in head and b"1000000-byte limit" in body


def test_the_request_dataset_is_honoured(server):
    ontology = "https://w3id.org/xwalk/graph/ontology/xwalk.ttl"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def number(response: httpx.Response) -> int:
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    everything = number(httpx.get(f"{server}/sparql", params={"query": count}))
    in_graph = number(
        httpx.get(
            f"{server}/sparql",
            params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ontology}> {{ ?s ?p ?o }} }}"},
        )
    )
    only_ontology = number(httpx.get(f"{server}/sparql", params={"query": count, "default-graph-uri": ontology}))
    assert only_ontology == in_graph < everything
    posted = number(httpx.post(f"{server}/sparql", data={"query": count, "default-graph-uri": ontology}))
    assert posted == only_ontology
    named = httpx.get(
        f"{server}/sparql",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": ontology},
    )
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [ontology]
    bad = httpx.get(f"{server}/sparql", params={"query": count, "default-graph-uri": "not an iri"})
    assert bad.status_code == 422 and "default-graph-uri" in bad.json()["error"]
    bad = httpx.post(f"{server}/sparql", data={"query": count, "named-graph-uri": "not an iri"})
    assert bad.status_code == 400 and "not a valid graph IRI" in bad.json()["error"]


def test_an_id_with_thousands_of_digits_is_a_clear_4xx(server):
    response = httpx.get(f"{server}/api/provisions/iso27001/A.{'9' * 5000}", timeout=60)
    assert response.status_code == 404 and "no provision" in response.json()["error"]


def test_cli_query_refuses_federation_and_stops_at_its_time_limit():
    with listener() as (target, hits):
        for query in federated(target)[:4]:
            result = subprocess.run([str(BIN / "xwalk"), "query", query], capture_output=True, text=True, timeout=120)
            assert result.returncode == 2 and REFUSAL in result.stderr, result.stderr
        assert hits == []
    result = subprocess.run(
        [str(BIN / "xwalk"), "query", "--timeout", "2", RUNAWAY], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2 and "2 s time limit" in result.stderr and "Traceback" not in result.stderr


def test_stopping_a_query_kills_its_worker_and_the_pool_goes_on(tmp_path):
    """What the explorer's Stop button and a closed tab do: cancel the query's future."""
    from xwalk.load import load

    pool = sparql.BlockingPool(sparql.QueryPool(sparql.materialise(load()), size=2, timeout=120))
    try:
        before = set(pool.pool.pids())
        future = pool.submit(RUNAWAY, ["json"], ["nt"])
        with pytest.raises(TimeoutError):
            future.result(timeout=1.5)
        future.cancel()
        for _ in range(100):
            if before - set(pool.pool.pids()):
                break
            threading.Event().wait(0.1)
        assert len(before - set(pool.pool.pids())) == 1
        assert pool.submit(SIMPLE, ["json"], ["nt"]).result(timeout=60).body == b'{"head":{},"boolean":true}'
        assert pool.pool.isolated
    finally:
        pool.close()


def test_the_explorer_sparql_page_runs_bounded_and_refuses_federation(monkeypatch):
    monkeypatch.setenv("XWALK_QUERY_TIMEOUT", "2")
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    app.switch_page("views/sparql.py").run()

    def submit(query: str) -> None:
        app.session_state["sparql_text"] = query  # as the editor hands it back
        app.button(key="sparql_run").click()
        app.run()
        assert not app.exception, [e.value for e in app.exception]

    with listener() as (target, hits):
        submit(federated(target)[0])
        assert REFUSAL in app.error[0].value.replace("\\", "")
        assert hits == []
    submit(RUNAWAY)
    assert "2 s time limit" in app.error[0].value
    submit("SELECT ?s WHERE { ?s a xw:Control } LIMIT 3")
    assert any(" rows in " in c.value for c in app.caption)
