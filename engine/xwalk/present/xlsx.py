"""The one XLSX writer: every workbook the project writes (coverage reports, the draft Statement of Applicability)
goes through `workbook`, so each has a bold filled header, frozen panes below it, an autofilter, number formats
(scores as 70%) and column widths fitted to their content. Cells that a spreadsheet would run as formulas are
quoted."""

import io
from dataclasses import dataclass, field

from xwalk.core.cells import safe_cell

PERCENT = "0%"
INTEGER = "0"
HEADER_FILL = "1F4E79"
MAX_WIDTH = 60


@dataclass
class Sheet:
    """One sheet: a table (`columns`, `rows`) under optional `notes` (one line each, above the table); `formats`
    gives a number format by column name (PERCENT, INTEGER or any Excel format)."""

    title: str
    columns: list[str]
    rows: list[list]
    formats: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def workbook(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        for line, note in enumerate(spec.notes, start=1):
            sheet.cell(row=line, column=1, value=safe_cell(note))
        if spec.notes:
            sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
        header = len(spec.notes) + 2 if spec.notes else 1  # a blank row between the notes and the table
        for index, name in enumerate(spec.columns, start=1):
            sheet.cell(row=header, column=index, value=name)
        for cell in sheet[header]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(vertical="center")
        for number, row in enumerate(spec.rows, start=header + 1):
            for index, value in enumerate(row, start=1):
                sheet.cell(row=number, column=index, value=safe_cell(value))
        last = header + len(spec.rows)
        for index, name in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            if name in spec.formats:
                for (cell,) in sheet.iter_rows(min_row=header + 1, max_row=last, min_col=index, max_col=index):
                    cell.number_format = spec.formats[name]
            longest = max([len(str(name)), *(len(_shown(r[index - 1])) for r in spec.rows)])
            sheet.column_dimensions[letter].width = min(MAX_WIDTH, longest + 2)
        sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(spec.columns))}{last}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:.0%}"
    return "" if value is None else str(value)
