"""What the OpenAPI document declares beyond what FastAPI infers: every status and media type a route answers,
errors as {"error": ...}."""

from typing import Any

from fastapi.routing import APIRoute

from xwalk.store import DATASET_FORMATS, GRAPH_FORMATS, RESULT_FORMATS

SELECT_TYPES = {fmt.media_type.split(";")[0]: key for key, fmt in RESULT_FORMATS.items()}
GRAPH_TYPES = {fmt.media_type.split(";")[0]: key for key, fmt in GRAPH_FORMATS.items() if key not in DATASET_FORMATS}
ERROR_RESPONSE: dict[str, Any] = {
    "description": "An error, explained",
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
        }
    },
}
SPARQL_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The answer in the negotiated format (SPARQL results, or RDF for CONSTRUCT and DESCRIBE); "
        "without a query, the service description (Turtle)",
        "content": {
            media: {"schema": {"type": "string"}}
            for media in ["text/turtle", *SELECT_TYPES, *GRAPH_TYPES]
            if media != "application/sparql-results+json"
        }
        | {"application/sparql-results+json": {"schema": {"type": "object"}}},
    },
    400: ERROR_RESPONSE | {"description": "Not valid SPARQL, a federated query (SERVICE), or a bad graph IRI"},
    403: ERROR_RESPONSE | {"description": "An update: the endpoint is read-only"},
    406: ERROR_RESPONSE | {"description": "None of the accepted media types is offered"},
    413: ERROR_RESPONSE | {"description": "The query or its answer is larger than the limits"},
    503: ERROR_RESPONSE | {"description": "Over the time or memory limit of a query, or the service is busy"},
}
COMMON_ERRORS = {  # any route may answer these (the handlers and the request limits)
    400: "Bad input: the message names the parameter and what was expected",
    413: "The request is larger than the limit",
    422: "The request does not match this description",
}
RDF_TYPES = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
ROUTE_RESPONSES: dict[str, dict[int, str | list[str]]] = {  # what a route answers beyond JSON and common errors
    "/sparql/examples": {200: ["application/json", "text/html"]},
    "/api/provisions/{standard}/{provision_id}": {404: "No such provision (close matches are named)"},
    "/api/coverage/upload": {503: "Too many uploads are being read; try again"},
    "/id/{path}": {
        200: ["text/html", *RDF_TYPES],
        404: "Nothing is known about this IRI",
        406: "None of the accepted media types is offered",
    },
    "/ontology": {200: ["text/turtle", "text/html"]},
    "/.well-known/void": {200: ["text/turtle"]},
    "/dataset.{extension}": {200: ["application/trig", "application/n-quads"]},
    "/mappings/{name}": {200: ["text/tab-separated-values"], 404: "No such mapping set (the known ones are named)"},
}


def document_responses(routes: list[APIRoute]) -> None:
    """Declare in the OpenAPI document every status and media type the routes answer, errors as {"error": ...}."""
    for route in routes:
        if not route.include_in_schema:
            continue
        for status, description in COMMON_ERRORS.items():
            route.responses.setdefault(status, ERROR_RESPONSE | {"description": description})
        for status, what in ROUTE_RESPONSES.get(route.path_format, {}).items():
            if isinstance(what, list):
                content = {media: {"schema": {} if "json" in media else {"type": "string"}} for media in what}
                route.responses[status] = {"description": "Successful Response", "content": content}
            else:
                route.responses[status] = ERROR_RESPONSE | {"description": what}
