"""Reading a Set Theory Relationship Mapping spreadsheet (NIST IR 8477, as the Secure Controls Framework and NIST
OLIR publish them; CSV or XLSX) into mapping records, for `strm.import_file`.

A STRM row reads "focal element RELATION reference element": the focal element is the mapping's subject, the
reference element its object. Columns are found by name, case- and punctuation-insensitively, on the first row
that has them (SCF files open with a few rows about the document):

  focal       FDE #, FDE, DE #, Focal Document Element, Focal Element, Focal ID, Source ID
  reference   SCF #, Reference Document Element, Reference Element, Reference ID, RDE #, Target ID #, Target ID
  relation    STRM Relationship, Relationship, Set Theory Relationship, Relationship Type
  strength    Strength of Relationship (optional), Strength of Relationship, Strength
  rationale   STRM Rationale, Rationale, NIST IR-8477 Rational(e): syntactic, semantic or functional, or a text
  notes       Notes (optional), Notes, Comments, Comment

Relations: equal (equals, equivalent), subset of, superset of, intersects with, no relationship (not related). A
cell may hold several reference ids, one per line. Descriptions of the elements are never read: they may hold the
standards' text.
"""

import re
from pathlib import Path

from xwalk.core import bounded
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import SEMAPV
from xwalk.services.catalog import Catalog

COLUMNS = {
    "focal": [
        "fde",
        "de",
        "focal document element",
        "focal element",
        "focal id",
        "focal element id",
        "focal document element id",
        "source id",
    ],
    "reference": [
        "scf",
        "reference document element",
        "reference element",
        "reference id",
        "reference element id",
        "reference document element id",
        "rde",
        "target id",
    ],
    "relation": ["strm relationship", "relationship", "set theory relationship", "relationship type"],
    "strength": ["strength of relationship", "strength", "relationship strength"],
    "rationale": ["strm rationale", "rationale", "nist ir 8477 rational", "nist ir 8477 rationale"],
    "notes": ["notes", "note", "comments", "comment"],
}
RELATIONS = {
    "equal": "equal",
    "equals": "equal",
    "equal to": "equal",
    "equivalent": "equal",
    "equivalent to": "equal",
    "subset of": "subset_of",
    "subset": "subset_of",
    "superset of": "superset_of",
    "superset": "superset_of",
    "intersects with": "intersects_with",
    "intersects": "intersects_with",
    "intersect": "intersects_with",
    "no relationship": "no_relationship",
    "no relation": "no_relationship",
    "not related": "no_relationship",
    "not related to": "no_relationship",
}
RATIONALE_KINDS = {"syntactic", "semantic", "functional"}
HEADER_SEARCH_ROWS = 30
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000


def _key(text) -> str:
    text = re.sub(r"\(optional\)", " ", str(text or "").lower())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


_COLUMN = {_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


def read_table(
    path: Path, name: str, notes: list[str] | None = None
) -> tuple[int, dict[str, int], list[tuple[int, list[str]]]]:
    """The STRM table of a CSV or XLSX file: the header's row number, the column index of each field found, and
    the rows below it (row number, cells). What is read as data only (macros, links) goes into `notes`."""
    if not path.is_file():
        raise XwalkError(f"{name}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise XwalkError(f"{name}: larger than {MAX_BYTES // 1024 // 1024} MB; is this a mapping file?")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        sheets = _xlsx_sheets(path, name, notes if notes is not None else [])
    elif suffix in {".csv", ".tsv", ".txt"}:
        sheets = [_csv_rows(path, name)]
    else:
        raise XwalkError(f"{name}: unknown file type {suffix!r}; a STRM file is .csv or .xlsx")
    for rows in sheets:
        for number, cells in rows[:HEADER_SEARCH_ROWS]:
            columns: dict[str, int] = {}
            for index, cell in enumerate(cells):
                column = _COLUMN.get(_key(cell))
                if column and column not in columns:
                    columns[column] = index
            if {"focal", "reference", "relation"} <= columns.keys():
                body = [(n, c) for n, c in rows if n > number and any(str(v).strip() for v in c)]
                if len(body) > MAX_ROWS:
                    raise XwalkError(f"{name}: more than {MAX_ROWS} rows; is this a mapping file?")
                return number, columns, body
    raise XwalkError(
        f"{name}: no STRM table found (looked for a header row, within the first {HEADER_SEARCH_ROWS} rows, with a "
        "focal element column such as 'FDE #' or 'Focal Document Element', a relationship column such as 'STRM "
        "Relationship', and a reference element column such as 'SCF #' or 'Reference Document Element')"
    )


def _csv_rows(path: Path, name: str) -> list[tuple[int, list[str]]]:
    from xwalk.services.baseline import decode_text

    return bounded.csv_records(decode_text(path, name), name, sniff=8192)


def _xlsx_sheets(path: Path, name: str, notes: list[str]) -> list[list[tuple[int, list[str]]]]:
    import zipfile

    import openpyxl

    notes += bounded.check_xlsx(path, name)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as error:
        raise XwalkError(f"{name}: not a readable XLSX workbook ({bounded.clean(str(error), path, name)})") from None
    sheets = []
    for sheet in book.worksheets:
        sheet.reset_dimensions()  # declared dimensions may claim a million rows; read the cells that are there
        rows = []
        for number, row in enumerate(sheet.iter_rows(max_col=bounded.MAX_COLUMNS, values_only=True), start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise XwalkError(f"{name}: more than {MAX_ROWS} rows in sheet {sheet.title!r}; is this a mapping file?")
            rows.append((number, bounded.trimmed(row)))
        sheets.append(rows)
    book.close()
    return sheets


def strm_records(
    cat: Catalog, path: Path, name: str, focal: str, reference: str
) -> tuple[list[dict], list[str], list[str]]:
    """The mapping records of a STRM file between standards `focal` and `reference`, with the problems found and
    notes on rows left out.

    Why long: every row is checked in one pass, so that all the problems of a file are reported together.
    """
    focal_std, reference_std = cat.standard(focal), cat.standard(reference)
    records: list[dict] = []
    errors: list[str] = []
    notes: list[str] = []
    _, columns, body = read_table(path, name, notes)

    def cell(cells: list[str], column: str) -> str:
        index = columns.get(column)
        return str(cells[index]).strip() if index is not None and index < len(cells) else ""

    for number, cells in body:
        where = f"row {number}"
        focal_id, relation_text = cell(cells, "focal"), cell(cells, "relation")
        references = [r.strip() for r in re.split(r"[\r\n]+", cell(cells, "reference")) if r.strip()]
        relations = [r.strip() for r in re.split(r"[\r\n]+", relation_text) if r.strip()]
        if not focal_id:
            errors.append(f"{where}: the focal element id is empty")
            continue
        if not references:
            if relations and all(relation_of(r) == "no_relationship" for r in relations):
                notes.append(f"{where}: {focal_id} has no relationship and no reference element; left out")
            else:
                errors.append(f"{where}: the reference element id is empty")
            continue
        if len(relations) == 1:
            relations = relations * len(references)
        if len(relations) != len(references):
            errors.append(
                f"{where}: {len(references)} reference ids but {len(relations)} relationships; give one "
                "relationship, or one per reference id"
            )
            continue
        subject = cat.resolve(focal_id, focal_std.key)
        if subject is None:
            errors.append(f"{where}: {cat.lookup_error(focal_id, focal_std.key)}")
            continue
        rationale, notes_text = cell(cells, "rationale"), cell(cells, "notes")
        kind = rationale.lower() if rationale.lower() in RATIONALE_KINDS else ""
        text = notes_text or (rationale if not kind else "")
        for reference_id, relation_word in zip(references, relations, strict=True):
            relation = relation_of(relation_word)
            if relation is None:
                errors.append(
                    f"{where}: relationship {relation_word!r} is not one of equal, subset of, superset of, "
                    "intersects with, no relationship"
                )
                continue
            obj = cat.resolve(reference_id, reference_std.key)
            if obj is None:
                errors.append(f"{where}: {cat.lookup_error(reference_id, reference_std.key)}")
                continue
            summary = f"{subject.notation} {relation} {obj.notation}" + (f", {kind} rationale" if kind else "")
            records.append(
                {
                    "subject": subject,
                    "object": obj,
                    "relation": relation,
                    "strength": cell(cells, "strength"),
                    "justification": SEMAPV + "ManualMappingCuration",
                    "comment": f"STRM {name} {where} ({summary})" + (f": {text}" if text else "."),
                    "origin": where,
                }
            )
    return records, errors, notes


def relation_of(text: str) -> str | None:
    return RELATIONS.get(_key(text.removeprefix("xw:").replace("_", " ")))
