"""The mappings between provisions, filtered."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from xwalk.api import deps
from xwalk.services import browse
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
    return browse.mapping_rows(catalog, subject_standard, object_standard, relation, min_strength, derived, limit)
