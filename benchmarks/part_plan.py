"""Part 8: coverage v2 (ISO/IEC 42001 scored on its requirement elements) and the work plan (`xwalk plan`), three
ways, as part 1 measures coverage:

- engine, cold: a fresh Catalog on the loaded store, so every query runs; warm: the same Catalog again; fresh on the
  cache: a fresh Catalog on the store a command answers from (xwalk.cache), its answers persisted by an earlier run;
- rdflib, cold: the same services and the same named queries on an rdflib Dataset (peers.RdflibStore), in a child
  process stopped at a time limit;
- floor: plain Python over dictionaries prepared beforehand: peers.floor for the provisions' verdicts (formula v2),
  peers_plan.floor for the elements' results and the plan.

The baseline is examples/soa-27001-partial.csv (some controls planned or partial, so the plan has open tasks of
every mode and controls to implement next), the profile one that makes some Annex A controls not applicable. All
three must give the same verdicts, element results and plan; the run fails if they do not. With --tiny, rdflib
draws the plan once (a plan computes the coverage report first) and the engine runs a few times.
"""

import functools
import statistics
from pathlib import Path

from benchmarks import common, peers, peers_plan
from benchmarks.part_coverage import Recording, rdflib_runs

SOA = common.ROOT / "examples" / "soa-27001-partial.csv"
TARGET = "iso42001"
WHAT = ("coverage v2", "plan")
PROFILE = dict(develops=False, provides=False, uses_third_party=True, personal_data=True)


def _compute(what: str, catalog, held):
    from xwalk.services import coverage, plan
    from xwalk.services.profile import Profile

    if what == "plan":
        return plan.build(catalog, held, TARGET, Profile(**PROFILE))
    return coverage.compute(catalog, held, TARGET)


def _outcome(what: str, answer) -> dict:
    if what == "plan":
        return peers_plan.outcome(answer)
    return {**peers.outcome(answer), "elements": peers_plan.element_outcome(answer.elements)}


def _rdflib_outcome(what: str, catalog, held) -> dict:
    """What the rdflib child computes and compares (part_coverage.rdflib_child runs it)."""
    return _outcome(what, _compute(what, catalog, held))


def run(tiny: bool, rdflib_limit: float, work: Path) -> dict:
    from xwalk.load import load, source_files
    from xwalk.load.cache import CachedStore
    from xwalk.services import baseline as baselines
    from xwalk.services.catalog import Catalog
    from xwalk.services.profile import Profile

    files = source_files(common.ROOT)
    store = load(files=files)
    catalog = Catalog(store)
    held = baselines.build(catalog, SOA)
    nquads = work / "plan-dataset.nq"
    nquads.write_bytes(store.serialize("nq"))
    cached = CachedStore(files, work / "plan-cache")
    repeats = {"cold": 3 if tiny else 15, "warm": 3 if tiny else 200, "floor": 3 if tiny else 500}
    prepared = peers.prepare(catalog, held, [p for p in files if p.name.endswith(".sssom.tsv")], TARGET)
    prepared_plan = peers_plan.prepare(catalog, held)
    profile = Profile(**PROFILE)
    floors = {
        "coverage v2": lambda: (peers.floor(prepared), peers_plan.elements(prepared_plan)),
        "plan": lambda: peers_plan.floor(prepared_plan, profile),
    }
    results = []
    for what in WHAT:
        engine = _outcome(what, _compute(what, catalog, held))
        floor = _floor_outcome(what, prepared, prepared_plan, profile)
        assert floor == engine, f"the plain-Python floor disagrees with the engine on the {what}"
        warm_catalog = Catalog(store)
        _compute(what, warm_catalog, held)
        assert _outcome(what, _compute(what, Catalog(cached), held)) == engine, f"the cache changes the {what}"
        recording = Recording(store)
        _compute(what, Catalog(recording), held)

        medians = common.medians_in_turns(
            {
                "engine_cold": lambda what=what: _compute(what, Catalog(store), held),
                "engine_fresh_cached": lambda what=what: _compute(what, Catalog(cached), held),
                "engine_warm": lambda what=what, warm=warm_catalog: _compute(what, warm, held),
                "floor": floors[what],
            },
            {"engine_cold": repeats["cold"], "engine_fresh_cached": repeats["cold"]}
            | {"engine_warm": repeats["warm"], "floor": repeats["floor"]},
        )
        measured = {
            "what": what,
            **medians,
            "engine_queries": recording.timings,
            "size": _size(what, engine),
        }
        rdflib = {"runs": [], "queries": [], "parse_seconds": None, "stopped_after": None, "skipped": True}
        if what == "plan" or not tiny:
            outcome = functools.partial(_rdflib_outcome, what)
            runs = 1 if tiny else 2
            rdflib = {**rdflib_runs(nquads, held, outcome, runs, rdflib_limit, engine, f"the {what}"), "skipped": False}
        measured["rdflib"] = rdflib
        measured["agree"] = ["engine", "floor"] + (["rdflib"] if rdflib["runs"] else [])
        results.append(measured)
    return {"baseline": "examples/soa-27001-partial.csv", "profile": PROFILE, "repeats": repeats, "rows": results}


def _floor_outcome(what: str, prepared, prepared_plan, profile) -> dict:
    if what == "plan":
        found = peers_plan.floor(prepared_plan, profile)
        return {k: found[k] for k in ("tasks", "totals", "excluded", "next")}
    verdicts = peers.floor(prepared)
    elements = peers_plan.elements(prepared_plan)
    return {
        "summary": verdicts["summary"],
        "provisions": verdicts["provisions"],
        "elements": sorted([i, *r[:5], r[5]] for i, r in elements.items()),
    }


def _size(what: str, outcome: dict) -> str:
    if what == "plan":
        return f"{len(outcome['tasks'])} tasks, {len(outcome['next'])} next steps, {len(outcome['excluded'])} excluded"
    return f"{len(outcome['provisions'])} provisions, {len(outcome['elements'])} elements"


def rdflib_seconds(row: dict) -> tuple[float | None, bool]:
    """rdflib's median cold time, or how long it ran before it was stopped (then True)."""
    r = row["rdflib"]
    if r["runs"]:
        return statistics.median(r["runs"]), False
    return r["stopped_after"], True


def targets(data: dict) -> list[tuple[str, str, bool | None]]:
    rows = []
    for row in data["rows"]:
        rdflib, bound = rdflib_seconds(row)
        if rdflib:
            speedup = rdflib / row["engine_cold"]
            name = f"{TARGET} {row['what']}: engine at least 100x faster than rdflib (both cold)"
            rows.append((name, f"{'at least ' if bound else ''}{speedup:,.0f}x", speedup >= 100))
        share = row["engine_warm"] / row["floor"]
        name = f"{TARGET} {row['what']}: engine (warm) within 3x of the plain-Python floor"
        rows.append((name, f"{share:.1f}x", share <= 3))
    return rows


def markdown(data: dict) -> str:
    rows = []
    for row in data["rows"]:
        rdflib, bound = rdflib_seconds(row)
        rdflib_cell = "not run (tiny)" if row["rdflib"]["skipped"] else ("> " if bound else "") + common.ms(rdflib)
        rows.append(
            [
                row["what"],
                row["size"],
                common.ms(row["engine_cold"]),
                common.ms(row["engine_warm"]),
                common.ms(row["engine_fresh_cached"]),
                rdflib_cell,
                common.ms(row["floor"]),
                common.ratio(rdflib, row["engine_cold"], bound),
                common.ratio(row["engine_warm"], row["floor"]),
                common.ratio(row["engine_fresh_cached"], row["floor"]),
                ", ".join(row["agree"]),
            ]
        )
    header = [
        "",
        "answer",
        "engine cold",
        "engine warm",
        "engine fresh, cached answers",
        "rdflib cold",
        "floor",
        "rdflib / engine cold",
        "engine warm / floor",
        "fresh cached / floor",
        "same answers",
    ]
    r = data["repeats"]
    lines = [
        "### 8. Coverage v2 and the work plan: engine vs rdflib vs plain-Python floor",
        "",
        f"Target ISO/IEC 42001 (scored on its requirement elements), baseline {data['baseline']}; the plan under "
        f"the profile {', '.join(f'{k}={v}' for k, v in data['profile'].items())} (some Annex A controls not "
        f"applicable). Medians of {r['cold']} cold, {r['warm']} warm and {r['floor']} floor runs, taken in "
        "turns; rdflib in a child process (up to two runs; a plan reads the elements' results, or the coverage "
        "report where they depend on it). Same answers: the "
        "provisions' verdicts and scores and every element's result (coverage), the tasks in order with their "
        "phase, mode, effort and dependencies, the totals, the excluded controls and what to implement next (plan).",
        "",
        common.table(header, rows),
        "",
    ]
    return "\n".join(lines)
