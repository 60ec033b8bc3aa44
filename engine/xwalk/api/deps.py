"""FastAPI dependencies: what a handler needs, read from `request.app.state` (set by the app factory and its
lifespan). Use as `catalog: Annotated[Catalog, Depends(deps.catalog)]`."""

from fastapi import Request

from xwalk.core.settings import Settings
from xwalk.services.catalog import Catalog
from xwalk.store.pool import QueryPool


def catalog(request: Request) -> Catalog:
    """The catalog over the store the service reads (opened at start-up)."""
    return request.app.state.catalog


def pool(request: Request) -> QueryPool | None:
    """The pool of query workers answering /sparql; None over a remote endpoint (the endpoint answers)."""
    return request.app.state.pool


def settings(request: Request) -> Settings:
    """The service's settings."""
    return request.app.state.settings
