"""The one id normaliser."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xwalk.core.ids import candidates, local_name


@pytest.mark.parametrize("raw", ["A.5.15", "A 5.15", "Annex A 5.15", "A.05.15", "a.5.15", " A.5.15 ", "5.15"])
def test_annex_a_control_written_many_ways(raw):
    assert candidates(raw, "iso", annex_a=True)[0] == "A.5.15"


def test_bare_number_prefers_the_clause_outside_annex_a():
    assert candidates("5.1", "iso") == ["5.1", "A.5.1"]
    assert candidates("5.1", "iso", annex_a=True) == ["A.5.1", "5.1"]


@pytest.mark.parametrize("raw", ["Art. 9", "Article 9", "art-9", "ART 9", "Art.9"])
def test_ai_act_article_written_many_ways(raw):
    assert candidates(raw, "eu-law") == ["Article 9"]


@pytest.mark.parametrize("raw", ["Art.9(2)", "Article 9(2)", "art-9-2", "Art. 9 (2)"])
def test_ai_act_paragraph_falls_back_to_its_article(raw):
    assert candidates(raw, "eu-law") == ["Article 9(2)", "Article 9"]


@pytest.mark.parametrize(
    ("raw", "notation"),
    [
        ("Annex III", "Annex III"),
        ("annex-3", "Annex III"),
        ("chapter-III-section-2", "Chapter III Section 2"),
    ],
)
def test_ai_act_headings(raw, notation):
    assert candidates(raw, "eu-law") == [notation]


@pytest.mark.parametrize("raw", ["", "   ", "Artikel 9", "control five", "A.x.1"])
def test_unrecognisable_ids_give_no_candidate(raw):
    assert candidates(raw, "iso") == []
    assert candidates(raw, "eu-law") == []


@given(st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=4))
def test_zero_padding_and_spacing_never_change_an_iso_id(parts):
    plain = ".".join(str(p) for p in parts)
    padded = " . ".join(f"{p:02d}" for p in parts)
    assert candidates(f"A.{padded}", "iso") == candidates(f"A.{plain}", "iso") == [f"A.{plain}"]


def test_local_names():
    assert local_name("Article 26(5)") == "art-26-5"
    assert local_name("Chapter III Section 2") == "chapter-III-section-2"
    assert local_name("Annex A") == "annex-A"
    assert local_name("A.6.2.8") == "A.6.2.8"
