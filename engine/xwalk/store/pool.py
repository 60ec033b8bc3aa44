"""Running untrusted SPARQL where it can be stopped: a small pool of worker processes, each holding the store open
read-only. pyoxigraph cannot cancel a query, so a query that outlives its time limit has its worker killed and
replaced; the other workers keep answering meanwhile. No FastAPI here: the API only awaits `QueryPool.run`."""

import asyncio
import multiprocessing
from dataclasses import dataclass
from pathlib import Path

from xwalk.core.errors import XwalkError


class QueryTimeout(XwalkError):
    """The query ran past the time limit and was stopped."""


class QueryFailed(Exception):
    """A valid query could not be evaluated (a fault of the service, not of the request)."""


@dataclass(frozen=True)
class Answer:
    format: str
    media_type: str
    body: bytes


def _serve(connection, store_dir: str, max_bytes: int) -> None:
    """A worker: answer queries from the connection until it closes (or the process is killed)."""
    from xwalk.store import ResultTooLarge, Store

    store = Store(Path(store_dir), read_only=True)
    while True:
        try:
            text, select_formats, graph_formats = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", store.answer(text, select_formats, graph_formats, max_bytes)))
        except ResultTooLarge as error:
            connection.send(("too-large", str(error)))
        except XwalkError as error:
            connection.send(("bad-query", str(error)))
        except Exception as error:  # the query engine failed on a valid query: report it, keep the worker
            connection.send(("failed", f"the query could not be evaluated: {error}"))


class _Worker:
    def __init__(self, context, store_dir: Path, max_bytes: int):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, str(store_dir), max_bytes), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """`size` workers over the store in `store_dir` (a directory written by `xwalk build` or `Store(path)`)."""

    def __init__(self, store_dir: Path, size: int = 2, timeout: float = 10.0, max_bytes: int = 20_000_000):
        self.store_dir, self.size, self.timeout, self.max_bytes = store_dir, size, timeout, max_bytes
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            worker = self._new()
            await self._idle.put(worker)

    def _new(self) -> _Worker:
        worker = _Worker(self._context, self.store_dir, self.max_bytes)
        self._all.append(worker)
        return worker

    async def run(self, text: str, select_formats: list[str], graph_formats: list[str]) -> Answer:
        """The answer, or an XwalkError subclass: QueryTimeout, ResultTooLarge (as XwalkError), a syntax error."""
        assert self._idle is not None, "call start() first"
        worker = await self._idle.get()
        try:
            worker.connection.send((text, select_formats, graph_formats))
            ready = await asyncio.to_thread(worker.connection.poll, self.timeout)
            if not ready:
                worker = await self._replace(worker)
                raise QueryTimeout(f"the query ran past the {self.timeout:g} s time limit and was stopped")
            status, payload = worker.connection.recv()
        except (EOFError, OSError):
            worker = await self._replace(worker)
            raise QueryFailed("the query worker stopped unexpectedly; it was replaced, try again") from None
        finally:
            self._idle.put_nowait(worker)
        if status == "ok":
            return Answer(*payload)
        from xwalk.store import ResultTooLarge

        raise {"too-large": ResultTooLarge, "bad-query": XwalkError}.get(status, QueryFailed)(payload)

    async def _replace(self, worker: _Worker) -> _Worker:
        """Kill a worker (stuck in a query, or dead) and start another in its place."""
        worker.kill()
        self._all.remove(worker)
        return await asyncio.to_thread(self._new)

    def close(self) -> None:
        for worker in self._all:
            worker.kill()
        self._all.clear()
