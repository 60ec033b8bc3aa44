"""The benchmark command works: `python -m benchmarks --tiny` runs every part at its tiniest size and each part
produces sane output. Nothing here checks how fast anything is."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the benchmarks package lives at the project root, beside engine/

from benchmarks import part_coldstart, synthetic  # noqa: E402


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One tiny run of the whole command, as a user starts it; its JSON results and Markdown report."""
    folder = tmp_path_factory.mktemp("bench")
    command = [sys.executable, "-m", "benchmarks", "--tiny", "--json", "results.json", "--output", "report.md"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600, env=_env())
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((folder / "results.json").read_text()), (folder / "report.md").read_text()


def _env() -> dict:
    import os

    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def test_coverage_part_gets_the_same_verdicts_from_engine_rdflib_and_floor(run):
    results, _ = run
    (target,) = results["coverage"]["targets"]
    assert target["agree"] == ["engine", "floor", "rdflib"]
    assert target["provisions"] == sum(target["summary"][4].values()) > 0
    assert target["rdflib"]["runs"] and target["rdflib"]["stopped_after"] is None
    assert [q[0] for q in target["engine_queries"]] == [q[0] for q in target["rdflib"]["queries"]]
    assert all(t > 0 for t in (target["engine_cold"], target["engine_warm"], target["floor"]))


def test_scale_part_loads_and_covers_the_synthetic_crosswalk(run):
    results, _ = run
    (size,) = results["scale"]["sizes"]
    assert size["size"] == "tiny" and size["quads"] > 1000
    assert size["target_provisions"] == sum(size["verdicts"].values()) > 0
    assert size["rss_peak_mb"] >= size["rss_after_load_mb"] > 0
    assert size["load_seconds"] > 0 and size["cold_seconds"] > 0


def test_endpoint_part_drives_both_servers_to_the_same_answers(run):
    results, _ = run
    servers = results["endpoint"]["servers"]
    assert set(servers) == {"xwalk serve", "rdflib-endpoint", "oxigraph server"}
    for server in servers.values():
        assert server["error_count"] == 0
        assert server["answered"] == results["endpoint"]["requests"] * results["endpoint"]["rounds"]
        assert server["p95"] >= server["p50"] > 0
    assert servers["xwalk serve"]["rows"] == servers["rdflib-endpoint"]["rows"]
    assert servers["xwalk serve"]["rows"]["provision by id"] >= 1


def test_coldstart_part_times_every_command_and_stage(run):
    results, _ = run
    medians = results["coldstart"]["medians"]
    assert {part_coldstart.BAR, part_coldstart.SUBJECT, part_coldstart.UNCACHED} <= set(medians)
    assert results["coldstart"]["first_seconds"] > 0
    assert all(seconds > 0 for seconds in medians.values())
    stages = [name for name, _ in results["coldstart"]["stages"]]
    assert stages[0].startswith("import") and stages[-1] == "render the table"


def test_report_has_the_machine_the_targets_and_every_part(run):
    _, report = run
    assert "Machine: " in report and "cores" in report
    for heading in ("### Targets", "### 1. Coverage", "### 2. Scale", "### 3. SPARQL endpoint", "### 4. Cold start"):
        assert heading in report
    for heading in ("### 8. Coverage v2 and the work plan", "### 9. An AI system inventory"):
        assert heading in report


def test_synthetic_crosswalk_passes_validation(tmp_path):
    """The generated files are real project data: SHACL shapes and the named checks accept them."""
    from xwalk.load import load, source_files
    from xwalk.services.validate import validate

    root = synthetic.write(tmp_path / "tiny", synthetic.SIZES["tiny"])
    assert validate(load(files=source_files(root)), with_reasoner=False) == []


def test_synthetic_shape_counts_its_provisions():
    shape = synthetic.SIZES["tiny"]
    notations = [n for n, *_ in synthetic.provisions(shape)]
    assert len(notations) == len(set(notations)) == shape.provisions


def test_uploads_part_measures_every_process_under_hostile_uploads(run):
    results, report = run
    cases = {case["case"]: case for case in results["uploads"]["cases"]}
    assert set(cases) >= {"YAML alias bomb", "XLSX shared-string bomb", "JSON nested 100k deep", "chunked body"}
    assert all(case["status"] in (400, 413) for case in cases.values())
    assert cases["chunked body"]["status"] == 413
    for case in cases.values():
        assert case["memory"]["server (xwalk serve)"]["peak_mb"] > 0 and case["probes"] > 0
    # the slow file keeps its worker reading for seconds, so the 50 ms sampler always sees it (a bomb may be refused
    # by its worker faster than one sample)
    assert cases["1 MB YAML of empty mappings (slow)"]["memory"]["upload worker"]["processes"] >= 1
    assert "### 5. Hostile uploads" in report


def test_load_part_runs_the_mix_with_and_without_runaways(run):
    results, report = run
    scenarios = results["load"]["scenarios"]
    assert list(scenarios) == ["without runaways", "one runaway client", "runaway every 14th request"]
    for scenario in scenarios.values():
        assert scenario["ordinary_failures"] == {} and scenario["p95"] > 0
        assert scenario["by_kind"]["sparql"]["statuses"].get("200", 0) > 0
        assert scenario["by_kind"]["rest"]["statuses"].get("200", 0) > 0
    assert not scenarios["without runaways"]["by_kind"]["runaway"]["statuses"]
    assert scenarios["one runaway client"]["by_kind"]["runaway"]["statuses"]  # the runaway was answered (503)
    assert "### 6. `xwalk serve` under a mix" in report and "p95 under 100 ms" in report


def test_pages_part_times_every_explorer_page_in_the_browser(run):
    results, report = run
    pages = results["pages"]["pages"]
    assert list(pages) == ["Overview", "Browse and search", "Graph", "Coverage", "AI Act", "SPARQL"]
    assert all(page["first"] > 0 and page["median"] > 0 and page["runs"] for page in pages.values())
    assert "### 7. Explorer pages" in report and "every explorer page done within 1 s warm" in report


def test_plan_part_gets_the_same_coverage_v2_and_plan_from_engine_rdflib_and_floor(run):
    results, report = run
    coverage_v2, plan = results["plan"]["rows"]
    assert (coverage_v2["what"], plan["what"]) == ("coverage v2", "plan")
    assert coverage_v2["agree"] == ["engine", "floor"]  # tiny: rdflib draws the plan only (it computes coverage first)
    assert plan["agree"] == ["engine", "floor", "rdflib"] and plan["rdflib"]["stopped_after"] is None
    assert "elements" in coverage_v2["size"] and "tasks" in plan["size"] and "excluded" in plan["size"]
    for row in (coverage_v2, plan):
        assert all(row[k] > 0 for k in ("engine_cold", "engine_warm", "engine_fresh_cached", "floor"))
    assert "iso42001 plan: engine (warm) within 3x of the plain-Python floor" in report


def test_inventory_part_runs_xwalk_obligations_on_a_generated_inventory(run):
    results, report = run
    data = results["inventory"]
    assert data["systems"] == 20 and data["first_seconds"] > 0
    assert len(data["medians"]) == 4 and all(seconds > 0 for seconds in data["medians"].values())
    assert set(data["in_process"]) == {"YAML", "JSON"}
    assert all(len(stages) == 3 and min(stages) > 0 for stages in data["in_process"].values())
    assert data["statuses"].get("applies", 0) > 0 and data["roles"] > 1 and data["tiers"] > 1
    assert "within 2 s (whole process, cache warm)" in report


def test_synthetic_inventory_of_a_thousand_systems_is_valid(catalog):
    """The generator writes what `xwalk obligations` accepts, varied in roles, tiers and facts."""
    from xwalk.services.inventory import MAX_SYSTEMS, validate

    data = synthetic.inventory(catalog, MAX_SYSTEMS)
    read = validate(catalog, data, "synthetic")
    assert len(read.systems) == MAX_SYSTEMS == 1000
    assert len({s.tier for s in read.systems}) >= 8 and len({r for s in read.systems for r in s.roles}) >= 8
    assert len({frozenset(s.facts) for s in read.systems}) > 100  # which facts are known varies
    assert read.organisation["smc"] is True
