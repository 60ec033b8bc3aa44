"""The EU AI Act per AI system: an organisation's inventory of AI systems (each with its roles, risk tier and facts),
read and validated; and, for a day and a timeline, what applies to each system now, what comes next with its date,
what applies only if a condition holds, the transitional rules of Art. 111 and the fine ceilings of Art. 99 and 101.

Everything legal comes from the catalog tables (obligations, conditions, transitional rules, penalty tiers) through
the store; this module only reads the inventory and folds the facts into answers.

The inventory itself is read and validated by `services.inventory` (its names are importable from here too).
"""

import re
from dataclasses import asdict
from datetime import date
from typing import Any

from xwalk.core import conditions
from xwalk.core.errors import XwalkError
from xwalk.services.catalog import Catalog
from xwalk.services.inventory import (  # the reader, importable from here as before
    Inventory,
    System,
    cached_rows,
    from_upload,
    read_inventory,
    terms,
    validate,
)

__all__ = [  # with the reader's names from services.inventory
    "Inventory",
    "System",
    "attach_coverage",
    "evaluate",
    "from_upload",
    "read_inventory",
    "scored_obligations",
    "terms",
    "timeline_info",
    "to_dict",
    "validate",
]

SCHEMA = "https://w3id.org/xwalk/schema/obligations/1"
ORGANISATION_ONLY = ("sme", "smc", "annual_turnover_eur")  # facts of the organisation that no condition tests
STATUSES = ("applies", "next", "if")


def timeline_info(catalog: Catalog, timeline: str | None) -> dict:
    known = terms(catalog)
    key = timeline or known["default"]
    if key not in known["timeline"]:
        raise XwalkError(f"unknown timeline {key!r}; expected one of {', '.join(sorted(known['timeline']))}")
    row = known["timeline"][key]
    return {"key": key, "label": row["label"], "legal_source": row["source"], "default": key == known["default"]}


def evaluate(catalog: Catalog, inventory: Inventory, on: date, timeline: str | None = None) -> dict:
    """Per system and for the organisation: the obligations that apply on `on`, those that come next (with their
    dates), those that apply only if a condition holds, and those a condition rules out (with the reason)."""
    info = timeline_info(catalog, timeline)
    schedule = cached_rows(catalog, "obligation_schedule", timeline=info["key"])
    rules = cached_rows(catalog, "ai_act_transitional", timeline=info["key"])
    penalties = {r["key"]: r for r in cached_rows(catalog, "ai_act_penalties", timeline=info["key"])}
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
        if o["status"] == "applies" and o.get("verdict") != "done" and o["penalty"]
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
