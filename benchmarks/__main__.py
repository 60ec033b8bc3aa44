"""`python -m benchmarks`: every part, side by side in one run; the report goes into benchmarks/README.md.

python -m benchmarks                          # the whole run (about 4 minutes on 2 cores)
python -m benchmarks --tiny                   # every part at its tiniest size, report on stdout (as the tests)
python -m benchmarks --parts coverage,scale   # some parts only (see --help for the names)
python -m benchmarks --parts uploads          # hostile uploads: peak memory of every server process
python -m benchmarks --output report.md --json results.json
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import common

PARTS = ("coverage", "plan", "inventory", "scale", "endpoint", "coldstart", "load", "uploads", "pages")
README = Path(__file__).parent / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="every part at its tiniest size, to prove it works")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, among {', '.join(PARTS)}")
    parser.add_argument("--sizes", help="synthetic sizes for the scale part (default 10k,100k,1M; tiny: tiny)")
    parser.add_argument("--rdflib-limit", type=float, default=120.0, help="seconds rdflib may run per target")
    parser.add_argument("--output", type=Path, help="write the Markdown report here (default: README or stdout)")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose among {', '.join(PARTS)}")
    sizes = (args.sizes or ("tiny" if args.tiny else "10k,100k,1M")).split(",")

    from benchmarks import (
        part_coldstart,
        part_coverage,
        part_endpoint,
        part_inventory,
        part_load,
        part_pages,
        part_plan,
        part_scale,
        part_uploads,
        synthetic,
    )

    unknown = [s for s in sizes if s not in synthetic.SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose among {', '.join(synthetic.SIZES)}")
    modules = {
        "coverage": part_coverage,
        "plan": part_plan,
        "inventory": part_inventory,
        "scale": part_scale,
        "endpoint": part_endpoint,
        "coldstart": part_coldstart,
        "load": part_load,
        "uploads": part_uploads,
        "pages": part_pages,
    }
    work = Path(tempfile.mkdtemp(prefix="xwalk-bench-"))
    results = {"machine": common.machine(), "tiny": args.tiny, "started": datetime.now(UTC).isoformat()}
    try:
        for part in parts:
            print(f"benchmarks: {part} ...", file=sys.stderr, flush=True)
            start = time.perf_counter()
            if part == "coverage":
                results[part] = part_coverage.run(args.tiny, args.rdflib_limit, work)
            elif part == "plan":
                results[part] = part_plan.run(args.tiny, args.rdflib_limit, work)
            elif part == "inventory":
                results[part] = part_inventory.run(args.tiny, work)
            elif part == "scale":
                results[part] = part_scale.run(sizes, work)
            elif part == "endpoint":
                results[part] = part_endpoint.run(args.tiny, work)
            elif part == "uploads":
                results[part] = part_uploads.run(args.tiny, work)
            elif part == "load":
                results[part] = part_load.run(args.tiny, work)
            elif part == "pages":
                results[part] = part_pages.run(args.tiny, work)
            else:
                results[part] = part_coldstart.run(args.tiny, work)
            print(f"benchmarks: {part} done in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = render(results, {p: modules[p] for p in parts}, " ".join(["python -m benchmarks", *(argv or [])]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str), "utf-8")
    if args.output:
        args.output.write_text(report, "utf-8")
    elif args.tiny or len(parts) < len(PARTS):
        print(report)
    else:
        write_readme(report)
        print(f"benchmarks: wrote the results into {README}", file=sys.stderr)
    return 0


def render(results: dict, modules: dict, command: str) -> str:
    m = results["machine"]
    versions = ", ".join(f"{name} {version}" for name, version in m["packages"].items())
    lines = [
        f"Command: `{command.strip()}`, started {results['started'][:16].replace('T', ' ')} UTC"
        + (" (tiny sizes: proves the parts work; the numbers mean nothing)" if results["tiny"] else "")
        + ".",
        "",
        f"Machine: {m['cpus']} cores ({m['cpu']}), {m['memory']} memory, Python {m['python']}, {m['system']}; "
        f"{versions}. Load average (1 min) at the start {m['load_average']:.2f}, at the end {os.getloadavg()[0]:.2f}.",
        "",
        "### Targets",
        "",
        common.table(["target", "measured", "verdict"], targets(results)),
        "",
    ]
    for part, module in modules.items():
        lines.append(module.markdown(results[part]))
    return "\n".join(lines).rstrip() + "\n"


def targets(results: dict) -> list[list[str]]:
    """Each target of issue 8 against this run's numbers."""
    import statistics

    rows = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed** (see the notes)"

    for t in results.get("coverage", {}).get("targets", []):
        r = t["rdflib"]
        rdflib = statistics.median(r["runs"]) if r["runs"] else r["stopped_after"]
        if rdflib:
            speedup = rdflib / t["engine_cold"]
            bound = "" if r["runs"] else "at least "
            rows.append(
                [
                    f"{t['target']}: engine coverage at least 100x faster than rdflib (both cold)",
                    f"{bound}{speedup:,.0f}x",
                    verdict(speedup >= 100),
                ]
            )
        for label, key in (("warm", "engine_warm"), ("fresh Catalog on the persisted answers", "engine_fresh_cached")):
            share = t[key] / t["floor"]
            rows.append(
                [
                    f"{t['target']}: engine coverage ({label}) within 5x of the plain-Python floor",
                    f"{share:.1f}x",
                    verdict(share <= 5),
                ]
            )
        # No target: every query runs on the store, which is what the persisted answers exist to spare a fresh
        # Catalog (issue 17's "fresh in-process coverage" is the row above).
        measured = f"{t['engine_cold'] / t['floor']:.1f}x"
        if t["proposed_cold"]:
            measured += f" ({t['proposed_cold'] / t['floor']:.1f}x with the proposed queries)"
        rows.append(
            [f"{t['target']}: engine coverage (cold: a fresh Catalog on the store) / the floor", measured, "no target"]
        )
    if "plan" in results:
        from benchmarks.part_plan import targets as plan_targets

        rows += [[target, measured, verdict(ok)] for target, measured, ok in plan_targets(results["plan"])]
    if "inventory" in results:
        from benchmarks.part_inventory import targets as inventory_targets

        rows += [[target, measured, verdict(ok)] for target, measured, ok in inventory_targets(results["inventory"])]
    for size in results.get("scale", {}).get("sizes", []):
        if size["size"] == "1M":
            measured = common.ms(size["cold_seconds"])
            if size["proposed_seconds"]:
                measured += f" ({common.ms(size['proposed_seconds'])} with the proposed queries)"
            rows.append(["1M triples: coverage under 1 s (cold)", measured, verdict(size["cold_seconds"] < 1)])
            rows.append(
                ["1M triples: load under 10 s", common.ms(size["load_seconds"]), verdict(size["load_seconds"] < 10)]
            )
    servers = results.get("endpoint", {}).get("servers")
    if servers:
        engine, peer = servers["xwalk serve"], servers["rdflib-endpoint"]
        speedup = engine["throughput"] / peer["throughput"]
        rows.append(["endpoint throughput at least 3x rdflib-endpoint's", f"{speedup:.1f}x", verdict(speedup >= 3)])
        rows.append(
            ["endpoint p95 under 20 ms (catalog queries)", common.ms(engine["p95"]), verdict(engine["p95"] < 0.020)]
        )
        if limit := servers.get("oxigraph server"):  # no target: how far from the Rust server of the same store
            rows.append(
                [
                    "endpoint vs the oxigraph server: throughput ratio, p95 ratio (xwalk / oxigraph; reported)",
                    f"{engine['throughput'] / limit['throughput']:.2f}x, {engine['p95'] / limit['p95']:.1f}x",
                    "no target",
                ]
            )
    if "load" in results:
        from benchmarks.part_load import targets as load_targets

        rows += [[target, measured, verdict(ok)] for target, measured, ok in load_targets(results["load"])]
    if "pages" in results:
        from benchmarks.part_pages import targets as page_targets

        rows += [[target, measured, verdict(ok)] for target, measured, ok in page_targets(results["pages"])]
    cold = results.get("coldstart")
    if cold:
        from benchmarks.part_coldstart import BAR, LIBRARIES, SUBJECT

        share = cold["medians"][SUBJECT] / cold["medians"][BAR]
        libraries = cold["medians"][LIBRARIES] / cold["medians"][BAR]
        rows.append(
            [
                'cold `xwalk coverage` within 4x of `python -c "import pyoxigraph"`',
                f"{share:.1f}x (importing click and the standard modules the code is written with: {libraries:.1f}x)",
                verdict(share <= 4),
            ]
        )
    return rows


def write_readme(report: str) -> None:
    text = README.read_text("utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{README} lacks the {START} ... {END} markers")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    README.write_text(f"{head}{START}\n{report}{END}{tail}", "utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
