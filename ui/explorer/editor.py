"""The SPARQL editor: Ace (through the `streamlit-code-editor` component, served from the package: nothing from a
CDN) with SPARQL highlighting, completion of the predeclared prefixes (Ctrl+Space), a Run button and Ctrl+Enter.
The text the user edits comes back on each pause in typing and on Run; `changes` turns the component's answers
into the session's query text and a run request."""

import streamlit as st
from code_editor import code_editor

from xwalk.core.vocab import PREFIXES

THEME = "chrome"  # an Ace theme of the bundle: the component's own themes import a web font from the internet
PAUSE_MS = 400  # the text comes back after this pause in typing
RUN_BUTTON = {
    "name": "Run",
    "feather": "Play",
    "primary": True,
    "hasText": True,
    "showWithIcon": True,
    "alwaysOn": True,
    "commands": ["submit"],
    "style": {"bottom": "0.4rem", "right": "0.4rem"},
}


def completions() -> list[dict]:
    """Every predeclared prefix as a completion (`xw:`), and its declaration (`PREFIX xw: <...>`)."""
    found = []
    for prefix, namespace in PREFIXES.items():
        found.append({"caption": f"{prefix}:", "value": f"{prefix}:", "meta": namespace, "name": prefix, "score": 500})
        declaration = f"PREFIX {prefix}: <{namespace}>"
        found.append({"caption": declaration, "value": declaration, "meta": "prefix", "name": prefix, "score": 400})
    return found


def editor(loaded: str, key: str) -> dict:
    """The editor showing `loaded` (set again whenever `loaded` changes, as when an example is picked)."""
    return code_editor(
        loaded,
        lang="sparql",
        height=[12, 30],
        allow_reset=True,
        response_mode="debounce",
        buttons=[RUN_BUTTON],
        completions=completions(),
        options={"showLineNumbers": True, "enableBasicAutocompletion": True, "enableLiveAutocompletion": False},
        props={"theme": THEME, "debounceChangePeriod": PAUSE_MS},
        key=key,
    )


def changes(response: dict | None, text_key: str, seen_key: str) -> bool:
    """Copy a new answer of the editor into st.session_state[text_key]; True when it asks to run (Run, Ctrl+Enter).
    Each answer carries a fresh id: one already seen (kept under `seen_key`) is an old answer replayed by a rerun."""
    if not response or not response.get("id") or response["id"] == st.session_state.get(seen_key):
        return False
    st.session_state[seen_key] = response["id"]
    st.session_state[text_key] = response.get("text", "")
    return response.get("type") == "submit"
