"""The assessments a surface asks for with a baseline in hand: coverage of a target, the draft ISO/IEC 42001 SoA,
the EU AI Act obligations of a role and tier, and the AI Act answer for an inventory of AI systems (with coverage
when a baseline is given). The REST API asks them with JSON rows or uploaded bytes; the CLI with files."""

import json
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from xwalk.services import ai_act, baseline, coverage, soa
from xwalk.services.catalog import Catalog


@dataclass(frozen=True)
class Question:
    """What a coverage question is about, beyond the baseline's rows: the baseline's standard and certificates,
    the target, and for the EU AI Act the role, tier, day and timeline."""

    standard: str = "iso27001"
    certified: list[str] = field(default_factory=list)
    uncertified: bool = False  # certificates do not imply the certified standard's controls
    target: str = "iso42001"
    role: str | None = None
    tier: str | None = None
    on: date | None = None
    timeline: str | None = None
    with_derived: bool = False


def held(
    catalog: Catalog,
    question: Question,
    rows: list[dict] | None = None,
    upload: tuple[str, bytes] | None = None,
    reading: baseline.ReadOptions | None = None,
) -> baseline.Baseline:
    """The baseline a request gives: an uploaded SoA (read in a bounded worker process), else SoA rows given as
    JSON (read in process as a JSON SoA, by the same reader), else only the certificates."""
    reading = reading or baseline.ReadOptions()
    isolated = upload is not None
    if upload is None and rows:
        upload = ("baseline.json", json.dumps(rows).encode())
    assume = not question.uncertified
    if upload is not None:
        return baseline.from_upload(catalog, *upload, question.standard, question.certified, assume, reading, isolated)
    return baseline.build(catalog, None, question.certified, question.standard, assume)


def coverage_report(
    catalog: Catalog, question: Question, held_baseline: baseline.Baseline, inventory_obligations: dict | None = None
) -> coverage.Report:
    """Coverage of the question's target by the baseline (for an inventory: by its systems' obligations)."""
    q = question
    return coverage.compute(
        catalog,
        held_baseline,
        q.target,
        q.role,
        q.tier,
        q.on,
        q.timeline,
        q.with_derived,
        inventory_obligations=inventory_obligations,
    )


def soa_draft(catalog: Catalog, question: Question, held_baseline: baseline.Baseline) -> list[soa.DraftRow]:
    """The draft ISO/IEC 42001 Statement of Applicability from the baseline's coverage of ISO/IEC 42001."""
    question = replace(question, target="iso42001", role=None, tier=None, timeline=None)
    return soa.draft(coverage_report(catalog, question, held_baseline))


def obligations(catalog: Catalog, role: str, tier: str, on: date, timeline: str | None = None) -> dict:
    """The AI Act obligations of a role and tier on a day, each with its article id and title."""
    found = coverage.obligations(catalog, role, tier, on, timeline)
    titles = {u.iri: u for u in catalog.units("eu-ai-act")}
    return {
        **{k: v for k, v in found.items() if k != "obligations"},
        "on": on.isoformat(),
        "obligations": [
            {"iri": iri, "id": titles[iri].notation, "title": titles[iri].title, **info}
            for iri, info in found["obligations"].items()
        ],
    }


def inventory(
    catalog: Catalog, systems: ai_act.Inventory, question: Question, held_baseline: baseline.Baseline | None = None
) -> dict:
    """The AI Act per system of an inventory on the question's day (today when none): now, next, if, fine
    ceilings; with a baseline, how much of each obligation it already covers."""
    result = ai_act.evaluate(catalog, systems, question.on or date.today(), question.timeline)
    if held_baseline is not None:
        bound = ai_act.scored_obligations(result)
        report = coverage_report(catalog, replace(question, target="eu-ai-act"), held_baseline, bound)
        ai_act.attach_coverage(result, report)
    return result


def inventory_obligations(catalog: Catalog, path: Path, question: Question) -> dict[str, dict]:
    """The obligations of the systems of an inventory file on the question's day (today when none), by provision
    IRI: what a baseline is scored against for an inventory (`coverage_report`)."""
    systems = ai_act.read_inventory(catalog, path)
    return ai_act.scored_obligations(ai_act.evaluate(catalog, systems, question.on or date.today(), question.timeline))
