"""The xwalk explorer: `streamlit run ui/app.py`. One process loads the engine once (explorer.state); each page lays
out the answers of the engine's services."""

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # `streamlit run` adds it; AppTest and other runners may not
    sys.path.insert(0, str(HERE))

# No page icons: the browser tab's icon of a material symbol is fetched from a font CDN, and the explorer makes no
# call outside this machine (the test of each page checks it).
st.set_page_config(page_title="xwalk explorer", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Overview", default=True),
    st.Page("views/browse.py", title="Browse and search", url_path="browse"),
    st.Page("views/graph.py", title="Graph", url_path="graph"),
    st.Page("views/coverage.py", title="Coverage", url_path="coverage"),
    st.Page("views/ai_act.py", title="AI Act", url_path="ai-act"),
    st.Page("views/sparql.py", title="SPARQL", url_path="sparql"),
]

st.navigation(PAGES).run()
st.sidebar.caption(
    "ISO/IEC provisions appear as identifiers and short titles only. EU AI Act: © European Union, EUR-Lex, "
    "CELEX 32024R1689."
)
