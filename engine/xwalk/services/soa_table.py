"""Reading a Statement of Applicability file (CSV, XLSX, JSON or YAML; or an OSCAL profile or plan, handed to
`services.exchange.oscal_read`) into a `Table` of rows keyed by canonical column, within the bounds of
`xwalk.core.bounded`. No id is resolved here: `services.baseline` turns the rows into a baseline. The upload worker
(`services.upload`) runs this reader alone.

Accepted columns (matched case- and punctuation-insensitively):
Accepted columns (matched case- and punctuation-insensitively):
  id            control, control id, control ref, annex a ref, annex a reference, reference, ref, id, clause,
                provision, number, no
  applicable    applicable, applicability, applies, included, selected, in scope, in soa
  justification justification, exclusion justification, justification for exclusion, reason for exclusion,
                reason, rationale, exclusion reason, ...
  status        status, implementation status, status of implementation, implementation, implemented, state,
                progress, ...
  standard      standard, framework (optional: a key such as iso27001 or iso27701-2019, for a combined SoA)
The header row may stand below title rows (the first of the top 30 rows with an id column); in a workbook the
first sheet holding such a table is read (cover sheets are passed over) unless a sheet is named. Columns can be
named by hand (`--columns status="Our status",id=Ref`). A table without a status column is refused, unless it is
declared to list implemented controls only (`--all-implemented`): nothing is assumed silently.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from xwalk.core import bounded
from xwalk.core.errors import XwalkError
from xwalk.core.paths import display

COLUMNS = {
    "id": [
        "control",
        "control id",
        "control ref",
        "control reference",
        "annex a ref",
        "annex a reference",
        "annex a control",
        "reference",
        "ref",
        "id",
        "clause",
        "provision",
        "number",
        "no",
        "control no",
        "control number",
    ],
    "applicable": [
        "applicable",
        "applicability",
        "applies",
        "included",
        "selected",
        "in scope",
        "in soa",
        "is applicable",
        "applicable y/n",
        "applicable yes/no",
        "included y/n",
        "applicability y/n",
    ],
    "justification": [
        "justification",
        "exclusion justification",
        "justification for exclusion",
        "reason",
        "rationale",
        "exclusion reason",
        "justification for inclusion exclusion",
        "reason for exclusion",
        "reasons for exclusion",
        "reason for inclusion exclusion",
        "justification for inclusion",
        "reason for inclusion",
        "exclusion rationale",
        "rationale for exclusion",
        "justification of exclusion",
        "reason for selection",
    ],
    "status": [
        "status",
        "implementation status",
        "status of implementation",
        "implementation state",
        "implementation progress",
        "control status",
        "current status",
        "implementation",
        "implemented",
        "state",
        "progress",
    ],
    "standard": ["standard", "framework"],
}
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024


def words_key(text: object) -> str:
    """Text as compared with the known words: lower case, punctuation but slashes as single spaces."""
    return re.sub(r"[^a-z0-9/]+", " ", str(text or "").lower()).strip()


_COLUMN = {words_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class ReadOptions:
    """How to read an SoA when its layout is not found alone: the sheet of a workbook, columns named by hand
    (canonical column -> header text), and whether a table with no status column lists implemented controls."""

    sheet: str | None = None
    columns: tuple[tuple[str, str], ...] = ()
    all_implemented: bool = False


@dataclass
class Table:
    """A Statement of Applicability as read from its file, before any id is resolved: its rows keyed by canonical
    column, the columns seen, and what the reader noticed. Plain data, so a worker process can hand it back. An
    OSCAL profile or plan comes back as its document (`oscal`) instead of rows."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    row_word: str = "row"
    warnings: list[str] = field(default_factory=list)
    oscal: dict | None = None


def decode_text(path: Path, name: str) -> str:
    """A text file's content, BOM stripped; a file that is not UTF-8 is refused naming the row of the first bad
    byte."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise XwalkError(f"{name} row {line}: not UTF-8 text; save the file as CSV UTF-8") from None


def parse_columns(spec: str | list[str] | tuple[str, ...] | None) -> tuple[tuple[str, str], ...]:
    """`status="Our status",id=Ref` (one string or several) as ((column, header), ...); unknown columns refused."""
    specs = [spec] if isinstance(spec, str) else list(spec or [])
    found = []
    for text in specs:
        rest = text.strip()
        while rest:
            match = re.match(r"""\s*(\w+)\s*=\s*("([^"]*)"|'([^']*)'|[^,]*)\s*(,|$)""", rest)
            if not match or not (match[3] or match[4] or match[2].strip()):
                raise XwalkError(f'--columns {text!r}: expected COLUMN=HEADER pairs, e.g. status="Our status",id=Ref')
            column = match[1].lower()
            if column not in COLUMNS:
                raise XwalkError(f"--columns {text!r}: unknown column {column!r}; expected one of {', '.join(COLUMNS)}")
            header = match[3] if match[3] is not None else match[4] if match[4] is not None else match[2].strip()
            found.append((column, header))
            rest = rest[match.end() :]
    return tuple(found)


OSCAL_SUFFIXES = (".json", ".yaml", ".yml")  # what `oscal_read.is_baseline_file` looks into
HEADER_SEARCH_ROWS = 30  # title rows above the header, as real SoAs have


def parse(path: Path, name: str | None = None, options: ReadOptions = ReadOptions()) -> Table:
    """Read a baseline file (an SoA in CSV, XLSX, JSON or YAML, or an OSCAL profile/plan) within the bounds of
    `xwalk.bounded`; `name` is how messages call the file (an upload's own name, never a temporary path)."""
    name = name or display(path)
    if path.suffix.lower() in OSCAL_SUFFIXES:  # only these may be OSCAL: a CSV or XLSX does without importing it
        from xwalk.services.exchange import oscal_read

        if oscal_read.is_baseline_file(path):
            return Table(oscal=oscal_read.read(path, name))
    return read_soa(path, name, options)


def read_soa(path: Path, name: str | None = None, options: ReadOptions = ReadOptions()) -> Table:
    """Rows of a Statement of Applicability with their row numbers, keyed by canonical column name."""
    name = name or display(path)
    if not path.is_file():
        raise XwalkError(f"{name}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise XwalkError(
            f"{name}: {path.stat().st_size} bytes is more than a Statement of Applicability "
            f"holds (at most {MAX_BYTES // 1024 // 1024} MB)"
        )
    suffix = path.suffix.lower()
    warnings: list[str] = []
    mapping = dict(options.columns)
    if suffix in {".xlsx", ".xlsm"}:
        header_row, header, columns, body = _xlsx(path, name, options.sheet, mapping, warnings)
    elif suffix in {".csv", ".tsv", ".txt"}:
        header_row, header, columns, body = _found(bounded.csv_records(decode_text(path, name), name), name, mapping)
    elif suffix in {".json", ".yaml", ".yml"}:
        header_row, header, body = _structured(path, name)
        columns = _columns(header, mapping)
        if "id" not in columns:
            raise XwalkError(f"{name}: no id field; {_expected(header, 'id')}")
    else:
        raise XwalkError(f"{name}: unknown file type {suffix!r}; expected .csv, .xlsx, .json or .yaml")
    missing = [f"{column}={text!r}" for column, text in mapping.items() if column not in columns]
    if missing:
        raise XwalkError(
            f"{name} row {header_row}: no column named as in --columns {', '.join(missing)}; {_seen(header)}"
        )
    if "status" not in columns and not options.all_implemented:
        raise XwalkError(
            f"{name} row {header_row}: no implementation status column ({_seen(header)}); name it with --columns "
            'status="HEADER", or give --all-implemented if every applicable control listed is implemented'
        )
    rows = []
    for number, values in body:
        if not any(str(v).strip() for v in values):
            continue
        rows.append(
            (
                number,
                {
                    c: str(values[i]).strip() if i < len(values) and values[i] is not None else ""
                    for c, i in columns.items()
                },
            )
        )
    if not rows:
        raise XwalkError(f"{name}: the file has a header but no rows")
    if len(rows) > MAX_ROWS:
        raise XwalkError(
            f"{name}: {len(rows)} rows is more than a Statement of Applicability holds "
            f"(at most {MAX_ROWS}); is this the right file?"
        )
    row_word = "record" if suffix in {".json", ".yaml", ".yml"} else "row"
    return Table(rows, row_word, warnings)


def _columns(header: list, mapping: dict[str, str]) -> dict[str, int]:
    """The index of each canonical column in a header row: those named by hand first, then known headers."""
    keys = [words_key(cell) for cell in header]
    columns = {}
    for column, text in mapping.items():
        if words_key(text) in keys:
            columns[column] = keys.index(words_key(text))
    taken = set(columns.values())
    for index, key in enumerate(keys):
        known = _COLUMN.get(key)
        if known and known not in columns and index not in taken:
            columns[known] = index
    return columns


def _seen(header: list) -> str:
    return f"columns seen: {', '.join(repr(str(h)) for h in header if str(h).strip()) or 'none'}"


def _expected(header: list, column: str) -> str:
    return f"expected a {column} column such as {', '.join(COLUMNS[column][:6])} ({_seen(header)})"


def _found(records: list, name: str, mapping: dict[str, str], where: str = ""):
    """The header row (the first of the top rows with an id column, below any title rows) and the rows under it."""
    records = [(n, r) for n, r in records if any(str(v).strip() for v in r)]
    if not records:
        raise XwalkError(f"{name}{where}: the file is empty")
    for position, (number, cells) in enumerate(records[:HEADER_SEARCH_ROWS]):
        columns = _columns(cells, mapping)
        if "id" in columns:
            return number, cells, columns, records[position + 1 :]
    raise XwalkError(
        f"{name}{where}: no header row with an id column in the first {HEADER_SEARCH_ROWS} rows; "
        f"{_expected(records[0][1], 'id')}; or name it with --columns id=HEADER"
    )


def _xlsx(path: Path, name: str, sheet_name: str | None, mapping: dict[str, str], warnings: list[str]):
    """The first sheet holding an SoA table (cover and instruction sheets are passed over), or the sheet named."""
    import zipfile

    import openpyxl

    warnings += bounded.check_xlsx(path, name)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as error:
        raise XwalkError(f"{name}: not a readable XLSX workbook ({bounded.clean(str(error), path, name)})") from None
    try:
        sheets = book.worksheets
        if sheet_name is not None:
            sheets = [s for s in sheets if s.title.strip().lower() == sheet_name.strip().lower()]
            if not sheets:
                titles = ", ".join(repr(s.title) for s in book.worksheets)
                raise XwalkError(f"{name}: no sheet named {sheet_name!r}; the sheets are {titles}")
        problems = []
        for sheet in sheets:
            try:
                return _found(_sheet_records(sheet, name), name, mapping, f" sheet {sheet.title!r}")
            except XwalkError as error:
                problems.append(str(error))
        if len(problems) == 1:
            raise XwalkError(problems[0])
        raise XwalkError(f"{name}: no sheet holds a Statement of Applicability:\n  " + "\n  ".join(problems))
    finally:
        book.close()


def _sheet_records(sheet, name: str) -> list[tuple[int, list[str]]]:
    sheet.reset_dimensions()  # declared dimensions may claim a million rows; read the cells that are there
    records = []
    for number, row in enumerate(sheet.iter_rows(max_col=bounded.MAX_COLUMNS, values_only=True), start=1):
        if number > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise XwalkError(
                f"{name} sheet {sheet.title!r}: more than {MAX_ROWS} rows, more than a Statement of "
                "Applicability holds; is this the right file?"
            )
        records.append((number, bounded.trimmed(row)))
    return records


def _structured(path: Path, name: str):
    text = decode_text(path, name)
    data = bounded.load_json(text, name) if path.suffix.lower() == ".json" else bounded.load_yaml(text, name)
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        raise XwalkError(
            f"{name}: expected a list of records (objects with an id and a status), or an object holding such a list"
        )
    header = list(dict.fromkeys(str(k) for item in data for k in item))
    body = [(i, [_scalar(item.get(k, "")) for k in header]) for i, item in enumerate(data, start=1)]
    return 0, header, body


def _scalar(value) -> str:
    return "" if value is None else value if isinstance(value, str) else json.dumps(value)[:1000]


def upload_label(name: str) -> str:
    return re.sub(r"[^\w.\- ]+", "_", Path(name).name).strip() or "upload"


def parse_bytes(label: str, data: bytes, options: ReadOptions = ReadOptions()) -> Table:
    """`parse` of an upload's bytes, through a scratch file named after the upload's suffix."""
    import tempfile  # lazy: a cached coverage run never needs it

    with tempfile.TemporaryDirectory(prefix="xwalk-upload-") as folder:
        path = Path(folder) / f"upload{Path(label).suffix.lower()}"
        path.write_bytes(data)
        return parse(path, label, options)
