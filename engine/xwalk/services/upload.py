"""Reading an uploaded file in a process of its own, with a time limit and a memory limit (RLIMIT_AS), so that a
hostile file costs at most one bounded worker and never the serving process: the API and the explorer hand every
uploaded Statement of Applicability to `parse` (call it from a thread, not an event loop; it blocks).

A worker is started for each upload (forked from a fork server holding the readers) and killed once it has answered
or run out of time; at most XWALK_UPLOAD_WORKERS read at once, and a further upload waits for a place within the
same time limit.

The limits are those of the settings (xwalk.core.settings: upload_timeout, upload_memory, upload_workers; from
XWALK_UPLOAD_TIMEOUT, XWALK_UPLOAD_MEMORY, XWALK_UPLOAD_WORKERS), given once by the surface that serves uploads
(`configure`, called by the API's app factory); until then, the defaults of `Settings()`.
"""

import multiprocessing
import threading
import time

from xwalk.core.errors import XwalkError
from xwalk.core.settings import Settings

WORKER_MARK = "xwalk-upload"  # the worker's process name (/proc/PID/comm), for the tests and the benchmark

_limits = Settings()
_places = threading.BoundedSemaphore(_limits.upload_workers)
_context_lock = threading.Lock()
_context = None


def _workers():
    """Workers are forked from a fork server that has the readers imported already (a worker is ready in tens of
    milliseconds, not the second a fresh interpreter takes), and that holds no thread of the serving process."""
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["xwalk.services.soa_table", "xwalk.core.bounded", "openpyxl", "yaml"])
            _context = context
        return _context


def configure(settings: Settings) -> None:
    """Read uploads with the limits of `settings` from now on (the places are made anew only when their number
    changes: uploads being read keep theirs)."""
    global _limits, _places
    if settings.upload_workers < 1:
        raise XwalkError(f"XWALK_UPLOAD_WORKERS={settings.upload_workers}: at least 1 upload must be read at once")
    if settings.upload_workers != _limits.upload_workers:
        _places = threading.BoundedSemaphore(settings.upload_workers)
    _limits = settings


class UploadBusy(XwalkError):
    """Every upload worker stayed busy for the whole time limit."""


class UploadRefused(XwalkError):
    """The file took more time or memory to read than an upload may."""


def _work(connection, name: str, data: bytes, options, memory: int) -> None:
    """The worker: limit its own memory, read the file, send back a Table or the reason it was refused."""
    import resource

    try:
        with open("/proc/self/comm", "w") as comm:
            comm.write(WORKER_MARK)
    except OSError:
        pass  # not Linux: the name only helps to find the worker
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        from xwalk.services import soa_table

        connection.send(("ok", soa_table.parse_bytes(name, data, options)))
    except XwalkError as error:
        connection.send(("refused", str(error)))
    except MemoryError:
        connection.send(("memory", ""))
    except Exception as error:  # a reader failed on this file: say so, with no path or traceback
        connection.send(("failed", type(error).__name__))


def parse(name: str, data: bytes, options=None, timeout: float | None = None, memory: int | None = None):
    """The `soa_table.Table` of an uploaded file, read in a bounded worker; an XwalkError naming `name` otherwise."""
    from xwalk.services.soa_table import ReadOptions

    timeout = _limits.upload_timeout if timeout is None else timeout
    memory = _limits.upload_memory if memory is None else memory
    started = time.monotonic()
    places = _places  # the ones taken from, released to, even if the limits change meanwhile
    if not places.acquire(timeout=timeout):
        raise UploadBusy(f"{name}: every upload reader stayed busy for {timeout:g} s; try again later")
    try:
        context = _workers()
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(target=_work, args=(sender, name, data, options or ReadOptions(), memory), daemon=True)
        worker.start()
        sender.close()
        try:
            left = max(0.0, timeout - (time.monotonic() - started))
            if not receiver.poll(left):
                raise UploadRefused(f"{name}: reading the file took longer than {timeout:g} s and was stopped")
            try:
                status, payload = receiver.recv()
            except (EOFError, OSError):
                status, payload = "memory", ""
        finally:
            worker.kill()
            worker.join(5)
            receiver.close()
    finally:
        places.release()
    if status == "ok":
        return payload
    if status == "refused":
        raise XwalkError(payload)
    if status == "memory":
        raise UploadRefused(
            f"{name}: reading the file needed more than {memory // 1024 // 1024} MB of memory and was stopped"
        )
    raise XwalkError(f"{name}: the file could not be read ({payload}); is it a Statement of Applicability?")
