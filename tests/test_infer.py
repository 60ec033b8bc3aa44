"""Derived mappings: composed from curated ones, never over a curated pair, no stronger than their weakest link."""

import pytest

from xwalk.core.algebra import compose
from xwalk.services import infer


@pytest.fixture(scope="module")
def derived():
    return infer.derive(infer.curated_store())


def test_derived_mappings_exist_and_each_has_a_chain_of_two_curated_mappings(derived):
    assert len(derived) > 100
    for item in derived:
        first, second = item.chain
        assert first.target == second.source
        assert compose(first.relation, second.relation) == item.relation


def test_no_derived_mapping_overrides_a_curated_one(derived):
    curated = {(e.source, e.target) for e in infer.edges(infer.curated_store())}
    assert not [d for d in derived if (d.subject, d.object) in curated]


def test_strength_is_no_higher_than_the_weakest_link(derived):
    for item in derived:
        links = [e.strength for e in item.chain if e.strength is not None]
        if item.strength is not None:
            assert item.strength <= min(links)
        if item.relation == "no_relationship":
            assert item.strength is None


def test_a_derived_mapping_relates_three_different_standards(derived):
    assert all(len({d.chain[0].source_key, d.chain[0].target_key, d.chain[1].target_key}) == 3 for d in derived)


def test_the_committed_derived_file_is_current():
    assert not infer.stale(), "run `xwalk infer` and commit mappings/derived.ttl"


def test_derived_mappings_load_with_their_chain(store):
    rows = store.query(
        "SELECT ?m ?first ?second WHERE { ?m a xw:DerivedMapping ; xw:chain ?c ; "
        "sssom:mapping_justification semapv:MappingChaining . ?c rdf:first ?first ; rdf:rest/rdf:first ?second . "
        "?first a xw:Mapping . ?second a xw:Mapping }"
    ).rows
    total = store.query("SELECT (COUNT(?m) AS ?n) WHERE { ?m a xw:DerivedMapping }").rows
    assert len(rows) == int(total[0][0]) > 0
