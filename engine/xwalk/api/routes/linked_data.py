"""Every https://w3id.org/xwalk/id/ IRI as linked data: an HTML page, or RDF in the negotiated format."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from xwalk.api import deps
from xwalk.api.http import error, negotiate
from xwalk.core.vocab import ID
from xwalk.present.templates import render
from xwalk.services import browse
from xwalk.services.catalog import Catalog
from xwalk.store import GRAPH_FORMATS

router = APIRouter(tags=["linked data"])
OFFERS = {
    "text/html": "html",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
}


@router.get("/id/{path:path}", summary="Any xwalk IRI: HTML, Turtle or JSON-LD")
def resource(catalog: Annotated[Catalog, Depends(deps.catalog)], path: str, request: Request):
    iri = ID + path
    rows = browse.resource_triples(catalog, iri)
    if not rows:
        return error(404, f"nothing is known about {iri}")
    choice = negotiate(request.headers.get("accept"), OFFERS, "html")
    if choice is None:
        return error(406, "offered: text/html, text/turtle, application/ld+json, application/n-triples")
    if choice == "html":
        links = browse.links_out(catalog, iri)
        return HTMLResponse(render("resource.html", iri=iri, rows=rows, links=links, id_base=ID))
    return Response(browse.describe(catalog, iri, choice), media_type=GRAPH_FORMATS[choice].media_type)
