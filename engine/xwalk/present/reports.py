"""Coverage reports in every output format: a terminal table, JSON, CSV, XLSX, Markdown and a standalone HTML report
with charts. Presentation only: every number comes from the coverage Report."""

import io
import json
from collections.abc import Callable
from typing import Any

from xwalk.core.cells import csv_text
from xwalk.present import templates, xlsx
from xwalk.present.render import curie, table
from xwalk.services import soa
from xwalk.services.coverage import VERDICTS, Report, Verdict

FORMATS = ("table", "json", "csv", "xlsx", "md", "html")
BINARY = {"xlsx"}
COLUMNS = ["id", "title", "group", "verdict", "lower", "score", "upper", "evidence", "applies_from", "date_source"]


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
    return (
        f"{target}: estimate {pct(s.estimate)} covered (lower bound {pct(s.lower)}, upper bound {pct(s.upper)}) "
        f"over {s.provisions} provisions"
    )


def context_lines(report: Report) -> list[str]:
    lines = [f"baseline: {d}" for d in report.baseline["description"]]
    if "timeline" in report.target:
        default = " (the default)" if report.target["default_timeline"] else ""
        lines.append(f"timeline: {report.target['timeline_label']}{default}")
    for item in report.target.get("conditional", []):
        lines.append(f"not scored, applies only if {item['conditions']}: {item['id']} (from {item['applies_from']})")
    if report.with_derived:
        lines.append("derived mappings (mapping chaining) included; verdicts that rely on one say so")
    return lines + [f"warning: {w}" for w in report.warnings]


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
                v.lower,
                v.score,
                v.upper,
                evidence_text(v),
                obligation.get("applies_from", ""),
                obligation.get("date_source", ""),
            ]
        )
    return result


def terminal(report: Report) -> str:
    s = report.summary
    lines = [headline(report), *context_lines(report), ""]
    lines.append(
        table(
            ["group", "title", "provisions", "lower", "estimate", "upper", *VERDICTS],
            [
                [
                    g.name,
                    g.title,
                    g.provisions,
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
            ["id", "verdict", "score", "best evidence"],
            [[v.id, v.verdict, f"{v.score:.2f}", _best(v)] for v in report.provisions],
        )
    )
    lines.append("")
    lines.append(
        " · ".join(f"{v}: {s.verdicts[v]}" for v in VERDICTS)
        + f" · work already done: {report.effort['done_estimate']} of {report.effort['units']} units"
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
            for v in soa.gaps(report)
        ],
    }


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def to_csv(report: Report) -> str:
    return csv_text(COLUMNS, rows(report))


def to_xlsx(report: Report) -> bytes:
    """The Summary sheet (headline, context, the figures per group) and the Provisions sheet, styled by the one XLSX
    writer (scores as percentages)."""
    scores = {"lower": xlsx.PERCENT, "estimate": xlsx.PERCENT, "score": xlsx.PERCENT, "upper": xlsx.PERCENT}
    summary = xlsx.Sheet(
        "Summary",
        ["group", "title", "provisions", "lower", "estimate", "upper", *VERDICTS],
        [
            [g.name, g.title, g.provisions, g.lower, g.estimate, g.upper, *(g.verdicts[v] for v in VERDICTS)]
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
        "| group | title | provisions | lower | estimate | upper | " + " | ".join(VERDICTS) + " |",
        "|---|---|---|---|---|---|" + "---|" * len(VERDICTS),
    ]
    for g in [*report.parts, *report.groups]:
        lines.append(
            f"| {_md(g.name)} | {_md(g.title)} | {g.provisions} | {pct(g.lower)} | {pct(g.estimate)} | "
            f"{pct(g.upper)} | " + " | ".join(str(g.verdicts[v]) for v in VERDICTS) + " |"
        )
    lines += ["", "| id | title | verdict | score | evidence |", "|---|---|---|---|---|"]
    for v in report.provisions:
        lines.append(f"| {_md(v.id)} | {_md(v.title)} | {v.verdict} | {v.score:.2f} | {_md(evidence_text(v))} |")
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
    """Bars per group: certainly covered (lower), the point estimate, and the upper bound, as inline SVG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    groups = report.groups
    labels = [f"{g.name} {g.title}"[:48] for g in groups]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(groups) + 1.2))
    y = range(len(groups))
    ax.barh(y, [g.upper for g in groups], color="#dbe7f3", label="upper bound (any evidence)")
    ax.barh(y, [g.estimate for g in groups], color="#5b9bd5", label="estimate")
    ax.barh(y, [g.lower for g in groups], color="#1f4e79", label="lower bound (certainly covered)")
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
