"""Hostile uploads against a real `xwalk serve`: bodies refused while they stream in, files read in a bounded worker
process while every other request goes on, and errors that name the uploaded file. The files are built here."""

import json
import select
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ lives at the project root

from benchmarks import hostile  # noqa: E402
from servers import xwalk_service  # noqa: E402
from xwalk.services.upload import WORKER_MARK  # noqa: E402

UPLOAD_TIMEOUT = 4  # seconds; the slow upload below keeps a reader busy about 10 s, a real SoA well under 1 s


@pytest.fixture(scope="module")
def service():
    with xwalk_service(env={"XWALK_UPLOAD_TIMEOUT": str(UPLOAD_TIMEOUT)}) as base:
        yield base


def upload_workers() -> set[int]:
    """Process ids of the upload workers running on this machine (they name themselves in /proc/PID/comm)."""
    found = set()
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == WORKER_MARK:
                found.add(int(comm.parent.name))
        except OSError:
            continue
    return found


def test_a_chunked_body_over_the_limit_is_refused_while_it_streams(service):
    """No Content-Length: the 413 must come once the limit (1 MB) is passed, not after the 300 MB are sent."""
    url = urlparse(service)
    block = b"x" * 65536
    chunk = b"%x\r\n" % len(block) + block + b"\r\n"
    sent, answer = 0, b""
    with socket.create_connection((url.hostname, url.port), timeout=30) as connection:
        connection.sendall(
            b"POST /api/coverage/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n\r\n"
        )
        opening = b'--b\r\nContent-Disposition: form-data; name="file"; filename="soa.csv"\r\n\r\n'
        connection.sendall(b"%x\r\n" % len(opening) + opening + b"\r\n")
        try:
            while sent < 300 * 1024 * 1024:
                if select.select([connection], [], [], 0)[0]:
                    break
                connection.sendall(chunk)
                sent += len(block)
        except OSError:
            pass  # the server closed the connection after answering
        deadline = time.monotonic() + 30
        while b"\r\n\r\n" not in answer and time.monotonic() < deadline:
            part = connection.recv(65536)
            if not part:
                break
            answer += part
        answer += connection.recv(65536) if b'"}' not in answer else b""
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), answer[:200]
    assert json.loads(body)["error"].startswith("the request body passed 1000000 bytes")
    assert sent < 50 * 1024 * 1024  # refused long before the whole body was sent


def test_a_declared_length_over_the_limit_is_refused_at_once(service):
    response = httpx.post(
        f"{service}/sparql",
        content=b"x" * 1_000_001,
        headers={"content-type": "application/sparql-query"},
    )
    assert response.status_code == 413
    assert response.json() == {"error": "the request is 1000001 bytes; at most 1000000 are accepted"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.yaml", hostile.alias_bomb(), "bomb.yaml line 2: YAML aliases (*name) are not accepted"),
        ("deep.json", hostile.deep_json(), "deep.json line 1: nested more than 64 levels deep"),
        ("Our SoA.xlsx", b"PK\x03\x04 broken", "Our SoA.xlsx: not a readable XLSX workbook"),
    ],
)
def test_hostile_uploads_are_refused_naming_the_uploaded_file(service, name, content, message):
    response = httpx.post(f"{service}/api/coverage/upload", files={"file": (name, content)}, timeout=60)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error.startswith(message)
    assert "xwalk-upload" not in error and "/tmp" not in error


def test_a_shared_string_bomb_upload_is_refused(service, tmp_path):
    bomb = hostile.shared_string_bomb(tmp_path / "soa.xlsx", megabytes=400).read_bytes()
    assert len(bomb) < 1_000_000
    response = httpx.post(f"{service}/api/coverage/upload", files={"file": ("soa.xlsx", bomb)}, timeout=60)
    assert response.status_code == 400
    assert "soa.xlsx: the workbook part xl/sharedStrings.xml is" in response.json()["error"]


def test_an_id_of_5000_digits_is_a_404_not_a_500(service):
    response = httpx.get(f"{service}/api/provisions/iso27001/A.{hostile.long_number()}")
    assert response.status_code == 404 and "error" in response.json()


def test_the_upload_form_takes_sheet_columns_and_all_implemented(service, tmp_path):
    path = hostile.workbook(
        tmp_path / "soa.xlsx",
        {"Cover": [["Our SoA"]], "Annex A": [["Title row"], ["Ref", "Where we are"], ["A.5.1", "planned"]]},
    )
    files = {"file": ("soa.xlsx", path.read_bytes())}
    refused = httpx.post(f"{service}/api/coverage/upload", files=files, timeout=60)
    assert refused.status_code == 400
    assert "no implementation status column (columns seen: 'Ref', 'Where we are')" in refused.json()["error"]
    mapped = httpx.post(
        f"{service}/api/coverage/upload",
        files=files,
        data={"sheet": "Annex A", "columns": 'status="Where we are"', "target": "iso42001"},
        timeout=60,
    )
    assert mapped.status_code == 200, mapped.text
    assert "1 rows" in " ".join(mapped.json()["baseline"]["description"])
    listed = httpx.post(f"{service}/api/coverage/upload", files=files, data={"all_implemented": "true"}, timeout=60)
    assert listed.status_code == 200, listed.text


def test_other_requests_are_answered_while_a_hostile_upload_is_being_read(service):
    """190,000 empty YAML mappings (`? `) in 1 MB keep even libyaml and its constructor busy for about
    10 s: the upload's worker is stopped at the time limit, and meanwhile the catalog and SPARQL answer as usual."""
    slow = hostile.slow_yaml()
    assert len(slow) < 1_000_000
    before = upload_workers()
    result = {}

    def send() -> None:
        result["response"] = httpx.post(
            f"{service}/api/coverage/upload", files={"file": ("slow.yaml", slow)}, timeout=90
        )

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 30
    while not (upload_workers() - before) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = upload_workers() - before
    assert workers, "no upload worker process was started"
    standards = httpx.get(f"{service}/api/standards", timeout=30)
    ask = httpx.get(f"{service}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    still_reading = sender.is_alive() and bool(workers & upload_workers())
    sender.join(90)
    assert standards.status_code == 200 and len(standards.json()) >= 5
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    assert still_reading, "the other requests were only answered after the upload"
    response = result["response"]
    assert response.status_code == 400
    assert (
        response.json()["error"] == f"slow.yaml: reading the file took longer than {UPLOAD_TIMEOUT} s and was stopped"
    )
    assert not workers & upload_workers()  # the worker was killed
