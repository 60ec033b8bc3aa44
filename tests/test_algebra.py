"""The algebra of the NIST IR 8477 relations: property tests over the composition table (ontology/composition.csv)."""

from hypothesis import given
from hypothesis import strategies as st

from xwalk.core.algebra import RELATIONS, compose, compose_chain, invert, invert_chain, table

relation = st.sampled_from(RELATIONS)
chain = st.lists(relation, min_size=1, max_size=5)


@given(relation)
def test_equal_is_neutral_on_both_sides_except_for_no_relationship(r):
    expected = None if r == "no_relationship" else r
    assert compose("equal", r) == expected
    assert compose(r, "equal") == expected


@given(st.lists(relation, min_size=2, max_size=6))
def test_no_chain_ever_derives_no_relationship(relations):
    """A chain through other provisions proves nothing about disjointness (issue 13)."""
    assert compose_chain(relations) != "no_relationship"
    assert all(compose(first, second) != "no_relationship" for first in RELATIONS for second in RELATIONS)


@given(relation)
def test_inverting_twice_is_the_identity(r):
    assert invert(invert(r)) == r


@given(relation, relation)
def test_inverting_a_composition_reverses_it(first, second):
    composed = compose(first, second)
    assert compose(invert(second), invert(first)) == (invert(composed) if composed else None)


@given(chain)
def test_a_chain_read_backwards_composes_to_the_inverse(relations):
    forward = compose_chain(relations)
    backward = compose_chain(invert_chain(relations))
    if forward is not None and backward is not None:
        assert backward == invert(forward)


@given(relation, relation, relation)
def test_composition_is_associative_where_the_table_allows(a, b, c):
    left = compose(compose(a, b), c) if compose(a, b) else None
    right = compose(a, compose(b, c)) if compose(b, c) else None
    if left is not None and right is not None:
        assert left == right


def test_the_table_is_the_one_of_the_design():
    assert len(table()) == 12  # the design's 16 entries less the four that derived no_relationship (issue 13)
    assert compose("equal", "no_relationship") is None
    assert compose("subset_of", "superset_of") is None
    assert compose("superset_of", "subset_of") == "intersects_with"
    assert compose("no_relationship", "no_relationship") is None
