"""Hostile files, built on the spot: the tests and the benchmark send them to the readers and to a real server."""

import zipfile
from pathlib import Path


def alias_bomb() -> bytes:
    """YAML whose nine levels of nine aliases expand to 9^9 strings (387 million) from a few hundred bytes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    return ("\n".join(lines) + "\n").encode()


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_yaml(depth: int = 100_000) -> bytes:
    return b"- " * depth + b"x\n"


def slow_yaml(items: int = 190_000) -> bytes:
    """Under 1 MB of empty YAML mappings (`[? ]`) that keep even libyaml and PyYAML's constructor busy for about 10 s
    on a 2-core machine: the slowest thing per byte among the shapes tried (numbers took 2 s, `{}` 2.5 s)."""
    return ("[" + ",".join(["[? ]"] * items) + "]").encode()


def long_number(digits: int = 5000) -> str:
    return "1" * digits


def workbook(path: Path, sheets: dict[str, list[list]], macros: bool = False, links: bool = False) -> Path:
    """An XLSX (or XLSM) workbook of the given sheets (title -> rows), saved by openpyxl; with `macros` a
    vbaProject.bin part and with `links` an external-link part are added, as Excel writes them."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    if macros or links:
        with zipfile.ZipFile(path, "a") as archive:
            if macros:
                archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run")
            if links:
                archive.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    return path


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{_REL}"><sheets><sheet name="SoA" '
    'sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>',
}


def _minimal_workbook(path: Path, shared: list[bytes], sheet: list[bytes]) -> Path:
    """A one-sheet workbook whose shared strings and sheet XML are streamed from the given pieces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        for name, pieces in (("xl/sharedStrings.xml", shared), ("xl/worksheets/sheet1.xml", sheet)):
            with archive.open(name, "w", force_zip64=True) as stream:
                for piece in pieces:
                    stream.write(piece)
    return path


def shared_string_bomb(path: Path, megabytes: int = 400) -> Path:
    """A workbook of a few hundred KB whose one shared string is `megabytes` MB of text once inflated."""
    block = b"A" * (1024 * 1024)
    shared = [
        f'<?xml version="1.0"?><sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>'.encode(),
        *(block for _ in range(megabytes)),
        b"</t></si></sst>",
    ]
    sheet = [
        f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        "</row></sheetData></worksheet>".encode()
    ]
    return _minimal_workbook(path, shared, sheet)  # fmt: skip


def wide_row(path: Path, cells: int = 600_000) -> Path:
    """A workbook whose header row holds `cells` cells: small once compressed, a huge list once parsed."""
    shared = [f'<?xml version="1.0"?><sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>x</t></si></sst>'.encode()]
    sheet = [
        f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData><row r="1">'.encode(),
        *(b'<c t="s"><v>0</v></c>' for _ in range(cells)),
        b"</row></sheetData></worksheet>",
    ]
    return _minimal_workbook(path, shared, sheet)
