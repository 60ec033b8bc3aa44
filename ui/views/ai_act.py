"""AI Act: my AI systems. Upload or edit an inventory of AI systems (each with its roles, risk tier and facts); for a
day and a timeline, per system what applies now, what comes next and when, what applies only if a condition holds,
coverage from a chosen certificate, and the fine ceilings the Regulation sets."""

from datetime import date

import streamlit as st

from explorer import charts, detail, state
from explorer.text import md
from xwalk.core.errors import XwalkError

st.title("EU AI Act: my AI systems")
st.caption(
    "Regulation (EU) 2024/1689 and Regulation (EU) 2026/1744: © European Union, EUR-Lex. Fine ceilings are the maximum "
    "amounts the Regulation sets, never a prediction of a fine."
)
terms = state.ai_act_terms()
timelines = {t["key"]: t["label"] for t in terms["timeline"]}
default = next((t["key"] for t in terms["timeline"] if t["is_default"]), next(iter(timelines)))

left, right = st.columns([2, 1])
timeline = left.radio(
    "Timeline",
    list(timelines),
    index=list(timelines).index(default),
    format_func=lambda k: md(timelines[k]) + (" (the default)" if k == default else ""),
    key="ai_timeline",
)
on = right.date_input("On", value=date.today(), key="ai_on")

source = st.radio("Inventory", ["Example", "Upload", "Edit"], horizontal=True, key="ai_source")
example = state.example_inventory()
if source == "Upload":
    upload = st.file_uploader(
        "Your inventory (YAML, JSON, CSV or XLSX; one entry per AI system: name, roles, tier and facts)",
        type=["yaml", "yml", "json", "csv", "xlsx"],
        key="ai_upload",
    )
    if upload is None:
        st.info("Upload an inventory, or choose the example or the editor.")
        st.stop()
    name, data = upload.name, upload.getvalue()
elif source == "Edit":
    text = st.text_area("Inventory (YAML)", value=example.decode("utf-8"), height=320, key="ai_yaml")
    name, data = "inventory.yaml", text.encode("utf-8")
else:
    name, data = "ai-inventory.yaml", example

left, middle, right = st.columns(3)
certified = left.multiselect(
    "Certificates held (for coverage)", ["iso27001", "iso42001", "iso27701-2019", "iso27701-2025"], key="ai_certified"
)
sme = middle.checkbox("The organisation is an SME", key="ai_sme")
smc = right.checkbox("The organisation is a small mid-cap", key="ai_smc")
flags = tuple(k for k, v in (("sme", sme), ("smc", smc)) if v)

try:
    result = state.inventory_answer(name, data, on, timeline, tuple(certified), flags)
except XwalkError as error:
    st.error(md(str(error)))
    st.stop()

st.caption(md(f"{result['timeline']['label']}. Legal source: {result['timeline']['legal_source']}"))
systems = result["systems"]
columns = st.columns(4)
columns[0].metric("AI systems", len(systems))
columns[1].metric("Apply now", sum(o["status"] == "applies" for s in systems for o in s["obligations"]))
upcoming = sorted(o["applies_from"] for s in systems for o in s["obligations"] if o["status"] == "next")
columns[2].metric("Next date", upcoming[0] if upcoming else "none")
columns[3].metric("Apply only if", sum(o["status"] == "if" for s in systems for o in s["obligations"]))
st.plotly_chart(charts.systems_timeline(result), key="systems_timeline")

WORDS = {"applies": "applies now", "next": "coming", "if": "applies if"}
for system in systems:
    st.subheader(md(f"{system['name']} ({', '.join(system['roles'])}; tier {system['tier']})"))
    for role, s in system["roles_summary"].items():
        text = f"{role}: {s['applies']} apply now"
        text += f"; next on {s['next_date']}: {s['next_count']} more" if s["next_date"] else ""
        text += f"; {s['conditional']} apply only if a condition holds" if s["conditional"] else ""
        st.markdown(md(text))
    tables = (f"ai_system_{system['name']}", f"ai_exposure_{system['name']}")
    detail.opening_table(
        [
            {
                "status": WORDS[o["status"]],
                "provision": o["id"],
                "title": o["title"],
                "role": o["role"],
                "applies from": o["applies_from"],
                "date source": o["date_source"],
                "applies if": o["conditions"],
                "verdict": o.get("verdict", ""),
                "score": o.get("score"),
                "fine ceiling": (o["penalty"] or {}).get("ceiling", "Member State rules (Art. 99(1))"),
            }
            for o in system["obligations"]
        ],
        [o["iri"] for o in system["obligations"]],
        tables[0],
        "ai_detail",
    )
    if system["exposure"]:
        st.markdown("**Fine ceilings for what applies now and is not known to be covered** (not a prediction)")
        iri_of = {o["id"]: o["iri"] for o in system["obligations"]}
        detail.opening_table(
            [
                {"provision": e["id"], "role": e["role"], "ceiling": e["ceiling"], "article": e["article"]}
                for e in system["exposure"]
            ],
            [iri_of[e["id"]] for e in system["exposure"]],
            tables[1],
            "ai_detail",
        )
    detail.show("ai_detail", sources=tables)  # under the system whose table was picked in
st.download_button(
    "Download the report (HTML)",
    state.inventory_report(name, data, on, timeline, tuple(certified), flags),
    file_name="ai-act-obligations.html",
    key="ai_download",
)
