"""No federation: a user's query may never make the engine fetch a URL (SPARQL `SERVICE`), in any spelling.

The decision is taken on the parsed query, not on its text: rdflib's SPARQL 1.1 grammar (which processes the
\\uXXXX / \\UXXXXXXXX codepoint escapes first, as the spec says) is walked for a ServiceGraphPattern. A query rdflib
cannot parse is judged strictly instead: after the escapes are processed it must not contain the word SERVICE
anywhere. The query workers also run without network access where the system allows it (see sparql.py), so this
check is one of two walls.
"""

import re

from xwalk.core.errors import XwalkError

REFUSAL = "federated queries (SERVICE) are not allowed here: query the xwalk graph only"
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_WORD = re.compile(r"service", re.IGNORECASE)


def _unescaped(text: str) -> str:
    def expand(match: re.Match) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code <= 0x10FFFF else match[0]

    return _ESCAPE.sub(expand, text)


def _has_service(node) -> bool:
    """Whether a parse tree of rdflib's SPARQL grammar holds a SERVICE pattern, at any depth."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


def is_federated(text: str) -> bool:
    """True when the query asks the engine to call another endpoint, or when that cannot be ruled out."""
    plain = _unescaped(text)
    if not _WORD.search(plain.casefold()):
        return False  # no SERVICE keyword in any spelling (casefold also maps look-alikes such as the long s)
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)  # it processes the escapes itself, once, as the engine does
    except Exception:  # not parseable by the grammar (or nested past the recursion limit): be strict
        return True
    return _has_service(tree)


def refuse_federation(text: str) -> str:
    """The query unchanged, or an XwalkError when it is (or may be) federated."""
    if is_federated(text):
        raise XwalkError(REFUSAL)
    return text


def warm_up() -> None:
    """Import the grammar ahead of the first query (a worker does this while it starts)."""
    from rdflib.plugins.sparql import parser  # noqa: F401
