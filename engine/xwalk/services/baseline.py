"""Baselines: what an organisation holds. A Statement of Applicability (CSV, XLSX, JSON or YAML) read tolerantly,
certificates as shortcuts, and every id through the one normaliser.

Accepted columns (matched case- and punctuation-insensitively):
  id            control, control id, control ref, annex a ref, annex a reference, reference, ref, id, clause,
                provision, number, no
  applicable    applicable, applicability, applies, included, selected, in scope, in soa
  justification justification, exclusion justification, justification for exclusion, reason, rationale,
                exclusion reason
  status        status, implementation status, implementation, implemented, state, progress
  standard      standard, framework (optional: a key such as iso27001 or iso27701-2019, for a combined SoA)
Status words: implemented (implemented, yes, y, done, complete, fully implemented, in place, operational);
partially implemented (partially implemented, partial, partly, in progress); planned (planned, scheduled, to do);
not implemented (not implemented, no, n, not started, missing, none, open); excluded (excluded, not applicable, n/a).
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

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
    ],
    "justification": [
        "justification",
        "exclusion justification",
        "justification for exclusion",
        "reason",
        "rationale",
        "exclusion reason",
        "justification for inclusion exclusion",
    ],
    "status": ["status", "implementation status", "implementation", "implemented", "state", "progress"],
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


def build(
    catalog: Catalog,
    soa: Path | None = None,
    certified: list[str] = (),
    standard: str = "iso27001",
    assume_certified: bool = True,
    label: str | None = None,
) -> Baseline:
    """A baseline from certificates and/or a Statement of Applicability.

    A certificate implies the certified standard's requirements (clauses 4-10) implemented; with no SoA for that
    standard, its selectable controls count as implemented too. An SoA for `standard` implies its certificate
    unless `assume_certified` is false.
    """
    from xwalk.services.exchange import oscal

    if soa is not None and oscal.is_baseline_file(soa):  # an OSCAL profile or system security plan
        return oscal.read_baseline(catalog, soa, certified, assume_certified, label, standard)
    baseline = Baseline()
    name = label or (display(soa) if soa else "")
    rows = read_soa(soa, name) if soa else []
    soa_standards = {catalog.standard(standard).key}
    entries = _soa_entries(catalog, soa, name, rows, standard) if soa else []
    soa_standards |= {e.standard for e in entries}
    keys = [catalog.standard(name).key for name in certified]
    if soa and assume_certified:
        keys += [k for k in sorted(soa_standards) if k not in keys]
    for key in keys:
        certify(catalog, baseline, key, with_controls=not soa or key not in soa_standards, listing="the SoA")
    for entry in entries:
        baseline.add(entry)
    if soa:
        baseline.description.append(f"Statement of Applicability {name}: {len(entries)} rows")
        for key in sorted(soa_standards):
            listed = {e.provision for e in entries if e.standard == key}
            controls = [u for u in catalog.units(key) if u.normativity == "SelectableControl"]
            missing = [u.notation for u in controls if u.iri not in listed]
            if entries and missing and listed:
                baseline.warnings.append(
                    f"{len(missing)} {catalog.standard(key).identifier} controls are not in the SoA and count as "
                    f"not held: {', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}"
                )
    for entry in entries:
        if entry.status == "excluded" and not entry.justification:
            baseline.warnings.append(f"{entry.origin}: {entry.notation} is excluded without a justification")
    if not baseline.entries:
        raise XwalkError("the baseline is empty: give --baseline FILE and/or --certified STANDARD")
    return baseline


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


def read_soa(path: Path, name: str | None = None) -> list[tuple[int, dict[str, str]]]:
    """Rows of a Statement of Applicability with their row numbers, keyed by canonical column name. `name` is how
    messages call the file (an upload's own name rather than a temporary path)."""
    name = name or display(path)
    if not path.is_file():
        raise XwalkError(f"{name}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise XwalkError(
            f"{name}: {path.stat().st_size} bytes is more than a Statement of Applicability "
            f"holds (at most {MAX_BYTES // 1024 // 1024} MB)"
        )
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        table = _xlsx(path, name)
    elif suffix in {".csv", ".tsv", ".txt"}:
        table = _csv(path, name)
    elif suffix in {".json", ".yaml", ".yml"}:
        table = _structured(path, name)
    else:
        raise XwalkError(f"{name}: unknown file type {suffix!r}; expected .csv, .xlsx, .json or .yaml")
    header_row, header, body = table
    columns = {}
    for index, cell in enumerate(header):
        column = _COLUMN.get(_key(cell))
        if column and column not in columns:
            columns[column] = index
    if "id" not in columns:
        raise XwalkError(
            f"{name} row {header_row}: no id column; expected one of: {', '.join(COLUMNS['id'])} "
            f"(found: {', '.join(str(h) for h in header if str(h).strip()) or 'nothing'})"
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
    return rows


def _csv(path: Path, name: str):
    text = decode_text(path, name)
    if not text.strip():
        raise XwalkError(f"{name}: the file is empty")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    records = [(reader.line_num, row) for row in reader]
    return records[0][0], records[0][1], records[1:]


def _xlsx(path: Path, name: str):
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise XwalkError(f"{name}: not a readable XLSX workbook ({error})") from None
    sheet = book.worksheets[0]
    records = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if len(records) > MAX_ROWS + 1:
            raise XwalkError(
                f"{name}: more than {MAX_ROWS} rows, more than a Statement of "
                "Applicability holds; is this the right file?"
            )
        records.append((number, ["" if v is None else str(v) for v in row]))
    book.close()
    records = [(n, r) for n, r in records if any(v.strip() for v in r)]
    if not records:
        raise XwalkError(f"{name}: the first sheet is empty")
    return records[0][0], records[0][1], records[1:]


def _structured(path: Path, name: str):
    import yaml

    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise XwalkError(f"{name}: not UTF-8 text") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise XwalkError(f"{name}: not valid {path.suffix[1:].upper()} ({error})") from None
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        raise XwalkError(
            f"{name}: expected a list of records (objects with an id and a status), or an object holding such a list"
        )
    header = list(dict.fromkeys(k for item in data for k in item))
    return 0, header, [(i, [item.get(k, "") for k in header]) for i, item in enumerate(data, start=1)]


def _soa_entries(catalog: Catalog, path: Path, name: str, rows, default_standard: str) -> list[Entry]:
    """Entries of the SoA; every bad row is collected and all are reported together, with nothing returned."""
    errors, entries, seen = [], [], {}
    row_word = "record" if path.suffix.lower() in {".json", ".yaml", ".yml"} else "row"
    for number, row in rows:
        where = f"{row_word} {number}"
        try:
            key = catalog.standard(row.get("standard") or default_standard).key
        except XwalkError as error:
            errors.append(f"{where}: {error}")
            continue
        raw_id = row["id"]
        provision = catalog.resolve(raw_id, key, annex_a=True) if raw_id else None
        if provision is None:
            close = catalog.close_matches(raw_id, [key])[:3] if raw_id else []
            hint = f" (close matches: {', '.join(close)})" if close else ""
            known = f"{raw_id!r} is not a provision of {catalog.standard(key).identifier}{hint}"
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
        return "", (
            f"unknown status {status_text!r}; expected one of implemented, partially implemented, planned, "
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
) -> Baseline:
    """A baseline from the bytes of an uploaded Statement of Applicability named `name`, read by the same reader
    as a file on disk; messages call it by its own name (without any folder), never by the scratch file's."""
    label = re.sub(r"[^\w.\- ]+", "_", Path(name).name).strip() or "upload"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="xwalk-upload-") as folder:
        path = Path(folder) / f"upload{Path(label).suffix.lower()}"
        path.write_bytes(data)
        return build(catalog, path, list(certified), standard, assume_certified, label=label)
