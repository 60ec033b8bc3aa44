"""The EU AI Act per AI system: an organisation's inventory of AI systems (each with its roles, risk tier and facts),
read and validated; and, for a day and a timeline, what applies to each system now, what comes next with its date,
what applies only if a condition holds, the transitional rules of Art. 111 and the fine ceilings of Art. 99 and 101.

Everything legal comes from the catalog tables (obligations, conditions, transitional rules, penalty tiers) through
the store; this module only reads the inventory and folds the facts into answers.

Why long: the inventory reader and the evaluation share the terms, facts and rules of the catalog tables; the reader
(read_inventory, validate, about 200 lines) is the part to move to a module of its own next.
"""

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from xwalk.core import conditions
from xwalk.core.errors import XwalkError
from xwalk.core.paths import display
from xwalk.services.catalog import Catalog

SCHEMA = "https://w3id.org/xwalk/schema/obligations/1"
ORGANISATION_ONLY = ("sme", "smc", "annual_turnover_eur")  # facts of the organisation that no condition tests
MAX_SYSTEMS = 1000
SYSTEM_FIELDS = ("name", "roles", "tier")
STATUSES = ("applies", "next", "if")
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


def _cached(catalog: Catalog, name: str, **bindings) -> list[dict]:
    key = (name, *sorted(bindings.items()))
    if key not in catalog.memo:
        catalog.memo[key] = catalog.store.select(name, **bindings)
    return catalog.memo[key]


def terms(catalog: Catalog) -> dict:
    """Roles, tiers, timelines (with the default and legal source) and facts, from the store."""
    rows = _cached(catalog, "ai_act_terms")
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
        for r in _cached(catalog, "ai_act_facts")
    }
    return found


def timeline_info(catalog: Catalog, timeline: str | None) -> dict:
    known = terms(catalog)
    key = timeline or known["default"]
    if key not in known["timeline"]:
        raise XwalkError(f"unknown timeline {key!r}; expected one of {', '.join(sorted(known['timeline']))}")
    row = known["timeline"][key]
    return {"key": key, "label": row["label"], "legal_source": row["source"], "default": key == known["default"]}


# ---------------------------------------------------------------- reading and validating an inventory


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
    import yaml

    from xwalk.services import baseline

    text = baseline.decode_text(path, name)
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise XwalkError(f"{name}: not valid {path.suffix[1:].upper()} ({error})") from None


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


def evaluate(catalog: Catalog, inventory: Inventory, on: date, timeline: str | None = None) -> dict:
    """Per system and for the organisation: the obligations that apply on `on`, those that come next (with their
    dates), those that apply only if a condition holds, and those a condition rules out (with the reason)."""
    info = timeline_info(catalog, timeline)
    schedule = _cached(catalog, "obligation_schedule", timeline=info["key"])
    rules = _cached(catalog, "ai_act_transitional", timeline=info["key"])
    penalties = {r["key"]: r for r in _cached(catalog, "ai_act_penalties", timeline=info["key"])}
    result: dict[str, Any] = {
        "schema": SCHEMA,
        "on": on.isoformat(),
        "timeline": info,
        "organisation": inventory.organisation,
        "source": inventory.source,
        "systems": [],
    }
    for system in inventory.systems:
        facts = {**{k: v for k, v in inventory.organisation.items() if k not in ORGANISATION_ONLY}, **system.facts}
        bound: list[dict] = []
        ruled_out: list[dict] = []
        for row in schedule:
            if row["role"] not in system.roles or row["tier"] not in (system.tier, "any"):
                continue
            item = _obligation(row, facts, on, rules, system.tier)
            item["penalty"] = _penalty(penalties.get(row["penalty"]), inventory.organisation, on, info["key"])
            (bound if item["status"] != "not applicable" else ruled_out).append(item)
        bound.sort(key=lambda o: (o["applies_from"], _article_key(o["id"]), o["role"]))
        result["systems"].append(
            {
                "name": system.name,
                "roles": system.roles,
                "tier": system.tier,
                "facts": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in facts.items()},
                "obligations": bound,
                "not_applicable": ruled_out,
                "roles_summary": _roles_summary(system.roles, bound),
                "exposure": _exposure(bound, {}),
            }
        )
    result["organisation_obligations"] = _organisation(result["systems"])
    return result


def _article_key(notation: str) -> tuple:
    numbers = re.findall(r"\d+|[a-z]+", notation.removeprefix("Article "))
    return tuple((0, int(n), "") if n.isdigit() else (1, 0, n) for n in numbers)


def _obligation(row: dict, facts: dict, on: date, rules: list[dict], tier: str) -> dict:
    parsed = conditions.parse(row["conditions"] or "")
    holds = conditions.evaluate(parsed, facts)
    applies_from, source = row["applies"], row["source"]
    transitional = []
    placed = facts.get("placed_on_market")
    for rule in rules:
        if rule["tier"] != tier or row["tier"] == "any" or rule["notation"] not in (None, row["notation"]):
            continue
        cutoff = rule["placed_before"]
        rule_condition = conditions.parse(rule["condition"] or "")
        article = _rule_article(rule["rule"])
        if placed is None:
            effect = (
                f"only if {conditions.text(rule_condition)}"
                if rule["effect"] == "only-if"
                else f"from {rule['deadline'].isoformat()}"
            )
            transitional.append(f"if placed on the market before {cutoff.isoformat()}: {effect} ({article})")
            continue
        if placed >= cutoff:
            continue
        if rule["effect"] == "only-if":
            applies_also = conditions.evaluate(rule_condition, facts)
            parsed = [
                a + b for a in (parsed or [[]]) for b in rule_condition
            ]  # the obligation and the rule's condition
            holds = _and(holds, applies_also)
        elif conditions.evaluate(rule_condition, facts) is True and rule["deadline"] > applies_from:
            applies_from, source = rule["deadline"], f"{rule['source']} (the obligation itself: {source})"
        elif conditions.evaluate(rule_condition, facts) is None:
            transitional.append(
                f"if {conditions.text(rule_condition)}: from {rule['deadline'].isoformat()}, {rule['source']}"
            )
        if rule["effect"] == "only-if":
            transitional.append(rule["source"])
    if holds is False:
        status, applies = "not applicable", False
    elif holds is None:
        status, applies = "if", None
    else:
        status, applies = ("applies", True) if applies_from <= on else ("next", False)
    return {
        "id": row["notation"],
        "title": row["title"],
        "role": row["role"],
        "tier": row["tier"],
        "applies_from": applies_from.isoformat(),
        "date_source": source,
        "applies": applies,
        "status": status,
        "conditions": conditions.text(parsed) if parsed else "",
        "unknown_facts": conditions.unknown(parsed, facts) if holds is None else [],
        "transitional": transitional,
        "note": row["note"] or "",
        "iri": row["provision"],
    }


def _rule_article(rule: str) -> str:
    """`art-111-2-public` -> `Art. 111(2)`."""
    parts = rule.split("-")
    return f"Art. {parts[1]}({parts[2]})" if len(parts) > 2 else f"Art. {parts[1]}"


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _penalty(tier: dict | None, organisation: dict, on: date, timeline: str) -> dict | None:
    """The ceiling the Regulation sets for not meeting the obligation: never a prediction of a fine."""
    if tier is None:
        return None
    sme, smc = organisation.get("sme") is True, organisation.get("smc") is True
    lower = (sme and tier["sme_lower"]) or (smc and tier["smc_lower"] and timeline == "omnibus-2026")
    rule = "whichever is lower" if lower else "whichever is higher"
    who = " (SME)" if sme and tier["sme_lower"] else (" (small mid-cap)" if lower else "")
    ceiling = f"up to EUR {tier['max_eur']:,} or {tier['max_percent']}% of total worldwide annual turnover, {rule}{who}"
    amount = None
    turnover = organisation.get("annual_turnover_eur")
    if turnover is not None:
        share = turnover * tier["max_percent"] / 100
        amount = min(tier["max_eur"], share) if lower else max(tier["max_eur"], share)
    return {
        "tier": tier["key"],
        "article": _rule_article(tier["key"]),
        "max_eur": tier["max_eur"],
        "max_percent": tier["max_percent"],
        "rule": rule,
        "ceiling": ceiling,
        "ceiling_eur": round(amount) if amount is not None else None,
        "in_force": tier["applies"] <= on,
        "applies_from": tier["applies"].isoformat(),
        "source": tier["source"],
        "disclaimer": "the maximum the Regulation sets, not a prediction of a fine",
    }


def _roles_summary(roles: list[str], bound: list[dict]) -> dict:
    """Per role: how many obligations apply now, the next date and what it brings, and how many are conditional."""
    summary = {}
    for role in roles:
        mine = [o for o in bound if o["role"] == role]
        upcoming = sorted(o["applies_from"] for o in mine if o["status"] == "next")
        summary[role] = {
            "applies": sum(o["status"] == "applies" for o in mine),
            "next_date": upcoming[0] if upcoming else None,
            "next_count": upcoming.count(upcoming[0]) if upcoming else 0,
            "conditional": sum(o["status"] == "if" for o in mine),
        }
    return summary


def _organisation(systems: list[dict]) -> list[dict]:
    """Each obligation (id and role) across the systems, with the earliest date and the systems it concerns."""
    merged: dict[tuple, dict] = {}
    for system in systems:
        for o in system["obligations"]:
            key = (o["id"], o["role"])
            entry = merged.setdefault(key, {**{k: o[k] for k in ("id", "title", "role")}, "systems": [], "status": {}})
            entry["systems"].append(system["name"])
            entry["status"][system["name"]] = o["status"]
            entry["applies_from"] = min(entry.get("applies_from", o["applies_from"]), o["applies_from"])
    return sorted(merged.values(), key=lambda e: (e["applies_from"], _article_key(e["id"]), e["role"]))


def scored_obligations(result: dict) -> dict[str, dict]:
    """The provisions to score against a baseline: every obligation that binds (now or later), not the conditional
    ones, by provision IRI."""
    found: dict[str, dict] = {}
    for system in result["systems"]:
        for o in system["obligations"]:
            if o["status"] in ("applies", "next"):
                found.setdefault(o["iri"], {k: o[k] for k in ("role", "tier", "applies_from", "date_source", "note")})
    return found


def _exposure(bound: list[dict], verdicts: dict) -> list[dict]:
    """The obligations applying now and not known to be covered, each with the fine ceiling the Regulation sets."""
    return [
        {"id": o["id"], "role": o["role"], "verdict": o.get("verdict"), **o["penalty"]}
        for o in bound
        if o["status"] == "applies" and o.get("verdict") != "covered" and o["penalty"]
    ]


def attach_coverage(result: dict, report) -> None:
    """Each bound obligation gets the verdict and score of its provision from a coverage Report; exposure lists the
    obligations applying now that are not covered, with their fine ceilings."""
    verdicts = {v.iri: v for v in report.provisions}
    result["baseline"] = report.baseline
    for system in result["systems"]:
        for o in system["obligations"]:
            v = verdicts.get(o["iri"])
            if v is not None:
                o["verdict"], o["score"] = v.verdict, v.score
        system["exposure"] = _exposure(system["obligations"], verdicts)
        now = [o for o in system["obligations"] if o["status"] == "applies" and "score" in o]
        system["covered_now"] = round(sum(o["score"] for o in now) / len(now), 4) if now else None


def to_dict(inventory: Inventory) -> dict:
    return asdict(inventory)
