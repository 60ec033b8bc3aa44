"""Part 3: the SPARQL endpoint under a fixed mix of catalog queries, against rdflib-endpoint and against the
`oxigraph` server (Rust, the same store engine: the physical limit of this store) serving the same data.

The servers run on loopback, started as a user starts them (`xwalk serve`, `rdflib-endpoint serve FILE`,
`oxigraph load` then `oxigraph serve-read-only --union-default-graph`), and are driven by the same bounded client:
a few threads sending the mix round-robin until a fixed number of requests is answered or a time limit passes.
Every answer must be a 200 with a SPARQL JSON body, and all servers must give the same number of rows for each
query.
"""

import os
import socket
import statistics
import subprocess
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from benchmarks import common

PREFIXES = """PREFIX xw: <https://w3id.org/xwalk/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
ISO42001 = "https://w3id.org/xwalk/id/iso-iec-42001-2023"
ISO27001 = "https://w3id.org/xwalk/id/iso-iec-27001-2022"
MIX = {  # catalog queries, as a browser of the crosswalk sends them
    "standards": """SELECT ?standard ?identifier (COUNT(?provision) AS ?provisions)
WHERE { ?standard a xw:Standard ; dcterms:identifier ?identifier . ?provision xw:standard ?standard . }
GROUP BY ?standard ?identifier ORDER BY ?identifier""",
    "provision by id": """SELECT ?provision ?title ?standard
WHERE { ?provision skos:notation "A.5.15" ; skos:prefLabel ?title ; xw:standard ?standard . }""",
    "children": f"""SELECT ?child ?notation ?title
WHERE {{ ?child skos:broader <{ISO42001}/A.6.2> ; skos:notation ?notation ; skos:prefLabel ?title . }}
ORDER BY ?notation""",
    "ancestors": f"""SELECT ?ancestor ?notation
WHERE {{ <{ISO42001}/A.6.2.8> skos:broader+ ?ancestor . ?ancestor skos:notation ?notation . }}""",
    "mappings of a provision": f"""SELECT ?mapping ?relation ?other ?strength
WHERE {{
  {{ ?mapping owl:annotatedSource <{ISO42001}/A.6.2.8> ; owl:annotatedTarget ?other . }}
  UNION {{ ?mapping owl:annotatedTarget <{ISO42001}/A.6.2.8> ; owl:annotatedSource ?other . }}
  ?mapping owl:annotatedProperty ?relation .
  OPTIONAL {{ ?mapping xw:strength ?strength }}
}}""",
    "controls of a standard": f"""SELECT ?control ?notation ?title
WHERE {{ ?control xw:standard <{ISO27001}> ; xw:normativity xw:SelectableControl ; skos:notation ?notation ;
  skos:prefLabel ?title . }}
ORDER BY ?notation""",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(command: list[str], probe: str, env: dict | None = None, seconds: float = 120):
    """A server process, waited for until `probe` answers, stopped afterwards; yields its start-up time."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    try:
        deadline = time.monotonic() + seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}: {process.stderr.read()[-2000:]}")
            try:
                if httpx.get(probe, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]}: {probe} did not answer within {seconds:g} s")
            time.sleep(0.1)
        yield time.perf_counter() - start
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def ask(client: httpx.Client, url: str, query: str) -> int:
    """Send one query; the number of rows of its answer (anything but a whole SPARQL JSON answer raises)."""
    response = client.post(url, data={"query": PREFIXES + query}, headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return len(response.json()["results"]["bindings"])


def drive(url: str, requests: int, seconds: float, threads: int) -> dict:
    """Send the mix round-robin from `threads` clients until `requests` are answered or `seconds` pass."""
    names = list(MIX)
    lock, counter = threading.Lock(), iter(range(requests))
    latencies: dict[str, list[float]] = {name: [] for name in names}
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client_loop() -> None:
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < deadline:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                name = names[n % len(names)]
                start = time.perf_counter()
                try:
                    ask(client, url, MIX[name])
                except (httpx.HTTPError, KeyError, ValueError) as error:
                    errors.append(f"{name}: {error}")
                    continue
                latencies[name].append(time.perf_counter() - start)

    start = time.perf_counter()
    workers = [threading.Thread(target=client_loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {"seconds": time.perf_counter() - start, "latencies": latencies, "errors": errors}


def summary(rounds: list[dict]) -> dict:
    """Throughput as the median over the rounds; latencies over every answer of every round."""
    every = [t for r in rounds for values in r["latencies"].values() for t in values]
    by_query = {name: [t for r in rounds for t in r["latencies"][name]] for name in MIX}
    errors = [e for r in rounds for e in r["errors"]]
    return {
        "answered": len(every),
        "seconds": sum(r["seconds"] for r in rounds),
        "throughput": statistics.median(sum(map(len, r["latencies"].values())) / r["seconds"] for r in rounds),
        "p50": common.percentile(every, 0.5) if every else None,
        "p95": common.percentile(every, 0.95) if every else None,
        "per_query": {
            name: {"p50": common.percentile(v, 0.5), "p95": common.percentile(v, 0.95), "n": len(v)}
            for name, v in by_query.items()
            if v
        },
        "errors": errors[:5],
        "error_count": len(errors),
    }


def run(tiny: bool, work: Path) -> dict:
    from xwalk.load import load

    rounds, requests, seconds, threads = (1, 12, 30.0, 2) if tiny else (3, 1000, 60.0, 4)
    data = work / "dataset.nq"
    data.write_bytes(load().serialize("nq"))
    xwalk_port, rdflib_port, oxigraph_port = free_port(), free_port(), free_port()
    location = work / "oxigraph"
    subprocess.run(
        [str(common.BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)],
        check=True,
        capture_output=True,
    )
    peers = {
        "xwalk serve": (
            [str(common.BIN / "xwalk"), "serve", "--host", "127.0.0.1", "--port", str(xwalk_port)],
            f"http://127.0.0.1:{xwalk_port}/sparql",
        ),
        "rdflib-endpoint": (
            [
                str(common.BIN / "rdflib-endpoint"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(rdflib_port),
                str(data),
            ],
            f"http://127.0.0.1:{rdflib_port}/",  # its command line serves SPARQL at the root
        ),
        "oxigraph server": (
            [
                str(common.BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{oxigraph_port}",
                "--union-default-graph",
            ],
            f"http://127.0.0.1:{oxigraph_port}/query",
        ),
    }
    servers = {}
    with ExitStack() as stack, httpx.Client(timeout=300) as client:
        for name, (command, url) in peers.items():
            started = stack.enter_context(server(command, f"{url}?query=ASK%7B%7D"))
            rows = {query: ask(client, url, text) for query, text in MIX.items()}  # warm-up, and the answers
            servers[name] = {"started_seconds": started, "rows": rows, "rounds": []}
        for _ in range(rounds):  # the servers take turns, so that a drift of the machine hits both alike
            for name, (_, url) in peers.items():
                servers[name]["rounds"].append(drive(url, requests, seconds, threads))
    for record in servers.values():
        record.update(summary(record.pop("rounds")))
    counts = [s["rows"] for s in servers.values()]
    assert all(c == counts[0] for c in counts), f"the servers disagree on the answers: {counts}"
    assert all(s["error_count"] == 0 for s in servers.values()), {n: s["errors"] for n, s in servers.items()}
    return {"rounds": rounds, "requests": requests, "seconds": seconds, "threads": threads, "servers": servers}


def markdown(data: dict) -> str:
    servers = data["servers"]
    rows = []
    for name, s in servers.items():
        rows.append(
            [
                name,
                f"{s['started_seconds']:.1f} s",
                s["answered"],
                f"{s['seconds']:.1f} s",
                f"{s['throughput']:.0f} req/s",
                common.ms(s["p50"]),
                common.ms(s["p95"]),
            ]
        )
    engine, peer, limit = servers["xwalk serve"], servers["rdflib-endpoint"], servers["oxigraph server"]
    per_query = [
        [f"{name} ({engine['rows'][name]} rows)"]
        + [common.ms(s["per_query"].get(name, {}).get(p)) for s in (engine, peer, limit) for p in ("p50", "p95")]
        for name in MIX
        if name in engine["per_query"]
    ]
    return "\n".join(
        [
            "### 3. SPARQL endpoint: `xwalk serve` vs rdflib-endpoint and the oxigraph server",
            "",
            f"The same data (the shipped graph; rdflib-endpoint reads it as N-Quads, `oxigraph load` loads the same "
            f"file), all servers up on 127.0.0.1 "
            f"at once. A fixed mix of {len(MIX)} catalog queries sent round-robin by {data['threads']} client "
            f"threads (httpx, POST form, SPARQL JSON) until {data['requests']} answers or {data['seconds']:g} s, in "
            f"{data['rounds']} rounds taken in turns by the servers after one warm-up pass; throughput is the "
            f"median over the rounds, latencies are over every answer. xwalk serve answers "
            f"{engine['throughput'] / peer['throughput']:.1f}x as many requests per second as rdflib-endpoint, and "
            f"{engine['throughput'] / limit['throughput']:.2f}x as many as the oxigraph server (its p95 is "
            f"{engine['p95'] / limit['p95']:.1f}x the oxigraph server's).",
            "",
            common.table(["server", "start-up", "answered", "time", "throughput", "p50", "p95"], rows),
            "",
            common.table(
                [
                    "query",
                    "xwalk p50",
                    "xwalk p95",
                    "rdflib-endpoint p50",
                    "rdflib-endpoint p95",
                    "oxigraph p50",
                    "oxigraph p95",
                ],
                per_query,
            ),
            "",
        ]
    )
