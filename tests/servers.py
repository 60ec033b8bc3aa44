"""Real servers for the tests, started the way a user starts them and stopped afterwards: the xwalk service and
an `oxigraph` SPARQL server (PyPI package `oxigraph`) holding the same dataset."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}: {process.stderr.read()}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {seconds} s")


@contextmanager
def running(command: list[str], url: str, env: dict | None = None, cwd: Path | None = None):
    """Start `command`, wait until `url` answers (bounded), and stop the process afterwards."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )
    try:
        wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def xwalk_service(*options: str, env: dict | None = None):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([str(BIN / "xwalk"), *options, "serve", "--port", str(port)], f"{base}/", env):
        yield base


@contextmanager
def oxigraph_server(dataset_nq: bytes, folder: Path):
    """`oxigraph load` the dataset, then `oxigraph serve-read-only` it with the union default graph."""
    data = folder / "dataset.nq"
    data.write_bytes(dataset_nq)
    location = folder / "oxigraph"
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(BIN / "oxigraph"),
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    with running(command, f"{base}/query?query=ASK%7B%7D"):
        yield f"{base}/query"


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@contextmanager
def virtuoso_server(dataset_nq: bytes, folder: Path):
    """Virtuoso (Debian `virtuoso-opensource`) with its own database in `folder`, the dataset bulk-loaded from
    N-Quads (one named graph per source file; Virtuoso's default graph is the union of all graphs)."""
    (folder / "dataset.nq").write_bytes(dataset_nq)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
    base = f"http://127.0.0.1:{http_port}"
    command = ["virtuoso-t", "+foreground", "+configfile", str(ini)]
    with running(command, f"{base}/sparql?query=ASK%7B%7D", cwd=folder):
        load = f"ld_dir('{folder}', 'dataset.nq', '{GRAPH_FOR_STRAY_TRIPLES}'); rdf_loader_run(); checkpoint;"
        subprocess.run(
            ["isql-vt", str(sql_port), "dba", "dba", f"exec={load}"], check=True, capture_output=True, timeout=300
        )
        yield f"{base}/sparql"


# ld_dir wants a graph for triples without one; N-Quads from the store give every quad its graph.
GRAPH_FOR_STRAY_TRIPLES = "https://w3id.org/xwalk/graph/unused"
