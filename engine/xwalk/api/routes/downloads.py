"""Downloads: the ontology, the whole dataset, its VoID/DCAT description and the curated mapping sets."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from xwalk.api import deps
from xwalk.api.http import error, negotiate
from xwalk.core import paths
from xwalk.services.catalog import Catalog
from xwalk.services.exchange import published
from xwalk.store import GRAPH_FORMATS

router = APIRouter(tags=["downloads"])
Engine = Annotated[Catalog, Depends(deps.catalog)]


@router.get("/ontology", summary="The ontology (Turtle, or its documentation as HTML)")
def ontology(request: Request):
    from xwalk.services.exchange.export import ontology_page

    wants = negotiate(request.headers.get("accept"), {"text/html": "html", "text/turtle": "ttl"}, "ttl")
    if wants == "html":
        return HTMLResponse(ontology_page())
    return FileResponse(paths.SCHEMA_FILE, media_type="text/turtle")


def digest(request: Request) -> str:
    """The data's version (a content digest); computed once, as the data does not change while serving."""
    state = request.app.state
    if state.digest is None:
        state.digest = published.version(deps.catalog(request))
    return state.digest


@router.get("/dataset.{extension}", summary="The whole dataset, one named graph per file")
def dataset(catalog: Engine, extension: Literal["trig", "nq"], request: Request):
    dump = published.dataset(catalog, extension, str(request.base_url), digest(request))
    return Response(dump, media_type=GRAPH_FORMATS[extension].media_type)


@router.get(
    "/.well-known/void",
    summary="VoID and DCAT description of the dataset: graphs, mapping sets, downloads, version, licences",
)
def void_description(catalog: Engine, request: Request):
    base = str(request.base_url)
    cache = request.app.state.void  # once per base URL the service is reached under
    if base not in cache:
        cache[base] = published.void(catalog, base, digest(request))
    return Response(cache[base], media_type="text/turtle")


@router.get("/mappings/{name}", summary="A curated mapping set as SSSOM/TSV")
def mapping_file(name: str):
    try:
        return FileResponse(published.mapping_set(name), media_type="text/tab-separated-values")
    except LookupError as unknown:
        return error(404, str(unknown))
