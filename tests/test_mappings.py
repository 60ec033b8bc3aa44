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
    rows = store.query(
        f"""SELECT ?id WHERE {{
          ?clause a xw:Clause ; xw:standard/xw:key "iso42001" ; skos:notation ?id .
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
