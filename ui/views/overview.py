"""Overview: the standards and their sizes, and the crosswalk as a matrix that drills down to its mappings."""

import streamlit as st

from explorer import charts, state
from explorer.text import md
from xwalk.services.stats import RELATION_ORDER, crosswalk_matrix

st.title("xwalk: the crosswalk at a glance")
st.caption(
    "A knowledge graph of ISO/IEC 42001, 27001, 27701, 23894 and the EU AI Act, with typed mappings (NIST IR 8477 "
    "relations) between their provisions."
)

rows = state.catalog_stats()
counts = state.mapping_counts()
curated = sum(r["count"] for r in counts if not r["derived"])
derived = sum(r["count"] for r in counts if r["derived"])
columns = st.columns(4)
columns[0].metric("Standards", len(rows))
columns[1].metric("Provisions", sum(r.provisions for r in rows))
columns[2].metric("Curated mappings", curated)
columns[3].metric("Derived mappings", derived, help="Composed from two curated mappings (xwalk infer).")

st.subheader("Standards")
left, right = st.columns(2)
kinds = sorted({kind for r in rows for kind in r.kinds})
left.dataframe(
    [
        {"standard": r.identifier, "key": r.key, "provisions": r.provisions, **{k: r.kinds.get(k, 0) for k in kinds}}
        for r in rows
    ],
    hide_index=True,
    key="standards_table",
)
right.plotly_chart(charts.sizes(rows), key="sizes_chart")

st.subheader("Crosswalk matrix")
include_derived = st.toggle("Include derived mappings", value=False, key="overview_derived")
matrix = crosswalk_matrix(counts, with_derived=include_derived).cells
names = state.standards()


def _cell_clicked() -> None:
    """A click on a cell selects its pair and relation in the boxes below."""
    points = st.session_state["crosswalk_chart"].selection.points
    if points and points[0].get("customdata"):
        st.session_state["overview_pair"] = tuple(points[0]["customdata"].split("|"))
        st.session_state["overview_relation"] = points[0].get("x", "all")


st.plotly_chart(
    charts.crosswalk(matrix, names), key="crosswalk_chart", on_select=_cell_clicked, selection_mode="points"
)
pairs = sorted(matrix)
st.markdown("**Mappings behind a cell**")
left, right = st.columns(2)
pair = left.selectbox(
    "Pair of editions",
    pairs,
    format_func=lambda p: f"{names.get(p[0], p[0])} → {names.get(p[1], p[1])}",
    key="overview_pair",
)
relation = right.selectbox("Relation", ["all", *RELATION_ORDER], key="overview_relation")
if pair:
    found = [
        m
        for m in state.pair_mappings(*pair)
        if (include_derived or not m["derived"]) and relation in ("all", m["relation"])
    ]
    st.caption(
        md(f"{len(found)} mappings from {names.get(pair[0], pair[0])} to {names.get(pair[1], pair[1])}")
        + (f" with relation {md(relation)}" if relation != "all" else "")
    )
    st.dataframe(
        [
            {
                "subject": m["subject_id"],
                "subject title": m["subject_title"],
                "relation": m["relation"],
                "object": m["object_id"],
                "object title": m["object_title"],
                "strength": m["strength"],
                "derived": m["derived"],
                "rationale": m["rationale"],
            }
            for m in found
        ],
        hide_index=True,
        key="cell_table",
    )
