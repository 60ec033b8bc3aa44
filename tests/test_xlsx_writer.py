"""The one XLSX writer (xwalk.present.xlsx), read back with openpyxl: a bold filled header under the notes, frozen
panes below it, an autofilter over the table, number formats by column, formula-like text quoted."""

import io

import pytest
from openpyxl import load_workbook

from test_cli import xwalk
from xwalk.present import ai_act_reports, reports, xlsx
from xwalk.services import baseline, coverage


def test_a_sheet_is_styled_filtered_frozen_and_formatted():
    sheet = xlsx.Sheet(
        "Scores", ["id", "score", "note"], [["A.2.2", 0.7, "=1+1"], ["A.3.2", 0.25, "plain"]], {"score": xlsx.PERCENT}
    )
    sheet.notes = ["Title line"]
    book = load_workbook(io.BytesIO(xlsx.workbook([sheet])))
    ws = book["Scores"]
    assert ws["A1"].value == "Title line" and ws["A1"].font.bold
    assert [c.value for c in ws[3]] == ["id", "score", "note"]
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith(xlsx.HEADER_FILL) for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:C5"
    assert ws["B4"].value == 0.7 and ws["B4"].number_format == xlsx.PERCENT
    assert ws["C4"].value == "'=1+1"
    assert ws.column_dimensions["A"].width >= len("A.2.2")


# ---------------------------------------------------------------- every workbook the project writes goes through it

FULL = "soa-27001-full.csv"


@pytest.fixture(scope="module")
def report(catalog):
    from xwalk.core.paths import ROOT

    return coverage.compute(catalog, baseline.build(catalog, ROOT / "examples" / FULL), "iso42001")


def header_row(sheet) -> int:
    return int(sheet.freeze_panes[1:]) - 1


def assert_styled(sheet, columns: list[str], rows: int) -> int:
    header = header_row(sheet)
    assert [c.value for c in sheet[header]] == columns
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith(xlsx.HEADER_FILL) for c in sheet[header])
    assert sheet.freeze_panes == f"A{header + 1}"
    assert (
        sheet.auto_filter.ref == f"A{header}:{sheet.cell(row=header, column=len(columns)).column_letter}{header + rows}"
    )
    assert all(2 < sheet.column_dimensions[c.column_letter].width <= xlsx.MAX_WIDTH for c in sheet[header])
    return header


def test_coverage_workbook_is_styled_with_percentages(report):
    book = load_workbook(io.BytesIO(reports.to_xlsx(report)))
    assert book.sheetnames == ["Summary", "Provisions"]
    summary = book["Summary"]
    assert summary["A1"].value == reports.headline(report) and summary["A1"].font.bold
    columns = ["group", "title", "provisions", "certain", "lower", "estimate", "upper", *coverage.VERDICTS]
    header = assert_styled(summary, columns, len(report.parts) + len(report.groups))
    estimate = columns.index("estimate") + 1
    first = summary.cell(row=header + 1, column=estimate)
    assert first.number_format == xlsx.PERCENT and first.value == report.parts[0].estimate

    detail = book["Provisions"]
    assert_styled(detail, reports.COLUMNS, len(report.provisions))
    score = reports.COLUMNS.index("score") + 1
    cells = [detail.cell(row=r, column=score) for r in range(2, 2 + len(report.provisions))]
    assert [c.value for c in cells] == [v.score for v in report.provisions]
    assert {c.number_format for c in cells} == {xlsx.PERCENT}
    assert detail.cell(row=2, column=1).number_format == "General"  # ids stay text


def test_ai_act_workbook_is_styled_with_percentages(tmp_path):
    out = tmp_path / "obligations.xlsx"
    result = xwalk(
        "obligations",
        "--inventory",
        "examples/ai-inventory.yaml",
        "--on",
        "2026-12-02",
        "--certified",
        "iso27001",
        "--format",
        "xlsx",
        "--output",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "Obligations"]
    summary = book["Summary"]
    assert summary["A1"].value.startswith("EU AI Act obligations of") and summary["A1"].font.bold
    assert_styled(summary, ai_act_reports.SUMMARY_COLUMNS, summary.max_row - header_row(summary))
    detail = book["Obligations"]
    assert_styled(detail, ai_act_reports.COLUMNS, detail.max_row - 1)
    score = ai_act_reports.COLUMNS.index("score") + 1
    scored = [detail.cell(row=r, column=score) for r in range(2, detail.max_row + 1)]
    numbers = [c for c in scored if isinstance(c.value, float | int)]
    assert numbers and {c.number_format for c in numbers} == {xlsx.PERCENT}
