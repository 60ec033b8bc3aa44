"""HTTP helpers of the service: content negotiation, the JSON error body, the request-size guard and waiting on
work while watching for the client going away."""

import asyncio

from fastapi import Request, UploadFile
from fastapi.responses import JSONResponse


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


def error(status: int, message: str) -> JSONResponse:
    """Every error of the service: {"error": "..."} with its status."""
    return JSONResponse({"error": message}, status_code=status)


async def unless_disconnected(request: Request, work):
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
            return await self._refuse(scope, receive, send, f"the request is {int(declared)} bytes")
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
            await self._refuse(scope, receive, send, f"the request body passed {self.limit} bytes")

    async def _refuse(self, scope, receive, send, what: str) -> None:
        await error(413, f"{what}; at most {self.limit} are accepted")(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


async def overrides_field(field: UploadFile | str | None, limit: int) -> tuple[str, bytes] | None:
    """The overrides form field as (name, bytes): a file (read to one byte past `limit`, so that the service can
    refuse it by size), or a text field read as CSV; None when absent (empty, or "null" from a client that sends
    every field)."""
    if isinstance(field, str):
        return ("overrides.csv", field.encode()) if field not in ("", "null") else None
    if field is None:
        return None
    return (field.filename or "overrides.csv", await field.read(limit + 1))
