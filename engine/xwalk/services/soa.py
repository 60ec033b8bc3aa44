"""Draft ISO/IEC 42001 Statement of Applicability (v2) and gap list.

Per Annex A control: the applicability an organisation profile suggests, with the control's own reason
(ontology/elements/src/iso42001_applicability.csv); the status from its requirement elements (done: every element
is met by what the baseline holds; extend: something held is reused and must be extended; new: nothing held
helps), what is reused and what is to add; and a justification written from these, so no two controls share one.
"""

from dataclasses import dataclass

from xwalk.load import plan_rules
from xwalk.services.coverage import Report, Verdict
from xwalk.services.profile import Profile, applicability

STATUS_WORDS = {
    "done": "implemented through the baseline (confirm it covers the AI systems in scope)",
    "extend": "partially implemented: extend what the baseline holds",
    "new": "not implemented: new work",
}


@dataclass(frozen=True)
class DraftRow:
    control: str
    title: str
    applicable: str  # yes / no, "(suggested)" when the profile decides it, "(confirm)" when a flag is unknown
    applicability_reason: str
    status: str  # done, extend or new
    suggested_status: str
    saved_share: float  # share of the control's effort the baseline saves (estimate)
    effort: float  # person-days of the control's elements, on the default scale
    remaining: float  # person-days still to do (estimate)
    reused: str  # held provisions, "iso27001 A.8.15; ..."
    to_add: str  # the extensions and the new elements, what the organisation still has to do
    justification: str
    reasoning: str  # the rationales of the reuse judgements


DRAFT_COLUMNS = list(DraftRow.__dataclass_fields__)
PERCENT_COLUMNS = ("saved_share",)


def draft(report: Report, profile: Profile | None = None) -> list[DraftRow]:
    """One row per ISO/IEC 42001 Annex A control, from a coverage report of ISO/IEC 42001: its titles and order,
    and its element-level results. Applicability is suggested from the profile, never decided."""
    if report.target["standard"] != "iso42001":
        raise ValueError("a draft Statement of Applicability is drawn from a coverage report of ISO/IEC 42001")
    profile = profile or Profile()
    controls = [v for v in report.provisions if v.part == "SelectableControl"]
    rules = plan_rules.read_applicability([v.id for v in controls])
    by_control: dict[str, list] = {}
    for result in report.elements:
        by_control.setdefault(result.provision_id, []).append(result)
    return [_row(v, by_control.get(v.id, []), applicability(profile, rules[v.id])) for v in controls]


def _status(results: list) -> str:
    if results and all(r.mode == "done" for r in results):
        return "done"
    return "extend" if any(r.saved_upper > 0 for r in results) else "new"


def _row(verdict: Verdict, results: list, suggested) -> DraftRow:
    effort = sum(r.effort for r in results)
    saved = sum(r.effort * r.saved for r in results)
    status = _status(results)
    held = list(dict.fromkeys(f"{h.held_standard} {h.held_id}" for r in results for h in r.reused))
    additions = [r.extension or r.statement for r in results if r.mode != "done"]
    rationales = list(dict.fromkeys(f"{h.held_standard} {h.held_id}: {h.rationale}" for r in results for h in r.reused))
    rationales += [  # the crosswalk's own mappings from held provisions the elements do not already name
        f"{e.held_standard} {e.held_id}: {e.relation}. {e.rationale}"
        for e in verdict.evidence[:3]
        if f"{e.held_standard} {e.held_id}" not in held
    ]
    word = "yes" if suggested.applicable else "no"
    marker = "suggested" if suggested.confirmed_by_profile else "confirm"
    return DraftRow(
        control=verdict.id,
        title=verdict.title,
        applicable=f"{word} ({marker})",
        applicability_reason=suggested.reason,
        status=status,
        suggested_status=STATUS_WORDS[status],
        saved_share=round(saved / effort, 4) if effort else 0.0,
        effort=round(effort, 2),
        remaining=round(effort - saved, 2),
        reused="; ".join(held),
        to_add="; ".join(additions),
        justification=justification(verdict, status, suggested, held, additions),
        reasoning=" ".join(rationales) or "No provision the baseline holds helps with this control.",
    )


def justification(verdict: Verdict, status: str, suggested, held: list[str], additions: list[str]) -> str:
    """A justification for one control, from its own applicability reason and its own elements."""
    if not suggested.applicable:
        return f"Excluded: {suggested.reason}."
    text = f"Included: {suggested.reason}."
    if status == "done":
        return text + f" Already met through {', '.join(held)}."
    if status == "extend":
        return text + f" Builds on {', '.join(held[:3])}; still to do: {additions[0]}."
    return text + f" Nothing held applies; to put in place: {additions[0] if additions else verdict.title}."
