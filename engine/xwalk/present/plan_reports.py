"""The work plan (services.plan) in every output format: a terminal table, JSON, Markdown, a standalone HTML report
with a chart of effort by phase, CSV with the columns issue trackers import (summary, description, estimate,
labels, depends on) and XLSX through the one styled writer. Presentation only: every number comes from the Plan."""

import json
from collections.abc import Callable

from xwalk.core.cells import csv_text
from xwalk.present import templates, xlsx
from xwalk.present.render import table
from xwalk.present.reports import md_cell
from xwalk.services.plan import Plan, Task

FORMATS = ("table", "json", "csv", "xlsx", "md", "html")
BINARY = {"xlsx"}
TRACKER_COLUMNS = [
    *("id", "summary", "description", "estimate", "estimate_low", "estimate_high"),
    *("labels", "depends_on", "phase", "provision", "deliverable"),
]


def render(plan: Plan, fmt: str) -> str | bytes:
    writers: dict[str, Callable[[Plan], str | bytes]] = {
        "table": terminal,
        "json": to_json,
        "csv": to_csv,
        "xlsx": to_xlsx,
        "md": to_markdown,
        "html": to_html,
    }
    return writers[fmt](plan)


def days(value: float) -> str:
    return f"{value:g}"


def headline(plan: Plan) -> str:
    t = plan.totals
    saved, remaining, share = t["saved"], t["remaining"], t["share_saved"]
    return (
        f"{plan.target['identifier']}: {len(plan.tasks)} tasks, {days(remaining['estimate'])} person-days remaining "
        f"({days(remaining['lower'])} to {days(remaining['upper'])}) of {days(t['effort'])}; certainly done "
        f"{days(t['done'])}, saved by the baseline {days(saved['estimate'])} ({share['estimate']:.0%}, bounds "
        f"{share['lower']:.0%} to {share['upper']:.0%})"
    )


def claim_line(plan: Plan) -> str:
    """The share saved as a test of the claim that a 27001 holder implements 42001 up to 40% faster."""
    share, claim = plan.totals["share_saved"], plan.totals["claim"]
    verdict = (
        "the estimate reaches it"
        if claim["reached_by_estimate"]
        else "within the bounds, above the estimate"
        if claim["within_bounds"]
        else "beyond the upper bound"
    )
    return (
        f"claim 'up to {claim['share']:.0%} faster': this baseline saves {share['estimate']:.0%} of the effort "
        f"({share['lower']:.0%} to {share['upper']:.0%}); {verdict}"
    )


def context_lines(plan: Plan) -> list[str]:
    lines = [f"baseline: {d}" for d in plan.baseline["description"]]
    given = {k: v for k, v in plan.profile.items() if v is not None}
    flags = ", ".join(f"{k.replace('_', ' ')}: {'yes' if v else 'no'}" for k, v in given.items())
    lines.append(f"profile: {flags}" if given else "profile: not given (every control suggested as applicable)")
    lines.append(claim_line(plan))
    lines += [f"not applicable ({e['control']}, {days(e['effort'])} person-days): {e['reason']}" for e in plan.excluded]
    lines += override_lines(plan.overrides)
    return lines + [f"warning: {w}" for w in plan.warnings]


def override_lines(audit: dict) -> list[str]:
    """Every override of the organisation's file, applied or not: the audit trail."""
    lines = []
    for kind in ("applied", "not_applied"):
        for o in audit.get(kind, []):
            subject = " ".join(filter(None, (o["element"], o["held"])))
            done = f"applied to {', '.join(o['applied_to'])}" if o["applied_to"] else f"not applied ({o['why']})"
            lines.append(
                f"override {audit.get('source', '')} row {o['row']}: {subject} {o['action']}"
                f"{'' if o['remaining'] is None else ' ' + str(o['remaining'])} by {o['author']} on {o['date']}"
                f" ({o['reason']}); {done}"
            )
    return lines


def labels(task: Task) -> str:
    return " ".join((task.phase, task.mode.replace(" ", "-"), task.deliverable, f"iso42001-{task.provision}"))


def description(task: Task) -> str:
    text = f"{task.what}\nWhat an auditor looks for: {task.statement}\n{task.reuse}"
    if task.depends_on:
        text += f"\nAfter: {', '.join(task.depends_on)}"
    return text


def tracker_rows(plan: Plan) -> list[list]:
    return [
        [
            *(t.id, t.summary, description(t), t.effort["remaining"], t.effort["lower"], t.effort["upper"]),
            *(labels(t), " ".join(t.depends_on), t.phase, t.provision, t.deliverable),
        ]
        for t in plan.tasks
    ]


def to_json(plan: Plan) -> str:
    return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"


def to_csv(plan: Plan) -> str:
    return csv_text(TRACKER_COLUMNS, tracker_rows(plan))


def terminal(plan: Plan) -> str:
    lines = [headline(plan), *context_lines(plan), ""]
    for phase in plan.phases:
        rows = [
            [t.id, f"{t.mode}: {t.provision_title}"[:60], days(t.effort["remaining"]), " ".join(t.depends_on)[:40]]
            for t in plan.tasks
            if t.phase == phase["phase"]
        ]
        if rows:
            lines += [f"{phase['phase'].upper()}: {phase['tasks']} tasks, {days(phase['remaining']['estimate'])} days"]
            lines += [table(["task", "work", "days", "after"], rows), ""]
    lines += ["What to implement next (baseline controls not fully implemented, by target effort saved):"]
    lines += [
        f"  {s.held} {s.title} ({s.status}): saves {days(s.gain['estimate'])} person-days" for s in plan.next
    ] or ["  nothing: every baseline control that helps is implemented"]
    return "\n".join(lines) + "\n"


def to_markdown(plan: Plan) -> str:
    lines = [f"# Work plan: {md_cell(plan.target['identifier'])}", "", f"**{md_cell(headline(plan))}**", ""]
    lines += [f"- {md_cell(line)}" for line in context_lines(plan)]
    lines += ["", "| phase | tasks | remaining | lower | upper |", "|---|---|---|---|---|"]
    for p in plan.phases:
        r = p["remaining"]
        lines.append(f"| {p['phase']} | {p['tasks']} | {r['estimate']} | {r['lower']} | {r['upper']} |")
    for phase in plan.phases:
        lines += ["", f"## {phase['phase'].capitalize()}", "", "| task | what to do | days | reuse | after |"]
        lines.append("|---|---|---|---|---|")
        for t in (t for t in plan.tasks if t.phase == phase["phase"]):
            lines.append(
                f"| {md_cell(t.id)} | {md_cell(t.what)} | {t.effort['remaining']} | {md_cell(t.reuse)} | "
                f"{md_cell(', '.join(t.depends_on))} |"
            )
    lines += ["", "## What to implement next", "", "| control | title | status | saves (days) | lower | upper |"]
    lines.append("|---|---|---|---|---|---|")
    for s in plan.next:
        g = s.gain
        lines.append(
            f"| {md_cell(s.held)} | {md_cell(s.title)} | {s.status} | {g['estimate']} | {g['lower']} | {g['upper']} |"
        )
    return "\n".join(lines) + "\n"


def phase_chart_svg(plan: Plan) -> str:
    """Remaining person-days by phase: a bar at the estimate and a whisker from the lower to the upper bound."""
    width, bar, left = 560, 26, 70
    top = max((p["remaining"]["upper"] for p in plan.phases), default=0) or 1
    scale = (width - left - 60) / top
    rows = []
    for index, p in enumerate(plan.phases):
        r, y = p["remaining"], 10 + index * (bar + 12)
        rows.append(
            f'<text x="0" y="{y + bar * 0.7:.0f}" font-size="13">{p["phase"]}</text>'
            f'<rect x="{left}" y="{y}" width="{r["estimate"] * scale:.1f}" height="{bar}" fill="#5b9bd5"/>'
            f'<line x1="{left + r["lower"] * scale:.1f}" x2="{left + r["upper"] * scale:.1f}" '
            f'y1="{y + bar / 2}" y2="{y + bar / 2}" stroke="#1f4e79" stroke-width="2"/>'
            f'<text x="{left + r["upper"] * scale + 6:.1f}" y="{y + bar * 0.7:.0f}" font-size="12">'
            f"{days(r['estimate'])} d</text>"
        )
    height = 10 + len(plan.phases) * (bar + 12)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="remaining person-days by phase">{"".join(rows)}</svg>'
    )


def to_html(plan: Plan) -> str:
    return templates.render(
        "plan.html",
        plan=plan,
        headline=headline(plan),
        context=context_lines(plan),
        chart=phase_chart_svg(plan),
    )


def to_xlsx(plan: Plan) -> bytes:
    t = plan.totals
    summary = [[name, t[name]["lower"], t[name]["estimate"], t[name]["upper"]] for name in ("saved", "remaining")]
    phases = [
        [p["phase"], p["tasks"], *(p["remaining"][k] for k in ("lower", "estimate", "upper"))] for p in plan.phases
    ]
    next_rows = [[s.held, s.title, s.status, s.gain["lower"], s.gain["estimate"], s.gain["upper"]] for s in plan.next]
    return xlsx.workbook(
        [
            xlsx.Sheet("Tasks", TRACKER_COLUMNS, tracker_rows(plan), notes=[headline(plan)]),
            xlsx.Sheet(
                "Summary",
                ["measure", "lower", "estimate", "upper"],
                summary,
                notes=[headline(plan), *context_lines(plan)],
            ),
            xlsx.Sheet("Phases", ["phase", "tasks", "lower", "estimate", "upper"], phases),
            xlsx.Sheet("Next", ["control", "title", "status", "lower", "estimate", "upper"], next_rows),
            xlsx.Sheet(
                "Share saved",
                ["bound", "share saved"],
                [[k, t["share_saved"][k]] for k in ("lower", "estimate", "upper")],
                formats={"share saved": xlsx.PERCENT},
            ),
        ]
    )
