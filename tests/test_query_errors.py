"""A query the parser refuses, told in words a user can act on (core.query_errors through the real store): the line
and column with the line and a caret, an unknown prefix named, a long list of expectations cut short, and an update
refused because the graph is read-only."""

import re

import pytest

from xwalk.core.errors import XwalkError
from xwalk.core.query_errors import SHOWN_EXPECTED, update_word


def refusal(store, text: str) -> str:
    with pytest.raises(XwalkError) as caught:
        store.query(text)
    return str(caught.value)


def test_a_syntax_error_names_line_and_column_and_points_at_it(store):
    text = "SELECT ?x WHERE {\n  ?x ?p ?o .\n  FILTER(?x = ) }"
    message = refusal(store, text)
    found = re.match(
        r"the query is not valid SPARQL: line 3, column (\d+): expected one of (.*) \(and \d+ more\)$",
        message.splitlines()[0],
    )
    assert found, message
    first, shown, caret = message.splitlines()
    assert shown == "  " + text.splitlines()[2] and caret.index("^") == 2 + int(found[1]) - 1
    assert len(found[2].split(", ")) == SHOWN_EXPECTED and "\\u{" not in message


def test_an_unknown_prefix_is_named_with_the_way_to_declare_it(store):
    message = refusal(store, "SELECT * WHERE { ?s foo:bar ?o }")
    assert "unknown prefix 'foo:'" in message and "PREFIX foo: <" in message and "xw:, skos:" in message
    assert "\\u{" not in message and "line 1, column" in message


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }", "INSERT"),
        ("PREFIX ex: <https://example.org/>\n# a comment\ndelete where { ?s ?p ?o }", "DELETE"),
        ("BASE <https://example.org/> LOAD <data.ttl>", "LOAD"),
        ("DROP ALL", "DROP"),
    ],
)
def test_an_update_is_refused_as_read_only(store, text, word):
    assert refusal(store, text).startswith(f"the endpoint is read-only: {word} is a SPARQL update")


def test_queries_are_not_mistaken_for_updates():
    assert update_word("SELECT ?insert WHERE { ?insert ?p ?o }") is None
    assert update_word("PREFIX load: <https://example.org/> ASK { ?s load:x ?o }") is None
