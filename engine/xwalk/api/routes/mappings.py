"""The mappings between provisions, filtered."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from xwalk.api import deps
from xwalk.services.catalog import Catalog

router = APIRouter(tags=["mappings"])


@router.get("/api/mappings", summary="Mappings filtered by standards, relation and strength")
def mappings(
    catalog: Annotated[Catalog, Depends(deps.catalog)],
    subject_standard: str | None = None,
    object_standard: str | None = None,
    relation: Literal["equal", "subset_of", "superset_of", "intersects_with", "no_relationship"] | None = None,
    min_strength: Annotated[int | None, Query(ge=1, le=10)] = None,
    derived: bool = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
):
    keys = {
        k: catalog.standard(v).key for k, v in (("subject_key", subject_standard), ("object_key", object_standard)) if v
    }
    rows = [
        r
        for r in catalog.store.select("mappings")
        if all(r[k] == v for k, v in keys.items())
        and (relation is None or r["relation"] == relation)
        and (min_strength is None or (r["strength"] or 0) >= min_strength)
        and (derived or not r["derived"])
    ]
    return rows[:limit]
