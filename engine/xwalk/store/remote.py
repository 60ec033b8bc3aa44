"""The remote store: the store interface over a SPARQL 1.1 endpoint (`xwalk --endpoint URL`), answering as the
embedded store does (tests/test_store_compliance.py runs one suite against both)."""

import re

import pyoxigraph as ox

from xwalk.core.errors import XwalkError
from xwalk.core.vocab import GRAPH, IRI, PREFIXES
from xwalk.store import (
    DATASET_FORMATS,
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Dataset,
    QueryResult,
    _BoundedWriter,
    _digest,
    _lexical,
    _values,
    _written,
    query_text,
    solution_rows,
)
from xwalk.store.federation import refuse_federation


class RemoteStore:
    """The same interface over a remote SPARQL 1.1 endpoint: an `oxigraph serve-read-only --union-default-graph`
    server, Virtuoso, or any server whose default graph is the union of its named graphs and that holds the dataset
    in the graphs under `https://w3id.org/xwalk/graph/` (graphs of its own elsewhere are ignored). The SPARQL
    protocol has no substitutions, so bound values travel as a VALUES block of serialised RDF terms placed at the
    start of the query's WHERE group; the common prefixes are declared in the query text."""

    def __init__(self, endpoint: str, timeout: float = 30.0):
        self.endpoint, self.timeout = endpoint, timeout

    def _post(self, text: str, accept: str, dataset: Dataset | None = None) -> bytes:
        import httpx

        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
        form: dict[str, str | list[str]] = {"query": prologue + text}
        if dataset:
            form |= {"default-graph-uri": list(dataset.default_graphs), "named-graph-uri": list(dataset.named_graphs)}
        try:
            response = httpx.post(self.endpoint, data=form, headers={"Accept": accept}, timeout=self.timeout)
        except httpx.HTTPError as error:
            raise XwalkError(f"the SPARQL endpoint {self.endpoint} did not answer: {error}") from None
        if response.status_code == 400:
            raise XwalkError(f"the query is not valid SPARQL: {response.text[:300]}")
        if response.status_code != 200:
            raise XwalkError(
                f"the SPARQL endpoint {self.endpoint} answered {response.status_code}: {response.text[:300]}"
            )
        return response.content

    def _solutions(self, text: str, dataset: Dataset | None = None):
        body = _VIRTUOSO_BLANK_NODE.sub(rb"\1", self._post(text, "application/sparql-results+json", dataset))
        try:
            result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except SyntaxError:
            # a server that times out may still answer 200 with a cut body: never take that as an answer
            raise XwalkError(f"the SPARQL endpoint {self.endpoint} sent an incomplete answer") from None
        return _standard_boolean(result)

    def _rows(self, text: str) -> list[dict]:
        return solution_rows(self._solutions(text))

    def _graph(self, text: str, dataset: Dataset | None = None) -> list:
        """The triples a CONSTRUCT or DESCRIBE answers, asked as N-Triples (which every server writes alike)."""
        body = self._post(text, "application/n-triples", dataset)
        try:
            return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError:
            raise XwalkError(f"the SPARQL endpoint {self.endpoint} sent an incomplete answer") from None

    def select(self, name: str, table: list[dict] | None = None, **bindings) -> list[dict]:
        return self._rows(_bound(query_text(name), table, bindings))

    def ask(self, name: str, **bindings) -> bool:
        return bool(self._solutions(_bound(query_text(name), None, bindings)))

    def construct(self, name: str, fmt: str, **bindings) -> bytes:
        return _written(ox.serialize(self._graph(_bound(query_text(name), None, bindings)), format=GRAPH_FORMATS[fmt]))

    def select_text(self, text: str) -> list[dict]:
        return self._rows(text)

    def query(self, text: str) -> QueryResult:
        refuse_federation(text)  # the remote endpoint may allow it; a user's query here never federates
        if _is_graph_query(text):
            rows = [[_lexical(t.subject), _lexical(t.predicate), _lexical(t.object)] for t in self._graph(text)]
            return QueryResult("graph", ["subject", "predicate", "object"], rows)
        result = self._solutions(text)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", [], [], bool(result))
        names = [v.value for v in result.variables]
        return QueryResult("select", names, [[_lexical(s[n]) for n in names] for s in result])

    def query_as(self, text: str, fmt: str) -> bytes:
        refuse_federation(text)
        formats = GRAPH_FORMATS if _is_graph_query(text) else RESULT_FORMATS
        if fmt not in formats:
            raise XwalkError(f"format {fmt!r} does not fit this query; use one of table, {', '.join(formats)}")
        return self.answer(text, [fmt], [fmt], max_bytes=2**62)[2]

    def answer(
        self,
        text: str,
        select_formats: list[str],
        graph_formats: list[str],
        max_bytes: int,
        dataset: Dataset | None = None,
    ):
        """As `Store.answer`, from the remote endpoint. The answer is parsed (so a cut body is never passed on) and
        written again by pyoxigraph, so that every server's answer reads the same."""
        refuse_federation(text)
        out = _BoundedWriter(max_bytes)
        if _is_graph_query(text):
            key = graph_formats[0]
            ox.serialize(self._graph(text, dataset), out, GRAPH_FORMATS[key])
        else:
            key = select_formats[0]
            self._solutions(text, dataset).serialize(out, RESULT_FORMATS[key])
        return key, (GRAPH_FORMATS.get(key) or RESULT_FORMATS[key]).media_type, out.getvalue()

    def serialize(self, fmt: str) -> bytes:
        """The dataset as `Store.serialize` writes it, rebuilt from the quads of the xwalk graphs."""
        solutions = self._solutions(_bound(query_text("dataset_quads"), None, {"base": IRI(GRAPH)}))
        quads = [ox.Quad(q["s"], q["p"], q["o"], q["g"]) for q in solutions]
        if fmt in DATASET_FORMATS:
            return _written(ox.serialize(quads, format=GRAPH_FORMATS[fmt]))
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        return _written(ox.serialize(triples, format=GRAPH_FORMATS[fmt]))

    def graphs(self) -> list[str]:
        return [str(row["g"]) for row in self.select("graphs", base=IRI(GRAPH))]

    def digest(self) -> str:
        return _digest(ox.parse(self.serialize("nq"), format=ox.RdfFormat.N_QUADS))

    def __len__(self) -> int:
        return self.select("quad_count", base=IRI(GRAPH))[0]["n"]


# Virtuoso labels blank nodes `nodeID://b123`, which is not a valid blank node label: keep the `b123`.
_VIRTUOSO_BLANK_NODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')


def _bound(text: str, table: list[dict] | None, bindings: dict) -> str:
    """A named query with its bound values as a VALUES block at the start of its WHERE group."""
    text = re.sub(r"(?m)^\s*#.*$", "", text)  # comments out, so WHERE is found in the query
    rows = [{**row, **bindings} for row in table] if table else ([bindings] if bindings else [])
    if not rows:
        return text
    found = re.search(r"\bWHERE\b", text, re.IGNORECASE)
    if found is None:
        raise XwalkError("a named query bound with values needs a WHERE group to put them in")
    where = text.index("{", found.start())
    return text[: where + 1] + _values(rows) + "\n" + text[where + 1 :]


def _standard_boolean(result):
    """Virtuoso 7 answers ASK as a one-row table of `__ASK_RETVAL` (1 or 0) instead of a boolean: read it as the
    boolean the protocol specifies, so every backend answers ASK alike."""
    if isinstance(result, ox.QuerySolutions) and [v.value for v in result.variables] == ["__ASK_RETVAL"]:
        rows = list(result)
        return _boolean(bool(rows) and rows[0]["__ASK_RETVAL"].value not in ("0", "false"))
    return result


def _boolean(value: bool):
    """A QueryBoolean (pyoxigraph cannot build one directly): the answer of an empty in-memory store."""
    return ox.Store().query("ASK {}" if value else "ASK { FILTER(false) }")


def _is_graph_query(text: str) -> bool:
    """CONSTRUCT or DESCRIBE, judged on the query form keyword after the prologue."""
    body = re.sub(r"(?im)^\s*(PREFIX|BASE)\s+[^\n]*$|#[^\n]*", " ", text)
    return bool(re.match(r"\s*(CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE))
