"""Coverage: a Statement of Applicability (uploaded, or an example) against a target; the summary with its bounds,
charts, every verdict with its evidence, the gap list, and the reports and draft ISO/IEC 42001 SoA to download."""

from datetime import date

import streamlit as st

from explorer import charts, detail, explain, plan_tab, state
from explorer.text import md
from xwalk.core.errors import XwalkError
from xwalk.present import reports
from xwalk.services.explore import UPLOAD_TYPES

st.title("Coverage")
st.caption(
    "How much of a target does a baseline already cover, and how much work is left? Provisions with requirement "
    "elements are scored from the element-level reuse, weighted by effort, the bounds from each judgement's stated "
    "tolerance; the others by the mapping formula (docs/coverage.md)."
)
names = state.standards()
terms = state.ai_act_terms()

settings = st.container(border=True, key="cov_settings")
baseline_column, target_column = settings.columns(2)
with baseline_column:
    st.markdown("**Baseline**")
    source = st.radio("Statement of Applicability", ["Example", "Upload"], horizontal=True, key="cov_source")
    examples = [p.name for p in state.example_files()]
    if source == "Example":
        full = "soa-27001-full.csv"
        example = st.selectbox(
            "Example",
            examples,
            index=examples.index(full) if full in examples else (0 if examples else None),
            key="cov_example",
        )
        upload = None
    else:
        example = None
        upload = st.file_uploader(
            "Your SoA (CSV or XLSX; JSON and YAML too)", type=list(UPLOAD_TYPES), key="cov_upload"
        )
    with st.expander("Reading the SoA"):
        sheet = st.text_input("Sheet", key="cov_sheet", help="Default: the first sheet holding an SoA table.")
        columns = st.text_input("Columns named by hand", key="cov_columns", placeholder='status="Our status",id=Ref')
        all_implemented = st.checkbox(
            "No status column: every applicable control listed is implemented", key="cov_all_implemented"
        )
    iso = [k for k in names if k != "eu-ai-act"]
    standard = st.selectbox(
        "Standard of the SoA's ids",
        iso,
        index=iso.index("iso27001"),
        format_func=names.get,
        key="cov_standard",
        help="Unless the file has a standard column.",
    )
    certified = st.multiselect("Also certified", iso, format_func=names.get, key="cov_certified")
    uncertified = st.checkbox(
        "The SoA's standard is not certified", key="cov_uncertified", help="Do not assume its clauses 4-10."
    )
with target_column:
    st.markdown("**Target**")
    target = st.selectbox("Target", list(state.TARGETS), format_func=lambda k: names.get(k, k), key="cov_target")
    role = tier = on = timeline = None
    if target == "eu-ai-act":
        role = st.selectbox("Role", [t["key"] for t in terms["role"]], key="cov_role")
        tiers = [t["key"] for t in terms["tier"]]
        tier = st.selectbox("Risk tier", tiers, index=tiers.index("high-risk"), key="cov_tier")
        timelines = {t["key"]: t["label"] for t in terms["timeline"]}
        default = next((t["key"] for t in terms["timeline"] if t["is_default"]), None)
        timeline = st.selectbox(
            "Timeline",
            list(timelines),
            index=list(timelines).index(default) if default else 0,
            format_func=timelines.get,
            key="cov_timeline",
        )
        on = st.date_input("On the day", value=date.today(), key="cov_on")
    with_derived = st.toggle("Count derived mappings", value=False, key="cov_derived")
    judged = st.file_uploader(
        "Organisation overrides (optional)",
        type=["csv", "yaml", "yml"],
        key="cov_overrides",
        help="Your own judgements on elements or mappings: accept, reject or a remaining share, with author, date "
        "and reason (docs/coverage.md). Every report lists each one applied.",
    )

if source == "Upload" and upload is None:
    st.info("Upload a Statement of Applicability above, or pick an example.")
    st.stop()
if source == "Example" and not example:
    st.info("No example baselines in this installation: upload a Statement of Applicability.")
    st.stop()

ask = state.Ask(
    name=example if upload is None else upload.name,
    data=None if upload is None else upload.getvalue(),
    standard=standard,
    certified=tuple(certified),
    assume_certified=not uncertified,
    target=target,
    role=role,
    tier=tier,
    on=on,
    timeline=timeline,
    with_derived=with_derived,
    sheet=sheet.strip() or None,
    columns=columns,
    all_implemented=all_implemented,
    overrides_name=judged.name if judged is not None else "",
    overrides_data=judged.getvalue() if judged is not None else None,
)
try:
    report = state.report(ask)
except XwalkError as error:
    first, *rest = str(error).splitlines()
    st.error(md(first) + "".join(f"\n- {md(line.strip())}" for line in rest), icon=":material/error:")
    st.stop()

summary = report.summary
explain.headline(report)
explain.context(report)
explain.how_computed()
explain.figures(report)

tab_charts, tab_verdicts, tab_gaps, tab_plan, tab_downloads = st.tabs(
    ["Charts", "Verdicts", "Gaps", "Plan", "Downloads"]
)

with tab_charts:
    left, right = st.columns([3, 2])
    with left:
        kind = st.radio("Chart", ["sunburst", "treemap"], horizontal=True, key="cov_tree_kind")
        st.plotly_chart(charts.coverage_tree(report, kind), key="coverage_tree")
    with right:
        st.plotly_chart(charts.verdict_counts(report), key="verdict_chart")
    st.markdown("**Per clause, objective or chapter**")
    st.plotly_chart(charts.coverage_bars(report), key="coverage_bars")
    st.dataframe(
        [
            {
                "group": g.name,
                "title": g.title,
                "provisions": g.provisions,
                "lower": g.lower,
                "estimate": g.estimate,
                "upper": g.upper,
                **g.verdicts,
            }
            for g in [*report.parts, *report.groups]
        ],
        hide_index=True,
        column_config={
            c: st.column_config.ProgressColumn(c, format="percent", min_value=0, max_value=1)
            for c in ("lower", "estimate", "upper")
        },
        key="groups_table",
    )

with tab_verdicts:
    verdict_filter = st.multiselect(
        "Verdicts", list(summary.verdicts), default=list(summary.verdicts), key="cov_verdict_filter"
    )
    shown = [v for v in report.provisions if v.verdict in verdict_filter]
    detail.strength_legend()
    st.caption("Select a row to see its evidence below and open the provision with its mappings.")
    row = detail.opening_table(
        [
            {
                "id": v.id,
                "title": v.title,
                "group": v.group,
                "verdict": v.verdict,
                "lower": v.lower,
                "score": v.score,
                "upper": v.upper,
                "evidence": len(v.evidence),
                "applies from": (v.obligation or {}).get("applies_from", ""),
            }
            for v in shown
        ],
        [detail.verdict_opens(v) for v in shown],
        "verdicts_table",
        "cov_verdict_detail",
        column_config={"score": st.column_config.ProgressColumn("score", format="percent", min_value=0, max_value=1)},
    )
    by_id = {v.id: v for v in report.provisions}
    if row is not None:  # the row picked shows its evidence, as if chosen in the box
        st.session_state["cov_evidence_for"] = shown[row].id
    chosen = st.selectbox(
        "Evidence for",
        list(by_id),
        format_func=lambda i: f"{i} — {by_id[i].title} ({by_id[i].verdict})",
        key="cov_evidence_for",
    )
    verdict = by_id[chosen]
    if verdict.obligation:
        st.caption(
            md(
                f"Applies to a {verdict.obligation['role']} from {verdict.obligation['applies_from']} "
                f"({verdict.obligation['date_source']}); {verdict.obligation.get('note') or ''}"
            )
        )
    if not verdict.evidence:
        st.info(
            "No evidence: no held provision with a weight above 0 maps to this provision."
            if verdict.verdict == "new"
            else "No evidence, and no reviewed mapping between this provision and the baseline's standards."
        )
    else:
        detail.opening_table(
            [
                {
                    "held": f"{e.held_standard} {e.held_id}",
                    "status": e.held_status,
                    "reads": f"{verdict.id} {e.relation} {e.held_id}",
                    "strength": e.strength,
                    "derived": e.derived,
                    "rationale": e.rationale,
                    "chain": " then ".join(
                        f"{s['subject_key']} {s['subject_id']} {s['relation']} {s['object_key']} {s['object_id']}"
                        for s in e.chain
                    ),
                }
                for e in verdict.evidence
            ],
            [(e.held, e.mapping) for e in verdict.evidence],
            "evidence_table",
            "cov_verdict_detail",
        )
    detail.show("cov_verdict_detail")

with tab_gaps:
    open_items = report.gaps()
    st.caption(md(f"{len(open_items)} provisions not certainly covered, worst first, with what partly helps."))
    detail.opening_table(
        [
            {
                "id": v.id,
                "title": v.title,
                "verdict": v.verdict,
                "score": v.score,
                "what partly helps": reports.evidence_text(v),
            }
            for v in open_items
        ],
        [detail.verdict_opens(v) for v in open_items],
        "gaps_table",
        "cov_gaps_detail",
    )
    detail.show("cov_gaps_detail")

with tab_plan:
    plan_tab.show(ask)

with tab_downloads:
    stem = f"coverage-{report.target['standard']}"
    kinds = [
        ("HTML report", "html", "text/html"),
        ("XLSX workbook", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("CSV table", "csv", "text/csv"),
        ("JSON (full report)", "json", "application/json"),
    ]
    st.markdown("**Coverage report**")
    buttons = st.columns(len(kinds))
    for column, (title, fmt, mime) in zip(buttons, kinds, strict=True):
        column.download_button(
            title,
            data=lambda fmt=fmt: state.rendered(ask, fmt),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            on_click="ignore",
            key=f"download_{fmt}",
        )
    st.markdown("**Draft ISO/IEC 42001 Statement of Applicability**")
    st.caption("All Annex A controls with suggested applicability and status, the reused controls and the reasoning.")
    buttons = st.columns(len(kinds))
    for column, (title, fmt, mime) in zip(buttons, kinds[1:3], strict=False):
        column.download_button(
            title,
            data=lambda fmt=fmt: state.draft(ask, fmt),
            file_name=f"draft-soa-iso42001.{fmt}",
            mime=mime,
            on_click="ignore",
            key=f"draft_{fmt}",
        )
    with st.expander("Preview the draft"):
        rows = state.draft_rows(ask)
        controls = state.iris("iso42001")
        detail.opening_table([vars(r) for r in rows], [controls[r.control] for r in rows], "draft_table", "cov_draft")
        detail.show("cov_draft")
