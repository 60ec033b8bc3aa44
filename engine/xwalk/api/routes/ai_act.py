"""The EU AI Act: obligations by role, tier and date, and per AI system of an inventory (JSON or uploaded)."""

import json
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BeforeValidator

from xwalk.api import deps
from xwalk.api.models import InventoryRequest, form_date, form_null
from xwalk.services import ai_act, assess
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
    return assess.obligations(catalog, role, tier, on or date.today(), timeline)


def _answer(catalog: Catalog, systems: ai_act.Inventory, request: InventoryRequest) -> JSONResponse:
    """The same answer as `xwalk obligations --format json`, with coverage when a baseline is given."""
    question = request.question()
    held = None
    if request.baseline or request.certified:
        held = assess.held(catalog, question, request.rows())
    result = assess.inventory(catalog, systems, question, held)
    return JSONResponse(json.loads(json.dumps(result, default=str)))


@router.post(
    "/api/obligations/inventory",
    summary="AI Act per AI system of an inventory given as JSON: now, next, if, fine ceilings, coverage",
)
def obligations_inventory(catalog: Engine, request: Annotated[InventoryRequest, Body()]):
    return _answer(catalog, ai_act.validate(catalog, request.inventory, "inventory"), request)


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
    flags = {k: v for k, v in {"sme": sme, "smc": smc}.items() if v is not None}
    systems = ai_act.from_upload(catalog, file.filename or "inventory.yaml", await file.read(), flags)
    return _answer(
        catalog, systems, InventoryRequest(inventory={}, on=on, timeline=timeline, certified=certified or [])
    )
