"""Draft ISO/IEC 42001 Statement of Applicability and gap list, both read off a coverage report."""

import csv
import io
from dataclasses import dataclass

from xwalk.core.cells import safe_cell
from xwalk.core.errors import XwalkError
from xwalk.services.coverage import Report, Verdict

SUGGESTED_STATUS = {
    "done": "implemented (reused: confirm the scope covers the AI systems)",
    "extend": "partially implemented (reuse what is held and extend it to the AI scope)",
    "partial": "partially implemented (extend what is reused)",
    "new": "not implemented",
    "not reviewed": "not implemented (no reviewed mapping: assess by hand)",
}


CONFIRM = "Suggested as applicable: confirm against the AI system inventory and the risk assessment."


@dataclass(frozen=True)
class DraftRow:
    control: str
    title: str
    applicable: str
    justification: str
    suggested_status: str
    reused: str
    reasoning: str


def draft(report: Report) -> list[DraftRow]:
    """One row per ISO/IEC 42001 Annex A control. Applicability is suggested, never decided: no control can be
    excluded from the baseline alone, so each is marked applicable until the organisation justifies otherwise."""
    if report.target["standard"] != "iso42001":
        raise ValueError("a draft Statement of Applicability is drawn from a coverage report of ISO/IEC 42001")
    result = []
    for v in report.provisions:
        if v.part != "SelectableControl":
            continue
        reused = ", ".join(f"{e.held_standard} {e.held_id}" for e in v.evidence)
        reasoning = (
            " ".join(
                f"{e.held_standard} {e.held_id}: {e.relation}"
                + (f" (strength {e.strength})" if e.strength else "")
                + f". {e.rationale}"
                for e in v.evidence[:3]
            )
            or "No mapped provision of the baseline helps with this control."
        )
        result.append(
            DraftRow(
                control=v.id,
                title=v.title,
                applicable="yes (suggested)",
                justification=CONFIRM,
                suggested_status=SUGGESTED_STATUS[v.verdict],
                reused=reused,
                reasoning=reasoning,
            )
        )
    return result


def gaps(report: Report) -> list[Verdict]:
    """Every target provision not certainly covered, worst first, each with what partly helps (its evidence)."""
    order = {"not reviewed": 0, "new": 1, "partial": 2, "extend": 3}
    open_items = [v for v in report.provisions if v.verdict != "done"]
    return sorted(open_items, key=lambda v: (order[v.verdict], v.score))


DRAFT_COLUMNS = ["control", "title", "applicable", "justification", "suggested_status", "reused", "reasoning"]


def draft_file(rows: list, fmt: str) -> bytes:
    """Draft Statement of Applicability rows (soa.draft) as CSV or XLSX; spreadsheet cells are guarded against
    formulas."""
    records = [[safe_cell(getattr(r, c)) for c in DRAFT_COLUMNS] for r in rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(DRAFT_COLUMNS)
        writer.writerows(records)
        return out.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.worksheets[0]
        sheet.title = "Draft SoA"
        sheet.append(DRAFT_COLUMNS)
        for record in records:
            sheet.append(record)
        sink = io.BytesIO()
        book.save(sink)
        return sink.getvalue()
    raise XwalkError(f"unknown draft format {fmt!r}; expected csv or xlsx")
