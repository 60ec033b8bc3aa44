"""The draft Statement of Applicability (services.soa) as CSV, or as XLSX through the one styled writer (styled
header, frozen panes, filters, shares formatted as percentages). Spreadsheet cells are guarded against formulas."""

from dataclasses import astuple

from xwalk.core.cells import csv_text
from xwalk.core.errors import XwalkError
from xwalk.present import xlsx
from xwalk.services.soa import DRAFT_COLUMNS, PERCENT_COLUMNS, DraftRow

TITLE = "Draft ISO/IEC 42001 Statement of Applicability"


def draft_file(rows: list[DraftRow], fmt: str) -> bytes:
    records = [list(astuple(r)) for r in rows]
    if fmt == "csv":
        return csv_text(DRAFT_COLUMNS, records).encode("utf-8")
    if fmt == "xlsx":
        notes = [
            TITLE,
            "Applicability and status are suggestions from the organisation profile and the baseline: review each.",
        ]
        formats = {c: xlsx.PERCENT for c in PERCENT_COLUMNS}
        return xlsx.workbook([xlsx.Sheet("Draft SoA", DRAFT_COLUMNS, records, formats=formats, notes=notes)])
    raise XwalkError(f"unknown draft format {fmt!r}; expected csv or xlsx")
