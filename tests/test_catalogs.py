"""The five sources' catalogs, asserted from the graph through the named SPARQL queries."""

import re

import pytest

from xwalk.load import catalogs
from xwalk.services.stats import catalog_stats


@pytest.fixture(scope="module")
def stats(catalog):
    return {s.key: s for s in catalog_stats(catalog)}


def test_iso42001_has_clauses_objectives_and_38_controls(stats):
    s = stats["iso42001"]
    # clauses 4-10 (43) and Annex C: its sub-clauses C.1-C.3, the 11 objectives of C.2 and the 7 risk sources of C.3
    assert s.kinds == {"clause": 46, "control objective": 22, "control": 38, "annex": 1, "risk source": 7}
    assert sum(s.controls_per_group.values()) == 38
    assert list(s.controls_per_group) == [
        "A.2",
        "A.3",
        "A.4",
        "A.5",
        "A.6.1",
        "A.6.2",
        "A.7",
        "A.8",
        "A.9",
        "A.10",
    ]


def test_iso27001_has_93_controls_in_four_themes(stats):
    s = stats["iso27001"]
    assert s.kinds == {"clause": 41, "control theme": 4, "control": 93}
    assert s.controls_per_group == {"A.5": 37, "A.6": 8, "A.7": 14, "A.8": 34}


def test_iso27001_controls_are_prefixed_so_they_never_collide_with_clauses(store):
    rows = store.query("SELECT ?id WHERE { ?c a xw:Control ; skos:notation ?id ; xw:standard/xw:key 'iso27001' }").rows
    assert all(re.fullmatch(r"A\.[5-8]\.\d+", id_) for (id_,) in rows)
    assert {"A.5.1", "A.8.34"} <= {id_ for (id_,) in rows}


def test_iso27701_2019_has_31_annex_a_and_18_annex_b_controls(store):
    rows = store.query(
        "SELECT ?id WHERE { ?c a xw:Control ; skos:notation ?id ; xw:standard/xw:key 'iso27701-2019' }"
    ).rows
    assert sum(id_.startswith("A.") for (id_,) in rows) == 31
    assert sum(id_.startswith("B.") for (id_,) in rows) == 18
    top = store.query(
        "SELECT ?id WHERE { ?c xw:standard/xw:key 'iso27701-2019' ; skos:notation ?id ; a xw:Clause ; "
        "skos:topConceptOf ?s }"
    ).rows
    assert sorted(id_ for (id_,) in top) == ["5", "6", "7", "8"]


def test_iso27701_2025_marks_its_inferred_rows(store):
    rows = store.query(
        "SELECT ?id ?v WHERE { ?c xw:standard/xw:key 'iso27701-2025' ; skos:notation ?id ; xw:verification ?v }"
    ).rows
    inferred = {id_ for id_, v in rows if v.endswith("#Inferred")}
    assert len(inferred) == 39
    assert "A.1.2.2" not in inferred  # seen in a published list
    assert len(rows) == 75


def test_iso23894_has_clauses_objectives_and_risk_sources(stats):
    assert stats["iso23894"].kinds == {"annex": 3, "clause": 44, "control objective": 11, "risk source": 7}


def test_eu_ai_act_has_chapters_sections_articles_annexes(stats):
    s = stats["eu-ai-act"]
    assert (s.kinds["chapter"], s.kinds["section"], s.kinds["article"], s.kinds["annex"]) == (13, 16, 113, 13)
    # Articles 9 (10), 10 (6), 13 (3), 14 (5), 15 (5), 17 (4), 26 (12), 27 (5), 50 (7), 72 (4) and 73 (11), and the 13
    # paragraphs and points of the AI Act per system
    assert s.kinds["paragraph"] == 85


def test_ai_act_obligations_carry_role_tier_and_both_timelines(store):
    rows = store.query(
        "SELECT ?role ?tier ?timeline ?date ?source WHERE { ?o xw:provision/skos:notation 'Article 26(6)' ; "
        "xw:bindsRole/xw:key ?role ; xw:concernsTier/xw:key ?tier ; xw:applicability ?a . "
        "?a xw:timeline/xw:key ?timeline ; xw:appliesFrom ?date ; dcterms:source ?source }"
    ).rows
    high_risk = {timeline: date for role, tier, timeline, date, _ in rows if tier == "high-risk"}
    assert {role for role, *_ in rows} == {"deployer"}
    assert high_risk == {"published-2024": "2026-08-02", "omnibus-2026": "2027-12-02"}
    assert all(source for *_, source in rows)


def test_the_default_timeline_is_the_amended_one(store):
    rows = store.query("SELECT ?key WHERE { ?t a xw:Timeline ; xw:key ?key ; xw:isDefault true }").rows
    assert rows == [["omnibus-2026"]]


def test_every_provision_has_id_title_parent_or_top_standard_and_kind(store):
    rows = store.query(
        "SELECT ?p WHERE { ?p xw:standard ?s . FILTER NOT EXISTS { ?p skos:notation ?n ; skos:prefLabel ?t ; "
        "a ?kind . ?kind rdfs:subClassOf xw:Provision . { ?p skos:broader ?parent } UNION "
        "{ ?p skos:topConceptOf ?s } } }"
    ).rows
    assert rows == []
    assert len(store.query("SELECT ?p WHERE { ?p xw:standard ?s }").rows) == 840


def test_ids_are_unique_within_each_standard(store):
    rows = store.query(
        "SELECT ?s ?n (COUNT(?p) AS ?c) WHERE { ?p xw:standard ?s ; skos:notation ?n } "
        "GROUP BY ?s ?n HAVING (COUNT(?p) > 1)"
    ).rows
    assert rows == []


def test_generated_catalog_files_match_their_tables():
    assert catalogs.stale() == [], "run `xwalk catalogs` and commit the result"
