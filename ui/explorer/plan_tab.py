"""The Plan tab of the coverage page: the work plan (services.plan) of the asked baseline against ISO/IEC 42001,
its tasks in dependency order grouped by phase, the effort by phase, and what to implement next. The numbers come
from the engine; this module only lays them out."""

import plotly.graph_objects as go
import streamlit as st

from explorer import detail, state
from explorer.text import md
from xwalk.core.errors import XwalkError
from xwalk.present import plan_reports
from xwalk.services import plan
from xwalk.services.profile import WORDS, Profile

CHOICES = {"unknown": None, "yes": True, "no": False}


def _target(ask: state.Ask) -> state.Ask:
    """The ask against the plan's target (the page may ask coverage of another)."""
    return ask._replace(target="iso42001", role=None, tier=None, on=None, timeline=None)


@st.cache_data(show_spinner="Drawing up the plan…", max_entries=32)
def plan_of(ask: state.Ask, profile: Profile) -> plan.Plan:
    held, judged = state.inputs(_target(ask))
    return plan.from_report(state.catalog(), held, state.report(_target(ask)), profile, judged)


def held_iri(step: plan.NextStep) -> str:
    """The baseline control a next step names ("ISO/IEC 27001:2022 A.5.23")."""
    keys = {identifier: key for key, identifier in state.standards().items()}
    return state.iris(keys[step.held.removesuffix(f" {step.held_id}")])[step.held_id]


def phase_chart(drawn: plan.Plan) -> go.Figure:
    """Remaining person-days by phase: the estimate, with the bounds as error bars."""
    phases = drawn.phases
    estimate = [p["remaining"]["estimate"] for p in phases]
    figure = go.Figure(
        go.Bar(
            x=[p["phase"] for p in phases],
            y=estimate,
            marker_color="#5b9bd5",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [p["remaining"]["upper"] - e for p, e in zip(phases, estimate, strict=True)],
                "arrayminus": [e - p["remaining"]["lower"] for p, e in zip(phases, estimate, strict=True)],
            },
        )
    )
    figure.update_layout(height=320, margin={"t": 30, "b": 30}, yaxis_title="person-days remaining")
    return figure


def show(ask: state.Ask) -> None:
    st.caption(
        "The work left to meet ISO/IEC 42001 with this baseline: one task per requirement element not done, in an "
        "order where nothing comes before what it depends on, grouped by PDCA phase. Effort in person-days on the "
        "default scale of docs/effort-model.md, with the bounds of the reuse judgements."
    )
    columns = st.columns(len(WORDS))
    flags = {
        flag: CHOICES[column.selectbox(words[0].upper() + words[1:], list(CHOICES), key=f"plan_{flag}")]
        for column, (flag, words) in zip(columns, WORDS.items(), strict=True)
    }
    try:
        drawn = plan_of(ask, Profile(**flags))
    except XwalkError as error:
        st.error(md(str(error)), icon=":material/error:")
        return
    totals = drawn.totals
    st.markdown(f"**{md(plan_reports.headline(drawn))}**")
    st.caption(md(plan_reports.claim_line(drawn)))
    figures = st.columns(4)
    figures[0].metric("Certainly done", f"{totals['done']:g} d")
    figures[1].metric("Saved by the baseline", f"{totals['saved']['estimate']:g} d")
    figures[2].metric(
        "Remaining",
        f"{totals['remaining']['estimate']:g} d",
        help=f"{totals['remaining']['lower']:g} to {totals['remaining']['upper']:g} person-days",
    )
    figures[3].metric("Tasks", len(drawn.tasks))
    st.plotly_chart(phase_chart(drawn), key="plan_phase_chart")
    tables(ask, drawn)
    detail.show("plan_detail")
    downloads = (
        ("Plan (CSV for a tracker)", "csv", "text/csv"),
        ("Plan (XLSX)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Plan (HTML report)", "html", "text/html"),
    )
    for column, (title, fmt, mime) in zip(st.columns(len(downloads)), downloads, strict=True):
        column.download_button(
            title,
            data=lambda fmt=fmt: _file(plan_of(ask, Profile(**flags)), fmt),
            file_name=f"plan-iso42001.{fmt}",
            mime=mime,
            on_click="ignore",
            key=f"plan_{fmt}",
        )


def tables(ask: state.Ask, drawn: plan.Plan) -> None:
    """The tasks and the baseline controls to implement next, each row opening its provision in the panel below
    (a task's with its provision's strongest evidence first)."""
    st.caption("Select a task, or a control to implement next, to open its provision with its mappings.")
    controls = state.iris(drawn.target["standard"])
    first = dict(detail.verdict_opens(v) for v in state.report(_target(ask)).provisions)
    detail.opening_table(
        [
            {
                "order": number,
                "phase": t.phase,
                "task": t.id,
                "what to do": t.what,
                "days": t.effort["remaining"],
                "after": ", ".join(t.depends_on),
                "reuse": t.reuse,
            }
            for number, t in enumerate(drawn.tasks, start=1)
        ],
        [(controls[t.provision], first.get(controls[t.provision])) for t in drawn.tasks],
        "plan_tasks",
        "plan_detail",
    )
    for excluded in drawn.excluded:
        st.caption(md(f"Not applicable: {excluded['control']} {excluded['title']}: {excluded['reason']}"))
    st.markdown("**What to implement next**")
    if drawn.next:
        detail.opening_table(
            [
                {"control": s.held, "title": s.title, "status": s.status, "saves (days)": s.gain["estimate"]}
                for s in drawn.next
            ],
            [held_iri(s) for s in drawn.next],
            "plan_next",
            "plan_detail",
        )
    else:
        st.caption("Nothing: every baseline control that helps is implemented.")


def _file(drawn: plan.Plan, fmt: str) -> bytes:
    content = plan_reports.render(drawn, fmt)
    return content if isinstance(content, bytes) else content.encode("utf-8")
