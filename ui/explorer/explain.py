"""The explained answer of the Coverage page, in parts the page calls one by one: the headline in words (what is
done, what to extend, what is new) before any percentage, the "How this is computed" panel with the formula page,
the warnings in one list, and the figures in a grid that wraps on a phone."""

import streamlit as st

from explorer import detail
from explorer.text import md
from xwalk.core import paths
from xwalk.present import reports
from xwalk.services.coverage import Report

FORMULA_PAGE = paths.ROOT / "docs" / "coverage.md"


def plain_words(report: Report) -> str:
    """What is done, what to extend and what is new: in effort (person-days) where the target has requirement
    elements, then in provisions of the target."""
    counts = report.summary.verdicts
    target = md(report.target["identifier"])
    provisions = [
        f"**{counts.get('done', 0)}** already done",
        f"**{counts.get('extend', 0)}** to extend (every part reuses something you hold)",
        f"**{counts.get('partial', 0)}** partly helped (some parts reuse something)",
        f"**{counts.get('new', 0)}** new work (nothing you hold helps)",
    ]
    if counts.get("not reviewed"):
        provisions.append(f"**{counts['not reviewed']}** not yet reviewed by a curator")
    words = f"Of the {report.summary.provisions} provisions of {target}: " + "; ".join(provisions) + "."
    if report.summary.weighting != "effort":
        return words
    effort = report.effort
    done = sum(e.effort for e in report.elements if e.mode == "done")  # the three parts add up to the total
    extend = [e for e in report.elements if e.mode == "extend"]
    new = sum(e.effort for e in report.elements if e.mode in ("new", "not reviewed"))
    days = (
        f"Of the **{effort['total']:g}** person-days {target} takes on the default effort scale: **{done:.1f}** "
        f"already done by what you hold; **{sum(e.effort for e in extend):.1f}** to extend from what you hold "
        f"(**{sum(e.remaining for e in extend):.1f}** of them still to do); **{new:.1f}** new work."
    )
    return days + "\n\n" + words


def headline(report: Report) -> None:
    st.markdown(plain_words(report), help="Verdicts per provision; the percentages below weigh them.")
    st.caption(md(reports.headline(report)))


def context(report: Report) -> None:
    """The report's context lines as captions, and its warnings collapsed in one expandable list."""
    lines = reports.context_lines(report)
    for line in lines:
        if not line.startswith("warning: "):
            st.caption(md(line))
    warnings = [line.removeprefix("warning: ") for line in lines if line.startswith("warning: ")]
    if warnings:
        with st.expander(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} about this baseline", icon="⚠️"):
            st.markdown("\n".join(f"- {md(w)}" for w in warnings))


def how_computed() -> None:
    with st.expander("How this is computed", icon=":material/functions:"):
        st.markdown(
            "Where a target provision is split into requirement elements (ISO/IEC 42001), each element has an effort "
            "in person-days and the reviewers' judgement of what each held provision does for it: **done**, or "
            "**extend** with the share of the effort that remains and a tolerance. The **estimate** takes every "
            "judgement as stated, the **lower** and **upper bound** take each at the pessimistic and optimistic end "
            "of its tolerance; the figures weigh the elements by effort. Elsewhere each provision is one unit, "
            "scored from the mappings between it and what the baseline holds, weighted by the mapping's strength."
        )
        detail.strength_legend()
        if FORMULA_PAGE.is_file():
            st.markdown("**The formula page** (`docs/coverage.md`), with its worked example:")
            with st.container(height=320, key="cov_formula"):
                st.markdown(FORMULA_PAGE.read_text("utf-8"))


def figures(report: Report) -> None:
    """The bounds and the verdict counts as metrics in horizontal containers: they wrap into a grid on a phone."""
    summary = report.summary
    lower_help, upper_help = reports.BOUND_HELP[summary.weighting]
    grid = st.container(horizontal=True, key="cov_figures")
    grid.metric("Estimate", reports.pct(summary.estimate), help="The point estimate of the share already covered.")
    grid.metric("Lower bound", reports.pct(summary.lower), help=lower_help)
    grid.metric("Upper bound", reports.pct(summary.upper), help=upper_help)
    grid.metric("Provisions", summary.provisions)
    counts = st.container(horizontal=True, key="cov_counts")
    for verdict, n in summary.verdicts.items():
        counts.metric(verdict.capitalize(), n)
    counts.metric(
        "Work done",
        f"{report.effort['done_estimate']:g} of {report.effort['total']:g} {report.effort['unit']}s",
        help="Work already done, estimated (see How this is computed, docs/coverage.md and docs/effort-model.md).",
    )
