"""The request models of the REST API and the validators of their fields (dates as text, empty form fields)."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, StrictBool, StringConstraints

from xwalk.services.assess import Question

IRI_PATTERN = r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$"  # absolute: a scheme, then no space, <>"{}|^`\
IRI_SCHEMA = {"type": "string", "pattern": IRI_PATTERN}
GraphIri = Annotated[str, StringConstraints(pattern=IRI_PATTERN)]
QUESTION_FIELDS = set(Question.__dataclass_fields__)


def date_text(value):
    """A date is written as text (2026-08-02): a number is refused, not read as seconds since 1970."""
    if value is not None and not isinstance(value, str | date):
        raise ValueError("a date is written as YYYY-MM-DD")
    return value


def form_date(value):
    """As `date_text`, where an empty form field (or "null", as form encoders write a missing value) is no date."""
    return None if value in ("", "null") else date_text(value)


def form_null(value):
    """An empty form field, or "null" as form encoders write a missing value, is no value."""
    return None if value in ("", "null") else value


class BaselineRow(BaseModel):
    id: str = Field(examples=["A.5.15"], description="Control id as written in the SoA (5.15, A 5.15, ...)")
    status: str | None = Field(None, examples=["implemented"])
    applicable: str | None = Field(None, examples=["yes"])
    justification: str | None = None
    standard: str | None = Field(None, examples=["iso27001"])


class CoverageRequest(BaseModel):
    baseline: list[BaselineRow] = Field(default_factory=list, description="The SoA rows; may be empty with certified")
    standard: str = "iso27001"
    certified: list[str] = Field(default_factory=list, examples=[["iso27001"]])
    uncertified: StrictBool = False
    target: str = Field("iso42001", examples=["iso42001", "eu-ai-act"])
    role: str | None = Field(None, examples=["deployer"])
    tier: str | None = Field(None, examples=["high-risk"])
    on: Annotated[date | None, BeforeValidator(date_text)] = None
    timeline: str | None = None
    with_derived: StrictBool = False
    all_implemented: StrictBool = Field(
        False, description="The baseline rows give no status: every applicable control listed is implemented"
    )

    model_config = {"json_schema_extra": {"examples": [{"certified": ["iso27001"], "target": "iso42001"}]}}

    def question(self) -> Question:
        return Question(**self.model_dump(include=QUESTION_FIELDS))

    def rows(self) -> list[dict]:
        """The SoA rows as the JSON SoA reader reads them."""
        return [r.model_dump(exclude_none=True) for r in self.baseline]


class InventoryRequest(BaseModel):
    inventory: dict = Field(
        description="Organisation facts (sme, smc, public_body, established_in_eu, ...) and `systems`: a list of "
        "AI systems, each with name, roles, tier and facts",
        examples=[{"sme": True, "systems": [{"name": "CV screening", "roles": ["deployer"], "tier": "high-risk"}]}],
    )
    on: Annotated[date | None, BeforeValidator(date_text)] = None
    timeline: str | None = None
    baseline: list[BaselineRow] = Field(default_factory=list)
    standard: str = "iso27001"
    certified: list[str] = Field(default_factory=list)
    uncertified: StrictBool = False
    with_derived: StrictBool = False

    def question(self) -> Question:
        return Question(**self.model_dump(include=QUESTION_FIELDS))

    def rows(self) -> list[dict]:
        """The SoA rows as the JSON SoA reader reads them."""
        return [r.model_dump(exclude_none=True) for r in self.baseline]
