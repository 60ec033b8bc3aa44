"""Helpers of the xwalk explorer (the Streamlit app in ui/): the engine loaded once per process, cached answers,
plotly figures and safe text. Only ui/ imports Streamlit."""
