"""Coverage of a target by a baseline (JSON rows or an uploaded SoA), and the draft ISO/IEC 42001 SoA."""

import asyncio
import json
from dataclasses import asdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Form, UploadFile
from pydantic import BeforeValidator

from xwalk.api import deps
from xwalk.api.models import CoverageRequest, form_date
from xwalk.services import baseline, coverage, soa
from xwalk.services.catalog import Catalog

router = APIRouter(tags=["coverage"])
Engine = Annotated[Catalog, Depends(deps.catalog)]


def report_from(
    catalog: Catalog,
    request: CoverageRequest,
    upload: tuple[str, bytes] | None,
    reading: baseline.ReadOptions | None = None,
    inventory_obligations: dict | None = None,
) -> coverage.Report:
    """The same reading and computation as the CLI's: an upload (read in a bounded worker process), or the JSON
    rows (already parsed and validated) read as a JSON SoA."""
    reading = reading or baseline.ReadOptions(all_implemented=request.all_implemented)
    isolated = upload is not None
    if upload is None and request.baseline:
        rows = [r.model_dump(exclude_none=True) for r in request.baseline]
        upload = ("baseline.json", json.dumps(rows).encode())
    if upload is not None:
        held = baseline.from_upload(
            catalog, *upload, request.standard, request.certified, not request.uncertified, reading, isolated
        )
    else:
        held = baseline.build(catalog, None, request.certified, request.standard, not request.uncertified)
    return coverage.compute(
        catalog,
        held,
        request.target,
        request.role,
        request.tier,
        request.on,
        request.timeline,
        request.with_derived,
        inventory_obligations=inventory_obligations,
    )


@router.post(
    "/api/coverage",
    summary="Coverage of a target by a baseline given as JSON (the same result as `xwalk coverage --format json`)",
)
def coverage_json(catalog: Engine, request: Annotated[CoverageRequest, Body()]):
    return report_from(catalog, request, None).to_dict()


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
    request = CoverageRequest(
        standard=standard,
        certified=certified or [],
        uncertified=uncertified,
        target=target,
        role=role,
        tier=tier,
        on=on,
        timeline=timeline,
        with_derived=with_derived,
    )
    content = await file.read()
    upload = (file.filename or "upload.csv", content)
    # read in a worker process and computed off the event loop: other requests go on meanwhile
    report = await asyncio.to_thread(report_from, catalog, request, upload, reading)
    return report.to_dict()


@router.post("/api/soa-draft", summary="Draft ISO/IEC 42001 Statement of Applicability")
def soa_draft(catalog: Engine, request: Annotated[CoverageRequest, Body()]):
    request = request.model_copy(update={"target": "iso42001", "role": None, "tier": None, "timeline": None})
    return [asdict(row) for row in soa.draft(report_from(catalog, request, None))]
