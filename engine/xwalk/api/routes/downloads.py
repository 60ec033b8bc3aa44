"""Downloads: the ontology, the whole dataset, its VoID/DCAT description and the curated mapping sets."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from xwalk.api import deps
from xwalk.api.http import error, negotiate
from xwalk.core import paths
from xwalk.services.catalog import Catalog
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
    from xwalk.services.exchange.description import version

    state = request.app.state
    if getattr(state, "digest", None) is None:
        state.digest = version(deps.catalog(request).store)
    return state.digest


@router.get("/dataset.{extension}", summary="The whole dataset, one named graph per file")
def dataset(catalog: Engine, extension: Literal["trig", "nq"], request: Request):
    from xwalk.services.exchange.description import with_description

    dump = with_description(catalog.store, base=str(request.base_url), digest=digest(request)).serialize(extension)
    return Response(dump, media_type=GRAPH_FORMATS[extension].media_type)


@router.get(
    "/.well-known/void",
    summary="VoID and DCAT description of the dataset: graphs, mapping sets, downloads, version, licences",
)
def void_description(catalog: Engine, request: Request):
    from xwalk.services.exchange.description import turtle

    base = str(request.base_url)
    cache = request.app.state.void  # once per base URL the service is reached under
    if base not in cache:
        cache[base] = turtle(catalog.store, base, digest=digest(request))
    return Response(cache[base], media_type="text/turtle")


@router.get("/mappings/{name}", summary="A curated mapping set as SSSOM/TSV")
def mapping_file(name: str):
    files = {p.name: p for p in paths.MAPPINGS_DIR.glob("*.sssom.tsv")}
    if name not in files:
        return error(404, f"no mapping set {name!r}; there are: {', '.join(sorted(files))}")
    return FileResponse(files[name], media_type="text/tab-separated-values")
