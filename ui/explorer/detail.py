"""The one detail panel of a provision, shown wherever a table row of provisions is selected (every page): the
provision, its parents and children, every mapping with relation, strength, full rationale, curators and reviewers,
and for a derived mapping its chain; a link to its linked-data page. `opening_table` draws such a table and `show`
the panel it opens. Also the plain words shown to visitors for the graph's terms, and the strength legend."""

import zlib
from typing import NamedTuple

import streamlit as st

from explorer import state
from explorer.text import md
from xwalk.services.stats import RELATION_ORDER

RELATION_WORDS = {
    "equal": "equals",
    "subset_of": "is a subset of",
    "superset_of": "is a superset of",
    "intersects_with": "intersects with",
    "no_relationship": "has no relationship with",
}
# SSSOM / SEMAPV justifications (https://w3id.org/semapv/vocab/) in words a visitor reads.
JUSTIFICATION_WORDS = {
    "ManualMappingCuration": "curated by hand",
    "MappingChaining": "derived by chaining two curated mappings",
    "MappingReview": "reviewed by hand",
    "LexicalMatching": "matched by words",
    "SemanticSimilarityThresholdMatching": "matched by meaning (automatic)",
    "UnspecifiedMatching": "matched (method not stated)",
}
STRENGTH_LEGEND = (
    "**Strength** (1–10, judged by a curator: how much of one side's intent the other carries): "
    "**9–10** the same requirement · **7–8** strong, most work reusable · **4–6** moderate, real shared ground · "
    "**1–3** weak, a tangential link. Relations follow NIST IR 8477."
)


def curie(relation: str) -> str:
    return f"xw:{relation}" if relation else ""


def justification(value: str) -> str:
    return JUSTIFICATION_WORDS.get(value, value.replace("_", " ")) if value else ""


def strength_legend() -> None:
    st.caption(STRENGTH_LEGEND)


def selected_row(key: str) -> int | None:
    """The row selected in the dataframe with this key (drawn with on_select="rerun", single-row), or None."""
    event = st.session_state.get(key)
    rows = (event or {}).get("selection", {}).get("rows", []) if isinstance(event, dict) else []
    if not rows and event is not None and hasattr(event, "selection"):
        rows = list(event.selection.rows)
    return rows[0] if rows else None


def keyed(key: str, rows_stand_for) -> str:
    """`key` with a digest of what a table's rows stand for. Streamlit keeps a keyed table's selection when its data
    change; with other rows it is another widget, so no selection outlives its rows."""
    return f"{key}@{zlib.crc32(repr(rows_stand_for).encode()):x}"


def table(rows: list[dict], key: str, **options):
    """A dataframe with one selectable row; returns the selected index or None."""
    st.dataframe(rows, hide_index=True, on_select="rerun", selection_mode="single-row", key=key, **options)
    chosen = selected_row(key)
    return chosen if chosen is not None and chosen < len(rows) else None


class Opened(NamedTuple):
    """What a row selection opened in a panel slot: the provision, the mapping to show first, the table picked in."""

    iri: str
    mapping: str | None = None
    source: str = ""


def opening_table(rows: list[dict], opens: list, key: str, slot: str | None, **options) -> int | None:
    """A table of provisions: `opens[i]` is row i's provision IRI, or (IRI, mapping IRI or None) to show that
    mapping first. A new selection opens it in the session's `slot` (drawn by `show`); a selection already opened
    does not open again, so the latest click on any table of a slot wins. Returns the index of a row selected in
    this run, else None."""
    drawn = keyed(key, opens)
    row = table(rows, drawn, **options)
    seen = f"{key}_opened"
    if row is None:
        st.session_state.pop(seen, None)
        return None
    if st.session_state.get(seen) == (drawn, row):
        return None
    st.session_state[seen] = (drawn, row)
    if slot:
        target = opens[row] if isinstance(opens[row], tuple) else (opens[row], None)
        st.session_state[slot] = Opened(*target, source=key)
    return row


def show(slot: str, sources: tuple[str, ...] = (), heading: str = "") -> None:
    """The panel of what a table (or a chart) opened in `slot`, if anything; with `sources`, only when it was opened
    from one of those tables."""
    opened = st.session_state.get(slot)
    if not isinstance(opened, Opened) or (sources and opened.source not in sources):
        return
    if heading:
        st.subheader(heading)
    panel(opened.iri, slot, mapping=opened.mapping)


def verdict_opens(verdict) -> tuple[str, str | None]:
    """A coverage verdict's provision, with the mapping of its strongest evidence to read first."""
    return verdict.iri, verdict.evidence[0].mapping if verdict.evidence else None


def panel(iri: str, key: str, mapping: str | None = None, on_browse: bool = False) -> None:
    """The detail panel of provision `iri`; `mapping` (an IRI) is the mapping to show first in full. Buttons that
    open another provision go to the Browse page (or stay on it with `on_browse`)."""
    names = state.standards()
    # the toggle below says whether derived mappings are shown; its value is known before it is drawn again
    provision = state.record(iri, st.session_state.get(f"{key}_derived", True))
    with st.container(border=True, key=f"{key}_panel"):
        st.subheader(md(f"{provision.identifier} {provision.notation} — {provision.title}"))
        st.caption(md(f"{provision.kind} · {provision.normativity} · {provision.verification}"))
        st.markdown(f"[Linked-data page of this provision]({iri})")
        parents = list(reversed(provision.parents))
        kids = provision.children
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
        relatives = {p.iri: f"parent: {p.notation} {p.title}" for p in parents}
        relatives |= {c.iri: f"child: {c.notation} {c.title}" for c in kids}
        if relatives:
            follow = st.selectbox(
                "Go to a parent or child",
                list(relatives),
                index=None,
                format_func=relatives.get,
                placeholder="Pick a provision to open",
                key=keyed(f"{key}_follow", iri),
            )
            if follow and follow != iri:
                _go(follow, on_browse)

        st.markdown("**Mappings**")
        options, filters = st.columns([1, 2])
        options.toggle("Include derived mappings", value=True, key=f"{key}_derived")
        relations = filters.multiselect(
            "Relations",
            list(RELATION_ORDER),
            default=list(RELATION_ORDER),
            format_func=curie,
            key=f"{key}_relations",
        )
        found = [m for m in provision.mappings if m.relation in relations]
        if not found:
            st.info("No mapping of this provision with these relations.")
            return
        st.caption(
            md(
                f"{len(found)} mappings. Read each row as: {provision.notation} RELATION other (a mapping curated in "
                "the other direction is shown inverted). Select a row to read it in full."
            )
        )
        strength_legend()
        asked = bool(mapping) and any(m.mapping == mapping for m in found)
        if asked:
            found.sort(key=lambda m: m.mapping != mapping)  # the mapping asked for first, selected
        chosen = table(
            [
                {
                    "direction": "→ out" if m.direction == "out" else "← in",
                    "relation": curie(m.relation),
                    "other standard": names.get(m.other_standard, m.other_standard),
                    "other": m.other_id,
                    "title": m.other_title,
                    "strength": m.strength,
                    "derived": m.derived,
                    "rationale": m.rationale,
                }
                for m in found
            ],
            keyed(f"{key}_mappings", (iri, [m.mapping for m in found])),
            column_config={"strength": st.column_config.NumberColumn("strength", help=STRENGTH_LEGEND)},
            selection_default={"selection": {"rows": [0]}} if asked else None,
        )
        if chosen is None:
            return
        m = found[chosen]
        ends = (provision.notation, m.other_id) if m.direction == "out" else (m.other_id, provision.notation)
        other = f"{names.get(m.other_standard, m.other_standard)} {m.other_id}"
        st.markdown(
            md(f"{provision.notation} {RELATION_WORDS.get(m.relation, m.relation)} {other} — {m.other_title}"),
        )
        facts = [f"relation {curie(m.relation)}"]
        facts += [f"strength {m.strength} of 10"] if m.strength is not None else []
        facts.append(f"recorded as {ends[0]} {curie(m.stored)} {ends[1]}")
        facts += [justification(m.justification)] if m.justification else []
        facts += [f"by {m.author}"] if m.author else []
        facts += [f"reviewed by {m.reviewer}"] if m.reviewer else ["not reviewed by a second curator"]
        facts += [f"on {m.date}"] if m.date else []
        st.caption(md(" · ".join(facts)))
        st.markdown("**Rationale**")
        st.text(m.rationale or "(no rationale recorded)")
        if m.chain:
            st.markdown("**Derived from these curated mappings**")
            for link in m.chain:
                st.caption(
                    md(
                        f"{link.subject_key} {link.subject_id} {curie(link.relation)} {link.object_key} "
                        f"{link.object_id} (strength {link.strength}): {link.rationale}"
                    )
                )
        if st.button(md(f"Open {other}"), key=f"{key}_open", icon=":material/arrow_forward:"):
            _go(m.other, on_browse)


def _go(iri: str, on_browse: bool) -> None:
    """Open another provision on the Browse page."""
    st.session_state[state.FOCUS] = iri
    if on_browse:
        st.rerun()
    st.switch_page("views/browse.py")
