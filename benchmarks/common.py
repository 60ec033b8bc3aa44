"""Small helpers shared by the parts: timing, isolated child processes, the machine's description."""

import math
import multiprocessing
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def median_seconds(function: Callable[[], object], repeats: int) -> float:
    """The median wall time of `repeats` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def medians_in_turns(functions: dict[str, Callable[[], object]], repeats: dict[str, int]) -> dict[str, float]:
    """The median wall time of each function over its `repeats[name]` calls, the calls of all of them taken in turns
    and spread evenly over the run: a ratio of two medians then compares times taken under the same load (measured
    one after the other, a burst of another process's work on this shared machine lands on one side only)."""
    rounds = max(repeats.values())
    times: dict[str, list[float]] = {name: [] for name in functions}
    for r in range(rounds):
        for name, function in functions.items():
            if (r * repeats[name]) // rounds != ((r + 1) * repeats[name]) // rounds:  # its share of the rounds
                start = time.perf_counter()
                function()
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(found) for name, found in times.items()}


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def isolated(target: Callable, args: tuple, limit: float) -> tuple[list[tuple[float, object]], float, bool]:
    """Run `target(connection, *args)` in a fresh process and collect what it sends until it ends or `limit`
    seconds pass; then it is killed (a pure-Python SPARQL engine cannot be interrupted any other way).
    Returns ([(time received, message)], time stopped, finished) with times from time.monotonic()."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(sender, *args), daemon=True)
    process.start()
    sender.close()
    messages, deadline, finished = [], time.monotonic() + limit, False
    while (remaining := deadline - time.monotonic()) > 0 and receiver.poll(remaining):
        try:
            messages.append((time.monotonic(), receiver.recv()))
        except EOFError:
            finished = True
            break
    stopped = time.monotonic()
    process.join(10 if finished else 0)  # a child that has sent everything is given time to exit on its own
    if process.is_alive():
        process.kill()
        process.join(10)
    receiver.close()
    return messages, stopped, finished and process.exitcode == 0


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    packages = {}
    for name in ("pyoxigraph", "rdflib", "rdflib-endpoint", "fastapi", "uvicorn"):
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = "not installed"
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_average": os.getloadavg()[0],  # anything else running shows in every number
        "packages": packages,
    }


def ms(seconds: float | None) -> str:
    """Seconds as milliseconds for a report cell."""
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.3g} ms" if seconds < 1 else f"{seconds:.3g} s"


def ratio(slow: float | None, fast: float | None, at_least: bool = False) -> str:
    if not slow or not fast:
        return "-"
    return f"{'> ' if at_least else ''}{slow / fast:,.0f}x" if slow / fast >= 10 else f"{slow / fast:.1f}x"


def table(header: list[str], rows: list[list]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


PROPOSED = Path(__file__).parent / "proposed"


def _query_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def proposed_queries() -> dict[str, str]:
    """The rewritten named queries in benchmarks/proposed/ that still differ from the engine's (none once the
    engine has taken them in)."""
    from xwalk.store import query_text

    found = {}
    for path in sorted(PROPOSED.glob("*.rq")):
        text = path.read_text("utf-8")
        if _query_lines(text) != _query_lines(query_text(path.stem)):
            found[path.stem] = text
    return found


@contextmanager
def using_queries(texts: dict[str, str]):
    """Let the store read these texts for the named queries, for a measurement only: the engine is not changed."""
    import xwalk.store

    original = xwalk.store.query_text
    xwalk.store.query_text = lambda name: texts.get(name) or original(name)
    try:
        yield
    finally:
        xwalk.store.query_text = original
