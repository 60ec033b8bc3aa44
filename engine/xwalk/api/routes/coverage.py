"""Coverage of a target by a baseline (JSON rows or an uploaded SoA), and the draft ISO/IEC 42001 SoA."""

import asyncio
from dataclasses import asdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Form, UploadFile
from pydantic import BeforeValidator

from xwalk.api import deps
from xwalk.api.models import CoverageRequest, form_date
from xwalk.services import assess, baseline
from xwalk.services.catalog import Catalog

router = APIRouter(tags=["coverage"])
Engine = Annotated[Catalog, Depends(deps.catalog)]


@router.post(
    "/api/coverage",
    summary="Coverage of a target by a baseline given as JSON (the same result as `xwalk coverage --format json`)",
)
def coverage_json(catalog: Engine, request: Annotated[CoverageRequest, Body()]):
    reading = baseline.ReadOptions(all_implemented=request.all_implemented)
    held = assess.held(catalog, request.question(), request.rows(), reading=reading)
    return assess.coverage_report(catalog, request.question(), held).to_dict()


@router.post(
    "/api/coverage/upload",
    summary="Coverage of a target by an uploaded Statement of Applicability (CSV, XLSX, JSON, YAML)",
)
async def coverage_upload(
    catalog: Engine,
    file: Annotated[UploadFile, File(description="The Statement of Applicability")],
    target: Annotated[str, Form()] = "iso42001",
    standard: Annotated[str, Form()] = "iso27001",
    certified: Annotated[list[str] | None, Form()] = None,
    uncertified: Annotated[bool, Form()] = False,
    role: Annotated[str | None, Form()] = None,
    tier: Annotated[str | None, Form()] = None,
    on: Annotated[date | None, Form(), BeforeValidator(form_date)] = None,
    timeline: Annotated[str | None, Form()] = None,
    with_derived: Annotated[bool, Form()] = False,
    sheet: Annotated[str | None, Form(description="Workbook sheet holding the SoA")] = None,
    columns: Annotated[str | None, Form(description='Columns named by hand, e.g. status="Our status",id=Ref')] = None,
    all_implemented: Annotated[
        bool, Form(description="No status column: every applicable control listed is implemented")
    ] = False,
):
    # one parameter per form field (the CLI's options); no docstring: it would become the OpenAPI description
    reading = baseline.ReadOptions(sheet, baseline.parse_columns(columns), all_implemented)
    question = assess.Question(standard, certified or [], uncertified, target, role, tier, on, timeline, with_derived)
    upload = (file.filename or "upload.csv", await file.read())

    def report() -> dict:
        held = assess.held(catalog, question, upload=upload, reading=reading)
        return assess.coverage_report(catalog, question, held).to_dict()

    # read in a worker process and computed off the event loop: other requests go on meanwhile
    return await asyncio.to_thread(report)


@router.post("/api/soa-draft", summary="Draft ISO/IEC 42001 Statement of Applicability")
def soa_draft(catalog: Engine, request: Annotated[CoverageRequest, Body()]):
    reading = baseline.ReadOptions(all_implemented=request.all_implemented)
    held = assess.held(catalog, request.question(), request.rows(), reading=reading)
    return [asdict(row) for row in assess.soa_draft(catalog, request.question(), held)]
