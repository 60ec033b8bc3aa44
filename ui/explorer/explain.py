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
    """What is done, what to extend and what is new, counted in provisions of the target."""
    counts = report.summary.verdicts
    target = report.target["identifier"]
    parts = [
        f"**{counts.get('covered', 0)}** already done (a held provision contains them)",
        f"**{counts.get('partial', 0)}** to extend (something you hold helps)",
        f"**{counts.get('gap', 0)}** new work (nothing you hold helps)",
    ]
    if counts.get("not reviewed"):
        parts.append(f"**{counts['not reviewed']}** not yet reviewed by a curator")
    return f"Of the {report.summary.provisions} provisions of {md(target)}: " + "; ".join(parts) + "."


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
            "Each target provision gets three scores from the mappings between it and what the baseline holds: the "
            "**lower bound** counts only held provisions that contain it (an *equal* or *subset of* mapping) and "
            "are implemented; the **estimate** also gives partial credit for overlapping ones, weighted by the "
            "mapping's strength out of 10; the **upper bound** counts every provision with any evidence as covered. "
            "The figures are the means over the target's provisions."
        )
        detail.strength_legend()
        if FORMULA_PAGE.is_file():
            st.markdown("**The formula page** (`docs/coverage.md`), with its worked example:")
            with st.container(height=320, key="cov_formula"):
                st.markdown(FORMULA_PAGE.read_text("utf-8"))


def figures(report: Report) -> None:
    """The bounds and the verdict counts as metrics in horizontal containers: they wrap into a grid on a phone."""
    summary = report.summary
    grid = st.container(horizontal=True, key="cov_figures")
    grid.metric("Estimate", reports.pct(summary.estimate), help="The point estimate of the share already covered.")
    grid.metric("Lower bound", reports.pct(summary.lower), help="Only what is certainly covered.")
    grid.metric("Upper bound", reports.pct(summary.upper), help="Everything with any evidence counted as covered.")
    grid.metric("Provisions", summary.provisions)
    counts = st.container(horizontal=True, key="cov_counts")
    for verdict, n in summary.verdicts.items():
        counts.metric(verdict.capitalize(), n)
    counts.metric(
        "Work done",
        f"{report.effort['done_estimate']:g} of {report.effort['units']}",
        help="Units of work already done (one unit per target provision; see How this is computed).",
    )
