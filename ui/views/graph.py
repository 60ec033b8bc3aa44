"""Graph: a provision's neighbourhood as an interactive network: the provisions mapped to it, its parents, and
derived mappings drawn dotted. A click on a node opens it."""

import streamlit as st

from explorer import charts, detail, state
from explorer.text import md

st.title("Graph")
names = state.standards()


def _clicked() -> None:
    points = st.session_state["network_chart"].selection.points
    iri = points[0].get("customdata") if points else None
    if isinstance(iri, str) and iri.startswith("https://w3id.org/xwalk/id/"):
        st.session_state[state.FOCUS] = iri


def _searched() -> None:
    hits = state.find(st.session_state.get("graph_query", ""), None)
    if hits:
        st.session_state[state.FOCUS] = hits[0].iri


st.session_state.setdefault(state.FOCUS, state.DEFAULT_FOCUS)
left, middle, right = st.columns([2, 1, 1])
left.text_input(
    "Provision (id or words; the first match opens)",
    key="graph_query",
    placeholder="A.6.2.8, Art. 12, 5.15",
    on_change=_searched,
)
depth = middle.radio("Mappings away", [1, 2], horizontal=True, key="graph_depth")
with right:
    with_derived = st.toggle("Derived mappings", value=True, key="graph_derived")
    with_parents = st.toggle("Parents", value=True, key="graph_parents")
if st.session_state.get("graph_query", "").strip() and not state.find(st.session_state["graph_query"], None):
    st.warning(f"No provision matches {md(st.session_state['graph_query'])}; still showing the one below.")

focus = st.session_state[state.FOCUS]
provision = state.provision(focus)
graph = state.neighbourhood(focus, depth, with_derived, with_parents)
st.subheader(md(f"{provision.identifier} {provision.notation} — {provision.title}"))
mapped = [n for n in graph.nodes if n.role in ("mapped", "further")]
derived = sum(1 for e in graph.edges if e.derived)
st.caption(
    md(
        f"{len(mapped)} mapped provisions, {sum(1 for n in graph.nodes if n.role == 'parent')} parents, "
        f"{sum(1 for e in graph.edges if e.kind == 'mapping')} mappings of which {derived} derived (dotted). "
        "Drag to pan, scroll to zoom, hover for details; click a node to open it."
    )
)
st.plotly_chart(
    charts.network(graph, names), key="network_chart", on_select=_clicked, selection_mode="points", config={}
)
with st.expander("Nodes as a table (select a row for its details)"):
    detail.opening_table(
        [
            {"standard": names.get(n.standard, n.standard), "id": n.notation, "title": n.title, "role": n.role}
            for n in graph.nodes
        ],
        [n.iri for n in graph.nodes],
        "nodes_table",
        "graph_detail",
    )
detail.show("graph_detail")
st.page_link("views/browse.py", label="Open this provision's mappings and rationales", icon=":material/search:")
