"""The AI Act per system in every output format (table, JSON, CSV, XLSX, Markdown, HTML with a timeline chart).
Presentation only: every value comes from xwalk.ai_act.evaluate (and attach_coverage with a baseline)."""

import io
import json
from collections.abc import Callable
from typing import Any

from xwalk.core.cells import csv_text
from xwalk.present import templates, xlsx
from xwalk.present.render import table

FORMATS = ("table", "json", "csv", "xlsx", "md", "html")
BINARY = {"xlsx"}
COLUMNS = [
    "system",
    "id",
    "title",
    "role",
    "status",
    "applies_from",
    "date_source",
    "conditions",
    "verdict",
    "score",
    "penalty_ceiling",
    "penalty_source",
]
STATUS_WORDS = {"applies": "applies now", "next": "coming", "if": "applies if"}


def render(result: dict, fmt: str) -> str | bytes:
    writers: dict[str, Callable[[Any], str | bytes]] = {
        "table": terminal,
        "json": to_json,
        "csv": to_csv,
        "xlsx": to_xlsx,
        "md": to_markdown,
        "html": to_html,
    }
    return writers[fmt](result)


def to_json(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"


def headline(result: dict) -> list[str]:
    t = result["timeline"]
    lines = [
        f"EU AI Act obligations of {len(result['systems'])} AI system(s) on {result['on']}",
        f"timeline: {t['label']}{' (the default)' if t['default'] else ''}",
        f"legal source: {t['legal_source']}",
    ]
    if "baseline" in result:
        lines += [f"baseline: {d}" for d in result["baseline"]["description"]]
    return lines


def role_lines(system: dict) -> list[str]:
    """Per role: what applies now, or the next date when nothing does yet (never "0% of 0")."""
    lines = []
    for role, s in system["roles_summary"].items():
        text = f"{role}: {s['applies']} obligation(s) apply now"
        if s["next_date"]:
            text += f"; next on {s['next_date']}: {s['next_count']} more"
        elif not s["applies"]:
            text += "; nothing dated comes next"
        if s["conditional"]:
            text += f"; {s['conditional']} apply only if a condition holds"
        lines.append(text)
    return lines


def organisation_lines(result: dict) -> list[str]:
    """The organisation: each obligation once across its systems (by id and role)."""
    merged = result["organisation_obligations"]
    now = [o for o in merged if "applies" in o["status"].values()]
    coming = sorted(o["applies_from"] for o in merged if "next" in o["status"].values() and o not in now)
    only_if = [o for o in merged if set(o["status"].values()) == {"if"}]
    text = f"organisation: {len(now)} obligation(s) apply now across {len(result['systems'])} system(s)"
    if coming:
        text += f"; next on {coming[0]}: {coming.count(coming[0])} more"
    if only_if:
        text += f"; {len(only_if)} apply only if a condition holds"
    return [text]


def rows(result: dict) -> list[list]:
    found = []
    for system in result["systems"]:
        for o in system["obligations"]:
            penalty = o["penalty"] or {}
            found.append(
                [
                    system["name"],
                    o["id"],
                    o["title"],
                    o["role"],
                    STATUS_WORDS[o["status"]],
                    o["applies_from"],
                    o["date_source"],
                    o["conditions"],
                    o.get("verdict", ""),
                    o.get("score", ""),
                    penalty.get("ceiling", "Member State rules (Art. 99(1)); no ceiling set by the Regulation"),
                    penalty.get("source", ""),
                ]
            )
    return found


def terminal(result: dict) -> str:
    lines = [*headline(result), *organisation_lines(result), ""]
    for system in result["systems"]:
        lines.append(f"== {system['name']} ({', '.join(system['roles'])}; tier {system['tier']})")
        lines += [f"   {line}" for line in role_lines(system)]
        for status in ("applies", "next", "if"):
            chosen = [o for o in system["obligations"] if o["status"] == status]
            if not chosen:
                continue
            lines.append(f"   {STATUS_WORDS[status]}:")
            header = ["id", "role", "from", "date source"] + (["if"] if status == "if" else [])
            if "baseline" in result and status != "if":
                header += ["verdict", "score"]
            body = []
            for o in chosen:
                row = [o["id"], o["role"], o["applies_from"], o["date_source"][:70]]
                if status == "if":
                    row.append(o["conditions"])
                if "baseline" in result and status != "if":
                    row += [o.get("verdict", ""), f"{o['score']:.2f}" if "score" in o else ""]
                body.append(row)
            lines += ["   " + line for line in table(header, body).splitlines()]
        if system["exposure"]:
            lines.append(
                "   fine ceilings for what applies now and is not known to be covered (the maximum the "
                "Regulation sets, not a prediction):"
            )
            for e in system["exposure"]:
                lines.append(f"     {e['id']} ({e['role']}): {e['ceiling']} [{e['article']}]")
        lines.append("")
    return "\n".join(lines)


def to_csv(result: dict) -> str:
    return csv_text(COLUMNS, rows(result))


SUMMARY_COLUMNS = ["system", "roles", "tier", "summary"]


def to_xlsx(result: dict) -> bytes:
    """The Summary sheet (headline and organisation under the notes, one row per system and role) and the
    Obligations sheet, styled by the one XLSX writer (scores as percentages)."""
    summary = [
        [system["name"], ", ".join(system["roles"]), system["tier"], line]
        for system in result["systems"]
        for line in role_lines(system)
    ]
    return xlsx.workbook(
        [
            xlsx.Sheet("Summary", SUMMARY_COLUMNS, summary, notes=headline(result) + organisation_lines(result)),
            xlsx.Sheet("Obligations", COLUMNS, rows(result), {"score": xlsx.PERCENT}),
        ]
    )


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(result: dict) -> str:
    lines = ["# EU AI Act obligations per AI system", ""]
    lines += [f"- {_md(line)}" for line in headline(result) + organisation_lines(result)]
    for system in result["systems"]:
        lines += ["", f"## {_md(system['name'])}", ""]
        lines += [f"- {_md(line)}" for line in role_lines(system)]
        lines += [
            "",
            "| id | role | status | from | date source | conditions | verdict | fine ceiling |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for o in system["obligations"]:
            penalty = (o["penalty"] or {}).get("ceiling", "Member State rules")
            lines.append(
                f"| {_md(o['id'])} | {o['role']} | {STATUS_WORDS[o['status']]} | {o['applies_from']} | "
                f"{_md(o['date_source'])} | {_md(o['conditions'])} | {o.get('verdict', '')} | {_md(penalty)} |"
            )
    return "\n".join(lines) + "\n"


def to_html(result: dict) -> str:
    return templates.render(
        "obligations.html",
        result=result,
        headline=headline(result),
        role_lines=role_lines,
        words=STATUS_WORDS,
        chart=timeline_svg(result),
    )


def timeline_svg(result: dict) -> str:
    """One row per system; a mark per obligation at its date (filled: binds; hollow: only if a condition holds),
    and a line at the chosen day."""
    from datetime import date

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib import pyplot as plt

    systems = result["systems"]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(systems) + 1.5))
    colours = {"applies": "#1f4e79", "next": "#5b9bd5", "if": "none"}
    for y, system in enumerate(systems):
        for status in ("applies", "next", "if"):
            days = [date.fromisoformat(o["applies_from"]) for o in system["obligations"] if o["status"] == status]
            if days:
                ax.scatter(
                    days,  # type: ignore[arg-type]  # dates go through matplotlib's unit converters; the stubs say float
                    [y] * len(days),
                    s=40,
                    facecolors=colours[status],
                    edgecolors="#1f4e79",
                    label=STATUS_WORDS[status] if y == 0 else None,
                    zorder=3,
                )
    on = date.fromisoformat(result["on"])
    ax.axvline(on, color="#c00000", linewidth=1, label=f"on {result['on']}")  # type: ignore[arg-type]  # as above
    ax.set_yticks(range(len(systems)), [s["name"][:40] for s in systems], fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), loc="lower right", fontsize=7)
    ax.grid(axis="x", color="#eeeeee")
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]
