"""The curated mapping sets: readable by the SSSOM tooling, complete where the crosswalk promises a review, and
consistent with the catalogs. Each failure names the file and row to fix."""

import logging
from pathlib import Path

import pytest

from xwalk.core import paths
from xwalk.load import sssom
from xwalk.services.stats import counterparts

MAPPING_FILES = sorted(paths.MAPPINGS_DIR.glob("*.sssom.tsv"))


def test_there_is_a_mapping_set_for_every_promised_pair():
    stems = {p.name.removesuffix(".sssom.tsv") for p in MAPPING_FILES}
    assert stems >= {
        "iso42001-2023_iso27001-2022",
        "iso42001-2023_eu-ai-act-2024-1689",
        "iso42001-2023_iso27701-2019",
        "iso42001-2023_iso27701-2025",
        "iso42001-2023_iso23894-2023",
        "iso27701-2019_iso27001-2022",
        "iso27001-2022_eu-ai-act-2024-1689",
        "iso23894-2023_eu-ai-act-2024-1689",
        "iso27701-2019_iso27701-2025",
    }


@pytest.mark.parametrize("path", MAPPING_FILES, ids=lambda p: p.name)
def test_the_sssom_parser_accepts_the_file(path: Path):
    from sssom.parsers import parse_sssom_table

    logging.getLogger().setLevel(logging.ERROR)  # sssom-py warns about the declared extension slot `strength`
    parsed = parse_sssom_table(path)
    assert len(parsed.df) == len(sssom.read(path).rows)
    assert set(parsed.df["predicate_id"]) <= {f"xw:{r}" for r in sssom.SKOS_FOR} | {"xw:no_relationship"}


@pytest.mark.parametrize("path", MAPPING_FILES, ids=lambda p: p.name)
def test_labels_match_the_catalog_titles(path: Path, store):
    titles = {row[0]: row[1] for row in store.query("SELECT ?p ?t WHERE { ?p skos:prefLabel ?t }").rows}
    mapping_set = sssom.read(path)
    wrong = []
    for line, row in mapping_set.rows:
        for side in ("subject", "object"):
            iri = mapping_set.expand(row[f"{side}_id"], line, f"{side}_id")
            if row.get(f"{side}_label") and titles.get(iri) != row[f"{side}_label"]:
                wrong.append(
                    f"{path.name} line {line}: {side}_label {row[f'{side}_label']!r} is not {titles.get(iri)!r}"
                )
    assert wrong == []


@pytest.mark.parametrize("path", MAPPING_FILES, ids=lambda p: p.name)
def test_rationales_are_short_own_words(path: Path):
    """A rationale explains a judgement in a sentence or two; a long one may be pasted text, which is not allowed."""
    long = [f"{path.name} line {line}" for line, row in sssom.read(path).rows if len(row["comment"]) > 600]
    assert long == []


@pytest.mark.parametrize("target", ["iso27001", "eu-ai-act"])
def test_every_42001_control_has_a_reviewed_outcome(catalog, target):
    for entry in counterparts(catalog, "iso42001", target):
        assert entry.by_relation.get("not reviewed", 0) == 0, f"{entry.objective} has unreviewed controls"
    assert sum(e.controls for e in counterparts(catalog, "iso42001", target)) == 38


@pytest.mark.parametrize("target", ["iso27001", "eu-ai-act"])
def test_every_42001_clause_has_a_reviewed_outcome(store, target):
    """Every requirement clause (4-10; the informative Annex C is guidance and is mapped to 23894 only)."""
    rows = store.query(
        f"""SELECT ?id WHERE {{
          ?clause a xw:Clause ; xw:normativity xw:Requirement ; xw:standard/xw:key "iso42001" ; skos:notation ?id .
          FILTER NOT EXISTS {{
            ?m a xw:Mapping . {{ ?m owl:annotatedSource ?clause ; owl:annotatedTarget ?o }}
            UNION {{ ?m owl:annotatedTarget ?clause ; owl:annotatedSource ?o }}
            ?o xw:standard/xw:key "{target}" }} }}"""
    ).rows
    assert rows == []


def test_ai_specific_clauses_get_no_false_equivalent(store):
    rows = store.query(
        """SELECT ?id ?rel WHERE {
          ?m owl:annotatedSource ?c ; owl:annotatedProperty ?rel ; owl:annotatedTarget ?o .
          ?c xw:standard/xw:key "iso42001" ; skos:notation ?id . ?o xw:standard/xw:key "iso27001" .
          VALUES ?id { "6.1.4" "8.4" } FILTER (?rel IN (xw:equal, xw:subset_of)) }"""
    ).rows
    assert rows == []


def test_harmonized_structure_clauses_correspond(store):
    rows = store.query(
        """SELECT ?id WHERE {
          ?m owl:annotatedSource ?c ; owl:annotatedTarget ?o ; owl:annotatedProperty ?rel .
          ?c xw:standard/xw:key "iso42001" ; skos:notation ?id . ?o xw:standard/xw:key "iso27001" ; skos:notation ?id .
          FILTER (?rel != xw:no_relationship) }"""
    ).rows
    same_number = {id_ for (id_,) in rows}
    assert {"4.1", "4.2", "5.1", "7.2", "7.3", "9.2", "9.3", "10.1", "10.2"} <= same_number


def test_harmonized_structure_pairs_across_subjects_are_intersections_with_reuse(store):
    """The HS rule of mappings/README.md: HS clause pairs of different management systems are intersects_with, and
    every such pair of strength 5 or more records the reusable process as reuse extend."""
    rows = store.query(
        """SELECT ?s ?o ?rel ?strength ?reuse WHERE {
          ?m owl:annotatedSource ?s ; owl:annotatedProperty ?rel ; owl:annotatedTarget ?o ; xw:sourceRow [] ;
             xw:strength ?strength .
          ?s a xw:HarmonizedClause ; xw:standard ?ss . ?o a xw:HarmonizedClause ; xw:standard ?os .
          FILTER NOT EXISTS { ?ss xw:managementSystemSubject ?x . ?os xw:managementSystemSubject ?x }
          OPTIONAL { ?m xw:reuse ?reuse } }"""
    ).rows
    assert len(rows) > 120  # 42001 against 27001, 27701:2019 clause 5 and 27701:2025
    assert {row[2] for row in rows} == {"https://w3id.org/xwalk/ontology#intersects_with"}
    assert all(row[4] == "extend" for row in rows if int(row[3]) >= 5)


def test_paragraphs_carry_the_thin_spots(store):
    """Issue 13: human oversight, instructions for use and data management are linked at paragraph level."""
    rows = store.query(
        """SELECT ?s ?o WHERE {
          ?m owl:annotatedSource ?sp ; owl:annotatedTarget ?op ; xw:sourceRow [] .
          ?sp skos:notation ?s ; xw:standard/xw:key "iso42001" .
          ?op skos:notation ?o ; xw:standard/xw:key "eu-ai-act" }"""
    ).rows
    pairs = {(s, o) for s, o in rows}
    assert {("A.6.2.7", "Article 13(3)"), ("A.7.2", "Article 17(1)"), ("A.9.2", "Article 14(4)")} <= pairs
    assert sum(1 for _, o in pairs if o.startswith("Article 14")) >= 6
    assert ("A.6.2.3", "Article 17") not in pairs and not any(o == "Article 17" for _, o in pairs)
