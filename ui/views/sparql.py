"""SPARQL: an editor (highlighting and prefix completion: explorer.editor) with the example queries, the answer
as a table (the first rows; the downloads hold every row) in the time it took, errors with their line and column,
and downloads in the W3C formats. Queries run in the bounded query workers (explorer.state.query_pool), never in
this process: a time limit, an answer size limit, a memory limit, no federation; the Stop button (or leaving the
page) kills the worker."""

import concurrent.futures
import time

import streamlit as st

from explorer import editor, state
from explorer.text import md
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import PREFIXES
from xwalk.services import explore
from xwalk.store import result_of

SHOWN = 5000  # rows drawn in the table; the downloads hold every row

st.title("SPARQL")
st.caption(
    md(
        "Prefixes predeclared: "
        + ", ".join(f"{k}:" for k in PREFIXES)
        + ". The graph is read-only; queries run with a time limit and cannot call other endpoints (SERVICE)."
    )
)
examples = {e.name: e for e in explore.examples()}


def _example_picked() -> None:
    name = st.session_state.get("sparql_example")
    if name in examples:
        st.session_state["sparql_text"] = st.session_state["sparql_loaded"] = examples[name].text


def _stop() -> None:
    """Runs before the rerun the click starts: the running query is abandoned (its worker killed) and not rerun."""
    st.session_state.pop("sparql_ran", None)
    st.session_state["sparql_stopped"] = True


def _time_limit() -> float:
    return state.settings().query_timeout


def _answer(text: str):
    """Run `text` in a query worker, showing the time it has taken; a Stop click or a closed tab interrupts this
    script (Streamlit raises at the next element update), and the `finally` then cancels the query."""
    future = state.query_pool().submit(text, ["json"], ["nt"], _time_limit())
    started = time.monotonic()
    progress = st.empty()
    stop = st.empty()
    stop.button("Stop", key="sparql_stop", on_click=_stop)
    try:
        while True:
            try:
                answer = future.result(timeout=0.25)
                break
            except concurrent.futures.TimeoutError:
                progress.caption(f"Running… {time.monotonic() - started:.1f} s")
    finally:
        if not future.done():
            future.cancel()  # the pool kills the worker answering for nobody
        progress.empty()
        stop.empty()
    return result_of(answer.format, answer.body), time.monotonic() - started


def _download(text: str, fmt: str) -> bytes:
    try:
        return state.query_pool().submit(text, [fmt], [fmt], _time_limit()).result().body
    except XwalkError as error:
        return str(error).encode()


if "sparql_text" not in st.session_state:
    st.session_state["sparql_text"] = (
        next(iter(examples.values())).text if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    )
    st.session_state["sparql_loaded"] = st.session_state["sparql_text"]
st.selectbox(
    "Example queries",
    list(examples),
    index=None,
    format_func=lambda n: examples[n].title,
    placeholder="Pick an example to load it into the editor",
    key="sparql_example",
    on_change=_example_picked,
)
with st.expander("Predeclared prefixes (Ctrl+Space in the editor completes them)"):
    st.markdown("\n".join(f"- `{k}:` `{v}`" for k, v in PREFIXES.items()))
submitted = editor.changes(
    editor.editor(st.session_state["sparql_loaded"], "sparql_editor"), "sparql_text", "sparql_seen"
)
st.caption("Ctrl+Enter or Run runs the query.")
ran = st.button("Run", type="primary", key="sparql_run") or submitted
if ran:
    st.session_state["sparql_ran"] = st.session_state["sparql_text"]
    st.session_state.pop("sparql_answer", None)
    st.session_state.pop("sparql_stopped", None)

if st.session_state.pop("sparql_stopped", False):
    st.info("The query was stopped.")
text = st.session_state.get("sparql_ran")
if text:
    kept = st.session_state.get("sparql_answer")
    if kept is None or kept[0] != text:
        try:
            result, seconds = _answer(text)
        except XwalkError as error:
            first, *where = str(error).splitlines()
            st.error(md(first), icon=":material/error:")
            if where:  # the line of the query and a caret under the spot
                st.code("\n".join(where), language=None)
            st.stop()
        except Exception as error:  # the engine failed on a valid query (as the API's workers report it)
            st.error(md(f"the query could not be evaluated: {error}"))
            st.stop()
        st.session_state["sparql_answer"] = kept = (text, result, seconds)
    _, result, seconds = kept
    if result.kind == "ask":
        st.metric("ASK", "true" if result.boolean else "false")
        st.caption(f"answered in {seconds:.2f} s")
    else:
        st.caption(
            f"{len(result.rows)} rows in {seconds:.2f} s"
            + (f"; the first {SHOWN} are shown" if len(result.rows) > SHOWN else "")
        )
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
            data=lambda fmt=fmt: _download(text, fmt),
            file_name=f"query.{fmt}",
            mime=mime,
            on_click="ignore",
            key=f"sparql_download_{fmt}",
        )
