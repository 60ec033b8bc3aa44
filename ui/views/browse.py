"""Browse and search: find a provision by id or words (the engine's ranked search over ids, titles, texts and
mapping rationales), select a row to open it, see its place in its standard and its mappings in both directions,
and follow a mapping to the other side."""

import streamlit as st

from explorer import detail, state
from explorer.text import md

st.title("Browse and search")
names = state.standards()
FOUND_IN = {"id": "its id", "title": "its title", "text": "its text", "rationale": "a mapping's rationale"}


left, right = st.columns([3, 1])
text = left.text_input(
    "Find a provision by id or words",
    key="browse_query",
    placeholder="A 5.15, Art. 9(2), 6.1.4, logging, FRIA",
)
standard = right.selectbox(
    "In", [None, *names], format_func=lambda k: "every standard" if k is None else names[k], key="browse_standard"
)
if text.strip():
    hits = state.find(text, standard)
    if not hits:
        st.info(f"No provision matches {md(text)}. Try an id such as A.5.15 or Art. 9, or fewer words.")
    else:
        st.caption(
            md(f"{len(hits)} matches, best first" + (" (the first 50)" if len(hits) == 50 else ""))
            + ". Select a row to open the provision."
        )
        st.dataframe(
            [
                {
                    "standard": h.identifier,
                    "id": h.id,
                    "title": h.title,
                    "found in": ", ".join(FOUND_IN[f] for f in h.found_in),
                    "context": h.context,
                }
                for h in hits
            ],
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            key="browse_results",
        )
        row = detail.selected_row("browse_results")
        picked = (text, standard, row)
        if row is not None and row < len(hits) and st.session_state.get("browse_picked") != picked:
            st.session_state["browse_picked"] = picked  # a new selection opens its row once; later clicks elsewhere win
            st.session_state[state.FOCUS] = hits[row].iri
            st.session_state.pop("browse_mappings", None)

focus = st.session_state.setdefault(state.FOCUS, state.DEFAULT_FOCUS)
st.divider()
detail.panel(focus, "browse", on_browse=True)
st.page_link("views/graph.py", label="See this provision's neighbourhood as a graph", icon=":material/hub:")
