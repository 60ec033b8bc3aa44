"""Reading baselines: Statements of Applicability in the shapes people write them, certificates, and bad input."""

import json
from pathlib import Path

import pytest

from xwalk.core.errors import XwalkError
from xwalk.services import baseline

EXAMPLES = Path(__file__).parents[1] / "examples"
A515 = "https://w3id.org/xwalk/id/iso-iec-27001-2022/A.5.15"


def soa(tmp_path, text: str, name: str = "soa.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_full_example_holds_every_control_and_the_clauses(catalog):
    held = baseline.build(catalog, EXAMPLES / "soa-27001-full.csv")
    controls = [e for e in held.entries.values() if e.notation.startswith("A.")]
    assert len(controls) == 93 and all(e.status == "implemented" for e in controls)
    assert held.entries["https://w3id.org/xwalk/id/iso-iec-27001-2022/6.1.2"].origin == "certified iso27001"


def test_partial_example_reads_tolerant_columns_ids_and_statuses(catalog):
    held = baseline.build(catalog, EXAMPLES / "soa-27001-partial.csv")
    by_id = {e.notation: e for e in held.entries.values()}
    assert by_id["A.5.1"].status == "implemented"  # written "5.1"
    assert by_id["A.5.3"].status == "implemented"  # written "Annex A 5.3"
    assert by_id["A.5.4"].status == "implemented"  # written "A.05.04"
    assert by_id["A.7.1"].status == "excluded" and "remote" in by_id["A.7.1"].justification
    assert by_id["A.8.28"].status == "planned"
    assert by_id["A.5.9"].weight == 0.5


def test_combined_soa_certifies_both_standards(catalog):
    held = baseline.build(catalog, EXAMPLES / "soa-27001-27701.csv")
    assert held.standards[:2] == ["iso27001", "iso27701-2019"]
    b_controls = [e for e in held.entries.values() if e.notation.startswith("B.")]
    assert len(b_controls) == 18 and {e.status for e in b_controls} == {"excluded"}


def test_certificate_shortcut_holds_all_controls(catalog):
    held = baseline.build(catalog, certified=["iso27001"])
    assert held.entries[A515].status == "implemented"
    assert held.held_count() == 41 + 93  # the clauses and the controls; the four themes are headings, not held


def test_xlsx_json_and_yaml_read_like_csv(catalog, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Reference", "Implementation status"])
    book.active.append(["A 5.15", "Partially implemented"])
    book.save(tmp_path / "soa.xlsx")
    (tmp_path / "soa.json").write_text(json.dumps({"controls": [{"control": "A.5.15", "status": "partial"}]}))
    (tmp_path / "soa.yaml").write_text("- id: '5.15'\n  status: in progress\n")
    for name in ("soa.xlsx", "soa.json", "soa.yaml"):
        held = baseline.build(catalog, tmp_path / name)
        assert held.entries[A515].status == "partially implemented", name


def test_no_status_column_is_refused_unless_all_implemented_is_said(catalog, tmp_path):
    path = soa(tmp_path, "Control,Applicable\nA.5.15,yes\nA.5.16,no\n")
    with pytest.raises(XwalkError, match="no implementation status column .columns seen: 'Control', 'Applicable'"):
        baseline.build(catalog, path)
    held = baseline.build(catalog, path, options=baseline.ReadOptions(all_implemented=True))
    assert held.entries[A515].status == "implemented"
    assert held.entries[A515.replace("15", "16")].status == "excluded"
    assert any("excluded without a justification" in w for w in held.warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Control,Status\n5.38,implemented\n", ["row 2: '5.38' is not a provision of ISO/IEC 27001:2022"]),
        ("Control,Status\nA.5.1,implemented\n5.1,done\n", ["row 3: A.5.1 repeats row 2"]),
        ("Control,Status\nA.5.1,kinda\n", ["row 2: unknown status 'kinda'"]),
        ("Control,Applicable,Status\nA.5.1,maybe,implemented\n", ["row 2: applicability 'maybe' is not yes or no"]),
        ("Name,Owner\nx,y\n", ["no header row with an id column", "columns seen: 'Name', 'Owner'"]),
        ("", ["the file is empty"]),
        ("Control,Status\n", ["has a header but no rows"]),
        (
            "Control,Status\n5.38,implemented\nA.5.1,kinda\nA.5.2,done\n",
            ["2 row(s) could not be read; nothing was computed", "row 2:", "row 3:"],
        ),
    ],
)
def test_bad_soa_is_refused_naming_the_rows(catalog, tmp_path, text, expected):
    with pytest.raises(XwalkError) as error:
        baseline.build(catalog, soa(tmp_path, text))
    for part in expected:
        assert part in str(error.value)


def test_wrong_encoding_is_named(catalog, tmp_path):
    path = tmp_path / "soa.csv"
    path.write_bytes("Control,Status\nA.5.1,Implement\u00e9\n".encode("latin-1"))
    with pytest.raises(XwalkError, match="row 2: not UTF-8 text"):
        baseline.build(catalog, path)


def test_a_100000_row_file_is_refused(catalog, tmp_path):
    rows = "".join(f"A.5.{i},implemented\n" for i in range(100_000))
    with pytest.raises(XwalkError, match="100000 rows is more than a Statement of Applicability holds"):
        baseline.build(catalog, soa(tmp_path, "Control,Status\n" + rows))


def test_unknown_file_type_and_missing_file(catalog, tmp_path):
    with pytest.raises(XwalkError, match="unknown file type '.pdf'"):
        baseline.build(catalog, soa(tmp_path, "x", "soa.pdf"))
    with pytest.raises(XwalkError, match="no such file"):
        baseline.build(catalog, tmp_path / "missing.csv")


def test_an_empty_baseline_is_refused(catalog):
    with pytest.raises(XwalkError, match="the baseline is empty"):
        baseline.build(catalog)
