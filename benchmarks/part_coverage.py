"""Part 1: coverage of the full-27001 example baseline against ISO/IEC 42001 and the AI Act, three ways.

- engine, cold: `coverage.compute` with a fresh Catalog, so every query runs (the first computation on a store);
- engine, warm: the same Catalog again, its baseline-independent answers memoised in `catalog.memo`;
- engine, fresh on the cache: a fresh Catalog, as cold, on the store a command answers from (xwalk.cache): the
  baseline-independent answers persisted by an earlier run, so no query runs (the process's one-off costs, the
  digest and reading the files, are in the cold-start part);
- rdflib, cold: the same service and the same named query text with the same bindings, on an rdflib Dataset with
  the union default graph (in a child process, stopped at a time limit);
- floor: plain Python over dictionaries prepared beforehand (benchmarks/peers.py).
All three must give the same verdicts and scores; the run fails if they do not. With --tiny, the tiny synthetic
crosswalk (benchmarks/synthetic.py) stands in for the example. Rewritten queries put in benchmarks/proposed/ are
measured beside the engine's, after a check that they give the same answers.
"""

import functools
import pickle
import time
from datetime import date
from pathlib import Path

from benchmarks import common, peers, synthetic

EXAMPLE_SOA = common.ROOT / "examples" / "soa-27001-full.csv"
EXAMPLE_TARGETS = [
    ("iso42001", {}),
    ("eu-ai-act", {"role": "provider", "tier": "high-risk", "on": date(2028, 1, 1)}),
]


class Recording:
    """A store wrapper that records (query name, seconds, rows) of every named query, to show where time goes."""

    def __init__(self, store):
        self.store, self.timings = store, []

    def select(self, name, table=None, **bindings):
        start = time.perf_counter()
        rows = self.store.select(name, table=table, **bindings)
        self.timings.append((name, time.perf_counter() - start, len(rows)))
        return rows


def rdflib_child(connection, nquads: str, baseline_bytes: bytes, runs: int, outcome) -> None:
    """In a fresh process: parse the dataset into rdflib, then compute `outcome(catalog, baseline)` (a picklable
    callable returning the answer to compare) cold `runs` times, reporting every query and every run as it
    finishes."""
    from rdflib import Dataset

    from xwalk.services.catalog import Catalog

    baseline = pickle.loads(baseline_bytes)
    start = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    connection.send(("loaded", time.perf_counter() - start, len(dataset)))
    for run in range(runs):
        store = peers.RdflibStore(dataset, on_answer=(lambda t: connection.send(("query", *t))) if run == 0 else None)
        start = time.perf_counter()
        answer = outcome(Catalog(store), baseline)
        connection.send(("run", time.perf_counter() - start, answer))
    connection.close()


def _coverage_outcome(target: str, options: dict, catalog, baseline) -> dict:
    from xwalk.services import coverage

    return peers.outcome(coverage.compute(catalog, baseline, target, **options))


def run(tiny: bool, rdflib_limit: float, work: Path) -> dict:
    from xwalk.load import load, source_files
    from xwalk.services import baseline as baselines
    from xwalk.services.catalog import Catalog

    if tiny:  # the smallest synthetic crosswalk: every step runs, in a second
        root = synthetic.write(work / "tiny", synthetic.SIZES["tiny"])
        dataset, targets = "synthetic (tiny)", [(synthetic.TARGET, {})]
    else:
        root, dataset, targets = common.ROOT, "the shipped graph (ontology, catalogs, mapping sets)", EXAMPLE_TARGETS
    files = source_files(root)
    start = time.perf_counter()
    store = load(files=files)
    load_seconds = time.perf_counter() - start
    catalog = Catalog(store)
    if tiny:
        held = baselines.build(catalog, certified=[synthetic.BASELINE], standard=synthetic.BASELINE)
        baseline_name = f"certified {synthetic.BASELINE}"
    else:
        held = baselines.build(catalog, EXAMPLE_SOA)
        baseline_name = "examples/soa-27001-full.csv (certified ISO/IEC 27001:2022, all 93 controls implemented)"
    nquads = work / "dataset.nq"
    nquads.write_bytes(store.serialize("nq"))
    mapping_files = [p for p in files if p.name.endswith(".sssom.tsv")]
    repeats = {"cold": 3 if tiny else 15, "warm": 3 if tiny else 200, "floor": 3 if tiny else 500}

    from xwalk.load.cache import CachedStore

    cached = CachedStore(files, work / "coverage-cache")  # the persisted answers a fresh process would read
    results = []
    for target, options in targets:
        measured = _engine_and_floor(store, cached, catalog, held, mapping_files, target, options, repeats)
        outcome = functools.partial(_coverage_outcome, target, options)
        rdflib = rdflib_runs(nquads, held, outcome, 1 if tiny else 3, rdflib_limit, measured["outcome"], target)
        results.append(
            {
                "target": target,
                "options": {k: str(v) for k, v in options.items()},
                **measured,
                "rdflib": rdflib,
                "agree": ["engine", "floor"] + (["rdflib"] if rdflib["runs"] else []),
            }
        )
    return {
        "dataset": dataset,
        "quads": len(store),
        "baseline": baseline_name,
        "load_seconds": load_seconds,
        "rdflib_limit": rdflib_limit,
        "repeats": repeats,
        "targets": results,
    }


def _engine_and_floor(store, cached, catalog, held, mapping_files, target: str, options: dict, repeats: dict) -> dict:
    """The engine cold and warm, the floor, and the engine with the proposed queries (if any), on one target."""
    from xwalk.services import coverage
    from xwalk.services.catalog import Catalog

    def cold():
        return coverage.compute(Catalog(store), held, target, **options)

    warm_catalog = Catalog(store)

    def warm():
        return coverage.compute(warm_catalog, held, target, **options)

    def fresh():  # a fresh Catalog, as cold, on a store answering from the persisted cache (xwalk.cache)
        return coverage.compute(Catalog(cached), held, target, **options)

    cached_outcome = peers.outcome(fresh())  # the first computation fills the cache from the store
    recording = Recording(store)
    report = coverage.compute(Catalog(recording), held, target, **options)
    warm()
    prepared = peers.prepare(catalog, held, mapping_files, target, **options)
    medians = common.medians_in_turns(
        {"cold": cold, "fresh": fresh, "warm": warm, "floor": lambda: peers.floor(prepared)},
        {"cold": repeats["cold"], "fresh": repeats["cold"], "warm": repeats["warm"], "floor": repeats["floor"]},
    )
    cold_seconds, fresh_seconds, warm_seconds, floor_seconds = (medians[k] for k in ("cold", "fresh", "warm", "floor"))
    engine, floor = peers.outcome(report), peers.floor(prepared)
    assert floor["summary"] == engine["summary"] and floor["provisions"] == engine["provisions"], (
        f"the plain-Python floor disagrees with the engine on {target}"
    )
    assert cached_outcome == engine, f"the engine on the cache disagrees with the engine on the store on {target}"
    proposed_seconds, proposed_timings = None, []
    if proposed := common.proposed_queries():
        with common.using_queries(proposed):
            proposed_seconds = common.median_seconds(cold, repeats["cold"])
            recording_proposed = Recording(store)
            proposed_report = coverage.compute(Catalog(recording_proposed), held, target, **options)
        assert peers.outcome(proposed_report) == engine, f"the proposed queries change the answer on {target}"
        proposed_timings = recording_proposed.timings
    return {
        "provisions": report.summary.provisions,
        "summary": engine["summary"],
        "outcome": engine,
        "engine_cold": cold_seconds,
        "engine_fresh_cached": fresh_seconds,
        "engine_warm": warm_seconds,
        "floor": floor_seconds,
        "engine_queries": recording.timings,
        "proposed_cold": proposed_seconds,
        "proposed_queries": proposed_timings,
    }


def rdflib_runs(nquads: Path, held, outcome, runs: int, limit: float, engine: dict, subject: str) -> dict:
    """rdflib's cold computations of `outcome` (see rdflib_child), as many of `runs` as finish within `limit`
    seconds (parsing included); each must give the `engine`'s answer on `subject`."""
    messages, stopped, _ = common.isolated(rdflib_child, (str(nquads), pickle.dumps(held), runs, outcome), limit)
    loaded = next(((at, m) for at, m in messages if m[0] == "loaded"), None)
    finished = [m for _, m in messages if m[0] == "run"]
    for m in finished:
        assert m[2] == engine, f"rdflib disagrees with the engine on {subject}"
    queries = [list(m[1:]) for _, m in messages if m[0] == "query"]
    result = {
        "parse_seconds": loaded[1][1] if loaded else None,
        "runs": [m[1] for m in finished],
        "queries": queries,
        "stopped_after": None,
    }
    if not finished and loaded:  # still in its first computation when stopped: report how long it had run
        result["stopped_after"] = stopped - loaded[0]
    return result


def markdown(data: dict) -> str:
    import statistics

    lines = [
        "### 1. Coverage: engine vs rdflib vs plain-Python floor",
        "",
        f"Dataset: {data['dataset']}, {data['quads']:,} quads, loaded by `xwalk.load.load` in "
        f"{common.ms(data['load_seconds'])}. Baseline: {data['baseline']}. Medians of "
        f"{data['repeats']['cold']} cold, {data['repeats']['warm']} warm and {data['repeats']['floor']} floor runs "
        "(cold, fresh, warm and floor taken in turns); rdflib runs in a child process stopped after "
        f"{data['rdflib_limit']:g} s.",
        "",
    ]
    proposals = any(t["proposed_cold"] for t in data["targets"])
    rows = []
    for t in data["targets"]:
        r = t["rdflib"]
        if r["runs"]:
            rdflib, bound = statistics.median(r["runs"]), False
        else:
            rdflib, bound = r["stopped_after"], True
        name = t["target"] + (f" ({', '.join(t['options'].values())})" if t["options"] else "")
        rows.append(
            [
                name,
                t["provisions"],
                common.ms(t["engine_cold"]),
                common.ms(t["engine_warm"]),
                ("> " if bound else "") + common.ms(rdflib),
                common.ms(t["floor"]),
                common.ratio(rdflib, t["engine_cold"], bound),
                common.ratio(t["engine_warm"], t["floor"]),
                common.ratio(t["engine_cold"], t["floor"]),
                common.ms(t["engine_fresh_cached"]),
                common.ratio(t["engine_fresh_cached"], t["floor"]),
                ", ".join(t["agree"]),
            ]
            + ([common.ms(t["proposed_cold"])] if proposals else [])
        )
    header = [
        "target",
        "provisions",
        "engine cold",
        "engine warm",
        "rdflib cold",
        "floor",
        "rdflib / engine cold",
        "engine warm / floor",
        "engine cold / floor",
        "engine fresh, cached answers",
        "fresh cached / floor",
        "same verdicts",
    ] + (["engine cold, proposed queries"] if proposals else [])
    lines += [common.table(header, rows), ""]
    for t in data["targets"]:
        rdflib_queries = {q[0]: q for q in t["rdflib"]["queries"]}
        stopped = t["rdflib"]["stopped_after"]
        running = stopped - sum(q[1] for q in t["rdflib"]["queries"]) if stopped else None
        proposed = {q[0]: q[1] for q in t["proposed_queries"]}
        rows = []
        for name, seconds, count in t["engine_queries"]:
            other = rdflib_queries.get(name)
            if other:
                cell = common.ms(other[1])
            elif running is not None:
                cell, running = f"> {common.ms(running)} (stopped)", None
            else:
                cell = "not reached"
            rows.append(
                [f"`{name}`", count, common.ms(seconds), *([common.ms(proposed.get(name))] if proposals else []), cell]
            )
        note = f" (rdflib stopped after {stopped:.0f} s)" if stopped else ""
        lines += [f"Queries of one cold computation, {t['target']}{note}:", ""]
        header = ["query", "rows", "pyoxigraph", *(["pyoxigraph, proposed query"] if proposals else []), "rdflib"]
        lines += [common.table(header, rows), ""]
    return "\n".join(lines)
