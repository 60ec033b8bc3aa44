"""Spreadsheet cells written safely, for every CSV and XLSX the project writes."""


def safe_cell(value):
    """Spreadsheet programs run a cell that starts with =, +, -, @, tab or CR as a formula: quote such text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(header: list[str], rows) -> str:
    """A CSV table (header, then rows) with every cell guarded by `safe_cell`: the one CSV writer of the reports."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[safe_cell(c) for c in row] for row in rows])
    return out.getvalue()
