"""An organisation's inventory of AI systems (each with its roles, EU AI Act risk tier and facts), read from a
YAML, JSON, CSV or XLSX file and validated against the terms and facts of the catalog tables; every bad entry is
reported together. `services.ai_act` evaluates it on a day and a timeline."""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from xwalk.core.errors import XwalkError
from xwalk.core.paths import display
from xwalk.services.catalog import Catalog

MAX_SYSTEMS = 1000
SYSTEM_FIELDS = ("name", "roles", "tier")
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


@dataclass
class System:
    name: str
    roles: list[str]
    tier: str
    facts: dict = field(default_factory=dict)


@dataclass
class Inventory:
    source: str
    organisation: dict
    systems: list[System]


def cached_rows(catalog: Catalog, name: str, **bindings) -> list[dict]:
    key = (name, *sorted(bindings.items()))
    if key not in catalog.memo:
        catalog.memo[key] = catalog.store.select(name, **bindings)
    return catalog.memo[key]


def terms(catalog: Catalog) -> dict:
    """Roles, tiers, timelines (with the default and legal source) and facts, from the store."""
    rows = cached_rows(catalog, "ai_act_terms")
    found: dict = {"role": [], "tier": [], "timeline": {}, "default": None}
    for row in rows:
        if row["kind"] == "timeline":
            found["timeline"][row["key"]] = row
            if row["is_default"]:
                found["default"] = row["key"]
        else:
            found[row["kind"]].append(row["key"])
    found["facts"] = {
        r["key"]: {**r, "values": [v for v in (r["values"] or "").split("|") if v]}
        for r in cached_rows(catalog, "ai_act_facts")
    }
    return found


def read_inventory(
    catalog: Catalog, path: Path, name: str | None = None, organisation: dict | None = None
) -> Inventory:
    """An inventory from a YAML/JSON file (organisation facts at the top, `systems:` a list) or a CSV/XLSX table (one
    row per system; organisation facts from `organisation`, for example command-line flags). Every bad entry is
    reported together, naming the entry and the field; nothing is returned then."""
    from xwalk.services import baseline

    name = name or display(path)
    if not path.is_file():
        raise XwalkError(f"{name}: no such file")
    if path.stat().st_size > baseline.MAX_BYTES:
        raise XwalkError(f"{name}: {path.stat().st_size} bytes is more than an inventory holds")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        data = _structured(path, name)
    elif suffix in (".csv", ".xlsx", ".xlsm"):
        records = [r for r in _table_records(path, name, suffix) if any(str(v).strip() for v in r[1])]
        if not records:
            raise XwalkError(f"{name}: the table is empty; expected a header row (name, roles, tier, ...)")
        (_, header), body = records[0], records[1:]
        keys = [_field(h) for h in header]
        systems = [
            {k: v for k, v in zip(keys, values, strict=False) if k and str(v).strip()}
            for _, values in body
            if any(str(v).strip() for v in values)
        ]
        data = {"systems": systems}
    else:
        raise XwalkError(f"{name}: unknown file type {suffix!r}; expected .yaml, .json, .csv or .xlsx")
    return validate(catalog, data, name, organisation)


def from_upload(catalog: Catalog, name: str, data: bytes, organisation: dict | None = None) -> Inventory:
    """An inventory from the bytes of an uploaded file named `name`, read by the same reader as a file on disk;
    messages call it by its own name, never by the scratch file's."""
    import tempfile

    label = re.sub(r"[^\w.\- ]+", "_", Path(name).name).strip() or "inventory"
    with tempfile.TemporaryDirectory(prefix="xwalk-inventory-") as folder:
        path = Path(folder) / f"upload{Path(label).suffix.lower()}"
        path.write_bytes(data)
        return read_inventory(catalog, path, label, organisation)


def _table_records(path: Path, name: str, suffix: str) -> list[tuple[int, list[str]]]:
    """The rows of an inventory table (CSV, or the first sheet of a workbook), read within the bounds of every
    user file (core.bounded)."""
    from xwalk.core import bounded
    from xwalk.services import baseline

    if suffix == ".csv":
        return bounded.csv_records(baseline.decode_text(path, name), name)
    import zipfile

    import openpyxl

    bounded.check_xlsx(path, name)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as error:
        raise XwalkError(f"{name}: not a readable XLSX workbook ({bounded.clean(str(error), path, name)})") from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # declared dimensions may claim a million rows; read the cells that are there
        rows = sheet.iter_rows(max_col=bounded.MAX_COLUMNS, values_only=True)
        records = []
        for number, row in enumerate(rows, start=1):
            if number > baseline.MAX_ROWS + 1:
                raise XwalkError(f"{name}: more than {baseline.MAX_ROWS} rows, more than an inventory holds")
            records.append((number, bounded.trimmed(row)))
        return records
    finally:
        book.close()


def _structured(path: Path, name: str):
    from xwalk.core import bounded
    from xwalk.services import baseline

    text = baseline.decode_text(path, name)
    return bounded.load_json(text, name) if path.suffix.lower() == ".json" else bounded.load_yaml(text, name)


def _field(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text).strip().lower()).strip("_")


def validate(catalog: Catalog, data, name: str, organisation: dict | None = None) -> Inventory:
    """An Inventory from parsed data: a list of systems, or a mapping with organisation facts and `systems`.

    Why long: every field of every system is checked in one pass, so that all the problems of a file are
    reported together.
    """
    known = terms(catalog)
    facts = known["facts"]
    errors: list[str] = []
    if isinstance(data, list):
        data = {"systems": data}
    if not isinstance(data, dict) or not isinstance(data.get("systems"), list) or not data["systems"]:
        raise XwalkError(f"{name}: expected a list of AI systems, or a mapping with organisation facts and `systems:`")
    top = {k: v for k, v in data.items() if k != "systems"}
    top = {**top.pop("organisation", {}), **top} if isinstance(top.get("organisation"), dict) else top
    org = {}
    for key, value in {**top, **(organisation or {})}.items():
        key = _field(key)
        if key in ("sme", "smc"):
            org[key] = _fact_value({"type": "boolean"}, value, f"{name} organisation field {key}", errors)
        elif key == "annual_turnover_eur":
            try:
                org[key] = float(value) if value not in (None, "") else None
            except (TypeError, ValueError):
                errors.append(f"{name} organisation field {key}: {value!r} is not an amount in euro")
        elif key in facts:
            org[key] = _fact_value(facts[key], value, f"{name} organisation field {key}", errors)
        else:
            errors.append(
                f"{name} organisation field {key}: unknown; expected sme, smc, annual_turnover_eur or a fact "
                f"({', '.join(sorted(facts))})"
            )
    if len(data["systems"]) > MAX_SYSTEMS:
        raise XwalkError(
            f"{name}: {len(data['systems'])} systems is more than an inventory holds (at most {MAX_SYSTEMS})"
        )
    systems: list[System] = []
    seen: dict[str, int] = {}  # system name -> the entry that named it first
    for number, entry in enumerate(data["systems"], start=1):
        where = f"{name} entry {number}"
        if not isinstance(entry, dict):
            errors.append(f"{where}: expected a mapping with name, roles and tier")
            continue
        entry = {_field(k): v for k, v in entry.items()}
        system_name = str(entry.get("name") or "").strip()
        if system_name:
            where += f" ({system_name})"
        else:
            errors.append(f"{where} field name: missing; every system needs a name")
        if system_name in seen:
            errors.append(f"{where} field name: repeats entry {seen[system_name]}; names must be unique")
        seen.setdefault(system_name, number)
        roles = entry.get("roles")
        if isinstance(roles, str):
            roles = [r for r in re.split(r"[;,|\s]+", roles) if r]
        if not roles or not isinstance(roles, list):
            errors.append(f"{where} field roles: missing; expected one or more of {', '.join(known['role'])}")
            roles = []
        for role in roles:
            if role not in known["role"]:
                errors.append(
                    f"{where} field roles: {role!r} is not a role; expected one of {', '.join(known['role'])}"
                )
        tier = str(entry.get("tier") or "").strip()
        if tier not in known["tier"] or tier == "any":
            valid = ", ".join(t for t in known["tier"] if t != "any")
            errors.append(f"{where} field tier: {tier or 'missing'!r} is not a tier; expected one of {valid}")
        system_facts = {}
        for key, value in entry.items():
            if key in SYSTEM_FIELDS:
                continue
            if key not in facts:
                errors.append(
                    f"{where} field {key}: unknown; expected name, roles, tier or a fact ({', '.join(sorted(facts))})"
                )
                continue
            system_facts[key] = _fact_value(facts[key], value, f"{where} field {key}", errors)
        systems.append(System(system_name, [str(r) for r in roles], tier, system_facts))
    if errors:
        raise XwalkError(f"{name}: {len(errors)} problem(s):\n  " + "\n  ".join(errors))
    return Inventory(name, org, systems)


def _fact_value(fact: dict, value, where: str, errors: list[str]):
    """A fact's value in its type; None (unknown) for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if fact["type"] == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        errors.append(f"{where}: {value!r} is not true or false")
    elif fact["type"] == "date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            errors.append(f"{where}: {value!r} is not a date (YYYY-MM-DD)")
    else:
        text = str(value).strip().lower()
        if text in fact["values"]:
            return text
        errors.append(f"{where}: {value!r} is not one of {', '.join(fact['values'])}")
    return None


# ---------------------------------------------------------------- what applies, when, and under which condition
