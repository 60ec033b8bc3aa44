"""The SPARQL 1.1 Protocol endpoint, query side: read-only, bounded, answered by the pool of query workers (or the
remote endpoint), with its service description and the example queries."""

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from xwalk.api import deps
from xwalk.api.http import error, negotiate, unless_disconnected
from xwalk.api.models import IRI_PATTERN, IRI_SCHEMA, GraphIri
from xwalk.api.openapi import ERROR_RESPONSE, GRAPH_TYPES, SELECT_TYPES, SPARQL_RESPONSES
from xwalk.present.templates import render
from xwalk.services import browse
from xwalk.store import Dataset, ResultTooLarge
from xwalk.store.pool import Overloaded, QueryFailed

router = APIRouter(tags=["SPARQL"])
GRAPH_PARAMETERS = ("default-graph-uri", "named-graph-uri")
SERVICE_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)
POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/sparql-query": {"schema": {"type": "string"}},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "update": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": IRI_SCHEMA},
                        "named-graph-uri": {"type": "array", "items": IRI_SCHEMA},
                    },
                }
            },
        },
    }
}
DefaultGraphs = Annotated[list[GraphIri] | None, Query(alias="default-graph-uri")]
NamedGraphs = Annotated[list[GraphIri] | None, Query(alias="named-graph-uri")]


def _dataset(default_graphs: list[str] | None, named_graphs: list[str] | None) -> Dataset:
    return Dataset(tuple(default_graphs or ()), tuple(named_graphs or ()))


async def run_sparql(request: Request, query: str | None, update: str | None, dataset: Dataset) -> Response:
    settings = deps.settings(request)
    if update is not None:
        return error(403, "this endpoint is read-only: SPARQL Update is refused")
    if query is None:
        return service_description(request)
    if len(query.encode()) > settings.max_request_bytes:
        return error(413, f"the query is longer than {settings.max_request_bytes} bytes")
    accept = request.headers.get("accept")
    select_format = negotiate(accept, SELECT_TYPES, "json")
    graph_format = negotiate(accept, GRAPH_TYPES, "ttl")
    if select_format is None and graph_format is None:
        return error(406, "none of the accepted media types is offered: " + ", ".join([*SELECT_TYPES, *GRAPH_TYPES]))
    select_formats = [select_format or "json"]
    graph_formats = [graph_format or "ttl"]
    pool = deps.pool(request)
    try:
        if pool is not None:
            answer = await unless_disconnected(request, pool.run(query, select_formats, graph_formats, dataset or None))
            if answer is None:
                return error(503, "the client went away; the query was stopped")
            media, body = answer.media_type, answer.body
        else:
            _, media, body = browse.answer(
                deps.catalog(request), query, select_formats, graph_formats, settings.max_result_bytes, dataset or None
            )
    except Overloaded as problem:
        return error(503, str(problem))
    except ResultTooLarge as problem:
        return error(413, str(problem))
    except QueryFailed as problem:
        return error(500, str(problem))
    return Response(body, media_type=media)


@router.get(
    "/sparql",
    summary="SPARQL query (GET), or the service description without a query",
    responses=SPARQL_RESPONSES,
)
async def sparql_get(
    request: Request,
    query: str | None = None,
    update: str | None = None,
    default_graph_uri: DefaultGraphs = None,
    named_graph_uri: NamedGraphs = None,
):
    return await run_sparql(request, query, update, _dataset(default_graph_uri, named_graph_uri))


@router.post(
    "/sparql",
    summary="SPARQL query (form-encoded or application/sparql-query)",
    responses={**SPARQL_RESPONSES, 415: ERROR_RESPONSE},
    openapi_extra=POST_BODY,
)
async def sparql_post(request: Request, default_graph_uri: DefaultGraphs = None, named_graph_uri: NamedGraphs = None):
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    dataset = _dataset(default_graph_uri, named_graph_uri)
    if content_type == "application/sparql-update":
        return await run_sparql(request, None, "", dataset)
    if content_type == "application/sparql-query":
        text = (await request.body()).decode("utf-8", errors="replace")
        return await run_sparql(request, text, None, dataset)
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        query, update = form.get("query"), form.get("update")
        fields = [[v for v in form.getlist(name) if isinstance(v, str)] for name in GRAPH_PARAMETERS]
        if any(fields) and any((default_graph_uri, named_graph_uri)):
            return error(400, "give the dataset either in the URL or in the form, not in both")
        if any(fields):
            wrong = next((v for v in (*fields[0], *fields[1]) if not re.fullmatch(IRI_PATTERN, v)), None)
            if wrong is not None:
                return error(400, f"{wrong!r} is not a valid graph IRI (default-graph-uri, named-graph-uri)")
            dataset = _dataset(*fields)
        return await run_sparql(
            request,
            query if isinstance(query, str) else None,
            update if isinstance(update, str) else None,
            dataset,
        )
    return error(415, "send the query as application/sparql-query or as a form field 'query'")


def service_description(request: Request) -> Response:
    endpoint = str(request.url_for("sparql_get"))
    formats = ", ".join(f"<http://www.w3.org/ns/formats/{name}>" for name in SERVICE_FORMATS)
    void = str(request.url_for("void_description"))
    turtle = (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"[] a sd:Service ;\n  sd:endpoint <{endpoint}> ;\n  sd:supportedLanguage sd:SPARQL11Query ;\n"
        f"  sd:resultFormat {formats} ;\n  sd:feature sd:UnionDefaultGraph ;\n"
        f"  rdfs:seeAlso <{void}> ;\n"
        f"  sd:defaultDataset [ a sd:Dataset ; rdfs:seeAlso <{void}> ; sd:defaultGraph [ a sd:Graph ] ] .\n"
    )
    return Response(turtle, media_type="text/turtle")


@router.get("/sparql/examples", summary="Example queries (HTML page, or JSON)")
async def sparql_examples(request: Request):
    from xwalk.services.explore import examples as shipped_examples

    examples = [{"name": e.name, "title": e.title, "query": e.text} for e in shipped_examples()]
    wanted = negotiate(request.headers.get("accept"), {"text/html": "html", "application/json": "json"}, "json")
    if wanted == "html":
        return HTMLResponse(render("examples.html", examples=examples))
    return examples
