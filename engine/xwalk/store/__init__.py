"""The store layer: the only module that talks to pyoxigraph.

Everything else asks it for named queries (files in `queries/`, values bound through SEP-0007 substitutions, never
formatted into the text) and gets plain Python values back.

May import: `xwalk.core` only; the only layer that imports pyoxigraph or talks to a SPARQL server.

The remote store (`RemoteStore`, over a SPARQL 1.1 endpoint) is in `store/remote.py`, importable from here.
"""

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from xwalk.core import query_errors
from xwalk.core.errors import XwalkError
from xwalk.core.paths import QUERIES_DIR, display
from xwalk.core.vocab import IRI, PREFIXES, XSD
from xwalk.store.federation import refuse_federation

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
DATASET_FORMATS = {"trig", "nq"}  # hold named graphs; the others are graph formats (JSON-LD counts as a graph here)
GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}


class ResultTooLarge(XwalkError):
    """A query's answer grew past the configured size limit."""


class _BoundedWriter(io.BytesIO):
    """A file-like sink that refuses to grow past a limit, so a huge answer fails instead of being cut short."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def write(self, data) -> int:
        if self.tell() + memoryview(data).nbytes > self.limit:
            raise ResultTooLarge(f"the answer is larger than the {self.limit}-byte limit; add a LIMIT or narrow it")
        return super().write(data)


def _written(data: bytes | None) -> bytes:
    """What pyoxigraph's serialize and dump return when given no output file: the bytes (None only with a file)."""
    if data is None:
        raise TypeError("serialized to a file, not to bytes")
    return data


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of a protocol request: default-graph-uri and named-graph-uri values (IRIs). Empty lists
    keep the store's own (the union of all graphs as the default graph, every named graph)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass
class QueryResult:
    """The answer to an arbitrary SPARQL query, as lexical strings (what CSV, tables and JSON print)."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str]
    rows: list[list[str | None]]
    boolean: bool | None = None


@runtime_checkable
class StoreBackend(Protocol):
    """What every store answers, whichever engine holds the dataset: the embedded pyoxigraph `Store` and the
    `RemoteStore` over a SPARQL 1.1 server implement all of it, and tests/test_store_compliance.py runs one suite
    against each backend."""

    def select(self, name: str, table: list[dict] | None = None, **bindings) -> list[dict]: ...

    def ask(self, name: str, **bindings) -> bool: ...

    def construct(self, name: str, fmt: str, **bindings) -> bytes: ...

    def select_text(self, text: str) -> list[dict]: ...

    def query(self, text: str) -> QueryResult: ...

    def query_as(self, text: str, fmt: str) -> bytes: ...

    def answer(
        self,
        text: str,
        select_formats: list[str],
        graph_formats: list[str],
        max_bytes: int,
        dataset: "Dataset | None" = None,
    ) -> tuple[str, str, bytes]: ...

    def serialize(self, fmt: str) -> bytes: ...

    def graphs(self) -> list[str]: ...

    def digest(self) -> str:
        """SHA-256 of the dataset's canonical N-Quads: the content version of the data."""
        ...

    def __len__(self) -> int: ...


@cache
def query_text(name: str) -> str:
    path = QUERIES_DIR / f"{name}.rq"
    if not path.exists():
        raise XwalkError(f"no named query {name!r} in {display(QUERIES_DIR)}")
    return path.read_text("utf-8")


def _term(value) -> ox.NamedNode | ox.Literal:
    if isinstance(value, IRI):
        try:
            return ox.NamedNode(value)
        except ValueError:
            raise XwalkError(f"{str(value)!r} is not a valid IRI") from None
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))


def _resource(value) -> ox.NamedNode:
    """The subject or predicate of a loaded triple: always an IRI (the loader makes no blank nodes)."""
    term = _term(value)
    if not isinstance(term, ox.NamedNode):
        raise XwalkError(f"{str(value)!r} is not an IRI; a subject or predicate must be one")
    return term


def _named(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise XwalkError(f"{iri!r} is not a valid graph IRI") from None


_BOOLEAN = ("true", "1")  # both lexical forms of true (Virtuoso writes 1)
_CONVERT = {  # literal datatype -> the Python value of a lexical form; any other literal stays a str
    ox.NamedNode(XSD + "integer"): int,
    ox.NamedNode(XSD + "decimal"): Decimal,
    ox.NamedNode(XSD + "double"): float,
    ox.NamedNode(XSD + "float"): float,
    ox.NamedNode(XSD + "boolean"): _BOOLEAN.__contains__,
    ox.NamedNode(XSD + "date"): date.fromisoformat,
}


def _python(term):
    """A result term as a plain Python value: IRIs as IRI (a str), literals as str, numbers, booleans or dates."""
    kind = type(term)
    if kind is ox.Literal:
        make = _CONVERT.get(term.datatype)
        return term.value if make is None else make(term.value)
    if term is None:
        return None
    if kind is ox.BlankNode:
        return f"_:{term.value}"
    return IRI(term.value)  # stays an IRI when bound back into another query


def solution_rows(solutions) -> list[dict]:
    """The solutions of a SELECT as dicts of Python values; each solution is read in the order of its variables
    (reading its values by name took longer than converting them)."""
    names = [v.value for v in solutions.variables]
    return [dict(zip(names, map(_python, solution), strict=True)) for solution in solutions]


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

    def load_dump(self, nquads: bytes) -> None:
        """Load a dataset dump (N-Quads, as `serialize("nq")` writes it), keeping its named graphs."""
        self._store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)

    def add(self, triples: Iterable[tuple], graph: IRI) -> None:
        g = ox.NamedNode(graph)
        self._store.extend(ox.Quad(_resource(s), _resource(p), _term(o), g) for s, p, o in triples)

    def __len__(self) -> int:
        return len(self._store)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def _run(self, text: str, bindings: dict, table: list[dict] | None = None, dataset: Dataset | None = None):
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): _term(v) for k, v in bindings.items()
        }
        if table:
            text += _values(table)
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        named: list[ox.NamedNode | ox.BlankNode] | None = None
        if dataset and dataset.default_graphs:
            default = [_named(iri) for iri in dataset.default_graphs]
        if dataset and dataset.named_graphs:
            named = [_named(iri) for iri in dataset.named_graphs]
        return self._store.query(
            text,
            prefixes=PREFIXES,
            use_default_graph_as_union=default is None,
            substitutions=substitutions or None,
            default_graph=default,
            named_graphs=named,
        )

    def select(self, name: str, table: list[dict] | None = None, **bindings) -> list[dict]:
        """Rows of the named SELECT query as dicts of Python values. Each keyword binding must be projected by the
        query; `table` (rows of equal keys) is joined to the query as a trailing VALUES block of RDF terms."""
        return solution_rows(self._run(query_text(name), bindings, table))

    def ask(self, name: str, **bindings) -> bool:
        return bool(self._run(query_text(name), bindings))

    def construct(self, name: str, fmt: str, **bindings) -> bytes:
        """The graph a named CONSTRUCT query builds, serialised as `fmt` (ttl, nt, jsonld, rdf)."""
        return self._run(query_text(name), bindings).serialize(format=GRAPH_FORMATS[fmt])

    def select_text(self, text: str) -> list[dict]:
        """Rows of a SELECT given as text (the checks in ontology/checks/ are files outside the package)."""
        return solution_rows(self._run(text, {}))

    def query(self, text: str) -> QueryResult:
        """Any SPARQL query from a user; a syntax error or an update is a clear error, not a traceback."""
        try:
            result = self._run(refuse_federation(text), {})
        except SyntaxError as error:
            raise XwalkError(query_errors.explain(text, error.msg, list(PREFIXES))) from None
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
            result = self._run(refuse_federation(text), {})
        except SyntaxError as error:
            raise XwalkError(query_errors.explain(text, error.msg, list(PREFIXES))) from None
        if isinstance(result, ox.QueryTriples):
            if fmt not in GRAPH_FORMATS or fmt in DATASET_FORMATS:
                raise XwalkError(
                    f"a CONSTRUCT or DESCRIBE answer is a graph: format {fmt!r} does not fit; "
                    "use one of table, ttl, nt, jsonld, rdf"
                )
            return _written(result.serialize(format=GRAPH_FORMATS[fmt]))
        if fmt not in RESULT_FORMATS:
            raise XwalkError(
                f"a SELECT or ASK answer is a table: format {fmt!r} does not fit; "
                f"use one of table, {', '.join(RESULT_FORMATS)}"
            )
        return _written(result.serialize(format=RESULT_FORMATS[fmt]))

    def answer(
        self,
        text: str,
        select_formats: list[str],
        graph_formats: list[str],
        max_bytes: int,
        dataset: Dataset | None = None,
    ):
        """Any SPARQL query answered for the protocol: in the first of `select_formats` (for SELECT and ASK) or of
        `graph_formats` (CONSTRUCT, DESCRIBE) that fits, at most `max_bytes` long, over `dataset` when the request
        names one (default-graph-uri, named-graph-uri). Returns (format key, media type, body); raises XwalkError
        for a syntax error and ResultTooLarge past the limit, never a truncated answer."""
        try:
            result = self._run(refuse_federation(text), {}, dataset=dataset)
        except SyntaxError as error:
            raise XwalkError(query_errors.explain(text, error.msg, list(PREFIXES))) from None
        fmt: ox.RdfFormat | ox.QueryResultsFormat
        if isinstance(result, ox.QueryTriples):
            key, fmt = graph_formats[0], GRAPH_FORMATS[graph_formats[0]]
        else:
            key, fmt = select_formats[0], RESULT_FORMATS[select_formats[0]]
        out = _BoundedWriter(max_bytes)
        result.serialize(out, fmt)
        return key, fmt.media_type, out.getvalue()

    def serialize(self, fmt: str) -> bytes:
        """The whole dataset (quads formats) or the union of its graphs (triples formats)."""
        rdf_format = GRAPH_FORMATS[fmt]
        if fmt in DATASET_FORMATS:
            return _written(self._store.dump(format=rdf_format))
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self._store}
        return _written(ox.serialize(triples, format=rdf_format))

    def flush(self) -> None:
        self._store.flush()

    def digest(self) -> str:
        return _digest(self._store)


def result_of(fmt: str, body: bytes) -> QueryResult:
    """An answer written by `answer` (SPARQL results as json, or a graph as nt) read back as a QueryResult, for
    the surfaces that show a table of a query run in a worker."""
    if fmt in GRAPH_FORMATS:
        triples = ox.parse(body, format=GRAPH_FORMATS[fmt])
        rows = [[_lexical(t.subject), _lexical(t.predicate), _lexical(t.object)] for t in triples]
        return QueryResult("graph", ["subject", "predicate", "object"], rows)
    result = ox.parse_query_results(body, format=RESULT_FORMATS[fmt])
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", [], [], bool(result))
    names = [v.value for v in result.variables]
    return QueryResult("select", names, [[_lexical(s[n]) for n in names] for s in result])


def _digest(quads) -> str:
    """SHA-256 of a dataset's canonical N-Quads (RDFC-1.0): the same data gives the same digest, whatever its blank
    node labels."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted(f"{quad} ." for quad in dataset)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def open_store(endpoint: str | None = None, path: Path | None = None) -> StoreBackend | None:
    """The store a surface answers from: a remote endpoint, a built store directory (read-only), or None to let
    the caller load the source files."""
    if endpoint:
        return RemoteStore(endpoint)
    if path is not None:
        return Store(path, read_only=True)
    return None


from xwalk.store.remote import RemoteStore  # noqa: E402 (it builds on the names above)
