"""The HTTP service: a SPARQL 1.1 Protocol endpoint (query side, read-only and bounded), a REST API over the same
services as the CLI, and every https://w3id.org/xwalk/id/ IRI as linked data. The only module importing FastAPI.

`create_app(settings, catalog)` takes its dependencies, so tests pass their own store; `xwalk serve` runs it.

May import: every layer below (services, presentation, load, store, core); never `xwalk.cli`. The only layer that
imports FastAPI."""

import asyncio
import json
import os
import re
import shutil
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Body, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, BeforeValidator, Field, StrictBool, StringConstraints
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from xwalk.core import paths
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import ID, IRI
from xwalk.present.templates import render
from xwalk.services import baseline, coverage, soa
from xwalk.services.catalog import Catalog
from xwalk.store import DATASET_FORMATS, GRAPH_FORMATS, RESULT_FORMATS, Dataset, ResultTooLarge
from xwalk.store.pool import Overloaded, QueryFailed, QueryPool, materialise

SELECT_TYPES = {fmt.media_type.split(";")[0]: key for key, fmt in RESULT_FORMATS.items()}
GRAPH_TYPES = {fmt.media_type.split(";")[0]: key for key, fmt in GRAPH_FORMATS.items() if key not in DATASET_FORMATS}


@dataclass
class Settings:
    """Limits and sources of the service; every field can be set from the environment (XWALK_QUERY_TIMEOUT, ...)."""

    query_timeout: float = 10.0  # seconds a SPARQL query may take, waiting for a worker included
    max_result_bytes: int = 20_000_000  # larger answers are refused, never cut
    max_request_bytes: int = 1_000_000  # larger requests (queries, uploads) are refused
    workers: int = 4  # processes answering SPARQL queries; half of them may hold long queries
    query_memory_mb: int = 2000  # address space of a query worker; a query past it is stopped
    quick_seconds: float = 1.0  # a query running longer needs one of the workers - 1 long-query slots
    query_queue: int = 32  # queries waiting for a worker; past that the answer is 503 at once
    store_dir: Path | None = None  # a store written by `xwalk build`; default: one built at start-up
    endpoint: str | None = None  # a remote SPARQL endpoint the engine reads instead of the embedded store
    cors_origins: list[str] = field(default_factory=lambda: ["*"])

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ.get
        return cls(
            query_timeout=float(env("XWALK_QUERY_TIMEOUT", 10.0)),
            max_result_bytes=int(env("XWALK_MAX_RESULT_BYTES", 20_000_000)),
            max_request_bytes=int(env("XWALK_MAX_REQUEST_BYTES", 1_000_000)),
            workers=int(env("XWALK_WORKERS", 4)),
            query_memory_mb=int(env("XWALK_QUERY_MEMORY_MB", 2000)),
            quick_seconds=float(env("XWALK_QUICK_SECONDS", 1.0)),
            query_queue=int(env("XWALK_QUERY_QUEUE", 32)),
            store_dir=Path(env("XWALK_STORE")) if env("XWALK_STORE") else None,
            endpoint=env("XWALK_SPARQL_ENDPOINT") or None,
        )


def negotiate(accept: str | None, offers: dict[str, str], default: str) -> str | None:
    """The offer (a format key) best matching an Accept header by its q-values; `default` for */* or no header;
    None when the client accepts none of the offers."""
    if not accept:
        return default
    choices = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = next((float(p[2:]) for p in params if p.startswith("q=") and _is_number(p[2:])), 1.0)
        choices.append((-q, position, media.lower()))
    for negative_q, _, media in sorted(choices):
        if negative_q == 0:
            continue
        if media in offers:
            return offers[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


GRAPH_PARAMETERS = ("default-graph-uri", "named-graph-uri")
IRI_PATTERN = r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$"  # absolute: a scheme, then no space, <>"{}|^`\
IRI_SCHEMA = {"type": "string", "pattern": IRI_PATTERN}
GraphIri = Annotated[str, StringConstraints(pattern=IRI_PATTERN)]
ERROR_RESPONSE = {
    "description": "An error, explained",
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
        }
    },
}
SPARQL_RESPONSES = {
    200: {
        "description": "The answer in the negotiated format (SPARQL results, or RDF for CONSTRUCT and DESCRIBE); "
        "without a query, the service description (Turtle)",
        "content": {
            media: {"schema": {"type": "string"}}
            for media in ["text/turtle", *SELECT_TYPES, *GRAPH_TYPES]
            if media != "application/sparql-results+json"
        }
        | {"application/sparql-results+json": {"schema": {"type": "object"}}},
    },
    400: ERROR_RESPONSE | {"description": "Not valid SPARQL, a federated query (SERVICE), or a bad graph IRI"},
    403: ERROR_RESPONSE | {"description": "An update: the endpoint is read-only"},
    406: ERROR_RESPONSE | {"description": "None of the accepted media types is offered"},
    413: ERROR_RESPONSE | {"description": "The query or its answer is larger than the limits"},
    503: ERROR_RESPONSE | {"description": "Over the time or memory limit of a query, or the service is busy"},
}


COMMON_ERRORS = {  # any route may answer these (the handlers and the request limits above)
    400: "Bad input: the message names the parameter and what was expected",
    413: "The request is larger than the limit",
    422: "The request does not match this description",
}
RDF_TYPES = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
ROUTE_RESPONSES = {  # what a route answers beyond JSON and the common errors
    "/sparql/examples": {200: ["application/json", "text/html"]},
    "/api/provisions/{standard}/{provision_id}": {404: "No such provision (close matches are named)"},
    "/api/coverage/upload": {503: "Too many uploads are being read; try again"},
    "/id/{path}": {
        200: ["text/html", *RDF_TYPES],
        404: "Nothing is known about this IRI",
        406: "None of the accepted media types is offered",
    },
    "/ontology": {200: ["text/turtle", "text/html"]},
    "/.well-known/void": {200: ["text/turtle"]},
    "/dataset.{extension}": {200: ["application/trig", "application/n-quads"]},
    "/mappings/{name}": {200: ["text/tab-separated-values"], 404: "No such mapping set (the known ones are named)"},
}


def _document_responses(app) -> None:
    """Declare in the OpenAPI document every status and media type the routes answer, errors as {"error": ...}."""
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        for status, description in COMMON_ERRORS.items():
            route.responses.setdefault(status, ERROR_RESPONSE | {"description": description})
        for status, what in ROUTE_RESPONSES.get(route.path_format, {}).items():
            if isinstance(what, list):
                content = {media: {"schema": {} if "json" in media else {"type": "string"}} for media in what}
                route.responses[status] = {"description": "Successful Response", "content": content}
            else:
                route.responses[status] = ERROR_RESPONSE | {"description": what}


def _graphs(default_graphs: list[str] | None, named_graphs: list[str] | None) -> tuple[tuple[str, ...], ...]:
    return tuple(default_graphs or ()), tuple(named_graphs or ())


async def _unless_disconnected(request: Request, work):
    """The result of `work`, or None when the client goes away first (then `work` is cancelled: the pool kills the
    worker that was answering for nobody)."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=0.25)
            if done:
                return task.result()
            if await request.is_disconnected():
                task.cancel()
                return None
    except asyncio.CancelledError:
        task.cancel()
        raise


def _date_text(value):
    """A date is written as text (2026-08-02): a number is refused, not read as seconds since 1970."""
    if value is not None and not isinstance(value, str | date):
        raise ValueError("a date is written as YYYY-MM-DD")
    return value


def _form_date(value):
    """As `_date_text`, where an empty form field (or "null", as form encoders write a missing value) is no date."""
    return None if value in ("", "null") else _date_text(value)


def _form_null(value):
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
    on: Annotated[date | None, BeforeValidator(_date_text)] = None
    timeline: str | None = None
    with_derived: StrictBool = False
    all_implemented: StrictBool = Field(
        False, description="The baseline rows give no status: every applicable control listed is implemented"
    )

    model_config = {"json_schema_extra": {"examples": [{"certified": ["iso27001"], "target": "iso42001"}]}}


class InventoryRequest(BaseModel):
    inventory: dict = Field(
        description="Organisation facts (sme, smc, public_body, established_in_eu, ...) and `systems`: a list of "
        "AI systems, each with name, roles, tier and facts",
        examples=[{"sme": True, "systems": [{"name": "CV screening", "roles": ["deployer"], "tier": "high-risk"}]}],
    )
    on: Annotated[date | None, BeforeValidator(_date_text)] = None
    timeline: str | None = None
    baseline: list[BaselineRow] = Field(default_factory=list)
    standard: str = "iso27001"
    certified: list[str] = Field(default_factory=list)
    uncertified: StrictBool = False
    with_derived: StrictBool = False


def create_app(settings: Settings | None = None, catalog: Catalog | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from xwalk.load import load
        from xwalk.store import open_store

        engine = catalog or Catalog(open_store(settings.endpoint, settings.store_dir) or load())
        state["catalog"] = engine
        owned = None
        if settings.endpoint is None:
            owned = None if settings.store_dir else materialise(engine.store)
            state["pool"] = QueryPool(
                settings.store_dir or owned,
                settings.workers,
                settings.query_timeout,
                settings.max_result_bytes,
                settings.query_memory_mb * 1_000_000,
                settings.quick_seconds,
                settings.query_queue,
            )
            await state["pool"].start()
            if not state["pool"].isolated:
                import logging

                logging.getLogger("uvicorn.error").warning(
                    "the query workers could not be given a network namespace of their own (no user namespaces "
                    "here); federated queries are still refused on their parse"
                )
        yield
        if "pool" in state:
            state["pool"].close()
        if owned:
            shutil.rmtree(owned, ignore_errors=True)

    app = FastAPI(
        title="xwalk",
        version="0.1.0",
        summary="Crosswalk and coverage engine across ISO/IEC 42001, 27001, 27701, 23894 and the EU AI Act",
        description="A read-only SPARQL 1.1 endpoint at /sparql, a REST API under /api, and every "
        "https://w3id.org/xwalk/id/ IRI as linked data under /id. ISO provisions appear as identifiers and short "
        "titles only; EU AI Act content is public EU law (EUR-Lex, CELEX 32024R1689).",
        lifespan=lifespan,
    )
    app.add_middleware(
        CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"]
    )

    def engine() -> Catalog:
        return state["catalog"]

    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)

    @app.exception_handler(XwalkError)
    async def user_error(request: Request, error: XwalkError):
        from xwalk.services.upload import UploadBusy

        return _error(503 if isinstance(error, UploadBusy) else 400, str(error))

    @app.exception_handler(Exception)
    async def fault(request: Request, error: Exception):
        return _error(500, f"the service failed on this request ({type(error).__name__}); please report it")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        """Routing errors (no such path, a method the path does not take) as JSON too; a 405 names the methods."""
        response = _error(error.status_code, str(error.detail))
        if error.status_code == 405:
            allowed = {
                method
                for route in app.routes
                if isinstance(route, APIRoute) and route.matches(request.scope)[0] != Match.NONE
                for method in route.methods
            }
            response.headers["Allow"] = ", ".join(sorted(allowed))
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in error.errors()
        )
        return _error(422, f"the request is not valid: {problems}")

    # ------------------------------------------------------------------ SPARQL 1.1 Protocol (query side)

    async def run_sparql(request: Request, query: str | None, update: str | None, dataset: Dataset) -> Response:
        if update is not None:
            return _error(403, "this endpoint is read-only: SPARQL Update is refused")
        if query is None:
            return service_description(request)
        if len(query.encode()) > settings.max_request_bytes:
            return _error(413, f"the query is longer than {settings.max_request_bytes} bytes")
        accept = request.headers.get("accept")
        select_format = negotiate(accept, SELECT_TYPES, "json")
        graph_format = negotiate(accept, GRAPH_TYPES, "ttl")
        if select_format is None and graph_format is None:
            return _error(
                406, "none of the accepted media types is offered: " + ", ".join([*SELECT_TYPES, *GRAPH_TYPES])
            )
        select_formats = [select_format or "json"]
        graph_formats = [graph_format or "ttl"]
        try:
            if "pool" in state:
                answer = await _unless_disconnected(
                    request, state["pool"].run(query, select_formats, graph_formats, dataset or None)
                )
                if answer is None:
                    return _error(503, "the client went away; the query was stopped")
                _, media, body = answer.format, answer.media_type, answer.body
            else:
                _, media, body = engine().store.answer(
                    query, select_formats, graph_formats, settings.max_result_bytes, dataset or None
                )
        except Overloaded as error:
            return _error(503, str(error))
        except ResultTooLarge as error:
            return _error(413, str(error))
        except QueryFailed as error:
            return _error(500, str(error))
        return Response(body, media_type=media)

    @app.get(
        "/sparql",
        tags=["SPARQL"],
        summary="SPARQL query (GET), or the service description without a query",
        responses=SPARQL_RESPONSES,
    )
    async def sparql_get(
        request: Request,
        query: str | None = None,
        update: str | None = None,
        default_graph_uri: Annotated[list[GraphIri] | None, Query(alias="default-graph-uri")] = None,
        named_graph_uri: Annotated[list[GraphIri] | None, Query(alias="named-graph-uri")] = None,
    ):
        return await run_sparql(request, query, update, Dataset(*_graphs(default_graph_uri, named_graph_uri)))

    @app.post(
        "/sparql",
        tags=["SPARQL"],
        summary="SPARQL query (form-encoded or application/sparql-query)",
        responses={**SPARQL_RESPONSES, 415: ERROR_RESPONSE},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/sparql-query": {"schema": {"type": "string"}},
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "query": {"type": "string"},
                                "update": {"type": "string"},
                                "default-graph-uri": {"type": "array", "items": IRI_SCHEMA},
                                "named-graph-uri": {"type": "array", "items": IRI_SCHEMA},
                            },
                        }
                    },
                },
            }
        },
    )
    async def sparql_post(
        request: Request,
        default_graph_uri: Annotated[list[GraphIri] | None, Query(alias="default-graph-uri")] = None,
        named_graph_uri: Annotated[list[GraphIri] | None, Query(alias="named-graph-uri")] = None,
    ):
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        dataset = Dataset(*_graphs(default_graph_uri, named_graph_uri))
        if content_type == "application/sparql-update":
            return await run_sparql(request, None, "", dataset)
        if content_type == "application/sparql-query":
            text = (await request.body()).decode("utf-8", errors="replace")
            return await run_sparql(request, text, None, dataset)
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.form()
            query, update = form.get("query"), form.get("update")
            fields = [[v for v in form.getlist(name) if isinstance(v, str)] for name in GRAPH_PARAMETERS]
            if any(fields) and any((default_graph_uri, named_graph_uri)):
                return _error(400, "give the dataset either in the URL or in the form, not in both")
            if any(fields):
                wrong = next((v for v in (*fields[0], *fields[1]) if not re.fullmatch(IRI_PATTERN, v)), None)
                if wrong is not None:
                    return _error(400, f"{wrong!r} is not a valid graph IRI (default-graph-uri, named-graph-uri)")
                dataset = Dataset(*_graphs(*fields))
            return await run_sparql(
                request,
                query if isinstance(query, str) else None,
                update if isinstance(update, str) else None,
                dataset,
            )
        return _error(415, "send the query as application/sparql-query or as a form field 'query'")

    def service_description(request: Request) -> Response:
        endpoint = str(request.url_for("sparql_get"))
        formats = " ".join(
            f"<http://www.w3.org/ns/formats/{name}>"
            for name in (
                "SPARQL_Results_JSON",
                "SPARQL_Results_XML",
                "SPARQL_Results_CSV",
                "SPARQL_Results_TSV",
                "Turtle",
                "N-Triples",
                "JSON-LD",
                "RDF_XML",
            )
        )
        void = str(request.url_for("void_description"))
        turtle = (
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            f"[] a sd:Service ;\n  sd:endpoint <{endpoint}> ;\n  sd:supportedLanguage sd:SPARQL11Query ;\n"
            f"  sd:resultFormat {formats.replace(' ', ', ')} ;\n  sd:feature sd:UnionDefaultGraph ;\n"
            f"  rdfs:seeAlso <{void}> ;\n"
            f"  sd:defaultDataset [ a sd:Dataset ; rdfs:seeAlso <{void}> ; sd:defaultGraph [ a sd:Graph ] ] .\n"
        )
        return Response(turtle, media_type="text/turtle")

    @app.get("/sparql/examples", tags=["SPARQL"], summary="Example queries (HTML page, or JSON)")
    async def sparql_examples(request: Request):
        from xwalk.services.explore import examples as shipped_examples

        examples = [{"name": e.name, "title": e.title, "query": e.text} for e in shipped_examples()]
        if (
            negotiate(request.headers.get("accept"), {"text/html": "html", "application/json": "json"}, "json")
            == "html"
        ):
            return HTMLResponse(render("examples.html", examples=examples))
        return examples

    # ------------------------------------------------------------------ REST

    @app.get("/api/standards", tags=["catalog"], summary="The standard editions and their sizes")
    def standards():
        return [asdict(s) for s in engine().standards()]

    @app.get("/api/provisions", tags=["catalog"], summary="Find provisions by id or by words of their title")
    def provisions(
        q: Annotated[str, Query(min_length=1, max_length=200, examples=["logging"])],
        standard: Annotated[str | None, Query(examples=["iso27001"])] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ):
        return engine().search(q, standard)[:limit]

    @app.get(
        "/api/provisions/{standard}/{provision_id}",
        tags=["catalog"],
        summary="A provision with its parents, children and mappings in both directions",
    )
    def provision(standard: str, provision_id: str):
        catalog = engine()
        found = catalog.resolve(provision_id, standard)
        if found is None:
            return _error(404, catalog.lookup_error(provision_id, standard))
        return {
            **asdict(found),
            "parents": [asdict(a) for a in catalog.ancestors(found.iri)],
            "children": [asdict(c) for c in catalog.children(found.iri)],
            "mappings": catalog.store.select("provision_mappings", provision=IRI(found.iri)),
        }

    @app.get("/api/mappings", tags=["mappings"], summary="Mappings filtered by standards, relation and strength")
    def mappings(
        subject_standard: str | None = None,
        object_standard: str | None = None,
        relation: Literal["equal", "subset_of", "superset_of", "intersects_with", "no_relationship"] | None = None,
        min_strength: Annotated[int | None, Query(ge=1, le=10)] = None,
        derived: bool = False,
        limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    ):
        catalog = engine()
        keys = {
            k: catalog.standard(v).key
            for k, v in (("subject_key", subject_standard), ("object_key", object_standard))
            if v
        }
        rows = [
            r
            for r in catalog.store.select("mappings")
            if all(r[k] == v for k, v in keys.items())
            and (relation is None or r["relation"] == relation)
            and (min_strength is None or (r["strength"] or 0) >= min_strength)
            and (derived or not r["derived"])
        ]
        return rows[:limit]

    def report_from(
        request: CoverageRequest,
        upload: tuple[str, bytes] | None,
        reading: baseline.ReadOptions | None = None,
        inventory_obligations: dict | None = None,
    ) -> coverage.Report:
        """The same reading and computation as the CLI's: an upload (read in a bounded worker process), or the JSON
        rows (already parsed and validated) read as a JSON SoA."""
        catalog = engine()
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

    @app.post(
        "/api/coverage",
        tags=["coverage"],
        summary="Coverage of a target by a baseline given as JSON (the same result as `xwalk coverage --format json`)",
    )
    def coverage_json(request: Annotated[CoverageRequest, Body()]):
        return report_from(request, None).to_dict()

    @app.post(
        "/api/coverage/upload",
        tags=["coverage"],
        summary="Coverage of a target by an uploaded Statement of Applicability (CSV, XLSX, JSON, YAML)",
    )
    async def coverage_upload(
        file: Annotated[UploadFile, File(description="The Statement of Applicability")],
        target: Annotated[str, Form()] = "iso42001",
        standard: Annotated[str, Form()] = "iso27001",
        certified: Annotated[list[str] | None, Form()] = None,
        uncertified: Annotated[bool, Form()] = False,
        role: Annotated[str | None, Form()] = None,
        tier: Annotated[str | None, Form()] = None,
        on: Annotated[date | None, Form(), BeforeValidator(_form_date)] = None,
        timeline: Annotated[str | None, Form()] = None,
        with_derived: Annotated[bool, Form()] = False,
        sheet: Annotated[str | None, Form(description="Workbook sheet holding the SoA")] = None,
        columns: Annotated[
            str | None, Form(description='Columns named by hand, e.g. status="Our status",id=Ref')
        ] = None,
        all_implemented: Annotated[
            bool, Form(description="No status column: every applicable control listed is implemented")
        ] = False,
    ):
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
        # read in a worker process and computed off the event loop: other requests go on meanwhile
        report = await asyncio.to_thread(report_from, request, (file.filename or "upload.csv", content), reading)
        return report.to_dict()

    @app.post("/api/soa-draft", tags=["coverage"], summary="Draft ISO/IEC 42001 Statement of Applicability")
    def soa_draft(request: Annotated[CoverageRequest, Body()]):
        request = request.model_copy(update={"target": "iso42001", "role": None, "tier": None, "timeline": None})
        return [asdict(row) for row in soa.draft(report_from(request, None))]

    @app.get("/api/obligations", tags=["EU AI Act"], summary="AI Act obligations by role, tier and date")
    def obligations(
        role: Annotated[str, Query(examples=["deployer"])],
        tier: Annotated[str, Query(examples=["high-risk"])],
        on: date | None = None,
        timeline: str | None = None,
    ):
        found = coverage.obligations(engine(), role, tier, on or date.today(), timeline)
        titles = {u.iri: u for u in engine().units("eu-ai-act")}
        return {
            **{k: v for k, v in found.items() if k != "obligations"},
            "on": (on or date.today()).isoformat(),
            "obligations": [
                {"iri": iri, "id": titles[iri].notation, "title": titles[iri].title, **info}
                for iri, info in found["obligations"].items()
            ],
        }

    def inventory_answer(inventory, request: InventoryRequest, upload: tuple[str, bytes] | None) -> dict:
        """The same answer as `xwalk obligations --format json`, with coverage when a baseline is given."""
        from xwalk.services import ai_act

        on = request.on or date.today()
        result = ai_act.evaluate(engine(), inventory, on, request.timeline)
        if request.baseline or request.certified or upload:
            covering = CoverageRequest(**request.model_dump(exclude={"inventory"}), target="eu-ai-act")
            report = report_from(covering, upload, inventory_obligations=ai_act.scored_obligations(result))
            ai_act.attach_coverage(result, report)
        return result

    @app.post(
        "/api/obligations/inventory",
        tags=["EU AI Act"],
        summary="AI Act per AI system of an inventory given as JSON: now, next, if, fine ceilings, coverage",
    )
    def obligations_inventory(request: Annotated[InventoryRequest, Body()]):
        from xwalk.services import ai_act

        inventory = ai_act.validate(engine(), request.inventory, "inventory")
        return JSONResponse(json.loads(json.dumps(inventory_answer(inventory, request, None), default=str)))

    @app.post(
        "/api/obligations/inventory/upload",
        tags=["EU AI Act"],
        summary="AI Act per AI system of an uploaded inventory (YAML, JSON, CSV, XLSX)",
    )
    async def obligations_inventory_upload(
        file: Annotated[UploadFile, File(description="The inventory of AI systems")],
        on: Annotated[date | None, Form(), BeforeValidator(_form_date)] = None,
        timeline: Annotated[str | None, Form()] = None,
        certified: Annotated[list[str] | None, Form()] = None,
        sme: Annotated[bool | None, Form(), BeforeValidator(_form_null)] = None,
        smc: Annotated[bool | None, Form(), BeforeValidator(_form_null)] = None,
    ):
        from xwalk.services import ai_act

        flags = {k: v for k, v in {"sme": sme, "smc": smc}.items() if v is not None}
        inventory = ai_act.from_upload(engine(), file.filename or "inventory.yaml", await file.read(), flags)
        request = InventoryRequest(inventory={}, on=on, timeline=timeline, certified=certified or [])
        return JSONResponse(json.loads(json.dumps(inventory_answer(inventory, request, None), default=str)))

    # ------------------------------------------------------------------ linked data and downloads

    @app.get("/id/{path:path}", tags=["linked data"], summary="Any xwalk IRI: HTML, Turtle or JSON-LD")
    def resource(path: str, request: Request):
        iri = ID + path
        store = engine().store
        try:
            rows = store.select("resource_triples", resource=IRI(iri))
        except XwalkError:  # not even a valid IRI
            rows = []
        if not rows:
            return _error(404, f"nothing is known about {iri}")
        choice = negotiate(
            request.headers.get("accept"),
            {
                "text/html": "html",
                "text/turtle": "ttl",
                "application/ld+json": "jsonld",
                "application/n-triples": "nt",
                "application/rdf+xml": "rdf",
            },
            "html",
        )
        if choice is None:
            return _error(406, "offered: text/html, text/turtle, application/ld+json, application/n-triples")
        if choice == "html":
            links = store.select("links_out", resource=IRI(iri))
            return HTMLResponse(render("resource.html", iri=iri, rows=rows, links=links, id_base=ID))
        return Response(
            store.construct("describe", choice, resource=IRI(iri)), media_type=GRAPH_FORMATS[choice].media_type
        )

    @app.get("/ontology", tags=["downloads"], summary="The ontology (Turtle, or its documentation as HTML)")
    def ontology(request: Request):
        from xwalk.services.exchange.export import ontology_page

        wants = negotiate(request.headers.get("accept"), {"text/html": "html", "text/turtle": "ttl"}, "ttl")
        if wants == "html":
            return HTMLResponse(ontology_page())
        return FileResponse(paths.SCHEMA_FILE, media_type="text/turtle")

    def digest() -> str:
        """The data's version (a content digest); computed once, as the data does not change while serving."""
        from xwalk.services.exchange.description import version

        if "digest" not in state:
            state["digest"] = version(engine().store)
        return state["digest"]

    @app.get("/dataset.{extension}", tags=["downloads"], summary="The whole dataset, one named graph per file")
    def dataset(extension: Literal["trig", "nq"], request: Request):
        from xwalk.services.exchange.description import with_description

        dump = with_description(engine().store, base=str(request.base_url), digest=digest()).serialize(extension)
        return Response(dump, media_type=GRAPH_FORMATS[extension].media_type)

    @app.get(
        "/.well-known/void",
        tags=["downloads"],
        summary="VoID and DCAT description of the dataset: graphs, mapping sets, downloads, version, licences",
    )
    def void_description(request: Request):
        from xwalk.services.exchange.description import turtle

        base = str(request.base_url)
        if base not in state.setdefault("void", {}):  # once per base URL the service is reached under
            state["void"][base] = turtle(engine().store, base, digest=digest())
        return Response(state["void"][base], media_type="text/turtle")

    @app.get("/mappings/{name}", tags=["downloads"], summary="A curated mapping set as SSSOM/TSV")
    def mapping_file(name: str):
        files = {p.name: p for p in paths.MAPPINGS_DIR.glob("*.sssom.tsv")}
        if name not in files:
            return _error(404, f"no mapping set {name!r}; there are: {', '.join(sorted(files))}")
        return FileResponse(files[name], media_type="text/tab-separated-values")

    _document_responses(app)

    @app.get("/", include_in_schema=False)
    def home():
        return {
            "sparql": "/sparql",
            "examples": "/sparql/examples",
            "api": "/docs",
            "ontology": "/ontology",
            "dataset": ["/dataset.trig", "/dataset.nq"],
            "description": "/.well-known/void",
            "mappings": [f"/mappings/{p.name}" for p in sorted(paths.MAPPINGS_DIR.glob("*.sssom.tsv"))],
        }

    return app


class BodyLimit:
    """Refuse a request body over `limit` bytes with a JSON 413 while it streams in: a declared Content-Length at
    once, a chunked body as soon as the bytes read pass the limit (the rest is never read)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            return await self._refuse(scope, send, f"the request is {int(declared)} bytes")
        seen, over, started = 0, False, False

        async def counted():
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise _BodyTooLarge
            return message

        async def guarded(message):
            nonlocal started
            if over:  # whatever the app makes of the cut body, the answer is the 413
                return
            started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._refuse(scope, send, f"the request body passed {self.limit} bytes")

    async def _refuse(self, scope, send, what: str) -> None:
        await _error(413, f"{what}; at most {self.limit} are accepted")(scope, None, send)


class _BodyTooLarge(Exception):
    pass


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def server_options(settings: Settings) -> dict:
    """uvicorn options that keep the documented errors for requests refused before the app sees them: the HTTP
    parser accepts a request line long enough for any query under the limit (percent-encoded: up to 3 bytes a
    character), and what it still refuses is answered as JSON (413 when too long, 400 otherwise), not plain text."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    limit = settings.max_request_bytes * 3 + 65_536

    class JsonErrors(H11Protocol):
        def send_400_response(self, msg: str) -> None:
            import h11

            too_long = len(self.conn.trailing_data[0]) >= limit
            status = 413 if too_long else 400
            message = (
                f"the request is larger than the {settings.max_request_bytes}-byte limit"
                if too_long
                else "the request is not valid HTTP"
            )
            body = json.dumps({"error": message}).encode()
            headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
            reason = b"Content Too Large" if too_long else b"Bad Request"
            response = h11.Response(status_code=status, headers=headers, reason=reason)
            for event in (response, h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
            self.transport.close()

    return {"http": JsonErrors, "h11_max_incomplete_event_size": limit}


__all__ = ["Settings", "create_app", "negotiate", "server_options"]
