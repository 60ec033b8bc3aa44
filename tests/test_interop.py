"""Interoperability: OSCAL, SSSOM, RDF and CSV exports that their own tools load, round trips back to the same graph
or baseline, and imported mapping sets (STRM, OSCAL, SSSOM) that take part in coverage."""

import json
import logging
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from world import AI_EVENT_LOGS, FILES, LOGGING, MONITORING, WORLD
from xwalk.cli import Group
from xwalk.cli.interop import export as export_command
from xwalk.cli.interop import import_mappings
from xwalk.core import paths
from xwalk.core.errors import XwalkError
from xwalk.load import load, load_file
from xwalk.load import sssom as xwalk_sssom
from xwalk.services import baseline, coverage
from xwalk.services.catalog import Catalog
from xwalk.services.exchange import export, oscal, oscal_read, strm
from xwalk.services.exchange.description import DESCRIPTION_GRAPH, with_description
from xwalk.store import Store

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CLI = Group(commands={"export": export_command, "import-mappings": import_mappings})
WORLD_SET = WORLD / "iso42001-2023_iso27001-2022.sssom.tsv"
FORMATS = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}
FORMATS["jsonld"] = ox.RdfFormat.JSON_LD


@pytest.fixture(scope="module")
def chained():
    """The fixture world plus the shipped derived mappings: blank-node chains for the RDF round trips."""
    return load(files=[*FILES, paths.MAPPINGS_DIR / "derived.ttl"])


@pytest.fixture(scope="module")
def exported(store, tmp_path_factory) -> Path:
    """Every export of the shipped graph, once, with a baseline written as OSCAL too."""
    folder = tmp_path_factory.mktemp("export")
    held = baseline.build(Catalog(store), paths.ROOT / "examples" / "soa-27001-partial.csv")
    export.export(store, list(export.FORMATS), folder, held.entries.values())
    return folder


def canonical(data: bytes, fmt: ox.RdfFormat) -> ox.Dataset:
    dataset = ox.Dataset(ox.parse(data, format=fmt))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def mapping_triples(store: Store) -> set[tuple]:
    """Every triple but the bookkeeping of where a record sat in its file."""
    rows = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (?p NOT IN (xw:sourceRow, xw:sourceFile)) }").rows
    return {tuple(row) for row in rows}


# ---------------------------------------------------------------- RDF dumps


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_rdf_export_reads_back_as_the_same_graph(chained, tmp_path, fmt):
    (path,) = export.export(chained, [fmt], tmp_path)
    assert path.name == f"xwalk.{fmt}"
    dataset_format = fmt in ("trig", "nq")
    original = with_description(chained).serialize("nq" if dataset_format else "nt")  # the dump carries its VoID
    expected = canonical(original, ox.RdfFormat.N_QUADS if dataset_format else ox.RdfFormat.N_TRIPLES)
    assert canonical(path.read_bytes(), FORMATS[fmt]) == expected
    if dataset_format:  # the named graphs survive: one per source file
        graphs = {q.graph_name.value for q in expected if isinstance(q.graph_name, ox.NamedNode)}
        assert graphs == {*chained.graphs(), DESCRIPTION_GRAPH}


def test_an_nquads_export_loads_into_a_store_as_the_same_dataset(chained, tmp_path):
    (path,) = export.export(chained, ["nq"], tmp_path)
    again = Store()
    again.load_dump(path.read_bytes())
    described = with_description(chained)
    assert len(again) == len(described) > len(chained)
    assert canonical(again.serialize("nq"), ox.RdfFormat.N_QUADS) == canonical(
        described.serialize("nq"), ox.RdfFormat.N_QUADS
    )


# ---------------------------------------------------------------- SSSOM


def test_every_sssom_export_parses_with_the_sssom_library(exported, store):
    from sssom.parsers import parse_sssom_table

    logging.getLogger().setLevel(logging.ERROR)  # sssom-py warns about the extension slots strength and chain
    files = sorted((exported / "sssom").glob("*.sssom.tsv"))
    sets = store.select("export_mapping_sets")
    assert len(files) == len(sets) == 9 + sum(1 for s in sets if s["derived"])
    total = 0
    for path in files:
        parsed = parse_sssom_table(path)
        total += len(parsed.df)
        if path.name.startswith("derived_"):  # every derived record carries its chain, in a standard slot too
            assert set(parsed.df["mapping_justification"]) == {"semapv:MappingChaining"}
            assert all(len(chain) == 2 for chain in parsed.df["see_also"].str.split("|"))
    assert total == len(store.select("export_mappings"))


def test_an_exported_curated_set_loads_as_the_same_graph(world, tmp_path):
    text = export.sssom_sets(world)[WORLD_SET.name]
    path = tmp_path / WORLD_SET.name  # same file name, so the mapping IRIs (named after the file) are the same
    path.write_text(text, "utf-8")
    original, again = Store(), Store()
    load_file(original, WORLD_SET)
    load_file(again, path)
    assert mapping_triples(again) == mapping_triples(original)


def test_an_exported_hs_set_keeps_its_declared_reuse_slot(store, tmp_path):
    path = tmp_path / "iso42001-2023_iso27001-2022.sssom.tsv"
    path.write_text(export.sssom_sets(store)[path.name], "utf-8")
    mapping_set = xwalk_sssom.read(path)
    slots = {slot["slot_name"] for slot in mapping_set.metadata["extension_definitions"]}
    assert {"strength", "reuse"} <= slots
    assert sum(1 for _, row in mapping_set.rows if row["reuse"] == "extend") >= 40


def test_a_derived_set_in_sssom_keeps_each_chain_in_order(store):
    text = export.sssom_sets(store)["derived_iso27001_iso27701-2025.sssom.tsv"]
    header = [line for line in text.splitlines() if not line.startswith("#")]
    columns = header[0].split("\t")
    rows = [dict(zip(columns, line.split("\t"), strict=True)) for line in header[1:]]
    chains = {
        r["mapping"]: [r["first"], r["second"]]
        for r in store.select("export_mappings")
        if r["set"].endswith("/derived/iso27001_iso27701-2025")
    }
    assert len(rows) == len(chains) > 0
    prefixes = export.curie_map(store)
    for row in rows:
        iri = prefixes["xwm"] + row["record_id"].removeprefix("xwm:")
        assert row["see_also"].split("|") == chains[iri]
        assert row["chain"].split("|") == [export.curie(step, prefixes) for step in chains[iri]]


# ---------------------------------------------------------------- OSCAL


def test_every_oscal_export_loads_in_compliance_trestle(exported, store):
    from trestle.core.duplicates_validator import DuplicatesValidator
    from trestle.oscal.catalog import Catalog as OscalCatalog
    from trestle.oscal.mapping import MappingCollection
    from trestle.oscal.profile import Profile
    from trestle.oscal.ssp import SystemSecurityPlan

    models = {
        ".catalog.json": OscalCatalog,
        ".mapping.json": MappingCollection,
        ".ssp.json": SystemSecurityPlan,
        ".profile.json": Profile,
    }
    files = sorted((exported / "oscal").glob("*.json"))
    standards = len(Catalog(store).standards())
    sets = len(store.select("export_mapping_sets"))
    assert len(files) == standards + sets + 2
    for path in files:
        model = next(m for suffix, m in models.items() if path.name.endswith(suffix))
        parsed = model.oscal_read(path)  # raises on anything the OSCAL 1.2 model does not allow
        assert parsed is not None, path.name
        assert DuplicatesValidator().model_is_valid(parsed, quiet=True), f"{path.name}: a UUID repeats"


def test_an_oscal_catalog_holds_every_provision_once_with_ids_and_titles_only(exported, catalog):
    document = json.loads((exported / "oscal" / "iso27001.catalog.json").read_text("utf-8"))["catalog"]
    found = {}

    def walk(nodes):
        for node in nodes:
            label = next(p["value"] for p in node["props"] if p["name"] == "label")
            found[node["id"]] = (label, node["title"], node["links"][0]["href"])
            # no prose but a pointer: ISO text is never reproduced
            for part in node.get("parts", []):
                assert part["name"] == "statement" and part["prose"] == (
                    f"The requirement of {label} in ISO/IEC 27001:2022 ({node['links'][0]['href']}); its text is not "
                    "reproduced here."
                )
            walk(node.get("groups", []) + node.get("controls", []))

    walk(document.get("groups", []) + document.get("controls", []))
    units = catalog.units("iso27001")
    assert len(found) == len(units)
    assert found["iso27001_A.5.15"] == (
        "A.5.15",
        "Access control",
        "https://w3id.org/xwalk/id/iso-iec-27001-2022/A.5.15",
    )
    assert {g["id"] for g in document["groups"]} >= {"iso27001_A.5", "iso27001_A.8"}  # the themes are groups


def test_an_oscal_mapping_collection_says_relation_strength_provenance_and_confidence(exported, store):
    name = "iso42001-2023_iso27001-2022.mapping.json"
    document = json.loads((exported / "oscal" / name).read_text("utf-8"))["mapping-collection"]
    assert document["provenance"]["method"] == "human"
    assert document["provenance"]["matching-rationale"] == "semantic"
    assert document["provenance"]["links"] == [{"href": CC_BY, "rel": "license"}]
    maps = {(m["sources"][0]["id-ref"], m["targets"][0]["id-ref"]): m for m in document["mappings"][0]["maps"]}
    event_logs = maps[("iso42001_A.6.2.8", "iso27001_A.8.15")]
    assert event_logs["relationship"] == "intersects-with"
    assert {p["name"]: p["value"] for p in event_logs["props"]}["strength"] == "6"
    rationale = next(
        r["comment"] for r in store.select("export_mappings") if r["mapping"] == event_logs["links"][0]["href"]
    )
    assert event_logs["remarks"] == rationale and event_logs["links"][0]["href"].endswith("/A.6.2.8--A.8.15")
    derived = json.loads((exported / "oscal" / "derived_iso27001_iso27701-2025.mapping.json").read_text("utf-8"))
    derived_maps = derived["mapping-collection"]["mappings"][0]["maps"]
    assert derived["mapping-collection"]["provenance"]["method"] == "automation"
    assert all(m["confidence-score"] == {"category": "low"} for m in derived_maps)
    assert all(sum(link["rel"] == "derived-from" for link in m["links"]) == 2 for m in derived_maps)


def test_an_oscal_mapping_collection_imports_back_as_the_same_mappings(world, tmp_path):
    cat = Catalog(world)
    mapping_set = next(s for s in world.select("export_mapping_sets"))
    rows = world.select("export_mappings")
    document = oscal.mapping_collection(mapping_set, rows, {s.key: s.prefix for s in cat.standards()})
    path = tmp_path / "fixture.mapping.json"
    path.write_text(json.dumps(document), "utf-8")
    imported = strm.import_file(cat, path, "round-trip", CC_BY)

    def key(subject, relation, obj, strength, comment):
        return (subject, relation, obj, strength or None, comment)

    expected = {key(r["subject"], r["relation"], r["object"], r["strength"], r["comment"]) for r in rows}
    found = {
        key(r["subject"].iri, r["relation"], r["object"].iri, r["strength"], r["comment"]) for r in imported.records
    }
    assert found == expected


@pytest.mark.parametrize("document", ["ssp", "profile"])
def test_an_oscal_baseline_export_imports_back_as_the_same_entries(catalog, tmp_path, document):
    held = baseline.build(catalog, paths.ROOT / "examples" / "soa-27001-partial.csv")
    entries = list(held.entries.values())
    statuses = {e.status for e in entries}
    if document == "ssp":
        assert {"implemented", "partially implemented", "planned", "excluded"} <= statuses  # a real mix
        expected = {e.provision: (e.status, e.justification) for e in entries}
    else:  # a profile selects what is held; what it selects counts as implemented
        entries = [e for e in entries if e.status == "implemented"]
        expected = {e.provision: ("implemented", "") for e in entries}
    path = tmp_path / f"baseline.{document}.json"
    path.write_text(json.dumps(getattr(oscal, document)(catalog, entries)), "utf-8")
    found = oscal_read.entries(catalog, oscal_read.read(path), path.name)
    assert {e.provision: (e.status, e.justification) for e in found} == expected


def test_an_oscal_ssp_is_a_baseline_for_coverage_like_its_soa(catalog, tmp_path):
    soa = paths.ROOT / "examples" / "soa-27001-partial.csv"
    held = baseline.build(catalog, soa)
    path = tmp_path / "ssp.json"
    path.write_text(json.dumps(oscal.ssp(catalog, held.entries.values())), "utf-8")
    from_ssp = oscal_read.read_baseline(catalog, path)
    assert {k: e.status for k, e in from_ssp.entries.items()} == {k: e.status for k, e in held.entries.items()}
    via_soa = coverage.compute(catalog, held, "iso42001").summary
    via_ssp = coverage.compute(catalog, from_ssp, "iso42001").summary
    assert (via_ssp.lower, via_ssp.estimate, via_ssp.upper) == (via_soa.lower, via_soa.estimate, via_soa.upper)


def test_an_oscal_baseline_with_unknown_controls_is_refused_whole(catalog, tmp_path):
    path = tmp_path / "ssp.json"
    ssp = oscal.ssp(catalog, baseline.build(catalog, certified=["iso27001"]).entries.values())
    requirements = ssp["system-security-plan"]["control-implementation"]["implemented-requirements"]
    requirements[0]["control-id"] = "iso27001_A.5.99"
    requirements[1]["control-id"] = "zz-1"
    path.write_text(json.dumps(ssp), "utf-8")
    with pytest.raises(XwalkError) as error:
        oscal_read.read_baseline(catalog, path)
    message = str(error.value)
    assert "2 problem(s)" in message and "implemented requirement 1" in message and "'zz-1'" in message


def test_a_third_party_profile_is_read_through_the_id_normaliser(catalog, tmp_path):
    """Ids as other tools write them (`a.5.15`), in a profile whose catalog xwalk does not know by name."""
    profile = {
        "profile": {
            "uuid": "3f9d4b2e-0c1a-4d5e-8f7a-1b2c3d4e5f60",
            "metadata": oscal.metadata("A third party's ISO/IEC 27001 baseline"),
            "imports": [
                {
                    "href": "https://example.org/catalogs/iso-27001.json",
                    "include-controls": [{"with-ids": ["a.5.15", "A 8.16"]}],
                }
            ],
        }
    }
    path = tmp_path / "third-party.json"
    path.write_text(json.dumps(profile), "utf-8")
    assert oscal_read.is_baseline_file(path)
    assert not oscal_read.is_baseline_file(paths.ROOT / "examples" / "soa-27001-full.csv")
    held = oscal_read.read_baseline(catalog, path, standard="iso27001", assume_certified=False)
    assert sorted(e.notation for e in held.entries.values()) == ["A.5.15", "A.8.16"]
    assert {e.status for e in held.entries.values()} == {"implemented"}
    with pytest.raises(XwalkError, match="does not say its standard; give --standard"):
        oscal_read.read_baseline(catalog, path)


# ---------------------------------------------------------------- STRM import


def strm_csv(path: Path, rows: list[list[str]]) -> Path:
    """A small STRM file laid out as the Secure Controls Framework publishes them: a few rows about the document,
    then the table. Made here: the project never ships a third-party file."""
    head = [
        ["Focal Document:", "ISO/IEC 42001:2023 (test fixture)"],
        ["Reference Document:", "ISO/IEC 27001:2022"],
        [],
        [
            "FDE #",
            "FDE Name",
            "Focal Document Element (FDE) Description",
            "STRM Rationale",
            "STRM Relationship",
            "SCF Control",
            "SCF #",
            "Strength of Relationship (optional)",
            "Notes (optional)",
        ],
    ]
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(head + rows)
    return path


EVENT_LOGS_ROW = ["A.6.2.8", "Event logs", "(description)", "Functional", "Subset Of", "Monitoring", "A.8.16", "8", ""]


def held_monitoring(cat: Catalog, tmp_path: Path):
    soa = tmp_path / "soa.csv"
    soa.write_text("control,status\nA.8.16,implemented\n", "utf-8")
    return baseline.build(cat, soa, assume_certified=False)


def event_logs(store: Store, held) -> coverage.Verdict:
    report = coverage.compute(Catalog(store), held, "iso42001")
    return next(v for v in report.provisions if v.iri == AI_EVENT_LOGS)


def test_a_strm_file_changes_a_coverage_result_as_its_mappings_say(world, tmp_path):
    before = event_logs(world, held_monitoring(Catalog(world), tmp_path))
    assert before.verdict == "new"  # 27001 A.8.16 has no curated mapping to 42001 A.6.2.8
    source = strm_csv(tmp_path / "strm.csv", [EVENT_LOGS_ROW])
    result = CliRunner().invoke(
        CLI,
        ["import-mappings", str(source), "--name", "scf-test", "--focal", "iso42001", "--reference", "iso27001"]
        + ["--license", CC_BY, "--into", str(tmp_path / "imports")],
        obj={"store": None, "endpoint": None},
    )
    assert result.exit_code == 0, result.output
    imported = tmp_path / "imports" / "imported-scf-test.sssom.tsv"
    assert f"imported 1 mappings into {imported}" in result.output
    store = load(files=[*FILES, imported])
    after = event_logs(store, held_monitoring(Catalog(store), tmp_path))
    assert after.verdict == "done"  # A.6.2.8 subset_of A.8.16: the held control contains it
    assert [(e.held, e.relation, e.strength) for e in after.evidence] == [(MONITORING, "subset_of", 8)]
    assert [g for g in store.graphs() if g.endswith(f"/{imported.name}")]  # its own named graph
    meta = store.query(
        "SELECT ?license ?description WHERE { ?set a xw:MappingSet ; dcterms:license ?license ; "
        'dcterms:description ?description FILTER (CONTAINS(STR(?set), "/imported/scf-test")) }'
    ).rows
    assert meta[0][0] == CC_BY and "strm.csv (SHA-256" in meta[0][1]


def test_a_strm_workbook_with_several_reference_ids_in_a_cell_is_read(world, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Focal Document Element", "Relationship", "Reference Document Element", "Strength of Relationship"])
    sheet.append(["A.6.2.8", "intersects with", "A.8.15\nA.8.16", "5"])
    sheet.append(["6.1.4", "no relationship", "", ""])
    path = tmp_path / "olir.xlsx"
    book.save(path)
    imported = strm.import_file(Catalog(world), path, "olir", CC_BY, "iso42001", "iso27001")
    pairs = {(r["subject"].iri, r["relation"], r["object"].iri, r["strength"]) for r in imported.records}
    assert pairs == {(AI_EVENT_LOGS, "intersects_with", LOGGING, 5), (AI_EVENT_LOGS, "intersects_with", MONITORING, 5)}
    assert imported.notes == ["row 3: 6.1.4 has no relationship and no reference element; left out"]


def test_a_strm_file_with_bad_rows_is_refused_whole_and_nothing_is_written(world, tmp_path):
    rows = [
        EVENT_LOGS_ROW,
        ["A.6.2.99", "", "", "", "Equal", "", "A.8.15", "9", ""],
        ["6.1.2", "", "", "", "Overlaps", "", "6.1.2", "5", ""],
        ["6.1", "", "", "", "Equal", "", "6.1", "", ""],
    ]
    source = strm_csv(tmp_path / "bad.csv", rows)
    result = CliRunner().invoke(
        CLI,
        ["import-mappings", str(source), "--focal", "iso42001", "--reference", "iso27001", "--license", CC_BY]
        + ["--into", str(tmp_path / "imports")],
        obj={"store": None, "endpoint": None},
    )
    assert result.exit_code == 2
    assert "3 problem(s); nothing was imported" in result.output
    assert "row 6: no provision 'A.6.2.99'" in result.output
    assert "row 7: relationship 'Overlaps'" in result.output
    assert "row 8: strength of relationship '' is not a whole number" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "imports").exists()


def test_an_import_never_writes_into_the_curated_mappings_folder(tmp_path):
    before = {p.name: p.stat().st_mtime_ns for p in paths.MAPPINGS_DIR.iterdir()}
    source = strm_csv(tmp_path / "strm.csv", [EVENT_LOGS_ROW])
    result = CliRunner().invoke(
        CLI,
        ["import-mappings", str(source), "--focal", "iso42001", "--reference", "iso27001", "--license", CC_BY]
        + ["--into", str(paths.MAPPINGS_DIR)],
        obj={"store": None, "endpoint": None},
    )
    assert result.exit_code == 2 and "curated mappings folder" in result.output
    result = CliRunner().invoke(
        CLI,
        ["import-mappings", str(source), "--focal", "iso42001", "--reference", "iso27001", "--license", CC_BY],
        obj={"store": None, "endpoint": None},
        env={"XWALK_IMPORTS": ""},
    )
    assert result.exit_code == 2 and "--into DIR, or set XWALK_IMPORTS" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in paths.MAPPINGS_DIR.iterdir()} == before


def test_an_import_states_its_licence(world, tmp_path):
    source = strm_csv(tmp_path / "strm.csv", [EVENT_LOGS_ROW])
    with pytest.raises(XwalkError, match="licence of these mappings is unknown; give --license URL"):
        strm.import_file(Catalog(world), source, "x", None, "iso42001", "iso27001")


def test_an_imported_sssom_set_passes_the_sssom_parser(world, tmp_path):
    from sssom.parsers import parse_sssom_table

    source = strm_csv(tmp_path / "strm.csv", [EVENT_LOGS_ROW])
    path = strm.write(strm.import_file(Catalog(world), source, "x", CC_BY, "iso42001", "iso27001"), tmp_path)
    logging.getLogger().setLevel(logging.ERROR)
    parsed = parse_sssom_table(path)
    assert list(parsed.df["subject_id"]) == ["iso42001:A.6.2.8"]
    assert list(parsed.df["predicate_id"]) == ["xw:subset_of"]


# ---------------------------------------------------------------- the export command, CSV and the ontology docs


def test_the_export_command_writes_the_chosen_formats(tmp_path):
    result = CliRunner().invoke(
        CLI,
        ["export", "--format", "csv", "--format", "sssom", "--output", str(tmp_path)],
        obj={"store": None, "endpoint": None},
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'mappings.csv'}" in result.output
    assert (tmp_path / "sssom" / "iso42001-2023_iso27001-2022.sssom.tsv").is_file()
    missing = CliRunner().invoke(
        CLI, ["export", "--format", "ttl", "--output", str(tmp_path / "nope")], obj={"store": None, "endpoint": None}
    )
    assert missing.exit_code == 2 and "no such folder" in missing.output


def test_the_csv_export_has_one_row_per_mapping(exported, store):
    import csv

    with (exported / "mappings.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(store.select("export_mappings"))
    derived = [r for r in rows if r["derived"] == "yes"]
    assert derived and all(len(r["chain"].split()) == 2 for r in derived)
    assert {r["relation"] for r in rows} <= {"equal", "subset_of", "superset_of", "intersects_with", "no_relationship"}


def test_the_ontology_documentation_is_generated_from_the_ontology():
    """docs/ontology.html is pyLODE's rendering of ontology/xwalk.ttl; regenerate it with
    `python -m xwalk.services.exchange.export docs` when the ontology changes."""
    assert not export.docs_stale(), "docs/ontology.html is stale: run `python -m xwalk.services.exchange.export docs`"
    page = export.ontology_page()
    assert "strength of relationship" in page and "xwalk ontology" in page
