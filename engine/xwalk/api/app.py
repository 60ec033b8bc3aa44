"""The app factory: settings and dependencies on `app.state`, the lifespan that opens the store and starts the
query workers, the middleware, the exception handlers (every error as {"error": ...}) and the routers."""

import logging
import shutil
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from xwalk.api import caching
from xwalk.api.http import BodyLimit, error
from xwalk.api.openapi import document_responses
from xwalk.api.routes import ai_act, catalog, coverage, downloads, linked_data, mappings, pages, plan, search, sparql
from xwalk.core.errors import XwalkError
from xwalk.core.settings import Settings
from xwalk.services import search as search_service
from xwalk.services import upload
from xwalk.services.catalog import Catalog
from xwalk.store.pool import QueryPool, materialise

ROUTERS = [
    sparql,
    catalog,
    search,
    mappings,
    coverage,
    plan,
    ai_act,
    linked_data,
    downloads,
    pages,
]  # the OpenAPI order
ROUTES = [route for area in ROUTERS for route in area.router.routes if isinstance(route, APIRoute)]
document_responses(ROUTES)  # once, before any app includes the routers (FastAPI copies what they declare)


def create_app(settings: Settings | None = None, catalog: Catalog | None = None) -> FastAPI:
    """The service over `catalog` (default: the store `settings` name, else one loaded from the source files at
    start-up), with the limits of `settings` (default: read from the environment)."""
    settings = settings or Settings.from_env()
    upload.configure(settings)  # the readers of uploaded files take the service's limits
    app = FastAPI(
        title="xwalk",
        version="0.1.0",
        summary="Crosswalk and coverage engine across ISO/IEC 42001, 27001, 27701, 23894 and the EU AI Act",
        description="A read-only SPARQL 1.1 endpoint at /sparql, a REST API under /api, and every "
        "https://w3id.org/xwalk/id/ IRI as linked data under /id. ISO provisions appear as identifiers and short "
        "titles only; EU AI Act content is public EU law (EUR-Lex, CELEX 32024R1689).",
        lifespan=_lifespan(catalog),
    )
    app.state.settings = settings
    app.state.catalog, app.state.pool, app.state.digest, app.state.void = catalog, None, None, {}
    app.add_middleware(caching.CatalogCache)  # inside CORS, so that kept answers get their CORS headers too
    app.add_middleware(
        CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"]
    )
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.exception_handler(XwalkError)(_user_error)  # the decorator form: typed for handlers of a narrower exception
    app.exception_handler(Exception)(_fault)
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(RequestValidationError)(_invalid_request)
    for area in ROUTERS:
        app.include_router(area.router)
    return app


def _lifespan(given: Catalog | None):
    """Open the catalog (unless given) and, over the embedded store, start the pool of query workers on a store
    directory (the one built, or a copy materialised for the pool and removed at shutdown)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from xwalk.load import load
        from xwalk.store import open_store

        settings = app.state.settings
        engine = given or Catalog(open_store(settings.endpoint, settings.store_dir) or load(imports=settings.imports))
        app.state.catalog = engine
        versioning = caching.start(app)  # the ETags' data version, computed while the workers start
        search_service.index(engine)  # built when the data loads, not on the first request
        owned = None
        if settings.endpoint is None:
            owned = None if settings.store_dir else materialise(engine.store)
            app.state.pool = QueryPool.from_settings(settings, settings.store_dir or owned)
            await app.state.pool.start()
            if not app.state.pool.isolated:
                logging.getLogger("uvicorn.error").warning(
                    "the query workers could not be given a network namespace of their own (no user namespaces "
                    "here); federated queries are still refused on their parse"
                )
        yield
        versioning.cancel()
        if app.state.pool is not None:
            app.state.pool.close()
            app.state.pool = None
        if owned:
            shutil.rmtree(owned, ignore_errors=True)

    return lifespan


async def _user_error(request: Request, problem: XwalkError):
    from xwalk.services.upload import UploadBusy

    return error(503 if isinstance(problem, UploadBusy) else 400, str(problem))


async def _fault(request: Request, problem: Exception):
    return error(500, f"the service failed on this request ({type(problem).__name__}); please report it")


async def _http_error(request: Request, problem: StarletteHTTPException):
    """Routing errors (no such path, a method the path does not take) as JSON too; a 405 names the methods."""
    response = error(problem.status_code, str(problem.detail))
    if problem.status_code == 405:
        allowed = {
            method
            for route in ROUTES
            if route.matches(request.scope)[0] != Match.NONE
            for method in route.methods or ()
        }
        response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


async def _invalid_request(request: Request, problem: RequestValidationError):
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in problem.errors()
    )
    return error(422, f"the request is not valid: {problems}")
