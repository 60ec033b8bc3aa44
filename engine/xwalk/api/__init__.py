"""The HTTP service: a SPARQL 1.1 Protocol endpoint (query side, read-only and bounded), a REST API over the same
services as the CLI, and every https://w3id.org/xwalk/id/ IRI as linked data. The only layer importing FastAPI.

`create_app(settings, catalog)` (in `app.py`) takes its dependencies, so tests pass their own store; `xwalk serve`
runs it. Handlers live in `routes/<area>.py`, one router per area; they get what they need from `deps.py` (read off
`request.app.state`), their request models from `models.py`, negotiation and errors from `http.py`; what they
answer beyond FastAPI's inference is declared in `openapi.py`, and `routelist.py` writes docs/api-routes.md from
the OpenAPI document. Handlers ask services only (tests/test_layers.py checks no route touches the store).

May import: every layer below (services, presentation, load, store, core); never `xwalk.cli`. The only layer that
imports FastAPI."""

from xwalk.api.app import create_app
from xwalk.api.http import negotiate
from xwalk.api.server import server_options
from xwalk.core.settings import Settings

__all__ = ["Settings", "create_app", "negotiate", "server_options"]
