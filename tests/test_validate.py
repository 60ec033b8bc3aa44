"""Validation of the shipped graph, of deliberately broken copies, and of each named check."""

from pathlib import Path

import pytest

from xwalk.core import paths
from xwalk.core.errors import XwalkError
from xwalk.load import load, source_files
from xwalk.services import validate
from xwalk.store import Store

CHECK_FIXTURES = Path(__file__).parent / "checks" / "fixtures.trig"

EXPECTED = {
    "term-without-label-or-definition": ["ontology#Undocumented has no skos:definition"],
    "notation-repeats-within-standard": ["the id 1 is used by both"],
    "hierarchy-cycle": ["example/c (2) is its own ancestor", "example/d (3) is its own ancestor"],
    "hierarchy-depth": ["example/c (2) lies more than six levels deep"],  # the cycle c-d is endlessly deep
    "parent-in-another-standard": ["example/e (4) has a parent in another standard"],
    "mapping-within-one-standard": ["mappings/self.sssom.tsv: subject_source and object_source are the same"],
    "obligation-outside-ai-act": ["example/o names", "not a provision of a regulation"],
    "mapping-without-strength": ["mappings/s_t.sssom.tsv row 20: a equal mapping needs a strength"],
    "no-relationship-with-strength": ["mappings/s_t.sssom.tsv row 21: a no_relationship record"],
    "obligation-condition-without-fact": ["example/o tests https://w3id.org/xwalk/id/example/undefined-fact"],
    "transitional-deadline-not-after-cutoff": ["example/rule has no deadline after its cut-off day"],
    "harmonized-structure-across-subjects": [
        "row 23: the harmonized-structure clauses 7.2 and 7.2 belong to management systems with different subjects"
    ],
    "derived-no-relationship": ["mappings/s_t.sssom.tsv: the derived mapping 7.2 to 9.3 is no_relationship"],
    "parent-equal-child-intersects": [
        "row 25: 9.3.2 only intersects 9.3.2 although its parent 9.3 is curated as equal"
    ],
    "mapping-date-not-a-date": ["mappings/s_t.sssom.tsv row 21: mapping_date 2026-13-45 is not a calendar date"],
    "element-reuse-without-mapping": [
        "element 7/e1 is reused from 9 (https://w3id.org/xwalk/id/example/eq1), but no curated mapping",
        "element 7/e2 is reused from 10 (https://w3id.org/xwalk/id/example/eq2), but no curated mapping",
    ],
    "element-dependency-cycle": [
        "checks/fixtures.trig: element 7/e1 depends on itself",
        "element 7/e2 depends on itself",
    ],
    "scored-provision-without-elements": ["the scored provision 8 of u has no requirement element"],
    "mapping-outside-declared-standards": [
        "row 22: the subject 5 belongs to https://w3id.org/xwalk/id/example/t, not to",
        "row 22: the object 1 belongs to https://w3id.org/xwalk/id/example/s, not to",
    ],
}


def test_shipped_graph_conforms_to_shapes_and_checks(store):
    assert validate.shacl(store) == []
    assert validate.checks(store) == []


def test_ontology_and_catalogs_are_consistent_for_hermit():
    assert validate.reasoner() == []


def test_reasoner_finds_a_provision_of_two_disjoint_kinds(tmp_path):
    clash = tmp_path / "clash.ttl"
    clash.write_text(
        "@prefix xw: <https://w3id.org/xwalk/ontology#> .\n<https://w3id.org/xwalk/id/x/1> a xw:Clause, xw:Control .\n"
    )
    findings = validate.reasoner([paths.SCHEMA_FILE, clash])
    assert [f.check for f in findings] == ["reasoner"]
    assert "inconsistent" in findings[0].message


@pytest.fixture(scope="module")
def check_store():
    store = Store()
    store.load_rdf(CHECK_FIXTURES, "https://w3id.org/xwalk/graph/unused")
    return store


def test_every_check_has_a_failing_example():
    assert {p.stem for p in paths.CHECKS_DIR.glob("*.rq")} == set(EXPECTED)


@pytest.mark.parametrize("check", sorted(EXPECTED))
def test_check_reports_its_violation(check_store, check, tmp_path):
    (tmp_path / f"{check}.rq").write_text((paths.CHECKS_DIR / f"{check}.rq").read_text())
    messages = [f.message for f in validate.checks(check_store, tmp_path)]
    assert messages, f"{check} found nothing"
    for expected in EXPECTED[check]:
        assert any(expected in m for m in messages), messages


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_wrong_id_in_a_mapping_file_names_file_and_row(project_copy):
    mapping_file = sorted((project_copy / "mappings").glob("*.sssom.tsv"))[0]
    lines = mapping_file.read_text("utf-8").splitlines()
    row = next(
        n
        for n, line in enumerate(lines, 1)
        if not line.startswith("#") and n > 1 and "\t" in line and not line.startswith("subject_id")
    )
    subject = lines[row - 1].split("\t")[0]
    _break(mapping_file, subject + "\t", subject.split(":")[0] + ":Z.99\t")
    store = load(files=source_files(project_copy))
    messages = [f.message for f in validate.shacl(store)]
    assert any(f"{mapping_file.name} row {row}: The subject_id is not a provision" in m for m in messages), messages


def test_syntax_error_in_a_catalog_names_file_and_line(project_copy):
    catalog = project_copy / "ontology" / "catalogs" / "iso42001_2023.ttl"
    _break(catalog, 'skos:prefLabel "AI policy"@en ;', 'skos:prefLabel "AI policy"@en ,, ;')
    line = next(n for n, text in enumerate(catalog.read_text().splitlines(), 1) if ",, ;" in text)
    with pytest.raises(XwalkError, match=rf"iso42001_2023.ttl line {line}"):
        load(files=source_files(project_copy))


def test_a_bad_mapping_date_and_a_catalog_row_that_is_its_own_parent_are_named_by_file_and_row(project_copy):
    mapping_file = project_copy / "mappings" / "iso42001-2023_iso27001-2022.sssom.tsv"
    lines = mapping_file.read_text("utf-8").splitlines()
    row = next(n for n, line in enumerate(lines, 1) if "\t2026-" in line or "\t2025-" in line)
    date = next(cell for cell in lines[row - 1].split("\t") if cell[:3] == "202" and len(cell) == 10)
    lines[row - 1] = lines[row - 1].replace("\t" + date + "\t", "\t2026-13-45\t", 1)
    mapping_file.write_text("\n".join(lines) + "\n", "utf-8")
    catalog = project_copy / "ontology" / "catalogs" / "src" / "iso27001_2022.csv"
    table = catalog.read_text("utf-8").splitlines()
    header = table[0].split(",")
    line = next(n for n, text in enumerate(table, 1) if text.startswith("A.5.1,"))
    cells = table[line - 1].split(",")
    cells[header.index("parent_id")] = "A.5.1"
    table[line - 1] = ",".join(cells)
    catalog.write_text("\n".join(table) + "\n", "utf-8")
    store = load(files=source_files(project_copy))
    messages = [f.message for f in validate.checks(store) + validate.sources(project_copy)]
    assert f"{mapping_file.name} row {row}: mapping_date 2026-13-45 is not a calendar date (YYYY-MM-DD)." in " ".join(
        messages
    ), messages
    assert f"ontology/catalogs/src/iso27001_2022.csv line {line}: A.5.1 is its own parent" in messages, messages
