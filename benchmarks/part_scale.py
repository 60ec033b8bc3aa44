"""Part 2: the engine at growing size. For each synthetic size (benchmarks/synthetic.py), in a fresh process: the
real loader on the generated files, the real coverage of standard 0 by a certified standard 1 (cold: fresh
Catalog; warm: memoised answers), and the peak resident memory of that process (getrusage: it sees pyoxigraph's
own allocations, which tracemalloc does not)."""

import time
from pathlib import Path

from benchmarks import common, synthetic


def _measure(connection, root: str, repeats: int) -> None:
    import resource

    from benchmarks.part_coverage import Recording
    from xwalk.load import load, source_files
    from xwalk.services import baseline, coverage
    from xwalk.services.catalog import Catalog

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    store = load(files=source_files(Path(root)))
    load_seconds = time.perf_counter() - start
    after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    held = baseline.build(Catalog(store), certified=[synthetic.BASELINE], standard=synthetic.BASELINE)

    def cold():
        return coverage.compute(Catalog(store), held, synthetic.TARGET)

    cold_seconds = common.median_seconds(cold, repeats)
    recording = Recording(store)
    report = coverage.compute(Catalog(recording), held, synthetic.TARGET)
    catalog = Catalog(store)
    coverage.compute(catalog, held, synthetic.TARGET)
    warm_seconds = common.median_seconds(lambda: coverage.compute(catalog, held, synthetic.TARGET), repeats)
    proposed_seconds, proposed_timings = None, []
    if proposed := common.proposed_queries():
        with common.using_queries(proposed):
            proposed_seconds = common.median_seconds(cold, repeats)
            recording_proposed = Recording(store)
            coverage.compute(Catalog(recording_proposed), held, synthetic.TARGET)
            proposed_timings = recording_proposed.timings
    connection.send(
        {
            "quads": len(store),
            "load_seconds": load_seconds,
            "cold_seconds": cold_seconds,
            "warm_seconds": warm_seconds,
            "queries": recording.timings,
            "proposed_seconds": proposed_seconds,
            "proposed_queries": proposed_timings,
            "target_provisions": report.summary.provisions,
            "verdicts": report.summary.verdicts,
            "rss_start_mb": before / 1024,
            "rss_after_load_mb": after_load / 1024,
            "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )
    connection.close()


def run(sizes: list[str], work: Path, limit: float = 900.0) -> dict:
    from xwalk.load import source_files

    rows = []
    for name in sizes:
        shape = synthetic.SIZES[name]
        start = time.perf_counter()
        root = synthetic.write(work / f"scale-{name}", shape)
        generated = time.perf_counter() - start
        files = source_files(root)
        messages, _, finished = common.isolated(_measure, (str(root), 3 if name == "tiny" else 5), limit)
        if not finished or not messages:
            raise RuntimeError(f"the {name} size did not finish within {limit:g} s")
        rows.append(
            {
                "size": name,
                "standards": shape.standards,
                "provisions": shape.standards * shape.provisions,
                "files": len(files),
                "megabytes": sum(p.stat().st_size for p in files) / 1e6,
                "generate_seconds": generated,
                **messages[-1][1],
            }
        )
    return {"sizes": rows}


def markdown(data: dict) -> str:
    proposals = any(r["proposed_seconds"] for r in data["sizes"])
    header = [
        "size",
        "quads",
        "standards",
        "provisions",
        "files (MB)",
        "load",
        "target provisions",
        "coverage cold",
        "coverage warm",
        *(["coverage cold, proposed queries"] if proposals else []),
        "peak RSS",
        "growth from previous size (quads / load / cold)",
    ]
    rows, previous = [], None
    for r in data["sizes"]:
        growth = "-"
        if previous:
            growth = " / ".join(
                f"x{r[k] / previous[k]:.1f}" for k in ("quads", "load_seconds", "cold_seconds") if previous[k]
            )
        rows.append(
            [
                r["size"],
                f"{r['quads']:,}",
                r["standards"],
                f"{r['provisions']:,}",
                f"{r['files']} ({r['megabytes']:.1f})",
                common.ms(r["load_seconds"]),
                r["target_provisions"],
                common.ms(r["cold_seconds"]),
                common.ms(r["warm_seconds"]),
                *([common.ms(r["proposed_seconds"])] if proposals else []),
                f"{r['rss_peak_mb']:.0f} MB",
                growth,
            ]
        )
        previous = r
    lines = [
        "### 2. Scale: synthetic crosswalks, load and coverage per size",
        "",
        "Each size runs in a fresh process: `xwalk.load.load` on the generated Turtle catalogs and SSSOM/TSV mapping "
        "sets, then the coverage of standard syn00 by a certified syn01 (cold: fresh Catalog, every query runs; "
        "warm: memoised answers). Peak RSS is the whole process (interpreter and modules included).",
        "",
        common.table(header, rows),
        "",
    ]
    largest = data["sizes"][-1]
    proposed = {q[0]: q[1] for q in largest["proposed_queries"]}
    cells = [
        [f"`{n}`", count, common.ms(s), *([common.ms(proposed.get(n))] if proposals else [])]
        for n, s, count in largest["queries"]
    ]
    lines += [
        f"Queries of one cold coverage at the {largest['size']} size:",
        "",
        common.table(["query", "rows", "time", *(["time, proposed query"] if proposals else [])], cells),
    ]
    return "\n".join(lines) + "\n"
