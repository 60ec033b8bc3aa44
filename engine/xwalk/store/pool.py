"""Running untrusted SPARQL where it can be stopped: a small pool of worker processes, each holding the store open
read-only, used by the API, the explorer and `xwalk query` alike. No FastAPI here: the API awaits `QueryPool.run`;
synchronous callers use `BlockingPool` or `run_once`.

What bounds a query:
- time: `timeout` seconds from the moment it arrives, waiting for a worker included; pyoxigraph cannot cancel a
  query, so a query past its time has its worker killed and replaced (the others keep answering meanwhile);
- waiting: at most `max_waiting` queries wait for a worker; past that the answer is "busy" at once;
- lanes: a query that runs longer than `quick_seconds` takes one of `size // 2` long-query slots, so the other
  workers are always free of long queries and a simple query answers within about `quick_seconds` while runaways
  run; with every slot taken, a long query is stopped as "busy"; a long query also runs at a low CPU priority,
  so that on a busy machine the quick ones and the service itself come first (every worker, from its start, runs
  a little below the service: a replacement for a killed runaway starts without taking the CPU from it);
- memory: each worker has an address-space limit (`memory_bytes`); a query past it ends its worker, which is
  replaced, and the query answers a clear error;
- size: answers longer than `max_bytes` are refused, never cut (store.py);
- network: a federated query is refused on its parse (federation.py), and the workers run in a network namespace
  of their own where the system allows it, so that even a query the check missed cannot reach a socket;
- cancellation: a caller that goes away (a client disconnecting, the Stop button) cancels `run`, which kills the
  worker.
A query asked again is answered from memory without a worker (answers.py: the store is read-only).

Why long: the worker, the pool with its lanes, and the blocking and one-shot front ends share the same limits and
states.
"""

import asyncio
import concurrent.futures
import multiprocessing
import os
import signal
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xwalk.core.errors import XwalkError
from xwalk.core.settings import Settings
from xwalk.store.answers import Answers

if TYPE_CHECKING:
    from xwalk.store import StoreBackend

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
START_SECONDS = 120  # a worker that has not opened the store by then is broken
WORKER_NICENESS = 5  # added to every worker's: the service's own event loop (HTTP, answers kept) comes first
LONG_NICENESS = 15  # the CPU priority of a worker holding a long query: below the service and the quick queries


# How a worker without a store directory makes its store: a module-level function (picklable by name), such as
# xwalk.load.load, called with no argument in the worker.
Sources = Callable[[], "StoreBackend"]


class Overloaded(XwalkError):
    """The service could not answer within its limits (time, memory, capacity): HTTP 503."""


class QueryTimeout(Overloaded):
    """The query ran past the time limit and was stopped."""


class QueryBusy(Overloaded):
    """No worker could take the query within its limits."""


class QueryOutOfMemory(Overloaded):
    """The query needed more memory than a worker may use; the worker was replaced."""


class QueryFailed(Exception):
    """A valid query could not be evaluated (a fault of the service, not of the request)."""


@dataclass(frozen=True)
class Answer:
    format: str
    media_type: str
    body: bytes


def _isolate_network() -> bool:
    """Move this process into a network namespace of its own (only a loopback that is down): no socket it opens
    reaches anything. Root may do it directly; others through a user namespace where the kernel allows that."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))


def _limit_memory(memory_bytes: int) -> None:
    import resource

    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _serve(connection, store_dir: str | None, sources: "Sources | None", max_bytes: int, memory_bytes: int) -> None:
    """A worker: isolate itself, open the store (or load the source files with `sources`), say ready, then answer
    queries from the connection until it closes (or the process is killed)."""
    os.nice(WORKER_NICENESS)  # from its start: a replacement starting beside a busy service yields to it
    isolated = _isolate_network()
    from xwalk.store import ResultTooLarge, Store, StoreBackend
    from xwalk.store.federation import warm_up

    warm_up()
    if store_dir:
        store: StoreBackend = Store(Path(store_dir), read_only=True)
    elif sources is not None:
        store = sources()
    else:
        raise ValueError("a query worker needs a store directory or the sources to load")
    _limit_memory(memory_bytes)  # after start-up: the limit is on what a query may add
    connection.send(("ready", isolated))
    while True:
        try:
            text, select_formats, graph_formats, dataset = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", store.answer(text, select_formats, graph_formats, max_bytes, dataset)))
        except ResultTooLarge as error:
            connection.send(("too-large", str(error)))
        except XwalkError as error:
            connection.send(("bad-query", str(error)))
        except MemoryError:
            connection.send(("memory", ""))
            return  # a worker that ran out of memory is not trusted with the next query
        except Exception as error:  # the query engine failed on a valid query: report it, keep the worker
            connection.send(("failed", f"the query could not be evaluated: {error}"))


def _restore_priority(worker: "_Worker") -> bool:
    """Give a worker that held a long query its normal priority back; only root may lower a niceness, so for
    anyone else the worker is replaced instead (False)."""
    try:
        os.setpriority(os.PRIO_PROCESS, worker.process.pid, worker.niceness)
    except OSError:
        return False
    return True


class _Worker:
    def __init__(self, context, store_dir: Path | None, sources: "Sources | None", max_bytes: int, memory_bytes: int):
        self.connection, child = context.Pipe()
        where = str(store_dir) if store_dir else None
        self.process = context.Process(
            target=_serve, args=(child, where, sources, max_bytes, memory_bytes), daemon=True
        )
        self.process.start()
        child.close()
        if not self.connection.poll(START_SECONDS):
            self.kill()
            raise QueryFailed(f"a query worker did not start within {START_SECONDS} s")
        try:
            _, self.isolated = self.connection.recv()
            self.niceness = os.getpriority(os.PRIO_PROCESS, self.process.pid)
        except EOFError:
            self.kill()
            raise QueryFailed(f"a query worker failed to start (exit code {self.process.exitcode})") from None

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()

    async def readable(self, seconds: float) -> bool:
        """Whether the worker has answered (or died) within `seconds`, without holding a thread meanwhile."""
        if self.connection.poll():
            return True
        if seconds <= 0:
            return False
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        descriptor = self.connection.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(True)

        loop.add_reader(descriptor, wake)
        try:
            await asyncio.wait_for(ready, seconds)
            return True
        except TimeoutError:
            return False
        finally:
            loop.remove_reader(descriptor)


class QueryPool:
    """`size` workers (and a started spare) over the store in `store_dir` (a directory written by `xwalk build` or
    `materialise`), or, without one, over the store each worker makes with `sources` (the loader,
    `xwalk.load.load`, handed down by the caller: the store layer does not import the layer above it)."""

    def __init__(
        self,
        store_dir: Path | None,
        size: int = 4,
        timeout: float = 10.0,
        max_bytes: int = 20_000_000,
        memory_bytes: int = 2_000_000_000,
        quick_seconds: float = 1.0,
        max_waiting: int = 32,
        sources: "Sources | None" = None,
    ):
        if store_dir is None and sources is None:
            raise ValueError("a query pool needs a store directory or the sources to load")
        self.sources = sources
        self.store_dir, self.size, self.timeout, self.max_bytes = store_dir, size, timeout, max_bytes
        self.memory_bytes, self.quick_seconds, self.max_waiting = memory_bytes, quick_seconds, max_waiting
        self.long_slots = max(1, size // 2)
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self._waiting = self._long = 0
        self._active = 0  # workers idle or answering; `size` of them, plus one started spare when there is one
        self._spares: list[_Worker] = []
        self._refills: set[asyncio.Task] = set()
        self.answers = Answers()

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for worker in await asyncio.gather(*(asyncio.to_thread(self._new) for _ in range(self.size + 1))):
            self._place(worker)

    def _place(self, worker: _Worker) -> None:
        """A started worker goes where it is missing: among the active ones, or as the spare that replaces the next
        killed worker at once (starting one takes seconds, time a waiting simple query should not wait)."""
        if self._active < self.size:
            self._active += 1
            self._started_queue().put_nowait(worker)
        else:
            self._spares.append(worker)

    def _started_queue(self) -> "asyncio.Queue[_Worker]":
        """The queue of idle workers, which `start` makes."""
        if self._idle is None:
            raise RuntimeError("call start() first")
        return self._idle

    @property
    def isolated(self) -> bool:
        """Whether every worker runs without network access."""
        return all(worker.isolated for worker in self._all)

    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self._all]

    def _new(self) -> _Worker:
        worker = _Worker(self._context, self.store_dir, self.sources, self.max_bytes, self.memory_bytes)
        self._all.append(worker)
        return worker

    @classmethod
    def from_settings(cls, settings: Settings, store_dir: Path | None, size: int | None = None) -> "QueryPool":
        """A pool over `store_dir` with the limits of `settings` (`size` workers instead of settings.workers)."""
        return cls(
            store_dir,
            size or settings.workers,
            settings.query_timeout,
            settings.max_result_bytes,
            settings.query_memory_mb * 1_000_000,
            settings.quick_seconds,
            settings.query_queue,
        )

    async def run(
        self,
        text: str,
        select_formats: list[str],
        graph_formats: list[str],
        dataset=None,
        timeout: float | None = None,
    ) -> Answer:
        """The answer, or an XwalkError: Overloaded (QueryTimeout, QueryBusy, QueryOutOfMemory), ResultTooLarge,
        a syntax error or a refused federation; QueryFailed for a fault of the service. `timeout` overrides the
        pool's for this query."""
        assert self._idle is not None, "call start() first"
        remembered = Answers.key(text, select_formats, graph_formats, dataset)
        if (known := self.answers.get(remembered)) is not None:
            return known
        loop = asyncio.get_running_loop()
        limit = timeout or self.timeout
        deadline = loop.time() + limit
        worker = await self._take(deadline, limit)
        in_long_slot = False
        try:
            worker.connection.send((text, select_formats, graph_formats, dataset))
            if not await worker.readable(min(self.quick_seconds, deadline - loop.time())):
                if loop.time() >= deadline:
                    raise QueryTimeout(self._timeout_message(limit))
                if self._long >= self.long_slots:
                    raise QueryBusy(
                        f"the service is busy: {self._long} long queries are running and this one needed more than "
                        f"{self.quick_seconds:g} s; try again later, or narrow the query"
                    )
                self._long += 1
                in_long_slot = True
                long_niceness = max(LONG_NICENESS, worker.niceness)  # quick queries get the CPU first
                os.setpriority(os.PRIO_PROCESS, worker.process.pid, long_niceness)
                if not await worker.readable(deadline - loop.time()):
                    raise QueryTimeout(self._timeout_message(limit))
            try:
                status, payload = worker.connection.recv()
            except (EOFError, OSError):
                raise self._death(worker) from None
        except BaseException:  # stopped, timed out, dead, or cancelled by a caller that went away: a new worker
            self._retire(worker)
            raise
        else:
            if status == "memory" or (in_long_slot and not _restore_priority(worker)):
                self._retire(worker)
            else:
                self._idle.put_nowait(worker)
        finally:
            if in_long_slot:
                self._long -= 1
        if status == "ok":
            answer = Answer(*payload)
            self.answers.put(remembered, answer)
            return answer
        from xwalk.store import ResultTooLarge

        if status == "memory":
            raise self._death(None)
        raise {"too-large": ResultTooLarge, "bad-query": XwalkError}.get(status, QueryFailed)(payload)

    async def _take(self, deadline: float, limit: float) -> _Worker:
        """An idle worker, waiting for one at most until the query's deadline and only behind a bounded queue."""
        if self._waiting >= self.max_waiting:
            raise QueryBusy(f"the service is busy: {self._waiting} queries are waiting already; try again later")
        self._waiting += 1
        try:
            return await asyncio.wait_for(
                self._started_queue().get(), max(0.0, deadline - asyncio.get_running_loop().time())
            )
        except TimeoutError:
            raise QueryBusy(
                f"the service is busy: no query worker was free within the {limit:g} s time limit; try again later"
            ) from None
        finally:
            self._waiting -= 1

    @staticmethod
    def _timeout_message(limit: float) -> str:
        return f"the query ran past the {limit:g} s time limit and was stopped"

    def _death(self, worker: _Worker | None) -> Exception:
        """The error for a worker that ended during a query: out of memory (killed by its allocator), or a fault."""
        if worker is not None:
            worker.process.join(5)
        code = None if worker is None else worker.process.exitcode
        if worker is None or code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV, 1):
            return QueryOutOfMemory(
                f"the query needed more than the {self.memory_bytes // 1_000_000} MB memory limit of a query worker "
                "and was stopped; narrow it (fewer rows, or a LIMIT)"
            )
        return QueryFailed(f"the query worker stopped unexpectedly (exit code {code}); it was replaced, try again")

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker (stuck in a query, dead, or abandoned) and start another in its place in the background,
        so that the caller's answer does not wait for the new worker to start."""
        worker.kill()
        if worker in self._all:
            self._all.remove(worker)
        self._active -= 1
        if self._spares:
            self._place(self._spares.pop())
        task = asyncio.get_running_loop().create_task(self._refill())
        self._refills.add(task)
        task.add_done_callback(self._refills.discard)

    async def _refill(self) -> None:
        try:
            worker = await asyncio.to_thread(self._new)
        except QueryFailed:
            await asyncio.sleep(1)  # try again rather than shrink the pool for good
            return await self._refill()
        self._place(worker)

    def close(self) -> None:
        for task in self._refills:
            task.cancel()
        for worker in self._all:
            worker.kill()
        self._all.clear()


class BlockingPool:
    """A QueryPool for synchronous callers (the explorer): its event loop runs in a daemon thread. `submit` gives
    a concurrent Future; cancelling it stops the query and kills its worker."""

    def __init__(self, pool: QueryPool):
        self.pool = pool
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, daemon=True, name="xwalk-query-pool").start()
        asyncio.run_coroutine_threadsafe(pool.start(), self._loop).result()

    def submit(
        self, text: str, select_formats: list[str], graph_formats: list[str], timeout: float | None = None
    ) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(
            self.pool.run(text, select_formats, graph_formats, None, timeout), self._loop
        )

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self.pool.close)


def run_once(
    store_dir: Path | None,
    text: str,
    select_formats: list[str],
    graph_formats: list[str],
    timeout: float,
    max_bytes: int,
    memory_bytes: int = 2_000_000_000,
    sources: "Sources | None" = None,
) -> Answer:
    """One query in one bounded worker (the CLI): the same limits and refusals as the service."""

    async def once() -> Answer:
        pool = QueryPool(store_dir, 1, timeout, max_bytes, memory_bytes, quick_seconds=timeout, sources=sources)
        await pool.start()
        try:
            return await pool.run(text, select_formats, graph_formats)
        finally:
            pool.close()

    return asyncio.run(once())


def materialise(store) -> Path:
    """A store directory holding the same data as `store`, for query workers to open read-only; the caller removes
    it when done."""
    from xwalk.store import Store

    directory = Path(tempfile.mkdtemp(prefix="xwalk-store-"))
    copy = Store(directory)
    copy.load_dump(store.serialize("nq"))
    copy.flush()
    del copy
    return directory
