"""Hostile and awkward files: every reader refuses what would take unbounded memory or a traceback, with a sentence
naming the file; SoAs as people really write them are read without losing anything; the importer never writes a
set the loader would refuse. The hostile files are built here (benchmarks/hostile.py), never shipped."""

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ lives at the project root

from benchmarks import hostile  # noqa: E402
from xwalk.cli import main  # noqa: E402
from xwalk.core import bounded
from xwalk.core.errors import XwalkError  # noqa: E402
from xwalk.services import baseline, upload
from xwalk.services.catalog import Catalog  # noqa: E402
from xwalk.services.exchange import strm  # noqa: E402

A5 = "https://w3id.org/xwalk/id/iso-iec-27001-2022/A.5."
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# ---------------------------------------------------------------- JSON and YAML


def test_a_yaml_alias_bomb_is_refused_before_it_expands(catalog, tmp_path):
    bomb = write(tmp_path / "soa.yaml", hostile.alias_bomb())
    assert len(bomb.read_bytes()) < 700
    with pytest.raises(XwalkError, match=r"soa.yaml line 2: YAML aliases \(\*name\) are not accepted"):
        baseline.build(catalog, bomb)


@pytest.mark.parametrize(("suffix", "content"), [(".json", hostile.deep_json()), (".yaml", hostile.deep_yaml())])
def test_nesting_deeper_than_the_limit_is_refused_without_a_recursion_error(catalog, tmp_path, suffix, content):
    path = write(tmp_path / f"soa{suffix}", content)
    with pytest.raises(XwalkError, match=f"soa{suffix} line 1: nested more than {bounded.MAX_DEPTH} levels deep"):
        baseline.build(catalog, path)


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        (".json", f'[{{"id": "A.5.1", "status": {hostile.long_number()}}}]'),
        (".yaml", f"- id: A.5.1\n  status: {hostile.long_number()}\n"),
    ],
)
def test_a_number_over_4300_digits_is_refused_with_a_sentence(catalog, tmp_path, suffix, content):
    path = write(tmp_path / f"soa{suffix}", content)
    with pytest.raises(XwalkError, match="a number has more than 4300 digits"):
        baseline.build(catalog, path)


def test_an_id_of_5000_digits_is_a_row_error_not_a_crash(catalog, tmp_path):
    path = write(tmp_path / "soa.csv", f"Control,Status\nA.5.{hostile.long_number()},implemented\n")
    with pytest.raises(XwalkError, match=r"row 2: 'A\.5\.1111.*\.\.\.' is not a provision"):
        baseline.build(catalog, path)
    assert catalog.resolve(f"A.{hostile.long_number()}", "iso27001") is None


# ---------------------------------------------------------------- XLSX


def test_a_shared_string_bomb_is_refused_from_the_zip_directory(catalog, tmp_path):
    bomb = hostile.shared_string_bomb(tmp_path / "soa.xlsx", megabytes=400)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(XwalkError, match=r"soa.xlsx: the workbook part xl/sharedStrings.xml is 4\d{8} bytes"):
        baseline.build(catalog, bomb)


def test_a_shared_string_longer_than_excel_allows_is_refused(catalog, tmp_path):
    path = hostile.shared_string_bomb(tmp_path / "soa.xlsx", megabytes=1)
    with pytest.raises(XwalkError, match="soa.xlsx: a cell holds 1048576 characters, more than Excel allows"):
        baseline.build(catalog, path)


def test_a_workbook_of_more_cells_than_an_soa_holds_is_refused_before_loading(catalog, tmp_path):
    path = hostile.wide_row(tmp_path / "soa.xlsx", cells=bounded.MAX_CELLS + 1)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(XwalkError, match=f"soa.xlsx: more than {bounded.MAX_CELLS} cells"):
        baseline.build(catalog, path)


def test_declared_dimensions_of_a_million_rows_are_not_believed(catalog, tmp_path):
    import zipfile

    path = hostile.workbook(tmp_path / "plain.xlsx", {"SoA": [["Control", "Status"], ["A.5.1", "implemented"]]})
    swollen = tmp_path / "soa.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(swollen, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', data)
                assert b"XFD1048576" in data
            target.writestr(item, data)
    held = baseline.build(catalog, swollen)
    assert held.entries[A5 + "1"].status == "implemented"


def test_macros_and_external_links_are_read_as_data_with_a_warning(catalog, tmp_path):
    rows = [["Control", "Status"], ["A.5.1", "implemented"]]
    path = hostile.workbook(tmp_path / "soa.xlsm", {"SoA": rows}, macros=True, links=True)
    held = baseline.build(catalog, path)
    assert held.entries[A5 + "1"].status == "implemented"
    assert any(w.endswith("soa.xlsm holds macros; it was read as data and no macro was run") for w in held.warnings)
    assert any("links to other workbooks" in w and "no link was followed" in w for w in held.warnings)


def test_an_unreadable_upload_names_the_uploaded_file_never_the_temporary_path(catalog):
    with pytest.raises(XwalkError) as error:
        baseline.from_upload(catalog, "Our SoA.xlsx", b"PK\x03\x04 not really a workbook", isolated=False)
    assert str(error.value).startswith("Our SoA.xlsx: not a readable XLSX workbook")
    assert "/tmp" not in str(error.value) and "xwalk-upload" not in str(error.value)


# ---------------------------------------------------------------- the bounded upload worker


def test_an_upload_is_read_in_a_worker_with_a_memory_limit(catalog):
    text = b"Control,Status\nA.5.1,implemented\n"
    table = upload.parse("soa.csv", text, baseline.ReadOptions())
    assert table.rows == [(2, {"id": "A.5.1", "status": "implemented"})]
    # big enough that reading it must map fresh memory, whatever the forked worker already holds
    larger = text + b"A.5.1,implemented\n" * 50_000
    with pytest.raises(upload.UploadRefused, match="soa.csv: reading the file needed more than 16 MB of memory"):
        upload.parse("soa.csv", larger, baseline.ReadOptions(), memory=16 * 1024 * 1024)
    bomb = upload.parse  # the alias bomb is refused by the reader inside the worker, with the upload's name
    with pytest.raises(XwalkError, match="bomb.yaml line 2: YAML aliases"):
        bomb("bomb.yaml", hostile.alias_bomb(), baseline.ReadOptions())


# ---------------------------------------------------------------- SoA intake that loses nothing


def test_a_workbook_with_a_cover_sheet_and_title_rows_is_read(catalog, tmp_path):
    path = hostile.workbook(
        tmp_path / "soa.xlsx",
        {
            "Cover": [["Statement of Applicability"], ["Owner", "CISO"], ["Version", "3"]],
            "Controls": [
                ["ACME Ltd - Statement of Applicability"],
                ["ISO/IEC 27001:2022 Annex A"],
                [],
                ["Control", "Title", "Applicable", "Reason for exclusion", "Status of implementation"],
                ["A.5.1", "Policies", "Yes", "", "Implemented"],
                ["A.5.2", "Roles", "Yes", "", "Planned"],
                ["A.5.3", "Segregation", "No", "We are two people", ""],
            ],
        },
    )
    held = baseline.build(catalog, path)
    assert [held.entries[A5 + n].status for n in "123"] == ["implemented", "planned", "excluded"]
    assert held.entries[A5 + "3"].justification == "We are two people"
    assert held.entries[A5 + "3"].origin.endswith("row 7")
    assert not any("without a justification" in w for w in held.warnings)
    with pytest.raises(XwalkError, match=r"no sheet named 'Annex'; the sheets are 'Cover', 'Controls'"):
        baseline.build(catalog, path, options=baseline.ReadOptions(sheet="Annex"))


def test_an_unknown_status_header_is_refused_listing_the_columns_then_mapped_by_hand(catalog, tmp_path):
    path = write(tmp_path / "soa.csv", "Ref,Our status,Notes\nA.5.1,Planned,\nA.5.2,Implemented,\n")
    with pytest.raises(XwalkError) as error:
        baseline.build(catalog, path)
    message = str(error.value)
    assert "no implementation status column (columns seen: 'Ref', 'Our status', 'Notes')" in message
    assert "--columns" in message and "--all-implemented" in message
    columns = baseline.parse_columns('status="Our status",id=Ref')
    held = baseline.build(catalog, path, options=baseline.ReadOptions(columns=columns))
    assert held.entries[A5 + "1"].status == "planned"
    with pytest.raises(XwalkError, match="unknown column 'owner'"):
        baseline.parse_columns("owner=Who")


def test_exclusions_without_justification_are_one_short_warning(catalog, tmp_path):
    rows = "".join(f"A.5.{n},No,,\n" for n in range(1, 15))
    path = write(tmp_path / "soa.csv", "Control,Applicable,Justification,Status\n" + rows)
    held = baseline.build(catalog, path)
    grouped = [w for w in held.warnings if "without a justification" in w]
    assert grouped == ["14 controls excluded without a justification: A.5.1, A.5.2, A.5.3, A.5.4, A.5.5 and 9 more"]


def test_the_cli_takes_sheet_columns_and_all_implemented(tmp_path):
    path = hostile.workbook(
        tmp_path / "soa.xlsx",
        {"Read me": [["Instructions"]], "Annex A": [["Title"], ["Ref", "Where we are"], ["A.5.1", "done"]]},
    )
    command = ["coverage", "--baseline", str(path), "--target", "iso42001", "--format", "json"]
    refused = CliRunner().invoke(main, command)
    assert refused.exit_code == 2 and "no implementation status column" in refused.output
    done = CliRunner().invoke(main, [*command, "--sheet", "Annex A", "--columns", 'status="Where we are"'])
    assert done.exit_code == 0, done.output
    assert '"summary"' in done.output
    listed = CliRunner().invoke(main, [*command, "--all-implemented"])
    assert listed.exit_code == 0, listed.output
    draft = CliRunner().invoke(main, ["soa-draft", "--baseline", str(path), "--all-implemented", "--format", "json"])
    assert draft.exit_code == 0, draft.output


# ---------------------------------------------------------------- the importer


def strm_csv(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Focal Document Element", "STRM Relationship", "Reference Document Element", "Strength"])
        writer.writerows(rows)
    return path


def test_a_strm_cell_over_the_csv_field_limit_is_refused_naming_the_row(world, tmp_path):
    path = strm_csv(tmp_path / "strm.csv", [["A.6.2.8", "subset of", "A.8.16", "8"], ["x" * 200_000, "equal", "", ""]])
    with pytest.raises(XwalkError, match="strm.csv row 3: a cell is longer than 131072 characters"):
        strm.import_file(Catalog(world), path, "x", CC_BY, "iso42001", "iso27001")


SSSOM_HEAD = """#curie_map:
#  xw: https://w3id.org/xwalk/ontology#
#  semapv: https://w3id.org/semapv/vocab/
#  js: "javascript:"
#  iso42001: https://w3id.org/xwalk/id/iso-iec-42001-2023/
#  iso27001: https://w3id.org/xwalk/id/iso-iec-27001-2022/
#mapping_set_id: https://example.org/set
#license: https://creativecommons.org/licenses/by/4.0/
#subject_source: https://w3id.org/xwalk/id/iso-iec-42001-2023
#object_source: https://w3id.org/xwalk/id/iso-iec-27001-2022
subject_id\tpredicate_id\tobject_id\tmapping_justification\tauthor_id\tmapping_date\tstrength\tcomment
"""


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("iso42001:A.6.2.8\txw:subset_of\tiso27001:A.8.16\tsemapv:ManualMappingCuration\t"
         "https://example.org/a b\t2026-01-02\t8\tx", "author_id 'https://example.org/a b' is not an http(s) IRI"),
        ("iso42001:A.6.2.8\txw:subset_of\tiso27001:A.8.16\tjs:alert(1)\t\t2026-01-02\t8\tx",
         "mapping_justification 'javascript:alert(1)' is not an http(s) IRI"),
        ("iso42001:A.6.2.8\txw:subset_of\tiso27001:A.8.16\tsemapv:ManualMappingCuration\tjs:alert(1)\t2026-01-02\t8\tx",
         "author_id 'javascript:alert(1)' is not an http(s) IRI"),
        ("iso42001:A.6.2.8\txw:subset_of\tiso27001:A.8.16\tsemapv:ManualMappingCuration\t\t2026-13-45\t8\tx",
         "mapping_date '2026-13-45' is not a calendar date"),
        ("iso42001:A.6.2.8\txw:subset_of\tiso27001:A.8.16\tsemapv:ManualMappingCuration\t\t2026-01-02\t11\tx",
         "strength of relationship '11' is not a whole number from 1 to 10"),
        ("iso42001:A.6.2.8\txw:overlaps\tiso27001:A.8.16\tsemapv:ManualMappingCuration\t\t2026-01-02\t8\tx",
         "predicate_id 'xw:overlaps' is not one of the xw: relations"),
        ("iso27001:A.8.16\txw:equal\tiso27001:A.8.16\tsemapv:ManualMappingCuration\t\t2026-01-02\t8\tx",
         "A.8.16 is mapped to itself"),
    ],
)  # fmt: skip
def test_the_importer_refuses_what_would_break_the_graph_and_writes_nothing(tmp_path, row, problem):
    source = write(tmp_path / "theirs.sssom.tsv", SSSOM_HEAD.replace("\t", "\t") + row + "\n")
    into = tmp_path / "imports"
    result = CliRunner().invoke(main, ["import-mappings", str(source), "--into", str(into)])
    assert result.exit_code == 2, result.output
    assert "line 12: " + problem in result.output and "nothing was imported" in result.output
    assert "Traceback" not in result.output
    assert not into.exists() or not list(into.iterdir())


def test_an_alias_bomb_in_an_sssom_header_is_refused(tmp_path):
    bomb = "".join(f"#{line}\n" for line in hostile.alias_bomb().decode().splitlines())
    source = write(tmp_path / "bomb.sssom.tsv", bomb + SSSOM_HEAD)
    result = CliRunner().invoke(main, ["import-mappings", str(source), "--into", str(tmp_path / "imports")])
    assert result.exit_code == 2 and "bomb.sssom.tsv line 2: YAML aliases (*name) are not accepted" in result.output


def test_a_valid_sssom_import_is_written_and_loads(tmp_path):
    row = "iso42001:A.6.2.8\txw:subset_of\tiso27001:A.8.16\tsemapv:ManualMappingCuration\t\t2026-01-02\t8\tlogs\n"
    source = write(tmp_path / "theirs.sssom.tsv", SSSOM_HEAD.replace('#  js: "javascript:"\n', "") + row)
    into = tmp_path / "imports"
    result = CliRunner().invoke(main, ["import-mappings", str(source), "--into", str(into)])
    assert result.exit_code == 0, result.output
    from xwalk.load import load_file
    from xwalk.store import Store

    store = Store()
    load_file(store, into / "imported-theirs.sssom.tsv")
    assert len(store.query("SELECT * WHERE { ?m a <https://w3id.org/xwalk/ontology#Mapping> }").rows) == 1


# ---------------------------------------------------------------- Markdown reports


def test_markdown_reports_escape_file_names_and_imported_rationales(tmp_path, monkeypatch):
    soa = write(tmp_path / "<img src=x onerror=alert(1)>.csv", "Control,Status\nA.8.16,implemented\n")
    report = CliRunner().invoke(main, ["coverage", "--baseline", str(soa), "--target", "iso42001", "--format", "md"])
    assert report.exit_code == 0, report.output
    assert "<img" not in report.output and "&lt;img src=x onerror=alert(1)&gt;.csv" in report.output
    source = strm_csv(tmp_path / "strm.csv", [["A.6.2.8", "subset of", "A.8.16", "8"]])
    text = source.read_text("utf-8").splitlines()  # a Notes column with a script and a link in it
    text[0] += ",Notes"
    text[1] += ',"<script>alert(1)</script> [click](javascript:alert(1))"'
    source.write_text("\n".join(text) + "\n", "utf-8")
    imports = tmp_path / "imports"
    imported = CliRunner().invoke(
        main,
        ["import-mappings", str(source), "--focal", "iso42001", "--reference", "iso27001", "--license", CC_BY]
        + ["--into", str(imports)],
    )
    assert imported.exit_code == 0, imported.output
    monkeypatch.setenv("XWALK_IMPORTS", str(imports))
    draft = CliRunner().invoke(main, ["soa-draft", "--baseline", str(soa), "--uncertified", "--format", "md"])
    assert draft.exit_code == 0, draft.output
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\[click\\](javascript:alert(1))" in draft.output
    assert "<script>" not in draft.output
