"""Coverage of a target by a baseline (JSON rows or an uploaded SoA); the draft ISO/IEC 42001 SoA is in routes.plan."""

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Form, UploadFile
from pydantic import BeforeValidator

from xwalk.api import deps
from xwalk.api.http import overrides_field
from xwalk.api.models import CoverageRequest, form_date
from xwalk.services import assess
from xwalk.services.catalog import Catalog
from xwalk.services.question import CoverageQuestion

router = APIRouter(tags=["coverage"])
Engine = Annotated[Catalog, Depends(deps.catalog)]


@router.post(
    "/api/coverage",
    summary="Coverage of a target by a baseline given as JSON (the same result as `xwalk coverage --format json`)",
)
def coverage_json(catalog: Engine, request: Annotated[CoverageRequest, Body()]):
    question = request.question()
    held = assess.held(catalog, question, request.rows())
    judged = assess.judged(catalog, request.overrides)
    return assess.coverage_report(catalog, question, held, judgements=judged).to_dict()


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
    overrides: Annotated[
        UploadFile | str | None,
        File(description="The organisation's overrides (CSV or YAML, docs/coverage.md); a text field is read as CSV"),
    ] = None,
):
    # one parameter per form field (the CLI's options); no docstring: it would become the OpenAPI description
    question = CoverageQuestion(
        target=target,
        standard=standard,
        certified=tuple(certified or ()),
        assume_certified=not uncertified,
        role=role,
        tier=tier,
        on=on,
        timeline=timeline,
        with_derived=with_derived,
        sheet=sheet,
        columns=(columns,) if columns else (),
        all_implemented=all_implemented,
    )
    upload = (file.filename or "upload.csv", await file.read())
    judgements = await overrides_field(overrides, assess.OVERRIDES_LIMIT)

    def report() -> dict:
        held = assess.held(catalog, question, upload=upload)
        judged = assess.judged(catalog, upload=judgements)
        return assess.coverage_report(catalog, question, held, judgements=judged).to_dict()

    # read in a worker process and computed off the event loop: other requests go on meanwhile
    return await asyncio.to_thread(report)
