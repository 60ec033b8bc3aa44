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
SCENARIOS = {"without runaways": None, "one runaway client": "one", "runaway every 14th request": "every"}
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


def drive(base: str, clients: int, seconds: float, runaways: str | None) -> dict:
    """`clients` threads sending the mix for `seconds`; latencies by kind and the statuses seen. `runaways`: None,
    "one" (the first client sends nothing but runaways, one after the other) or "every" (every RUNAWAY_EVERY-th
    request of every client is one)."""
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
                if (runaways == "one" and number == 0) or (runaways == "every" and sent % RUNAWAY_EVERY == 0):
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
        # per second of the sending window (a client waiting for its last runaway does not make the others slower)
        "answered_per_second": sum(sum(c.values()) for c in statuses.values()) / min(took, seconds),
        "ordinary_ok_per_second": len(ordinary) / min(took, seconds),
        "p50": pct(ordinary, 0.5),
        "p95": pct(ordinary, 0.95),
        "max": max(ordinary) if ordinary else None,
        "by_kind": {
            kind: {"p50": pct(values, 0.5), "p95": pct(values, 0.95), "statuses": dict(statuses[kind])}
            for kind, values in latencies.items()
        },
    }


def run(tiny: bool, work: Path) -> dict:
    clients, seconds = (4, 3.0) if tiny else (16, 15.0)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(common.BIN / "xwalk"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    scenarios = {}
    with server(command, f"{base}/sparql?query=ASK%7B%7D") as started:
        with httpx.Client(base_url=base, timeout=60) as http:  # warm-up pass: every request once
            for _, method, path, params in _requests():
                http.request(method, path, **({"data": params} if method == "POST" else {"params": params}))
        for name, runaways in SCENARIOS.items():
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


def targets(data: dict) -> list[tuple[str, str, bool]]:
    """(target, measured, met) of issue 17 for the service under the mix."""
    plain, one, every = (data["scenarios"].get(name) for name in SCENARIOS)
    rows = []
    if plain and plain["p95"] is not None:
        ok = plain["p95"] < 0.100 and not plain["ordinary_failures"]
        rows.append((f"{data['clients']}-client mix of REST and SPARQL: p95 under 100 ms", common.ms(plain["p95"]), ok))
    if plain and one and plain["p95"] and one["p95"] is not None:
        share = one["p95"] / plain["p95"]
        rows.append(
            (
                "with one runaway query in the mix: p95 of the others within 2x of the p95 without",
                f"{common.ms(one['p95'])} ({share:.1f}x), failures: {one['ordinary_failures'] or 'none'}",
                share <= 2 and not one["ordinary_failures"],
            )
        )
    if every and every["p95"] is not None:
        rows.append(
            (
                f"a runaway as every {RUNAWAY_EVERY}th request of every client: ordinary p95 under 1.5 s, none failed",
                f"{common.ms(every['p95'])}, failures: {every['ordinary_failures'] or 'none'}",
                every["p95"] <= 1.5 and not every["ordinary_failures"],
            )
        )
    return rows


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
            "### 6. `xwalk serve` under a mix of REST and SPARQL, with runaway queries",
            "",
            f"One `xwalk serve` on 127.0.0.1 with its default limits (4 query workers, two kept for quick queries, "
            f"10 s per query). {data['clients']} client threads (httpx) for {data['seconds']:g} s per scenario, "
            f"sending part 3's SPARQL catalog queries and REST calls in turn. A runaway is a three-way cross join "
            "that no limit lets finish: with one runaway client, the first client sends nothing but runaways, one "
            f"after the other; with a runaway every {RUNAWAY_EVERY}th request, every client sends one in turn "
            "(and waits for its answer). Latencies of the ordinary requests that were answered 200.",
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
