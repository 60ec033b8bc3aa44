"""Search as a service (xwalk.search): ids as users write them, full text with stemming and ranking over titles,
texts and mapping rationales, abbreviations; the same answer from the library, `xwalk search` and /api/search."""

import json
import subprocess

import httpx
import pytest

from servers import BIN, xwalk_service
from xwalk.core.errors import XwalkError
from xwalk.services import search

ID = "https://w3id.org/xwalk/id/"
A_5_15 = f"{ID}iso-iec-27001-2022/A.5.15"
EVENT_LOGS = f"{ID}iso-iec-42001-2023/A.6.2.8"
ART = f"{ID}eu-ai-act-2024-1689/art-"


@pytest.mark.parametrize("written", ["A.5.15", "A 5.15", "Annex A 5.15", "A.05.15", "5.15"])
def test_an_id_as_users_write_it_comes_first(catalog, written):
    hits = search.search(catalog, written, "iso27001")
    assert hits[0].iri == A_5_15 and hits[0].match == "id"


def test_logging_finds_event_logs_and_the_ai_act_record_keeping_articles(catalog):
    hits = search.search(catalog, "logging")
    found = [h.iri for h in hits]
    assert {EVENT_LOGS, f"{ART}12", f"{ART}19"} <= set(found)
    assert "rationale" in next(h for h in hits if h.iri == f"{ART}12").found_in  # Record-keeping: by its mappings
    assert [h.rank for h in hits] == list(range(len(hits)))


@pytest.mark.parametrize("word", ["logs", "log", "logged"])
def test_stemming_finds_the_same_provisions_for_every_form_of_a_word(catalog, word):
    assert {EVENT_LOGS, f"{ART}12", f"{ART}19"} <= {h.iri for h in search.search(catalog, word)}


def test_an_abbreviation_expands_to_the_words_of_the_provision(catalog):
    article_27 = {f"{ART}27", f"{ART}27-1"}  # the article and its paragraph on the assessment
    assert {h.iri for h in search.search(catalog, "FRIA")[:2]} == article_27
    assert {h.iri for h in search.search(catalog, "fundamental rights impact assessment")[:2]} == article_27


def test_every_word_must_match(catalog):
    both = search.search(catalog, "event logs", limit=500)
    assert EVENT_LOGS in {h.iri for h in both}
    assert len(both) < len(search.search(catalog, "event", limit=500))
    assert search.search(catalog, "event zzzqqq") == []


def test_one_standard_only_and_a_limit(catalog):
    hits = search.search(catalog, "logging", "eu-ai-act", limit=3)
    assert len(hits) == 3 and {h.standard for h in hits} == {"eu-ai-act"}
    with pytest.raises(XwalkError, match="limit 0"):
        search.search(catalog, "logging", limit=0)
    with pytest.raises(XwalkError, match="unknown standard"):
        search.search(catalog, "logging", "iso9999")


@pytest.mark.parametrize("text", ['"unbalanced', "NOT AND OR", "a* OR NEAR(x", "   ", "column:word", "-"])
def test_search_syntax_from_users_is_words_never_an_error(catalog, text):
    assert isinstance(search.search(catalog, text), list)


def test_the_abbreviation_table_is_checked(tmp_path):
    bad = tmp_path / "terms.csv"
    bad.write_text("term,expansion,source\nfria,,somewhere\n", encoding="utf-8")
    with pytest.raises(XwalkError, match="terms.csv row 2"):
        search.read_terms(bad)
    bad.write_text("word,meaning\n", encoding="utf-8")
    with pytest.raises(XwalkError, match="expected the columns term, expansion, source"):
        search.read_terms(bad)


def test_cli_and_api_give_the_librarys_ranked_answer(catalog):
    expected = [h.iri for h in search.search(catalog, "logging")]
    result = subprocess.run(
        [str(BIN / "xwalk"), "search", "logging", "--format", "json"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert [h["iri"] for h in json.loads(result.stdout)] == expected
    table = subprocess.run([str(BIN / "xwalk"), "search", "logging"], capture_output=True, text=True, timeout=120)
    assert "A.6.2.8" in table.stdout and "Article 19" in table.stdout
    nothing = subprocess.run([str(BIN / "xwalk"), "search", "zzzqqq"], capture_output=True, text=True, timeout=120)
    assert nothing.returncode == 2 and "no provision matches 'zzzqqq'" in nothing.stderr
    with xwalk_service() as base:
        api = httpx.get(f"{base}/api/search", params={"q": "logging"}, timeout=30).json()
        older = httpx.get(f"{base}/api/provisions", params={"q": "logging"}, timeout=30).json()
    assert [h["iri"] for h in api] == expected == [h["iri"] for h in older]
