"""The catalog: standard editions and one provision with its neighbours and mappings."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

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
    summary="A provision with its parents, children and mappings in both directions (the same record as "
    "`xwalk show --format json`)",
    response_model=browse.ProvisionRecord,
)
def provision(
    catalog: Engine,
    standard: Annotated[str, Path(examples=["iso42001"])],
    provision_id: Annotated[str, Path(examples=["A.6.2.8"])],
    with_derived: Annotated[
        bool, Query(description="Also the mappings derived by chaining, with their chains")
    ] = False,
):
    found = catalog.resolve(provision_id, standard)
    if found is None:
        return error(404, catalog.lookup_error(provision_id, standard))
    return browse.provision_record(catalog, found, with_derived)
