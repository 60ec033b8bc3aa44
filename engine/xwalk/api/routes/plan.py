"""The work plan of a baseline against ISO/IEC 42001 (JSON rows or an uploaded SoA) and the draft ISO/IEC 42001
Statement of Applicability, both under an organisation profile."""

import asyncio
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Form, UploadFile
from pydantic import BeforeValidator

from xwalk.api import deps
from xwalk.api.http import overrides_field
from xwalk.api.models import PlanRequest, form_null
from xwalk.services import assess
from xwalk.services.catalog import Catalog
from xwalk.services.profile import Profile
from xwalk.services.question import CoverageQuestion

router = APIRouter(tags=["plan"])
Engine = Annotated[Catalog, Depends(deps.catalog)]
Flag = Annotated[bool | None, Form(), BeforeValidator(form_null)]


@router.post("/api/plan", summary="Work plan against ISO/IEC 42001 (the same as `xwalk plan --format json`)")
def plan_json(catalog: Engine, request: Annotated[PlanRequest, Body()]):
    held = assess.held(catalog, request.question(), request.rows())
    judged = assess.judged(catalog, request.overrides)
    return assess.plan(catalog, request.question(), held, judged, request.profile()).to_dict()


@router.post("/api/plan/upload", summary="Work plan against ISO/IEC 42001 for an uploaded Statement of Applicability")
async def plan_upload(
    catalog: Engine,
    file: Annotated[UploadFile, File(description="The Statement of Applicability")],
    standard: Annotated[str, Form()] = "iso27001",
    certified: Annotated[list[str] | None, Form()] = None,
    uncertified: Annotated[bool, Form()] = False,
    sheet: Annotated[str | None, Form(description="Workbook sheet holding the SoA")] = None,
    columns: Annotated[str | None, Form(description='Columns named by hand, e.g. status="Our status",id=Ref')] = None,
    all_implemented: Annotated[
        bool, Form(description="No status column: every applicable control listed is implemented")
    ] = False,
    develops: Flag = None,
    provides: Flag = None,
    uses_third_party: Flag = None,
    personal_data: Flag = None,
    overrides: Annotated[
        UploadFile | str | None,
        File(description="The organisation's overrides (CSV or YAML, docs/coverage.md); a text field is read as CSV"),
    ] = None,
):
    question = CoverageQuestion(
        target="iso42001",
        standard=standard,
        certified=tuple(certified or ()),
        assume_certified=not uncertified,
        sheet=sheet,
        columns=(columns,) if columns else (),
        all_implemented=all_implemented,
    )
    profile = Profile(develops, provides, uses_third_party, personal_data)
    upload = (file.filename or "upload.csv", await file.read())
    judgements = await overrides_field(overrides, assess.OVERRIDES_LIMIT)

    def drawn() -> dict:
        held = assess.held(catalog, question, upload=upload)
        judged = assess.judged(catalog, upload=judgements)
        return assess.plan(catalog, question, held, judged, profile).to_dict()

    # read in a worker process and computed off the event loop: other requests go on meanwhile
    return await asyncio.to_thread(drawn)


@router.post("/api/soa-draft", summary="Draft ISO/IEC 42001 Statement of Applicability (with the organisation profile)")
def soa_draft(catalog: Engine, request: Annotated[PlanRequest, Body()]):
    held = assess.held(catalog, request.question(), request.rows())
    judged = assess.judged(catalog, request.overrides)
    return [asdict(row) for row in assess.soa_draft(catalog, request.question(), held, judged, request.profile())]
