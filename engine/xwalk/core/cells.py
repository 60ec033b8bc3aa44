"""Spreadsheet cells written safely, for every CSV and XLSX the project writes."""


def safe_cell(value):
    """Spreadsheet programs run a cell that starts with =, +, -, @, tab or CR as a formula: quote such text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
