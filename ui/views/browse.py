"""Browse and search: find a provision by id or words, see its place in its standard and its mappings in both
directions, and follow a mapping to the other side."""

import streamlit as st

from explorer import state
from explorer.text import md
from xwalk.services.stats import RELATION_ORDER

st.title("Browse and search")
names = state.standards()


def _open(iri: str) -> None:
    st.session_state[state.FOCUS] = iri


def _picked() -> None:
    if st.session_state.get("browse_hit"):
        _open(st.session_state["browse_hit"])


def _follow() -> None:
    if st.session_state.get("browse_follow"):
        _open(st.session_state["browse_follow"])
        st.session_state["browse_follow"] = None


left, right = st.columns([3, 1])
text = left.text_input(
    "Find a provision by id or words",
    key="browse_query",
    placeholder="A 5.15, Art. 9(2), 6.1.4, logging, impact assessment",
)
standard = right.selectbox(
    "In", [None, *names], format_func=lambda k: "every standard" if k is None else names[k], key="browse_standard"
)
if text.strip():
    hits = state.search(text, standard)
    if not hits:
        st.info(f"No provision matches {md(text)}. Try an id such as A.5.15 or Art. 9, or fewer words.")
    else:
        labels = {h.iri: f"{h.identifier} {h.notation} — {h.title}" for h in hits}
        st.selectbox(
            f"{len(hits)} match{'es' if len(hits) != 1 else ''}" + (" (first 50)" if len(hits) == 50 else ""),
            list(labels),
            index=None,
            format_func=labels.get,
            placeholder="Pick a provision",
            key="browse_hit",
            on_change=_picked,
        )

focus = st.session_state.setdefault(state.FOCUS, state.DEFAULT_FOCUS)
provision = state.provision(focus)
st.divider()
st.subheader(md(f"{provision.identifier} {provision.notation} — {provision.title}"))
st.caption(md(f"{provision.kind} · {provision.normativity} · {provision.verification} · source: {provision.source}"))
st.code(provision.iri, language=None)

parents = list(reversed(state.ancestors(focus)))
kids = state.children(focus)
place, below = st.columns(2)
with place:
    st.markdown("**Place in its standard**")
    st.text(
        "\n".join(
            [provision.identifier]
            + [f"{'  ' * (i + 1)}{p.notation} {p.title}" for i, p in enumerate(parents)]
            + [f"{'  ' * (len(parents) + 1)}{provision.notation} {provision.title}  ◀"]
        )
    )
with below:
    st.markdown(f"**Children** ({len(kids)})")
    if kids:
        st.text("\n".join(f"{c.notation} {c.title}" for c in kids))
    else:
        st.caption("None: a leaf provision.")

st.markdown("**Mappings**")
options, filters = st.columns([1, 2])
with_derived = options.toggle("Include derived mappings", value=True, key="browse_derived")
relations = filters.multiselect("Relations", list(RELATION_ORDER), default=list(RELATION_ORDER), key="browse_relations")
found = [m for m in state.mappings(focus, with_derived) if m.relation in relations]
if not found:
    st.info("No mapping of this provision with these relations.")
else:
    st.caption(
        md(
            f"{len(found)} mappings. 'relation' reads: {provision.notation} RELATION other; a mapping curated in the "
            "other direction is shown inverted."
        )
    )
    st.dataframe(
        [
            {
                "direction": "→ out" if m.direction == "out" else "← in",
                "relation": m.relation,
                "other standard": names.get(m.other_standard, m.other_standard),
                "other": m.other_id,
                "title": m.other_title,
                "strength": m.strength,
                "derived": m.derived,
                "rationale": m.rationale,
                "chain": " then ".join(
                    f"{c.subject_key} {c.subject_id} {c.relation} {c.object_key} {c.object_id}" for c in m.chain
                ),
                "curated by": m.author,
                "date": m.date,
            }
            for m in found
        ],
        hide_index=True,
        key="mappings_table",
    )

if found:
    st.markdown("**Read a mapping and follow it to the other side**")
    by_iri = {m.mapping: m for m in found}
    chosen = by_iri.get(
        st.selectbox(
            "Mapping",
            list(by_iri),
            format_func=lambda i: (
                f"{provision.notation} {by_iri[i].relation} "
                f"{names.get(by_iri[i].other_standard, by_iri[i].other_standard)} {by_iri[i].other_id}"
                + (" (derived)" if by_iri[i].derived else "")
            ),
            key="browse_mapping",
        )
    )
    if chosen:
        facts = [
            f"relation {chosen.relation}" + (f", strength {chosen.strength}" if chosen.strength is not None else "")
        ]
        ends = (
            (provision.notation, chosen.other_id)
            if chosen.direction == "out"
            else (chosen.other_id, provision.notation)
        )
        facts.append(f"curated as {ends[0]} {chosen.stored} {ends[1]}")
        facts += [f"justification {chosen.justification}"] if chosen.justification else []
        facts += [f"curated by {chosen.author}"] if chosen.author else []
        facts += [f"on {chosen.date}"] if chosen.date else []
        st.caption(md(" · ".join(facts)))
        st.text(chosen.rationale or "(no rationale recorded)")
        for link in chosen.chain:
            st.caption(
                md(
                    f"chain: {link.subject_key} {link.subject_id} {link.relation} {link.object_key} {link.object_id}"
                    f" (strength {link.strength}): {link.rationale}"
                )
            )
        st.button(
            md(f"Open {names.get(chosen.other_standard, chosen.other_standard)} {chosen.other_id}"),
            on_click=_open,
            args=(chosen.other,),
            key="browse_open",
            icon=":material/arrow_forward:",
        )

relatives = {p.iri: f"parent: {p.notation} {p.title}" for p in parents}
relatives |= {c.iri: f"child: {c.notation} {c.title}" for c in kids}
if relatives:
    st.selectbox(
        "Go to a parent or child",
        list(relatives),
        index=None,
        format_func=relatives.get,
        placeholder="Pick a provision to open",
        key="browse_follow",
        on_change=_follow,
    )
st.page_link("views/graph.py", label="See this provision's neighbourhood as a graph", icon=":material/hub:")
