"""Baselines: what an organisation holds. A Statement of Applicability (CSV, XLSX, JSON or YAML) read tolerantly,
certificates as shortcuts, and every id through the one normaliser.

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
Status words: implemented (implemented, yes, y, done, complete, fully implemented, in place, operational);
partially implemented (partially implemented, partial, partly, in progress); planned (planned, scheduled, to do);
not implemented (not implemented, no, n, not started, missing, none, open); excluded (excluded, not applicable, n/a).
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from xwalk.core import bounded
from xwalk.core.errors import XwalkError
from xwalk.core.paths import display
from xwalk.services.catalog import Catalog

WEIGHTS = {"implemented": 1.0, "partially implemented": 0.5, "planned": 0.0, "not implemented": 0.0, "excluded": 0.0}
STATUS_WORDS = {
    "implemented": [
        "implemented",
        "yes",
        "y",
        "done",
        "complete",
        "completed",
        "fully implemented",
        "in place",
        "operational",
        "true",
        "1",
    ],
    "partially implemented": [
        "partially implemented",
        "partial",
        "partly",
        "partly implemented",
        "in progress",
        "partially",
    ],
    "planned": ["planned", "scheduled", "to do", "todo", "planned implementation"],
    "not implemented": ["not implemented", "no", "n", "not started", "missing", "none", "open", "false", "0"],
    "excluded": ["excluded", "not applicable", "na", "n a", "n/a"],
}
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
YES = {"yes", "y", "true", "1", "applicable", "included", "selected", "x"}
NO = {"no", "n", "false", "0", "not applicable", "excluded", "n a", "na", "n/a"}
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024


def _key(text: object) -> str:
    return re.sub(r"[^a-z0-9/]+", " ", str(text or "").lower()).strip()


_STATUS = {_key(word): status for status, words in STATUS_WORDS.items() for word in words}
_COLUMN = {_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class Entry:
    provision: str
    notation: str
    standard: str
    status: str
    justification: str
    origin: str

    @property
    def weight(self) -> float:
        return WEIGHTS[self.status]


@dataclass
class Baseline:
    entries: dict[str, Entry] = field(default_factory=dict)
    standards: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def held(self) -> list[dict]:
        """The provisions with a weight above 0, as rows for the coverage query."""
        return [{"held": e.provision, "weight": e.weight} for e in self.entries.values() if e.weight > 0]

    def add(self, entry: Entry) -> None:
        current = self.entries.get(entry.provision)
        if current is None or entry.weight > current.weight:
            self.entries[entry.provision] = entry
        if entry.standard not in self.standards:
            self.standards.append(entry.standard)


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


def build(
    catalog: Catalog,
    soa: Path | None = None,
    certified: list[str] = (),
    standard: str = "iso27001",
    assume_certified: bool = True,
    label: str | None = None,
    options: ReadOptions = ReadOptions(),
    table: Table | None = None,
) -> Baseline:
    """A baseline from certificates and/or a Statement of Applicability (a file, or a `table` read already).

    A certificate implies the certified standard's requirements (clauses 4-10) implemented; with no SoA for that
    standard, its selectable controls count as implemented too. An SoA for `standard` implies its certificate
    unless `assume_certified` is false.
    """
    name = label or (display(soa) if soa else "")
    if soa is not None and table is None:
        table = parse(soa, name, options)
    if table is not None and table.oscal is not None:  # an OSCAL profile or system security plan
        from xwalk.services.exchange import oscal

        return oscal.read_baseline(catalog, soa, certified, assume_certified, name, standard, data=table.oscal)
    baseline = Baseline()
    soa_standards = {catalog.standard(standard).key}
    entries = _soa_entries(catalog, name, table.rows, table.row_word, standard) if table else []
    soa_standards |= {e.standard for e in entries}
    keys = [catalog.standard(name).key for name in certified]
    if table and assume_certified:
        keys += [k for k in sorted(soa_standards) if k not in keys]
    for key in keys:
        certify(catalog, baseline, key, with_controls=not table or key not in soa_standards, listing="the SoA")
    for entry in entries:
        baseline.add(entry)
    if table:
        baseline.warnings += table.warnings
        baseline.description.append(f"Statement of Applicability {name}: {len(entries)} rows")
        for key in sorted(soa_standards):
            listed = {e.provision for e in entries if e.standard == key}
            controls = [u for u in catalog.units(key) if u.normativity == "SelectableControl"]
            missing = [u.notation for u in controls if u.iri not in listed]
            if entries and missing and listed:
                baseline.warnings.append(
                    f"{len(missing)} {catalog.standard(key).identifier} controls are not in the SoA and count as "
                    f"not held: {listing(missing)}"
                )
    unjustified = [e.notation for e in entries if e.status == "excluded" and not e.justification]
    if unjustified:
        baseline.warnings.append(
            f"{len(unjustified)} control{'s' if len(unjustified) > 1 else ''} excluded without a justification: "
            f"{listing(unjustified)}"
        )
    if not baseline.entries:
        raise XwalkError("the baseline is empty: give --baseline FILE and/or --certified STANDARD")
    return baseline


def listing(items: list[str], shown: int = 5) -> str:
    """A short list for a warning: the first few and how many more."""
    return ", ".join(items[:shown]) + (f" and {len(items) - shown} more" if len(items) > shown else "")


def certify(catalog: Catalog, baseline: Baseline, key: str, with_controls: bool, listing: str) -> None:
    """A certificate of standard `key`: its requirements implemented and, when no `listing` (an SoA, a plan) says
    which of its controls are, all its selectable controls too."""
    for unit in catalog.units(key):
        if unit.normativity == "Requirement" or (with_controls and unit.normativity == "SelectableControl"):
            baseline.add(Entry(unit.iri, unit.notation, key, "implemented", "", f"certified {key}"))
    what = "its clauses and all its controls" if with_controls else f"its clauses; its controls as {listing} says"
    baseline.description.append(f"certified {catalog.standard(key).identifier}: {what}")


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


OSCAL_SUFFIXES = (".json", ".yaml", ".yml")  # what `oscal.is_baseline_file` looks into
HEADER_SEARCH_ROWS = 30  # title rows above the header, as real SoAs have


def parse(path: Path, name: str | None = None, options: ReadOptions = ReadOptions()) -> Table:
    """Read a baseline file (an SoA in CSV, XLSX, JSON or YAML, or an OSCAL profile/plan) within the bounds of
    `xwalk.bounded`; `name` is how messages call the file (an upload's own name, never a temporary path)."""
    name = name or display(path)
    if path.suffix.lower() in OSCAL_SUFFIXES:  # only these may be OSCAL: a CSV or XLSX does without importing it
        from xwalk.services.exchange import oscal

        if oscal.is_baseline_file(path):
            return Table(oscal=oscal.read(path, name))
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
    keys = [_key(cell) for cell in header]
    columns = {}
    for column, text in mapping.items():
        if _key(text) in keys:
            columns[column] = keys.index(_key(text))
    taken = set(columns.values())
    for index, key in enumerate(keys):
        column = _COLUMN.get(key)
        if column and column not in columns and index not in taken:
            columns[column] = index
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


def _soa_entries(catalog: Catalog, name: str, rows, row_word: str, default_standard: str) -> list[Entry]:
    """Entries of the SoA; every bad row is collected and all are reported together, with nothing returned."""
    errors, entries, seen = [], [], {}
    for number, row in rows:
        where = f"{row_word} {number}"
        try:
            key = catalog.standard(row.get("standard") or default_standard).key
        except XwalkError as error:
            errors.append(f"{where}: {error}")
            continue
        raw_id = row["id"]
        shown_id = raw_id if len(raw_id) <= 40 else raw_id[:37] + "..."
        provision = catalog.resolve(raw_id, key, annex_a=True) if raw_id else None
        if provision is None:
            close = catalog.close_matches(raw_id, [key])[:3] if raw_id else []
            hint = f" (close matches: {', '.join(close)})" if close else ""
            known = f"{shown_id!r} is not a provision of {catalog.standard(key).identifier}{hint}"
            errors.append(f"{where}: {known}" if raw_id else f"{where}: the id is empty")
            continue
        if provision.iri in seen:
            errors.append(f"{where}: {provision.notation} repeats {row_word} {seen[provision.iri]}")
            continue
        seen[provision.iri] = number
        status, problem = _status(row)
        if problem:
            errors.append(f"{where}: {problem}")
            continue
        entries.append(
            Entry(provision.iri, provision.notation, key, status, row.get("justification", ""), f"{name} {where}")
        )
    if errors:
        shown = "\n  ".join(errors[:25])
        more = f"\n  ... and {len(errors) - 25} more" if len(errors) > 25 else ""
        raise XwalkError(f"{name}: {len(errors)} row(s) could not be read; nothing was computed:\n  {shown}{more}")
    return entries


def _status(row: dict[str, str]) -> tuple[str, str | None]:
    """The implementation status of a row, or a sentence saying what is wrong with it."""
    applicable = _key(row.get("applicable", ""))
    status_text = row.get("status", "")
    if applicable and applicable not in YES and applicable not in NO:
        return "", f"applicability {row['applicable']!r} is not yes or no"
    if applicable in NO:
        return "excluded", None
    if not status_text:
        if "status" in row:
            return "", "the implementation status is empty (implemented, partially implemented, planned, ...)"
        return "implemented", None  # an SoA with no status column lists what is applied
    status = _STATUS.get(_key(status_text))
    if status is None:
        shown = status_text if len(status_text) <= 40 else status_text[:37] + "..."
        return "", (
            f"unknown status {shown!r}; expected one of implemented, partially implemented, planned, "
            "not implemented, excluded"
        )
    return status, None


def from_upload(
    catalog: Catalog,
    name: str,
    data: bytes,
    standard: str = "iso27001",
    certified: list[str] = (),
    assume_certified: bool = True,
    options: ReadOptions = ReadOptions(),
    isolated: bool = True,
) -> Baseline:
    """A baseline from the bytes of an uploaded Statement of Applicability named `name`, read by the same reader
    as a file on disk; messages call it by its own name (without any folder), never by the scratch file's.
    `isolated`: read in a worker process with a time and memory limit (`xwalk.upload`), as for any upload."""
    label = upload_label(name)
    if isolated:
        from xwalk.services import upload

        table = upload.parse(label, data, options)
    else:
        table = parse_bytes(label, data, options)
    return build(catalog, None, list(certified), standard, assume_certified, label=label, table=table)


def upload_label(name: str) -> str:
    return re.sub(r"[^\w.\- ]+", "_", Path(name).name).strip() or "upload"


def parse_bytes(label: str, data: bytes, options: ReadOptions = ReadOptions()) -> Table:
    """`parse` of an upload's bytes, through a scratch file named after the upload's suffix."""
    import tempfile  # lazy: a cached coverage run never needs it

    with tempfile.TemporaryDirectory(prefix="xwalk-upload-") as folder:
        path = Path(folder) / f"upload{Path(label).suffix.lower()}"
        path.write_bytes(data)
        return parse(path, label, options)
