"""Organisation overrides: an organisation's own judgement on a requirement element or a mapping, for itself. The
shipped crosswalk never changes; coverage (and so the plan and the SoA draft) applies them and lists each one.

A file (CSV, or YAML: a list of entries, or one under `overrides:`) has one override a row:

  target     the standard whose element or provision is judged (default iso42001)
  element    an element id (5.2/e1), or a provision id of the target (5.2) for all its elements and mappings
  held       optional: a held provision as STANDARD:ID (iso27001:5.2), the reuse or mapping judged
  action     accept (the judgement holds: without `held`, the element is done; with it, the reuse row's stated
             remaining share is taken as certain), reject (without `held`: nothing held helps; with it: that reuse
             row or mapping does not count), remaining (the share of the effort that remains, 0 to 1)
  remaining  the share, for the action remaining
  author, date (YYYY-MM-DD), reason: who decided, when and why (all required: an override is an audit record)

A bad file is refused whole, naming the file, the row and what was expected.
"""

from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from xwalk.core import bounded
from xwalk.core.errors import XwalkError
from xwalk.core.paths import display

ACTIONS = ("accept", "reject", "remaining")
COLUMNS = ("target", "element", "held", "action", "remaining", "author", "date", "reason")
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Override:
    target: str  # the standard key of the element or provision, such as iso42001
    subject: str  # an element id (5.2/e1) or a provision id (5.2) of the target
    held: str  # a held provision's IRI, or "" for the element or provision as a whole
    held_id: str  # the held provision as written, STANDARD:ID
    action: str  # accept, reject or remaining
    remaining: float | None  # the remaining share, for the action remaining
    author: str
    date: str
    reason: str
    row: int  # the row of the file it comes from

    @property
    def on_element(self) -> bool:
        return "/" in self.subject

    def provision_id(self) -> str:
        return self.subject.split("/")[0]

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "target": self.target,
            "element": self.subject,
            "held": self.held_id,
            "action": self.action,
            "remaining": self.remaining,
            "author": self.author,
            "date": self.date,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Overrides:
    source: str = ""  # the file's name as the user knows it
    items: tuple[Override, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)

    def for_target(self, key: str) -> list[Override]:
        return [o for o in self.items if o.target == key]


NONE = Overrides()


def read(catalog, path: Path, name: str | None = None) -> Overrides:
    """The overrides of a file, every row checked against the catalog; a bad row refuses the whole file."""
    name = name or display(path)
    if not path.is_file():
        raise XwalkError(f"{name}: overrides file not found")
    if path.stat().st_size > MAX_BYTES:
        raise XwalkError(f"{name}: an overrides file is at most {MAX_BYTES // 1024 // 1024} MB")
    return parse(catalog, path.read_bytes(), name, path.suffix.lower())


def parse(catalog, data: bytes, name: str, suffix: str) -> Overrides:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise XwalkError(f"{name}: not UTF-8 text; save the overrides as UTF-8 CSV or YAML") from None
    rows = _yaml_rows(text, name) if suffix in (".yaml", ".yml", ".json") else _csv_rows(text, name)
    if len(rows) > MAX_ROWS:
        raise XwalkError(f"{name}: more than {MAX_ROWS} overrides")
    items: list[Override] = []
    seen: dict[tuple, int] = {}
    for number, row in rows:
        item = _override(catalog, row, f"{name} row {number}", number)
        key = (item.target, item.subject, item.held)
        if key in seen:
            raise XwalkError(f"{name} row {number}: the same element and held provision as row {seen[key]}")
        seen[key] = number
        items.append(item)
    return Overrides(name, tuple(items))


def _csv_rows(text: str, name: str) -> list[tuple[int, dict[str, str]]]:
    records = [(line, cells) for line, cells in bounded.csv_records(text, name) if any(c.strip() for c in cells)]
    if not records:
        raise XwalkError(f"{name}: no header row; expected the columns {', '.join(COLUMNS)}")
    header = [c.strip().lower() for c in records[0][1]]
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise XwalkError(f"{name} row {records[0][0]}: unknown column(s) {', '.join(unknown)}; expected {COLUMNS}")
    return [(line, {h: (c or "").strip() for h, c in zip(header, cells, strict=False)}) for line, cells in records[1:]]


def _yaml_rows(text: str, name: str) -> list[tuple[int, dict[str, str]]]:
    data = bounded.load_yaml(text, name)
    if isinstance(data, dict) and set(data) == {"overrides"}:
        data = data["overrides"]
    if not isinstance(data, list):
        raise XwalkError(f"{name}: expected a list of overrides (or one under the key `overrides:`)")
    rows = []
    for number, entry in enumerate(data, 1):
        if not isinstance(entry, dict):
            raise XwalkError(f"{name} row {number}: expected a mapping with the keys {', '.join(COLUMNS)}")
        unknown = [str(k) for k in entry if k not in COLUMNS]
        if unknown:
            raise XwalkError(f"{name} row {number}: unknown key(s) {', '.join(unknown)}; expected {COLUMNS}")
        rows.append((number, {k: "" if v is None else str(v).strip() for k, v in entry.items()}))
    return rows


def _override(catalog, row: dict[str, str], where: str, number: int) -> Override:
    try:
        target = catalog.standard(row.get("target") or "iso42001").key
    except XwalkError as error:
        raise XwalkError(f"{where}: target: {error}") from None
    subject = row.get("element", "")
    if not subject:
        raise XwalkError(f"{where}: the element is empty (an element id such as 5.2/e1, or a provision id)")
    if "/" in subject:
        if subject not in {r["id"] for r in catalog.cached("requirement_elements", key=target)}:
            raise XwalkError(f"{where}: {subject!r} is not a requirement element of {target}")
    else:
        provision = catalog.resolve(subject, target)
        if provision is None:
            raise XwalkError(f"{where}: {subject!r} is not a provision of {target}")
        subject = provision.notation
    held, held_id = "", row.get("held", "")
    if held_id:
        standard, _, notation = held_id.partition(":")
        try:
            found = catalog.resolve(notation, standard) if notation else None
        except XwalkError as error:
            raise XwalkError(f"{where}: held {held_id!r}: {error}") from None
        if found is None:
            raise XwalkError(f"{where}: held {held_id!r} is not a provision; write STANDARD:ID, as iso27001:5.2")
        held = found.iri
    action = row.get("action", "").lower()
    if action not in ACTIONS:
        raise XwalkError(f"{where}: action {row.get('action', '')!r} is not one of {', '.join(ACTIONS)}")
    remaining = None
    if action == "remaining":
        try:
            remaining = float(row.get("remaining", ""))
        except ValueError:
            remaining = -1.0
        if not 0 <= remaining <= 1:
            raise XwalkError(f"{where}: remaining {row.get('remaining', '')!r} is not a share between 0 and 1")
    elif row.get("remaining"):
        raise XwalkError(f"{where}: remaining is given only with the action remaining (this row says {action})")
    for column in ("author", "reason"):
        if not row.get(column):
            raise XwalkError(f"{where}: the {column} is empty (an override is an audit record: who, when, why)")
    try:
        day = Date.fromisoformat(row.get("date", "")).isoformat()
    except ValueError:
        raise XwalkError(f"{where}: date {row.get('date', '')!r} is not a date YYYY-MM-DD") from None
    return Override(target, subject, held, held_id, action, remaining, row["author"], day, row["reason"], number)
