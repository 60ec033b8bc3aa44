"""Part 4: cold start. A whole `xwalk coverage` process on the example, against a bare `python -c "import
pyoxigraph"` process (and, for scale, an empty interpreter and `xwalk --help`). Each command runs once to warm the
file cache, then `repeats` times; medians. A stage breakdown of one run in a fresh process shows where the time
goes."""

import pickle
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import common

EXAMPLE = ["--baseline", str(common.ROOT / "examples" / "soa-27001-full.csv"), "--target", "iso42001"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    'python -c "import pyoxigraph"': [sys.executable, "-c", "import pyoxigraph"],
    "xwalk --help": [str(common.BIN / "xwalk"), "--help"],
    "xwalk coverage (example, iso42001)": [str(common.BIN / "xwalk"), "coverage", *EXAMPLE],
}
BAR, SUBJECT = 'python -c "import pyoxigraph"', "xwalk coverage (example, iso42001)"
PROTOTYPE = "prototype: the same coverage from persisted answers (no load, no query)"

# One cold run, stage by stage, in a fresh interpreter: what a `xwalk coverage` process spends its time on.
STAGES = """
import time
marks = [("interpreter", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
import click, pyoxigraph
mark("import click, pyoxigraph")
from xwalk.services import baseline, coverage
from xwalk.present import reports
from xwalk.services.catalog import Catalog
from xwalk.load import load, load_file, source_files
from xwalk.store import Store
mark("import xwalk modules")
store, files = Store(), source_files()
for path in files:
    if path.suffix == ".ttl":
        load_file(store, path)
mark("load Turtle files (ontology, catalogs, derived.ttl)")
for path in files:
    if path.suffix != ".ttl":
        load_file(store, path)
mark("load SSSOM mapping sets")
catalog = Catalog(store)
held = baseline.build(catalog, __import__("pathlib").Path(SOA))
mark("read the SoA (catalog queries: standards, notations, provisions, units)")
report = coverage.compute(catalog, held, "iso42001")
mark("coverage.compute (units, evidence and reviewed queries, fold)")
reports.render(report, "table")
mark("render the table")
for (_, before), (name, after) in zip(marks, marks[1:]):
    print(f"{name}\\t{after - before}")
"""


# What a cold `xwalk coverage` would cost if the catalog's answers were persisted: the same service and the same
# table, with the store replaced by the answers recorded from a real run (no load, no query). A prototype for the
# notes, measured like the other commands; its output must equal the real command's.
SNAPSHOT_RUN = """
import pickle, sys
from pathlib import Path
import click
from xwalk.services import baseline, coverage
from xwalk.present import reports
from xwalk.services.catalog import Catalog

class Snapshot:
    def __init__(self, answers):
        self.answers = answers
    def select(self, name, table=None, **bindings):
        return self.answers[(name, repr(sorted(bindings.items())), repr(table))]

catalog = Catalog(Snapshot(pickle.loads(Path(SNAPSHOT).read_bytes())))
held = baseline.build(catalog, Path(SOA))
sys.stdout.write(reports.render(coverage.compute(catalog, held, "iso42001"), "table") + "\\n")
"""


class Recorder:
    """A store wrapper that keeps every named query's answer, keyed as the Snapshot above reads it."""

    def __init__(self, store):
        self.store, self.answers = store, {}

    def select(self, name, table=None, **bindings):
        rows = self.store.select(name, table=table, **bindings)
        self.answers[(name, repr(sorted(bindings.items())), repr(table))] = rows
        return rows


def snapshot_command(work: Path) -> list[str]:
    """Record the answers of one real run into `work` and return the command that replays them."""
    from xwalk.load import load
    from xwalk.services import baseline, coverage
    from xwalk.services.catalog import Catalog

    recorder = Recorder(load())
    catalog = Catalog(recorder)
    coverage.compute(catalog, baseline.build(catalog, Path(EXAMPLE[1])), "iso42001")
    path = work / "answers.pickle"
    path.write_bytes(pickle.dumps(recorder.answers))
    return [sys.executable, "-c", f"SNAPSHOT = {str(path)!r}\nSOA = {EXAMPLE[1]!r}\n{SNAPSHOT_RUN}"]


def run(tiny: bool, work: Path) -> dict:
    repeats = 2 if tiny else 15
    commands = {**COMMANDS, PROTOTYPE: snapshot_command(work)}
    outputs = {
        name: subprocess.run(commands[name], check=True, capture_output=True).stdout for name in (SUBJECT, PROTOTYPE)
    }
    assert outputs[SUBJECT] == outputs[PROTOTYPE], "the snapshot prototype does not print what xwalk coverage prints"
    medians = {}
    for name, command in commands.items():
        subprocess.run(command, check=True, capture_output=True)  # warm the file cache

        def once(command=command):
            subprocess.run(command, check=True, capture_output=True)

        medians[name] = common.median_seconds(once, repeats)
    start = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", f"SOA = {EXAMPLE[1]!r}\n{STAGES}"], check=True, capture_output=True, text=True
    ).stdout
    total = time.perf_counter() - start
    stages = [(line.split("\t")[0], float(line.split("\t")[1])) for line in output.splitlines()]
    return {"repeats": repeats, "medians": medians, "stages": stages, "stages_total": total}


def markdown(data: dict) -> str:
    medians = data["medians"]
    bar = medians[BAR]
    rows = [[f"`{name}`", common.ms(seconds), f"x{seconds / bar:.1f}"] for name, seconds in medians.items()]
    stage_rows = [[name, common.ms(seconds)] for name, seconds in data["stages"]]
    return "\n".join(
        [
            "### 4. Cold start: a whole `xwalk coverage` process",
            "",
            f"Median of {data['repeats']} runs of each command (after one run to warm the file cache); "
            f"the ratio is to the bare `import pyoxigraph` process.",
            "",
            common.table(["command", "median", "ratio"], rows),
            "",
            f"Where one cold `xwalk coverage` run spends its time (one run, stage by stage, in a fresh interpreter; "
            f"{common.ms(data['stages_total'])} in all with the interpreter's start and exit):",
            "",
            common.table(["stage", "time"], stage_rows),
            "",
        ]
    )
