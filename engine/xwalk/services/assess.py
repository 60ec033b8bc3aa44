"""The assessments a surface asks for with a baseline in hand: coverage of a target, the draft ISO/IEC 42001 SoA,
the EU AI Act obligations of a role and tier, and the AI Act answer for an inventory of AI systems (with coverage
when a baseline is given). The REST API asks them with JSON rows or uploaded bytes; the CLI with files."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xwalk.core.errors import XwalkError
from xwalk.services import baseline, coverage, overrides
from xwalk.services.catalog import Catalog
from xwalk.services.question import CoverageQuestion, answer

if TYPE_CHECKING:  # imported where they are used: a coverage of a standard does without the AI Act reader, the
    # draft SoA and the profile (the planning tables)
    from xwalk.services import ai_act, soa
    from xwalk.services.profile import Profile

OVERRIDES_LIMIT = overrides.MAX_BYTES


def held(
    catalog: Catalog,
    question: CoverageQuestion,
    rows: list[dict] | None = None,
    upload: tuple[str, bytes] | None = None,
) -> baseline.Baseline:
    """The baseline a request gives: an uploaded SoA (read in a bounded worker process), else SoA rows given as
    JSON (read in process as a JSON SoA, by the same reader), else the SoA file the question names (the CLI's
    --baseline) and the certificates. The question says how to read the SoA (sheet, columns, all implemented)."""
    q = question
    reading = q.reading()
    isolated = upload is not None
    if upload is None and rows:
        upload = ("baseline.json", json.dumps(rows).encode())
    certified = list(q.certified)
    if upload is not None:
        return baseline.from_upload(catalog, *upload, q.standard, certified, q.assume_certified, reading, isolated)
    return q.build_baseline(catalog)


def judged(
    catalog: Catalog,
    rows: list[dict] | None = None,
    upload: tuple[str, bytes] | None = None,
    path: Path | None = None,
):
    """The organisation's overrides a request gives: an uploaded CSV or YAML file, else rows given as JSON (read
    as YAML, of which JSON is a subset), else the file at `path` (the CLI's --overrides), else none. A bad row
    refuses them all, naming the row."""
    if path is not None:
        return overrides.read(catalog, path)
    if upload is not None:
        name, data = upload
        if len(data) > OVERRIDES_LIMIT:
            raise XwalkError(f"{name}: an overrides file is at most {OVERRIDES_LIMIT // 1024 // 1024} MB")
        return overrides.parse(catalog, data, name, "." + name.rsplit(".", 1)[-1].lower() if "." in name else ".csv")
    if rows:
        return overrides.parse(catalog, json.dumps(rows).encode(), "overrides", ".yaml")
    return overrides.NONE


def coverage_report(
    catalog: Catalog,
    question: CoverageQuestion,
    held_baseline: baseline.Baseline,
    inventory_obligations: dict | None = None,
    judgements: overrides.Overrides = overrides.NONE,
) -> coverage.Report:
    """Coverage of the question's target by the baseline (for an inventory: by its systems' obligations), under the
    organisation's overrides."""
    return answer(catalog, question, held=held_baseline, judged=judgements, bound=inventory_obligations)


def soa_draft(
    catalog: Catalog,
    question: CoverageQuestion,
    held_baseline: baseline.Baseline,
    judgements: overrides.Overrides = overrides.NONE,
    profile: "Profile | None" = None,
) -> "list[soa.DraftRow]":
    """The draft ISO/IEC 42001 Statement of Applicability from the baseline's coverage of ISO/IEC 42001, with
    applicability suggested from the organisation profile."""
    from xwalk.services import soa

    question = replace(question, target="iso42001", role=None, tier=None, timeline=None)
    return soa.draft(coverage_report(catalog, question, held_baseline, judgements=judgements), profile)


def plan(
    catalog: Catalog,
    question: CoverageQuestion,
    held_baseline: baseline.Baseline,
    judgements: overrides.Overrides = overrides.NONE,
    profile: "Profile | None" = None,
):
    """The work plan of the baseline against the question's target (services.plan: ISO/IEC 42001) under the
    organisation's overrides and profile, counting derived mappings if the question does; another target is refused
    before any coverage is computed."""
    from xwalk.services import plan as planning

    return planning.build(catalog, held_baseline, question.target, profile, judgements, question.with_derived)


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
    catalog: Catalog,
    systems: "ai_act.Inventory",
    question: CoverageQuestion,
    held_baseline: baseline.Baseline | None = None,
) -> dict:
    """The AI Act per system of an inventory on the question's day (today when none): now, next, if, fine
    ceilings; with a baseline, how much of each obligation it already covers."""
    from xwalk.services import ai_act

    result = ai_act.evaluate(catalog, systems, question.on or date.today(), question.timeline)
    if held_baseline is not None:
        bound = ai_act.scored_obligations(result)
        report = coverage_report(catalog, replace(question, target="eu-ai-act"), held_baseline, bound)
        ai_act.attach_coverage(result, report)
    return result
