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
        row = detail.opening_table(
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
            [h.iri for h in hits],
            "browse_results",
            None,  # the page's own focus, which the Graph page and the panel's buttons also set
        )
        if row is not None:
            st.session_state[state.FOCUS] = hits[row].iri

focus = st.session_state.setdefault(state.FOCUS, state.DEFAULT_FOCUS)
st.divider()
detail.panel(focus, "browse", on_browse=True)
st.page_link("views/graph.py", label="See this provision's neighbourhood as a graph", icon=":material/hub:")
