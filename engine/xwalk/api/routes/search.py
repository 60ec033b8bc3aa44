"""Search: provisions by id, or by words of their ids, titles, texts and mapping rationales, ranked (the one search
service that the explorer and `xwalk search` use too)."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from xwalk.api import deps
from xwalk.services import search as service
from xwalk.services.catalog import Catalog

router = APIRouter(tags=["catalog"])
Engine = Annotated[Catalog, Depends(deps.catalog)]
Text = Annotated[str, Query(min_length=1, max_length=200, examples=["logging"])]
Standard = Annotated[str | None, Query(examples=["iso27001"])]
Limit = Annotated[int, Query(ge=1, le=service.MAX_LIMIT)]


@router.get(
    "/api/search",
    summary="Find provisions by id, or by words of their ids, titles, texts and mapping rationales (ranked)",
)
def search(catalog: Engine, q: Text, standard: Standard = None, limit: Limit = 50):
    return [asdict(hit) for hit in service.search(catalog, q, standard, limit)]


@router.get("/api/provisions", summary="Find provisions (the same answer as /api/search)")
def provisions(catalog: Engine, q: Text, standard: Standard = None, limit: Limit = 50):
    return search(catalog, q, standard, limit)
