"""The `xwalk` command line, run as a user runs it: a real process, its output, its exit code."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

XWALK = str(Path(sys.executable).with_name("xwalk"))
ALL_PROVISIONS = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?s ?id ?t WHERE { ?p skos:inScheme ?s ; skos:notation ?id ; skos:prefLabel ?t }"
)


def xwalk(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [XWALK, *args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )


def assert_clean_error(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr


def test_stats_prints_the_catalog_counts():
    result = xwalk("stats")
    assert result.returncode == 0, result.stderr
    assert "ISO/IEC 27001:2022: 93 controls (A.5 37 · A.6 8 · A.7 14 · A.8 34)" in result.stdout
    assert "ISO/IEC 42001:2023: 38 controls" in result.stdout
    line = next(line for line in result.stdout.splitlines() if line.startswith("Regulation (EU) 2024/1689"))
    assert "113" in line.split()


def test_show_reads_ids_as_users_write_them():
    result = xwalk("show", "Annex A 5.15", "--standard", "iso27001")
    assert result.returncode == 0, result.stderr
    assert "ISO/IEC 27001:2022 A.5.15 — Access control" in result.stdout
    assert "parent:   A.5 Organizational controls" in result.stdout


def test_show_json_lists_children():
    result = xwalk("show", "Art. 26", "-s", "eu-ai-act", "--format", "json")
    record = json.loads(result.stdout)[0]
    assert record["notation"] == "Article 26"
    assert [c["notation"] for c in record["children"]][:2] == ["Article 26(1)", "Article 26(2)"]
    assert record["parents"][0]["notation"] == "Chapter III Section 3"


def test_show_unknown_id_exits_2_with_close_matches():
    assert_clean_error(xwalk("show", "5.38", "--standard", "iso27001"), "no provision '5.38'", "A.5.37")


def test_show_unknown_standard_lists_the_keys():
    assert_clean_error(xwalk("show", "5.1", "--standard", "iso9001"), "unknown standard 'iso9001'", "iso42001")


def test_query_csv_lists_every_provision_of_the_five_sources():
    result = xwalk("query", ALL_PROVISIONS, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["s", "id", "t"]
    assert len(rows) - 1 == 840
    schemes = {row[0].rsplit("/", 1)[1] for row in rows[1:]}
    assert schemes == {
        "iso-iec-42001-2023",
        "iso-iec-27001-2022",
        "iso-iec-27701-2019",
        "iso-iec-27701-2025",
        "iso-iec-23894-2023",
        "eu-ai-act-2024-1689",
    }


def test_query_from_a_file_as_json(tmp_path):
    path = tmp_path / "ask.rq"
    path.write_text("ASK { ?p skos:notation 'A.6.2.8' }")
    result = xwalk("query", str(path), "--format", "json")
    assert json.loads(result.stdout)["boolean"] is True


def test_construct_query_as_turtle():
    result = xwalk(
        "query",
        "CONSTRUCT { ?p skos:prefLabel ?t } WHERE { ?p skos:notation 'A.8.15' ; skos:prefLabel ?t }",
        "--format",
        "ttl",
    )
    assert result.returncode == 0, result.stderr
    assert '"Logging"@en' in result.stdout


def test_invalid_query_is_a_clean_error():
    assert_clean_error(xwalk("query", "SELEC ?x WHERE {"), "not valid SPARQL")


def test_construct_as_csv_is_refused_with_the_formats_that_fit():
    result = xwalk("query", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv")
    assert_clean_error(result, "CONSTRUCT or DESCRIBE answer is a graph", "ttl")


def test_validate_passes_on_the_shipped_data():
    result = xwalk("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 violations" in result.stdout


def test_validate_fails_on_a_broken_copy_naming_file_and_problem(project_copy):
    catalog = project_copy / "ontology" / "catalogs" / "iso27001_2022.ttl"
    catalog.write_text(catalog.read_text().replace('skos:prefLabel "Logging"@en ;', "", 1))
    result = xwalk("--root", str(project_copy), "validate", "--no-reasoner")
    assert result.returncode == 2
    assert "ontology/catalogs/iso27001_2022.ttl: A provision has exactly one title" in result.stdout
    assert "A.8.15" in result.stdout


def test_build_writes_a_store_that_answers_like_the_source_files(tmp_path):
    target = tmp_path / "store"
    result = xwalk("build", "--store", str(target))
    assert result.returncode == 0, result.stderr
    from_store = xwalk("--store", str(target), "query", ALL_PROVISIONS, "--format", "csv")
    from_files = xwalk("query", ALL_PROVISIONS, "--format", "csv")
    assert sorted(from_store.stdout.splitlines()) == sorted(from_files.stdout.splitlines())


def test_build_leaves_an_existing_store_alone_when_validation_fails(tmp_path, project_copy):
    target = tmp_path / "store"
    assert xwalk("build", "--store", str(target)).returncode == 0
    before = sorted(p.name for p in target.iterdir())
    catalog = project_copy / "ontology" / "catalogs" / "iso42001_2023.ttl"
    catalog.write_text(catalog.read_text().replace("xw:verification xw:Verified", "xw:verification xw:Sure", 1))
    result = xwalk("--root", str(project_copy), "build", "--store", str(target))
    assert_clean_error(result, "was left as it was")
    assert sorted(p.name for p in target.iterdir()) == before
    assert not list(tmp_path.glob(".store.building"))


def test_missing_store_directory_is_a_clean_error(tmp_path):
    assert_clean_error(xwalk("--store", str(tmp_path / "nowhere"), "stats"), "no such store directory")


@pytest.mark.parametrize(
    "command",
    [["stats"], ["show", "A.5.1", "-s", "iso27001"], ["coverage", "--certified", "iso27001", "--target", "iso42001"]],
)
def test_catalog_commands_stay_light(command, tmp_path):
    """They never import the validation, web or UI stacks; answered from a warm cache, not even the store, the
    SSSOM reader, YAML, the other commands' modules (the root group loads them lazily), the OSCAL reader, zipfile
    (only a workbook needs it) or the planning tables."""
    heavy = ["rdflib", "pyshacl", "owlready2", "fastapi", "uvicorn", "httpx", "streamlit", "pandas", "matplotlib"]
    heavy += ["openpyxl", "sssom"]
    loading = ["pyoxigraph", "xwalk.store", "xwalk.sssom", "yaml"]
    loading += ["xwalk.cli.data", "xwalk.cli.interop", "xwalk.cli.serve", "xwalk.services.exchange.oscal", "zipfile"]
    loading += ["xwalk.services.ai_act", "xwalk.services.exchange.oscal_read"]
    loading += ["xwalk.services.soa", "xwalk.services.profile", "xwalk.load.plan_rules"]  # the draft SoA and plan's
    env = {**os.environ, "XWALK_CACHE": str(tmp_path / "cache")}
    for banned in (heavy, heavy + loading):  # the first run fills the cache, the second answers from it
        code = (
            "import sys; from xwalk.cli import main\n"
            f"try: main({command!r})\nexcept SystemExit: pass\n"
            f"print(sorted({set(banned)!r} & set(sys.modules)))"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
        assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_federated_queries_are_refused():
    """SERVICE would make the engine fetch any URL a user names."""
    assert_clean_error(
        xwalk("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
        "federated queries (SERVICE) are not allowed",
    )


def test_the_root_group_names_every_command_of_every_module():
    """The root group loads a command's module only when the command runs; its table of names must match what the
    modules define, or a command would be missing from `xwalk --help` or fail to load."""
    from importlib import import_module

    from xwalk.cli import COMMANDS, main

    for module, names in COMMANDS.items():
        assert sorted(c.name for c in import_module(f"xwalk.cli.{module}").COMMANDS) == sorted(names), module
    listed = main.list_commands(None)
    assert len(listed) == len(set(listed)) == 19
    assert all(main.get_command(None, name).name == name for name in listed)
    assert main.get_command(None, "no-such-command") is None


def test_show_lists_the_mappings_in_both_directions():
    text = xwalk("show", "A 5.15", "-s", "iso27001")
    assert text.returncode == 0, text.stderr
    assert "xw:" in text.stdout and "intersects_with  " not in text.stdout.replace("xw:intersects_with", "")
    records = json.loads(xwalk("show", "A 5.15", "-s", "iso27001", "--format", "json").stdout)
    mappings = records[0]["mappings"]
    assert {"in", "out"} <= {m["direction"] for m in mappings}
    longest = max(mappings, key=lambda m: len(m["rationale"]))
    assert longest["rationale"][:60] in " ".join(text.stdout.split()) and len(longest["rationale"]) > 90
    assert not any(m["derived"] for m in mappings)
    derived = json.loads(xwalk("show", "Art. 4", "--with-derived", "--format", "json").stdout)[0]["mappings"]
    assert any(m["derived"] and len(m["chain"]) == 2 for m in derived)


def test_prefixes_and_examples_are_listed():
    from xwalk.core.vocab import PREFIXES
    from xwalk.services import explore

    listed = xwalk("prefixes").stdout
    assert all(f"{k}:" in listed and v in listed for k, v in PREFIXES.items())
    assert json.loads(xwalk("prefixes", "--format", "json").stdout) == dict(PREFIXES)
    examples = json.loads(xwalk("examples", "--format", "json").stdout)
    assert [(e["name"], e["title"]) for e in examples] == [(e.name, e.title) for e in explore.examples()]
    first = xwalk("query", examples[0]["file"])
    assert first.returncode == 0 and "rows)" in first.stdout
    assert examples[0]["title"] in xwalk("examples").stdout


def test_stats_tables_print_relations_as_curies():
    out = xwalk("stats", "--mappings").stdout
    assert "xw:intersects_with" in out and "xw:equal" in out
