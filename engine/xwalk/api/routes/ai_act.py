"""The EU AI Act: obligations by role, tier and date, and per AI system of an inventory (JSON or uploaded)."""

import json
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BeforeValidator

from xwalk.api import deps
from xwalk.api.models import CoverageRequest, InventoryRequest, form_date, form_null
from xwalk.api.routes.coverage import report_from
from xwalk.services import coverage
from xwalk.services.catalog import Catalog

router = APIRouter(tags=["EU AI Act"])
Engine = Annotated[Catalog, Depends(deps.catalog)]


@router.get("/api/obligations", summary="AI Act obligations by role, tier and date")
def obligations(
    catalog: Engine,
    role: Annotated[str, Query(examples=["deployer"])],
    tier: Annotated[str, Query(examples=["high-risk"])],
    on: date | None = None,
    timeline: str | None = None,
):
    found = coverage.obligations(catalog, role, tier, on or date.today(), timeline)
    titles = {u.iri: u for u in catalog.units("eu-ai-act")}
    return {
        **{k: v for k, v in found.items() if k != "obligations"},
        "on": (on or date.today()).isoformat(),
        "obligations": [
            {"iri": iri, "id": titles[iri].notation, "title": titles[iri].title, **info}
            for iri, info in found["obligations"].items()
        ],
    }


def inventory_answer(catalog: Catalog, inventory, request: InventoryRequest, upload: tuple[str, bytes] | None) -> dict:
    """The same answer as `xwalk obligations --format json`, with coverage when a baseline is given."""
    from xwalk.services import ai_act

    on = request.on or date.today()
    result = ai_act.evaluate(catalog, inventory, on, request.timeline)
    if request.baseline or request.certified or upload:
        covering = CoverageRequest(**request.model_dump(exclude={"inventory"}), target="eu-ai-act")
        report = report_from(catalog, covering, upload, inventory_obligations=ai_act.scored_obligations(result))
        ai_act.attach_coverage(result, report)
    return result


@router.post(
    "/api/obligations/inventory",
    summary="AI Act per AI system of an inventory given as JSON: now, next, if, fine ceilings, coverage",
)
def obligations_inventory(catalog: Engine, request: Annotated[InventoryRequest, Body()]):
    from xwalk.services import ai_act

    inventory = ai_act.validate(catalog, request.inventory, "inventory")
    return JSONResponse(json.loads(json.dumps(inventory_answer(catalog, inventory, request, None), default=str)))


@router.post(
    "/api/obligations/inventory/upload",
    summary="AI Act per AI system of an uploaded inventory (YAML, JSON, CSV, XLSX)",
)
async def obligations_inventory_upload(
    catalog: Engine,
    file: Annotated[UploadFile, File(description="The inventory of AI systems")],
    on: Annotated[date | None, Form(), BeforeValidator(form_date)] = None,
    timeline: Annotated[str | None, Form()] = None,
    certified: Annotated[list[str] | None, Form()] = None,
    sme: Annotated[bool | None, Form(), BeforeValidator(form_null)] = None,
    smc: Annotated[bool | None, Form(), BeforeValidator(form_null)] = None,
):
    from xwalk.services import ai_act

    flags = {k: v for k, v in {"sme": sme, "smc": smc}.items() if v is not None}
    inventory = ai_act.from_upload(catalog, file.filename or "inventory.yaml", await file.read(), flags)
    request = InventoryRequest(inventory={}, on=on, timeline=timeline, certified=certified or [])
    return JSONResponse(json.loads(json.dumps(inventory_answer(catalog, inventory, request, None), default=str)))
