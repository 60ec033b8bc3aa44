"""AI Act: the obligations by operator role and risk tier, on a timeline of their application dates."""

from datetime import date

import streamlit as st

from explorer import charts, state
from explorer.text import md

st.title("EU AI Act obligations")
st.caption("Regulation (EU) 2024/1689: © European Union, EUR-Lex, CELEX 32024R1689. Application dates per Art. 113.")
terms = state.ai_act_terms()
timelines = {t["key"]: t["label"] for t in terms["timeline"]}
default = next((t["key"] for t in terms["timeline"] if t["is_default"]), next(iter(timelines)))
roles = [t["key"] for t in terms["role"]]
tiers = [t["key"] for t in terms["tier"]]

timeline = st.radio(
    "Timeline",
    list(timelines),
    index=list(timelines).index(default),
    format_func=lambda k: md(timelines[k]) + (" (the default)" if k == default else ""),
    horizontal=True,
    key="ai_timeline",
)
schedule = state.obligation_schedule(timeline)
left, right = st.columns(2)
chosen_roles = left.multiselect("Roles", roles, default=roles, key="ai_roles")
chosen_tiers = right.multiselect(
    "Risk tiers ('any' binds at every tier)", ["any", *tiers], default=["any", *tiers], key="ai_tiers"
)
rows = [o for o in schedule if o.role in chosen_roles and o.tier in chosen_tiers]
today = date.today()
columns = st.columns(4)
columns[0].metric("Obligations shown", len(rows))
columns[1].metric("Articles", len({o.provision for o in rows}))
columns[2].metric("Already applying", sum(1 for o in rows if o.applies <= today), help=f"On {today.isoformat()}.")
columns[3].metric("Next date", min((o.applies.isoformat() for o in rows if o.applies > today), default="none"))

if rows:
    st.plotly_chart(charts.obligations_timeline(rows, today), key="timeline_chart")
    st.markdown("**Provisions per role and tier**")
    st.plotly_chart(charts.role_tier_matrix(rows), key="role_tier_chart")
    st.dataframe(
        [
            {
                "applies from": o.applies,
                "role": o.role,
                "tier": o.tier,
                "provision": o.notation,
                "title": o.title,
                "date source": o.source,
                "note": o.note,
            }
            for o in rows
        ],
        hide_index=True,
        key="obligations_table",
    )
else:
    st.info("No obligation for these roles and tiers.")

st.subheader("What binds on a given day")
left, middle, right = st.columns(3)
role = left.selectbox("Role", roles, key="ai_day_role")
tier = middle.selectbox("Risk tier", tiers, index=tiers.index("high-risk"), key="ai_day_tier")
on = right.date_input("On", value=today, key="ai_day_on")
bound = state.obligations_on(role, tier, on, timeline)
named = {o.provision: (o.notation, o.title) for o in schedule}
st.caption(
    md(
        f"{len(bound['obligations'])} provisions bind a {role} at tier {tier} on {on.isoformat()} "
        f"({bound['timeline_label']})."
    )
)
st.dataframe(
    [
        {
            "provision": named.get(iri, (iri, ""))[0],
            "title": named.get(iri, (iri, ""))[1],
            "tier": o["tier"],
            "applies from": o["applies_from"],
            "note": o["note"],
        }
        for iri, o in bound["obligations"].items()
    ],
    hide_index=True,
    key="bound_table",
)
