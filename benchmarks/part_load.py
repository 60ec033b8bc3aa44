"""Part 5: `xwalk serve` under load, with and without runaway queries in the mix (issue 11).

One `xwalk serve` on 127.0.0.1 with its default limits. 16 client threads send a mix of SPARQL catalog queries
(part 3's) and REST calls round-robin for a fixed time; in the second scenario every 14th request of a client is a
runaway (a three-way cross join that no limit lets finish). The figures: requests answered per second, p50/p95 of
the ordinary requests (SPARQL and REST apart), and what the runaways were answered (503 when stopped).
"""

import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from benchmarks import common
from benchmarks.part_endpoint import MIX, PREFIXES, free_port, server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RUNAWAY_EVERY = 14
REST = [
    ("GET", "/api/standards", None),
    ("GET", "/api/provisions/iso42001/A.6.2.8", None),
    ("GET", "/api/provisions", {"q": "logging", "standard": "iso27001"}),
    ("GET", "/api/mappings", {"subject_standard": "iso42001", "object_standard": "iso27001", "min_strength": 8}),
    ("GET", "/api/obligations", {"role": "deployer", "tier": "high-risk", "on": "2027-08-02"}),
]


def _requests() -> list[tuple[str, str, str, dict | None]]:
    """(kind, method, path, parameters) of the ordinary mix: SPARQL and REST interleaved."""
    sparql = [("sparql", "POST", "/sparql", {"query": PREFIXES + text}) for text in MIX.values()]
    rest = [("rest", method, path, params) for method, path, params in REST]
    mixed = []
    for i in range(max(len(sparql), len(rest))):
        mixed += [sparql[i % len(sparql)], rest[i % len(rest)]]
    return mixed


def drive(base: str, clients: int, seconds: float, runaways: bool) -> dict:
    """`clients` threads sending the mix for `seconds`; latencies by kind and the statuses seen."""
    mix = _requests()
    latencies: dict[str, list[float]] = {"sparql": [], "rest": [], "runaway": []}
    statuses: dict[str, Counter] = {kind: Counter() for kind in latencies}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        sent = number  # the clients start at different places in the mix
        with httpx.Client(base_url=base, timeout=120) as http:
            while time.monotonic() < deadline:
                sent += 1
                if runaways and sent % RUNAWAY_EVERY == 0:
                    kind, method, path, params = "runaway", "POST", "/sparql", {"query": RUNAWAY}
                else:
                    kind, method, path, params = mix[sent % len(mix)]
                start = time.perf_counter()
                try:
                    if method == "POST":
                        response = http.post(path, data=params, headers={"Accept": "application/sparql-results+json"})
                    else:
                        response = http.get(path, params=params)
                    status = str(response.status_code)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                elapsed = time.perf_counter() - start
                with lock:
                    statuses[kind][status] += 1
                    if status == "200" or kind == "runaway":
                        latencies[kind].append(elapsed)

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - start
    ordinary = latencies["sparql"] + latencies["rest"]

    def pct(values: list[float], share: float) -> float | None:
        return common.percentile(values, share) if values else None

    return {
        "seconds": took,
        "answered_per_second": sum(sum(c.values()) for c in statuses.values()) / took,
        "ordinary_ok_per_second": len(ordinary) / took,
        "p50": pct(ordinary, 0.5),
        "p95": pct(ordinary, 0.95),
        "max": max(ordinary) if ordinary else None,
        "by_kind": {
            kind: {"p50": pct(values, 0.5), "p95": pct(values, 0.95), "statuses": dict(statuses[kind])}
            for kind, values in latencies.items()
        },
    }


def run(tiny: bool, work: Path) -> dict:
    clients, seconds = (4, 3.0) if tiny else (16, 20.0)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(common.BIN / "xwalk"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    scenarios = {}
    with server(command, f"{base}/sparql?query=ASK%7B%7D") as started:
        with httpx.Client(base_url=base, timeout=60) as http:  # warm-up pass: every request once
            for _, method, path, params in _requests():
                http.request(method, path, **({"data": params} if method == "POST" else {"params": params}))
        for name, runaways in (("without runaways", False), ("with runaways", True)):
            scenarios[name] = drive(base, clients, seconds, runaways)
            time.sleep(0 if tiny else 12)  # let the last runaways reach their limit before the next scenario
    for result in scenarios.values():
        failed = {
            kind: statuses
            for kind, data in result["by_kind"].items()
            if kind != "runaway" and set(statuses := data["statuses"]) - {"200"}
        }
        result["ordinary_failures"] = failed
    return {"clients": clients, "seconds": seconds, "started_seconds": started, "scenarios": scenarios}


def markdown(data: dict) -> str:
    rows = []
    for name, s in data["scenarios"].items():
        runaway = s["by_kind"]["runaway"]
        rows.append(
            [
                name,
                f"{s['answered_per_second']:.0f} req/s",
                f"{s['ordinary_ok_per_second']:.0f} req/s",
                common.ms(s["p50"]),
                common.ms(s["p95"]),
                common.ms(s["by_kind"]["sparql"]["p95"]),
                common.ms(s["by_kind"]["rest"]["p95"]),
                ", ".join(f"{k}: {v}" for k, v in sorted(runaway["statuses"].items())) or "none",
                ", ".join(f"{k} {v}" for k, v in s["ordinary_failures"].items()) or "none",
            ]
        )
    return "\n".join(
        [
            "### 5. `xwalk serve` under load, with runaway queries",
            "",
            f"One `xwalk serve` on 127.0.0.1 with its default limits (4 query workers, two kept for quick queries, "
            f"10 s per query). {data['clients']} client threads (httpx) for {data['seconds']:g} s per scenario, "
            f"sending part 3's SPARQL catalog queries and REST calls in turn; with runaways, every "
            f"{RUNAWAY_EVERY}th request of a client is a three-way cross join that no limit lets finish. Latencies "
            "of the ordinary requests that were answered 200.",
            "",
            common.table(
                [
                    "scenario",
                    "answered",
                    "ordinary 200s",
                    "p50",
                    "p95",
                    "SPARQL p95",
                    "REST p95",
                    "runaways answered",
                    "ordinary failures",
                ],
                rows,
            ),
            "",
        ]
    )
