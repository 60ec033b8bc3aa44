"""HTTP caching of the catalog routes, in one place: the data never changes while the service runs, so the answer
to a GET of a catalog route is a function of the data, the request (path, query string, Accept, Host) and today's
date (routes such as /api/obligations default to it, the dataset description is dated). Each such answer gets an
ETag derived from exactly those, `Cache-Control`, and `Vary: Accept`; a request whose If-None-Match names the ETag
is answered 304 without running the route, and the 200 answers are kept in memory (bounded, least recently used
first out), so a repeated request is answered without running the route either.

A pure ASGI middleware (not Starlette's BaseHTTPMiddleware, which adds a task group to every request). The data's
version is the dataset's content digest (`published.version`), kept on `app.state.digest`: computed once, off the event
loop, started with the service (`start`) so that the first request does not wait for it."""

import asyncio
import hashlib
from collections import OrderedDict
from datetime import date

CACHED_PREFIXES = (  # GET routes whose answer depends only on the data, the request and the date
    "/api/standards",
    "/api/provisions",
    "/api/mappings",
    "/api/obligations",
    "/id/",
    "/ontology",
    "/.well-known/void",
    "/dataset.",
    "/mappings/",
    "/sparql/examples",
)
MAX_AGE = 300  # seconds a client may reuse an answer without asking again (then it revalidates with the ETag)
MAX_ENTRY_BYTES = 4_000_000  # larger answers are sent with an ETag but not kept
MAX_TOTAL_BYTES = 64_000_000


def matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for If-None-Match)."""
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") in ("*", wanted) for tag in if_none_match.split(","))


async def data_version(app) -> str:
    """The dataset's content digest, computed at most once per app (it reads the whole store: about a second)."""
    from xwalk.services.exchange import published

    state = app.state
    if getattr(state, "digest", None) is None:
        lock = state.__dict__.setdefault("_digest_lock", asyncio.Lock())
        async with lock:
            if getattr(state, "digest", None) is None:
                state.digest = await asyncio.to_thread(published.version, state.catalog)
    return state.digest


def start(app) -> asyncio.Task:
    """Begin computing the data's version in the background (call once the catalog is on `app.state`)."""
    return asyncio.get_running_loop().create_task(data_version(app))


class CatalogCache:
    """ETag, Cache-Control, 304 and a bounded memory of answers for the GET requests under `prefixes`."""

    def __init__(self, app, prefixes: tuple[str, ...] = CACHED_PREFIXES, max_total: int = MAX_TOTAL_BYTES):
        self.app, self.prefixes, self.max_total = app, prefixes, max_total
        self.kept: OrderedDict[str, tuple[dict, bytes]] = OrderedDict()  # ETag -> start message, body
        self.kept_bytes = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefixes):
            return await self.app(scope, receive, send)
        headers = {name.lower(): value for name, value in scope["headers"]}
        etag = await self._etag(scope, headers)
        caching = [(b"etag", etag.encode()), (b"cache-control", f"public, max-age={MAX_AGE}".encode())]
        caching.append((b"vary", b"Accept"))
        if matches(headers.get(b"if-none-match", b"").decode("latin-1"), etag):
            await send({"type": "http.response.start", "status": 304, "headers": caching})
            return await send({"type": "http.response.body", "body": b""})
        if etag in self.kept:
            self.kept.move_to_end(etag)
            start, body = self.kept[etag]
            await send(start)
            return await send({"type": "http.response.body", "body": body})
        await self.app(scope, receive, self._keeping(send, etag, caching))

    async def _etag(self, scope, headers: dict) -> str:
        version = await data_version(scope["app"])
        request = (scope["path"], scope["query_string"], headers.get(b"accept"), headers.get(b"host"))
        key = repr((version, request, date.today().isoformat()))
        return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'

    def _keeping(self, send, etag: str, caching: list):
        """`send`, adding the caching headers to a 200 and keeping its whole answer when it is small enough."""
        start, chunks, size = None, [], 0

        async def keeping(message):
            nonlocal start, size
            if message["type"] == "http.response.start" and message["status"] == 200:
                names = {name.lower() for name, _ in caching}
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() not in names]
                message = start = {**message, "headers": kept + caching}
            elif message["type"] == "http.response.body" and start is not None and size <= MAX_ENTRY_BYTES:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if not message.get("more_body", False) and size <= MAX_ENTRY_BYTES:
                    self._keep(etag, start, b"".join(chunks))
            await send(message)

        return keeping

    def _keep(self, etag: str, start: dict, body: bytes) -> None:
        if etag in self.kept:  # two requests for it were answered at the same time
            return
        self.kept[etag] = (start, body)
        self.kept_bytes += len(body)
        while self.kept_bytes > self.max_total:
            _, (_, dropped) = self.kept.popitem(last=False)
            self.kept_bytes -= len(dropped)
