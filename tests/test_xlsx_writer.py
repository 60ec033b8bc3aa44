"""The one XLSX writer (xwalk.present.xlsx), read back with openpyxl: a bold filled header under the notes, frozen
panes below it, an autofilter over the table, number formats by column, formula-like text quoted."""

import io

from openpyxl import load_workbook

from xwalk.present import xlsx


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
