"""Reading a user's file within bounds: JSON and YAML with a nesting limit and no YAML aliases, numbers of at most
4300 digits (Python's own int limit) refused with a sentence instead of a traceback, CSV with its field limit
named, and XLSX workbooks checked from their zip directory and XML before openpyxl loads anything. Every refusal is
an XwalkError naming the file (by the name the user knows, never a temporary path) and what was expected.

Why: a 679-byte YAML alias bomb, a 403 KB workbook holding one 400 MB shared string, or JSON nested 100 000 deep
each took a process to gigabytes or a RecursionError before these checks.
"""

import csv
import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from xwalk.core.errors import XwalkError

if TYPE_CHECKING:
    import zipfile

MAX_DEPTH = 64  # nesting of JSON/YAML; an SoA needs 3, an OSCAL document about 10
MAX_XLSX_MEMBER = 50 * 1024 * 1024  # uncompressed bytes of any one part of a workbook
MAX_XLSX_TOTAL = 100 * 1024 * 1024  # uncompressed bytes of the whole workbook
MAX_SHARED_STRINGS = 20 * 1024 * 1024  # uncompressed bytes of the shared strings, which openpyxl loads whole
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of a cell (openpyxl cuts longer cells when reading)
MAX_COLUMNS = 200  # columns read from a sheet; cells further right are not read
MAX_CELLS = 500_000  # cells in all the sheets of a workbook (an SoA of 5000 rows and 20 columns has 100 000)
MAX_XLSX_PARTS = 2_000


def load_json(text: str, name: str):
    """JSON as Python data; nesting deeper than MAX_DEPTH, bad syntax and over-long numbers are refused."""
    _check_json_depth(text, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise XwalkError(f"{name} line {error.lineno}: not valid JSON ({error.msg})") from None
    except (ValueError, RecursionError) as error:  # int() over 4300 digits
        raise XwalkError(f"{name}: not readable JSON ({_digits_message(error)})") from None


_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _check_json_depth(text: str, name: str) -> None:
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise XwalkError(
                    f"{name} line {line}: nested more than {MAX_DEPTH} levels deep; is this the right file?"
                )
        elif token in "]}":
            depth -= 1


def load_yaml(text: str, name: str, what: str = ""):
    """YAML (safe types only) as Python data. Aliases (`*name`) are refused: they let a few hundred bytes expand to
    gigabytes, and no SoA, inventory, OSCAL or SSSOM header needs them. Nesting is limited to MAX_DEPTH. `what`
    names the part of the file that is YAML, where it is not the whole file. The events are checked first, then the
    text is loaded, both by libyaml where PyYAML has it (about six times faster than its pure-Python parser)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        depth = 0
        for event in yaml.parse(text, Loader=loader):
            mark = event.start_mark
            line = mark.line + 1 if mark is not None else 0
            if isinstance(event, yaml.AliasEvent):
                raise _Refused(f"line {line}: YAML aliases (*name) are not accepted; write the values out")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Refused(f"line {line}: nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except _Refused as error:
        raise XwalkError(f"{name} {error}") from None
    except yaml.YAMLError as error:
        problem_mark = getattr(error, "problem_mark", None)
        where = f" line {problem_mark.line + 1}" if problem_mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise XwalkError(f"{name}{where}: {what + ' is ' if what else ''}not valid YAML ({problem})") from None
    except (ValueError, RecursionError) as error:
        raise XwalkError(f"{name}: not readable YAML ({_digits_message(error)})") from None


class _Refused(Exception):
    pass


def _digits_message(error: Exception) -> str:
    if "digits" in str(error):
        return "a number has more than 4300 digits"
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return str(error)


def csv_records(text: str, name: str, sniff: int = 4096) -> list[tuple[int, list[str]]]:
    """The records of a CSV (or TSV, or ;-separated) text with the line each starts on. A cell over the csv
    module's field limit (128 KiB) is refused naming its row."""
    try:
        dialect = csv.Sniffer().sniff(text[:sniff], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    records = []
    try:
        for cells in reader:  # a quoted cell may span lines: number a row by the line it starts on
            records.append((reader.line_num - sum(c.count("\n") for c in cells), cells))
    except csv.Error as error:
        row = reader.line_num
        if "field larger than field limit" in str(error):
            raise XwalkError(
                f"{name} row {row}: a cell is longer than {csv.field_size_limit()} characters; is this the right "
                "file (or a quote left open)?"
            ) from None
        raise XwalkError(f"{name} row {row}: not readable CSV ({error})") from None
    return records


def check_xlsx(path: Path, name: str) -> list[str]:
    """Refuse a workbook that would take unbounded memory to load (parts too large uncompressed, shared strings over
    their limits); return warnings for what is read as data only (macros, links to other workbooks)."""
    import zipfile  # here: reading a CSV or JSON does without it

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise XwalkError(f"{name}: not a readable XLSX workbook (not a zip archive)") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_XLSX_PARTS:
            raise XwalkError(f"{name}: {len(parts)} parts in the workbook archive; at most {MAX_XLSX_PARTS} are read")
        for part in parts:
            if part.file_size > MAX_XLSX_MEMBER:
                raise XwalkError(
                    f"{name}: the workbook part {part.filename} is {part.file_size} bytes uncompressed; at most "
                    f"{MAX_XLSX_MEMBER // 1024 // 1024} MB is read (is this a spreadsheet of controls?)"
                )
        total = sum(part.file_size for part in parts)
        if total > MAX_XLSX_TOTAL:
            raise XwalkError(
                f"{name}: the workbook is {total} bytes uncompressed; at most {MAX_XLSX_TOTAL // 1024 // 1024} MB "
                "is read"
            )
        lower = {part.filename.lower(): part for part in parts}
        shared = lower.get("xl/sharedstrings.xml")
        if shared is not None:
            _check_shared_strings(archive, shared, name)
        _check_cells(
            archive, [p for n, p in lower.items() if n.startswith("xl/worksheets/") and n.endswith(".xml")], name
        )
        warnings = []
        if any(n.endswith("vbaproject.bin") for n in lower):
            warnings.append(f"{name} holds macros; it was read as data and no macro was run")
        if any(n.startswith("xl/externallinks/") for n in lower):
            warnings.append(
                f"{name} links to other workbooks; the values saved in it were read and no link was followed"
            )
        return warnings


def _check_shared_strings(archive: "zipfile.ZipFile", part: "zipfile.ZipInfo", name: str) -> None:
    import zipfile  # here: reading a CSV or JSON does without it
    from xml.etree.ElementTree import ParseError, iterparse

    if part.file_size > MAX_SHARED_STRINGS:
        raise XwalkError(
            f"{name}: the workbook's shared strings are {part.file_size} bytes uncompressed; at most "
            f"{MAX_SHARED_STRINGS // 1024 // 1024} MB is read"
        )
    try:
        with archive.open(part) as stream:
            for _, element in iterparse(stream):
                if element.tag.endswith("}t") and element.text and len(element.text) > MAX_CELL_CHARS:
                    raise XwalkError(
                        f"{name}: a cell holds {len(element.text)} characters, more than Excel allows "
                        f"({MAX_CELL_CHARS})"
                    )
                if element.tag.endswith("}si"):
                    element.clear()
    except (ParseError, zipfile.BadZipFile, OSError) as error:
        raise XwalkError(f"{name}: not a readable XLSX workbook (shared strings: {error})") from None


def trimmed(row: tuple) -> list[str]:
    """A worksheet row as text cells, without the empty cells openpyxl pads it with on the right."""
    cells = ["" if v is None else str(v) for v in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _check_cells(archive: "zipfile.ZipFile", sheets: list["zipfile.ZipInfo"], name: str) -> None:
    """Count the cells of every sheet with expat before openpyxl builds them: a row of a million cells is one list
    in openpyxl, whatever columns are read afterwards."""
    import zipfile  # here: reading a CSV or JSON does without it
    from xml.parsers import expat

    count = 0

    def start(tag: str, _attributes) -> None:
        nonlocal count
        if tag.endswith(" c"):
            count += 1
            if count > MAX_CELLS:
                raise XwalkError(f"{name}: more than {MAX_CELLS} cells; is this a spreadsheet of controls?")

    for part in sheets:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = start
        try:
            with archive.open(part) as stream:
                while block := stream.read(1 << 20):
                    parser.Parse(block, False)
                parser.Parse(b"", True)
        except (expat.ExpatError, zipfile.BadZipFile, OSError) as error:
            raise XwalkError(f"{name}: not a readable XLSX workbook ({part.filename}: {error})") from None


def clean(message: str, path: Path, name: str) -> str:
    """An error text from a library with the file's real path (a temporary one, for an upload) replaced by its
    name."""
    return message.replace(str(path), name).replace(str(path.parent), "")
