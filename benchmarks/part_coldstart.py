"""Part 4: cold start. A whole `xwalk coverage` process on the example, against a bare `python -c "import
pyoxigraph"` process (and, for scale, an empty interpreter, `xwalk --help` and the same coverage with the cache off).
The commands answer from a cache folder of the run's own (xwalk.cache), filled by the first, untimed run. Each
command runs once to warm the file cache, then `repeats` times, the commands in turns; medians. A stage breakdown
of one cached run in a fresh process shows where the time goes.

Every command runs as a user's installation runs it: with the package's bytecode written (PYTHONDONTWRITEBYTECODE,
which some shells set, is removed from their environment, so the first run compiles and the measured runs do not).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import common

EXAMPLE = ["--baseline", str(common.ROOT / "examples" / "soa-27001-full.csv"), "--target", "iso42001"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    'python -c "import pyoxigraph"': [sys.executable, "-c", "import pyoxigraph"],
    # the floor of any command written as this one is: its CLI library and the standard modules its code needs
    # (dataclasses imports inspect, ast and dis), before a line of xwalk runs
    'python -c "import click, dataclasses, decimal, json, pathlib, pyoxigraph"': [
        sys.executable,
        "-c",
        "import click, dataclasses, decimal, json, pathlib, pyoxigraph",
    ],
    "xwalk --help": [str(common.BIN / "xwalk"), "--help"],
    "xwalk coverage (example, iso42001)": [str(common.BIN / "xwalk"), "coverage", *EXAMPLE],
}
BAR, SUBJECT = 'python -c "import pyoxigraph"', "xwalk coverage (example, iso42001)"
LIBRARIES = 'python -c "import click, dataclasses, decimal, json, pathlib, pyoxigraph"'
UNCACHED = "the same coverage with the cache off (XWALK_CACHE=off: load the sources, run the queries)"
FIRST = "the first run on a new cache (load, query, write the cache)"

# One cached run, stage by stage, in a fresh interpreter: what a `xwalk coverage` process spends its time on.
STAGES = """
import time
marks = [("interpreter", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
import click
mark("import click")
from xwalk.services import baseline, coverage
from xwalk.load import cache
from xwalk.present import reports
from xwalk.services.catalog import Catalog
from xwalk.load import imported_files, source_files
mark("import xwalk modules (cli's imports: coverage, baseline, catalog, reports, cache)")
from xwalk.core.settings import Settings
store = cache.open_cached(source_files() + imported_files(), where=Settings.from_env().cache)
mark("digest the source files, the package's code and queries")
catalog = Catalog(store)
held = baseline.build(catalog, __import__("pathlib").Path(SOA))
mark("read the SoA (cached answers: standards, notations, provisions, units)")
report = coverage.compute(catalog, held, "iso42001")
mark("coverage.compute (cached evidence and reviewed answers, fold)")
reports.render(report, "table")
mark("render the table")
assert store._store is None, "the store was loaded: the cache did not answer"
for (_, before), (name, after) in zip(marks, marks[1:]):
    print(f"{name}\t{after - before}")
"""


def run(tiny: bool, work: Path) -> dict:
    repeats = 2 if tiny else 15
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XWALK_CACHE"] = str(work / "coldstart-cache")
    commands = {**COMMANDS, UNCACHED: COMMANDS[SUBJECT]}
    envs = {name: env for name in commands} | {UNCACHED: {**env, "XWALK_CACHE": "off"}}
    start = time.perf_counter()
    first = subprocess.run(commands[SUBJECT], check=True, capture_output=True, env=env).stdout
    first_seconds = time.perf_counter() - start  # compiles the bytecode too, when it was not written before
    uncached = subprocess.run(commands[UNCACHED], check=True, capture_output=True, env=envs[UNCACHED]).stdout
    assert first == uncached, "the coverage from the cache differs from the coverage of the loaded sources"
    runs = {}
    for name, command in commands.items():
        output = subprocess.run(command, check=True, capture_output=True, env=envs[name]).stdout  # warm the files
        if name == SUBJECT:
            assert output == uncached, "the cached coverage differs from the coverage of the loaded sources"

        def once(command=command, env=envs[name]):
            subprocess.run(command, check=True, capture_output=True, env=env)

        runs[name] = once
    medians = common.medians_in_turns(runs, dict.fromkeys(runs, repeats))  # in turns, as the ratios compare them
    start = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", f"SOA = {EXAMPLE[1]!r}\n{STAGES}"], check=True, capture_output=True, text=True, env=env
    ).stdout
    total = time.perf_counter() - start
    stages = [(line.split("\t")[0], float(line.split("\t")[1])) for line in output.splitlines()]
    return {
        "repeats": repeats,
        "medians": medians,
        "first_seconds": first_seconds,
        "stages": stages,
        "stages_total": total,
    }


def markdown(data: dict) -> str:
    medians = data["medians"]
    bar = medians[BAR]
    rows = [[f"`{name}`", common.ms(seconds), f"x{seconds / bar:.1f}"] for name, seconds in medians.items()]
    rows.append([FIRST, f"{common.ms(data['first_seconds'])} (one run)", f"x{data['first_seconds'] / bar:.1f}"])
    stage_rows = [[name, common.ms(seconds)] for name, seconds in data["stages"]]
    return "\n".join(
        [
            "### 4. Cold start: a whole `xwalk coverage` process",
            "",
            f"Median of {data['repeats']} runs of each command (after one run to warm the file cache), the commands "
            f"taken in turns; "
            f"the ratio is to the bare `import pyoxigraph` process. The `xwalk` commands answer from a cache "
            f"folder of this run's own, filled by the first run (last row); all print the same table.",
            "",
            common.table(["command", "median", "ratio"], rows),
            "",
            f"Where one cached `xwalk coverage` run spends its time (one run, stage by stage, in a fresh interpreter; "
            f"{common.ms(data['stages_total'])} in all with the interpreter's start and exit):",
            "",
            common.table(["stage", "time"], stage_rows),
            "",
        ]
    )
