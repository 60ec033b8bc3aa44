"""Coverage reports in every output format: a terminal table, JSON, CSV, XLSX, Markdown and a standalone HTML report
with charts. Presentation only: every number comes from the coverage Report."""

import io
import json
from collections.abc import Callable
from typing import Any

from xwalk.core.cells import csv_text
from xwalk.present import templates, xlsx
from xwalk.present.render import curie, table
from xwalk.services.coverage import VERDICTS, Report, Verdict

FORMATS = ("table", "json", "csv", "xlsx", "md", "html")
BINARY = {"xlsx"}
BOUND_HELP = {  # weighting -> what the lower and the upper bound count
    "effort": (
        "Every reuse at the pessimistic end of its reviewed tolerance, weighted by effort.",
        "Every reuse at the optimistic end of its reviewed tolerance, weighted by effort.",
    ),
    "count": ("Only what is certainly covered.", "Everything with any evidence counted as covered."),
}
COLUMNS = [
    *("id", "title", "group", "verdict", "basis", "certain", "lower", "score", "upper", "effort", "evidence"),
    *("applies_from", "date_source", "overrides"),
]


def render(report: Report, fmt: str) -> str | bytes:
    writers: dict[str, Callable[[Any], str | bytes]] = {
        "table": terminal,
        "json": to_json,
        "csv": to_csv,
        "xlsx": to_xlsx,
        "md": to_markdown,
        "html": to_html,
    }
    return writers[fmt](report)


def pct(value: float) -> str:
    return f"{value:.0%}"


def headline(report: Report) -> str:
    s = report.summary
    target = report.target["identifier"]
    if "role" in report.target:
        target += f" obligations of a {report.target['role']} at tier {report.target['tier']} on {report.target['on']}"
    elif report.target.get("inventory"):
        target += f" obligations of the inventory's systems (now and coming) on {report.target['on']}"
    line = (
        f"{target}: estimate {pct(s.estimate)} covered (lower bound {pct(s.lower)}, upper bound {pct(s.upper)}) "
        f"over {s.provisions} provisions"
    )
    if s.weighting == "effort":
        e = report.effort
        line += (
            f", weighted by effort: {e['done_estimate']:g} of {e['total']:g} person-days done, "
            f"{e['remaining_estimate']:g} remaining ({e['remaining_lower']:g} to {e['remaining_upper']:g})"
        )
    return line


def context_lines(report: Report) -> list[str]:
    lines = [f"baseline: {d}" for d in report.baseline["description"]]
    if "timeline" in report.target:
        default = " (the default)" if report.target["default_timeline"] else ""
        lines.append(f"timeline: {report.target['timeline_label']}{default}")
    for item in report.target.get("conditional", []):
        lines.append(f"not scored, applies only if {item['conditions']}: {item['id']} (from {item['applies_from']})")
    if report.with_derived:
        lines.append("derived mappings (mapping chaining) included; verdicts that rely on one say so")
    lines.append(_weighting_line(report))
    lines += override_lines(report)
    return lines + [f"warning: {w}" for w in report.warnings]


def _weighting_line(report: Report) -> str:
    s = report.summary
    if s.weighting == "effort":
        return (
            f"formula v2: provisions weighted by the effort of their requirement elements ({s.effort:g} person-days, "
            f"docs/effort-model.md); certainly done {pct(s.certain)}; bounds from the reviewers' tolerance on each "
            f"reuse judgement; one unit per provision: estimate {pct(s.by_count['estimate'])} "
            f"({pct(s.by_count['lower'])} to {pct(s.by_count['upper'])})"
        )
    scored = sum(1 for v in report.provisions if v.basis == "elements")
    return (
        f"each provision one unit (not every provision has requirement elements); {scored} of {s.provisions} "
        "scored from their elements, the others by the mapping formula (docs/coverage.md)"
    )


def override_lines(report: Report) -> list[str]:
    """The audit trail: every override of the organisation's file, applied or not."""
    found = report.overrides
    if not found["source"]:
        return []
    lines = [
        f"organisation overrides {found['source']}: {len(found['applied'])} applied, "
        f"{len(found['not_applied'])} not applied"
    ]
    for item in [*found["applied"], *found["not_applied"]]:
        what = f"{item['action']}" + (f" {item['remaining']:g}" if item["remaining"] is not None else "")
        on = item["element"] + (f" from {item['held']}" if item["held"] else "")
        effect = f"applied to {', '.join(item['applied_to'])}" if item["applied_to"] else f"not applied: {item['why']}"
        lines.append(
            f"override row {item['row']} ({item['author']}, {item['date']}): {what} on {on}, because {item['reason']}; "
            f"{effect}"
        )
    return lines


def _overrides_of(report: Report, verdict: Verdict) -> str:
    rows = sorted(
        {i["row"] for i in report.overrides["applied"] if set(i["applied_to"]) & {verdict.id, *verdict.elements}}
    )  # an override on an element is listed on its provision
    return ", ".join(f"row {r}" for r in rows)


def evidence_text(verdict: Verdict) -> str:
    parts = []
    for e in verdict.evidence:
        text = f"{e.held_standard} {e.held_id} ({e.held_status}): {verdict.id} {curie(e.relation)} {e.held_id}"
        if e.strength is not None:
            text += f", strength {e.strength}"
        if e.derived:
            text += (
                " [derived: "
                + " then ".join(
                    f"{s['subject_key']} {s['subject_id']} {curie(s['relation'])} {s['object_key']} {s['object_id']}"
                    for s in e.chain
                )
                + "]"
            )
        parts.append(text)
    return "; ".join(parts)


def rows(report: Report) -> list[list]:
    result = []
    for v in report.provisions:
        obligation = v.obligation or {}
        result.append(
            [
                v.id,
                v.title,
                v.group,
                v.verdict,
                v.basis,
                v.certain,
                v.lower,
                v.score,
                v.upper,
                v.effort if v.effort is not None else "",
                evidence_text(v),
                obligation.get("applies_from", ""),
                obligation.get("date_source", ""),
                _overrides_of(report, v),
            ]
        )
    return result


def terminal(report: Report) -> str:
    s = report.summary
    lines = [headline(report), *context_lines(report), ""]
    lines.append(
        table(
            ["group", "title", "provisions", "certain", "lower", "estimate", "upper", *VERDICTS],
            [
                [
                    g.name,
                    g.title,
                    g.provisions,
                    pct(g.certain),
                    pct(g.lower),
                    pct(g.estimate),
                    pct(g.upper),
                    *(g.verdicts[v] for v in VERDICTS),
                ]
                for g in [*report.parts, *report.groups]
            ],
        )
    )
    lines.append("")
    lines.append(
        table(
            ["id", "verdict", "lower", "score", "upper", "best evidence"],
            [
                [v.id, v.verdict, f"{v.lower:.2f}", f"{v.score:.2f}", f"{v.upper:.2f}", _best(v)]
                for v in report.provisions
            ],
        )
    )
    lines.append("")
    effort = report.effort
    lines.append(
        " · ".join(f"{v}: {s.verdicts[v]}" for v in VERDICTS)
        + f" · work already done: {effort['done_estimate']:g} of {effort['total']:g} {effort['unit']}s"
    )
    return "\n".join(lines)


def _best(v: Verdict) -> str:
    if not v.evidence:
        return ""
    e = v.evidence[0]
    more = f" (+{len(v.evidence) - 1} more)" if len(v.evidence) > 1 else ""
    return f"{e.held_standard} {e.held_id} {curie(e.relation)}{' [derived]' if e.derived else ''}{more}"


def gaps_document(report: Report) -> dict:
    """The gap list as one JSON object (`xwalk gaps --format json`). Keys: `target` (the target as the report names
    it), `headline`, `gaps` (worst first), each gap with `id`, `title`, `group`, `verdict`, `lower`, `score`, `upper`
    and `evidence`: what partly helps, each with `held_standard`, `held_id`, `held_status`, `relation` (read "gap
    RELATION held", as a CURIE), `strength`, `derived`, `rationale` and, for a derived mapping, `chain`."""
    return {
        "target": report.target,
        "headline": headline(report),
        "gaps": [
            {
                **{k: getattr(v, k) for k in ("id", "title", "group", "verdict", "lower", "score", "upper")},
                "evidence": [
                    {
                        "held_standard": e.held_standard,
                        "held_id": e.held_id,
                        "held_status": e.held_status,
                        "relation": curie(e.relation),
                        "strength": e.strength,
                        "derived": e.derived,
                        "rationale": e.rationale,
                        **({"chain": e.chain} if e.derived else {}),
                    }
                    for e in v.evidence
                ],
            }
            for v in report.gaps()
        ],
    }


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def to_csv(report: Report) -> str:
    return csv_text(COLUMNS, rows(report))


def to_xlsx(report: Report) -> bytes:
    """The Summary sheet (headline, context, the figures per group) and the Provisions sheet, styled by the one XLSX
    writer (scores as percentages)."""
    scores = {
        "certain": xlsx.PERCENT,
        "lower": xlsx.PERCENT,
        "estimate": xlsx.PERCENT,
        "score": xlsx.PERCENT,
        "upper": xlsx.PERCENT,
    }
    summary = xlsx.Sheet(
        "Summary",
        ["group", "title", "provisions", "certain", "lower", "estimate", "upper", *VERDICTS],
        [
            [g.name, g.title, g.provisions, g.certain, g.lower, g.estimate, g.upper, *(g.verdicts[v] for v in VERDICTS)]
            for g in [*report.parts, *report.groups]
        ],
        scores,
        [headline(report), *context_lines(report)],
    )
    return xlsx.workbook([summary, xlsx.Sheet("Provisions", COLUMNS, rows(report), scores)])


_MD_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "[": "\\[", "]": "\\]", "`": "\\`", "\n": " ", "\r": " "}
)


def md_cell(text: object) -> str:
    """Text from a file name, an SoA or an imported rationale, safe in a Markdown table cell: no raw HTML
    (`<script>`, `<img onerror>`), no links, no cell breaks."""
    return str(text).translate(_MD_ESCAPES)


_md = md_cell


def to_markdown(report: Report) -> str:
    lines = [f"# Coverage: {_md(report.target['identifier'])}", "", f"**{_md(headline(report))}**", ""]
    lines += [f"- {_md(line)}" for line in context_lines(report)]
    lines += [
        "",
        "| group | title | provisions | certain | lower | estimate | upper | " + " | ".join(VERDICTS) + " |",
        "|---|---|---|---|---|---|---|" + "---|" * len(VERDICTS),
    ]
    for g in [*report.parts, *report.groups]:
        lines.append(
            f"| {_md(g.name)} | {_md(g.title)} | {g.provisions} | {pct(g.certain)} | {pct(g.lower)} | "
            f"{pct(g.estimate)} | {pct(g.upper)} | " + " | ".join(str(g.verdicts[v]) for v in VERDICTS) + " |"
        )
    lines += ["", "| id | title | verdict | lower | score | upper | evidence |", "|---|---|---|---|---|---|---|"]
    for v in report.provisions:
        lines.append(
            f"| {_md(v.id)} | {_md(v.title)} | {v.verdict} | {v.lower:.2f} | {v.score:.2f} | {v.upper:.2f} | "
            f"{_md(evidence_text(v))} |"
        )
    return "\n".join(lines) + "\n"


def to_html(report: Report) -> str:
    return templates.render(
        "coverage.html",
        report=report,
        headline=headline(report),
        context=context_lines(report),
        verdicts=VERDICTS,
        pct=pct,
        evidence_text=evidence_text,
        chart=_chart_svg(report),
    )


def _chart_svg(report: Report) -> str:
    """Bars per group: the lower bound, the point estimate, and the upper bound, as inline SVG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    groups = report.groups
    labels = [f"{g.name} {g.title}"[:48] for g in groups]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(groups) + 1.2))
    y = range(len(groups))
    ax.barh(y, [g.upper for g in groups], color="#dbe7f3", label="upper bound")
    ax.barh(y, [g.estimate for g in groups], color="#5b9bd5", label="estimate")
    ax.barh(y, [g.lower for g in groups], color="#1f4e79", label="lower bound")
    ax.set_yticks(list(y), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]
