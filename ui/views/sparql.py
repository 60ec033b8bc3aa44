"""SPARQL: an editor with the example queries, the answer as a table, and downloads in the W3C formats."""

import streamlit as st

from explorer import state
from explorer.text import md
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import PREFIXES
from xwalk.services import explore

SHOWN = 5000  # rows drawn in the table; the downloads hold every row

st.title("SPARQL")
st.caption(md("Prefixes predeclared: " + ", ".join(f"{k}:" for k in PREFIXES) + ". The graph is read-only."))
examples = {e.name: e for e in explore.examples()}


def _example_picked() -> None:
    name = st.session_state.get("sparql_example")
    if name in examples:
        st.session_state["sparql_text"] = examples[name].text


if "sparql_text" not in st.session_state:
    st.session_state["sparql_text"] = (
        next(iter(examples.values())).text if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    )
st.selectbox(
    "Example queries",
    list(examples),
    index=None,
    format_func=lambda n: examples[n].title,
    placeholder="Pick an example to load it into the editor",
    key="sparql_example",
    on_change=_example_picked,
)
with st.form("sparql_form"):
    st.text_area("Query", key="sparql_text", height=260)
    ran = st.form_submit_button("Run", type="primary")
if ran:
    st.session_state["sparql_ran"] = st.session_state["sparql_text"]

text = st.session_state.get("sparql_ran")
if text:
    store = state.catalog().store
    try:
        result = store.query(text)
    except XwalkError as error:
        st.error(md(error))
        st.stop()
    except Exception as error:  # the engine failed on a valid query (as the API's workers report it)
        st.error(md(f"the query could not be evaluated: {error}"))
        st.stop()
    if result.kind == "ask":
        st.metric("ASK", "true" if result.boolean else "false")
    else:
        st.caption(f"{len(result.rows)} rows" + (f"; the first {SHOWN} are shown" if len(result.rows) > SHOWN else ""))
        st.dataframe(
            [dict(zip(result.variables, row, strict=True)) for row in result.rows[:SHOWN]],
            hide_index=True,
            key="sparql_table",
        )
    formats = [("CSV", "csv", "text/csv"), ("JSON", "json", "application/sparql-results+json")]
    if result.kind == "graph":
        formats = [("Turtle", "ttl", "text/turtle"), ("N-Triples", "nt", "application/n-triples")]
    columns = st.columns(len(formats) + 2)
    for column, (title, fmt, mime) in zip(columns, formats, strict=False):
        column.download_button(
            f"Download {title}",
            data=lambda fmt=fmt: store.query_as(text, fmt),
            file_name=f"query.{fmt}",
            mime=mime,
            on_click="ignore",
            key=f"sparql_download_{fmt}",
        )
