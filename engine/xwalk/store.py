"""The store layer: the only module that talks to pyoxigraph.

Everything else asks it for named queries (files in `queries/`, values bound through SEP-0007 substitutions, never
formatted into the text) and gets plain Python values back.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from xwalk.errors import XwalkError
from xwalk.paths import QUERIES_DIR, display
from xwalk.vocab import IRI, PREFIXES, XSD

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}


@dataclass
class QueryResult:
    """The answer to an arbitrary SPARQL query, as lexical strings (what CSV, tables and JSON print)."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str]
    rows: list[list[str | None]]
    boolean: bool | None = None


@cache
def query_text(name: str) -> str:
    path = QUERIES_DIR / f"{name}.rq"
    if not path.exists():
        raise XwalkError(f"no named query {name!r} in {display(QUERIES_DIR)}")
    return path.read_text("utf-8")


def _term(value) -> ox.NamedNode | ox.Literal:
    if isinstance(value, IRI):
        return ox.NamedNode(value)
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))


_NUMERIC = {XSD + "integer": int, XSD + "decimal": Decimal, XSD + "double": float, XSD + "float": float}


def _python(term):
    """A result term as a plain Python value: IRIs as IRI (a str), literals as str, numbers, booleans or dates."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _NUMERIC:
            return _NUMERIC[datatype](term.value)
        if datatype == XSD + "boolean":
            return term.value == "true"
        if datatype == XSD + "date":
            return date.fromisoformat(term.value)
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return IRI(term.value)  # stays an IRI when bound back into another query


def _lexical(term) -> str | None:
    return None if term is None else (f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value)


def _values(table: list[dict]) -> str:
    """A VALUES block made of RDF terms serialised by pyoxigraph (escaped as N-Triples), never of raw text."""
    names = list(table[0])
    rows = " ".join("(" + " ".join(str(_term(row[n])) for n in names) + ")" for row in table)
    return f"\nVALUES ({' '.join('?' + n for n in names)}) {{ {rows} }}"


class Store:
    """An RDF dataset with one named graph per source file; in memory, or in a directory given by `path`."""

    def __init__(self, path: Path | None = None, read_only: bool = False):
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                self._store = ox.Store(str(path))
        except OSError as error:
            raise XwalkError(f"cannot open the store at {path}: {error}") from None

    def load_rdf(self, path: Path, graph: IRI) -> None:
        """Parse an RDF file into a named graph; a syntax error names the file and line."""
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise XwalkError(f"{display(path)}: unknown RDF file extension {path.suffix!r}")
        try:
            self._store.bulk_load(path=str(path), format=fmt, to_graph=ox.NamedNode(graph))
        except SyntaxError as error:
            raise XwalkError(f"{display(path)} line {error.lineno}: {error.msg}") from None

    def add(self, triples: Iterable[tuple], graph: IRI) -> None:
        g = ox.NamedNode(graph)
        self._store.extend(ox.Quad(_term(s), _term(p), _term(o), g) for s, p, o in triples)

    def __len__(self) -> int:
        return len(self._store)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def _run(self, text: str, bindings: dict, table: list[dict] | None = None):
        substitutions = {ox.Variable(k): _term(v) for k, v in bindings.items()}
        if table:
            text += _values(table)
        return self._store.query(
            text, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=substitutions or None
        )

    def select(self, name: str, table: list[dict] | None = None, **bindings) -> list[dict]:
        """Rows of the named SELECT query as dicts of Python values. Each keyword binding must be projected by the
        query; `table` (rows of equal keys) is joined to the query as a trailing VALUES block of RDF terms."""
        solutions = self._run(query_text(name), bindings, table)
        names = [v.value for v in solutions.variables]
        return [{n: _python(solution[n]) for n in names} for solution in solutions]

    def ask(self, name: str, **bindings) -> bool:
        return bool(self._run(query_text(name), bindings))

    def select_text(self, text: str) -> list[dict]:
        """Rows of a SELECT given as text (the checks in ontology/checks/ are files outside the package)."""
        solutions = self._run(text, {})
        names = [v.value for v in solutions.variables]
        return [{n: _python(solution[n]) for n in names} for solution in solutions]

    def query(self, text: str) -> QueryResult:
        """Any SPARQL query from a user; a syntax error or an update is a clear error, not a traceback."""
        try:
            result = self._run(text, {})
        except SyntaxError as error:
            raise XwalkError(f"the query is not valid SPARQL: {error.msg}") from None
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", [], [], bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return QueryResult("select", names, [[_lexical(s[n]) for n in names] for s in result])
        rows = [[_lexical(t.subject), _lexical(t.predicate), _lexical(t.object)] for t in result]
        return QueryResult("graph", ["subject", "predicate", "object"], rows)

    def query_as(self, text: str, fmt: str) -> bytes:
        """Any SPARQL query answered in a W3C format: a results format (json, csv, tsv, xml) for SELECT and ASK,
        an RDF format (ttl, nt, jsonld, rdf) for CONSTRUCT and DESCRIBE."""
        try:
            result = self._run(text, {})
        except SyntaxError as error:
            raise XwalkError(f"the query is not valid SPARQL: {error.msg}") from None
        if isinstance(result, ox.QueryTriples):
            if fmt not in GRAPH_FORMATS or GRAPH_FORMATS[fmt].supports_datasets:
                raise XwalkError(
                    f"a CONSTRUCT or DESCRIBE answer is a graph: format {fmt!r} does not fit; "
                    "use one of table, ttl, nt, jsonld, rdf"
                )
            return result.serialize(format=GRAPH_FORMATS[fmt])
        if fmt not in RESULT_FORMATS:
            raise XwalkError(
                f"a SELECT or ASK answer is a table: format {fmt!r} does not fit; "
                f"use one of table, {', '.join(RESULT_FORMATS)}"
            )
        return result.serialize(format=RESULT_FORMATS[fmt])

    def serialize(self, fmt: str) -> bytes:
        """The whole dataset (quads formats) or the union of its graphs (triples formats)."""
        rdf_format = GRAPH_FORMATS[fmt]
        if rdf_format.supports_datasets:
            return self._store.dump(format=rdf_format)
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self._store}
        return ox.serialize(triples, format=rdf_format)

    def flush(self) -> None:
        self._store.flush()
