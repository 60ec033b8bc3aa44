"""The catalog: standard editions and one provision with its neighbours and mappings."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends

from xwalk.api import deps
from xwalk.api.http import error
from xwalk.services import browse
from xwalk.services.catalog import Catalog

router = APIRouter(tags=["catalog"])
Engine = Annotated[Catalog, Depends(deps.catalog)]


@router.get("/api/standards", summary="The standard editions and their sizes")
def standards(catalog: Engine):
    return [asdict(s) for s in catalog.standards()]


@router.get(
    "/api/provisions/{standard}/{provision_id}",
    summary="A provision with its parents, children and mappings in both directions",
)
def provision(catalog: Engine, standard: str, provision_id: str):
    found = catalog.resolve(provision_id, standard)
    if found is None:
        return error(404, catalog.lookup_error(provision_id, standard))
    return browse.provision_record(catalog, found)
