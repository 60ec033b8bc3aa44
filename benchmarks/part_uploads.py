"""Part 5: hostile uploads against a real `xwalk serve` on 127.0.0.1, with the peak memory of every process.

Each hostile file (benchmarks/hostile.py builds them) is posted to /api/coverage/upload while a sampler reads the
memory of the server and of every process under it (query workers, upload workers) from /proc every 50 ms. It keeps
VmHWM, the kernel's own high-water mark, reset through /proc/PID/clear_refs before each case: a short-lived upload
worker's peak is not missed between two samples as long as it was seen once. A probe asks /api/standards
throughout: its slowest answer shows whether the hostile upload held up other requests.
"""

import contextlib
import os
import select
import socket
import threading
import time
from pathlib import Path

import httpx

from benchmarks import common, hostile
from benchmarks.part_endpoint import free_port, server


def _processes(root: int) -> dict[int, str]:
    """The process `root` and all its descendants, with their names."""
    parents, names = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid = int(stat.parent.name)
        name = text[text.index("(") + 1 : text.rindex(")")]
        parents[pid] = int(text[text.rindex(")") + 2 :].split()[1])
        names[pid] = name
    found, frontier = {root: names.get(root, "?")}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                # a child of the fork server is an upload worker, even before it has renamed itself
                found[pid] = "xwalk-upload" if b"forkserver" in _command(parent) and parent != root else names[pid]
                frontier.append(pid)
    return found


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _high_water_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Sampler:
    """Peak RSS (VmHWM) of a process tree, sampled in a thread until stopped."""

    def __init__(self, root: int):
        self.root, self.peaks, self.roles = root, {}, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid, name in _processes(self.root).items():
                mb = _high_water_mb(pid)
                if mb is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), mb)
                    self.roles[pid] = _role(pid, self.root, name)
            time.sleep(0.05)

    def __enter__(self):
        for pid in _processes(self.root):  # reset each high-water mark, so the peaks are this case's own
            with contextlib.suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join(5)

    def by_role(self) -> dict[str, dict]:
        """For each role: how many processes were seen and the largest peak among them (MB)."""
        result: dict[str, dict] = {}
        for pid, mb in self.peaks.items():
            entry = result.setdefault(self.roles[pid], {"processes": 0, "peak_mb": 0.0})
            entry["processes"] += 1
            entry["peak_mb"] = round(max(entry["peak_mb"], mb), 1)
        return result


def _role(pid: int, root: int, name: str) -> str:
    if pid == root:
        return "server (xwalk serve)"
    if name == "xwalk-upload":
        return "upload worker"
    command = _command(pid)
    if b"resource_tracker" in command:
        return "multiprocessing resource tracker"
    if b"forkserver" in command:
        return "upload fork server"
    return "SPARQL query worker"


def _chunked(port: int, megabytes: int) -> dict:
    """A chunked body of `megabytes` MB sent until the server answers; how much was sent by then."""
    block = b"x" * 65536
    chunk = b"%x\r\n" % len(block) + block + b"\r\n"
    sent, answer = 0, b""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(
            b"POST /api/coverage/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n\r\n"
        )
        opening = b'--b\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\n\r\n'
        connection.sendall(b"%x\r\n" % len(opening) + opening + b"\r\n")
        try:
            while sent < megabytes * 1024 * 1024 and not select.select([connection], [], [], 0)[0]:
                connection.sendall(chunk)
                sent += len(block)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            answer = connection.recv(65536)
    return {"status": int(answer.split(b" ")[1]) if answer.startswith(b"HTTP/") else None, "sent_mb": sent / 2**20}


def run(tiny: bool, work: Path) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    bomb_mb, chunked_mb = (50, 20) if tiny else (400, 300)
    uploads = {
        "YAML alias bomb": ("bomb.yaml", hostile.alias_bomb()),
        "XLSX shared-string bomb": (
            "bomb.xlsx",
            hostile.shared_string_bomb(work / "bomb.xlsx", megabytes=bomb_mb).read_bytes(),
        ),
        "JSON nested 100k deep": ("deep.json", hostile.deep_json()),
        "YAML nested 100k deep": ("deep.yaml", hostile.deep_yaml()),
        "1 MB YAML of empty mappings (slow)": ("slow.yaml", hostile.slow_yaml()),
    }
    command = [str(common.BIN / "xwalk"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    env = {"XWALK_UPLOAD_TIMEOUT": "5" if tiny else "10"}
    results = {"bomb_mb": bomb_mb, "chunked_mb": chunked_mb, "cases": []}
    with server(command, f"{base}/sparql?query=ASK%7B%7D", env) as started:
        results["started_seconds"] = started
        root = _server_pid(port)
        for case, (name, content) in [*uploads.items(), ("chunked body", ("", None))]:
            probe_times: list[float] = []
            stop = threading.Event()
            with Sampler(root) as sampler:
                prober = threading.Thread(target=_probe, args=(base, stop, probe_times), daemon=True)
                prober.start()
                start = time.perf_counter()
                if content is None:
                    outcome = _chunked(port, chunked_mb)
                    detail = f"{outcome['sent_mb']:.1f} MB sent before the answer"
                    status = outcome["status"]
                else:
                    response = httpx.post(f"{base}/api/coverage/upload", files={"file": (name, content)}, timeout=120)
                    status = response.status_code
                    detail = response.json().get("error", "")[:90]
                elapsed = time.perf_counter() - start
                deadline = time.monotonic() + 30
                while not probe_times and time.monotonic() < deadline:  # at least one answer during each case
                    time.sleep(0.05)
                stop.set()
                prober.join(60)
            results["cases"].append(
                {
                    "case": case,
                    "bytes": len(content) if content is not None else chunked_mb * 2**20,
                    "status": status,
                    "seconds": elapsed,
                    "detail": detail,
                    "probe_max": max(probe_times) if probe_times else None,
                    "probes": len(probe_times),
                    "memory": sampler.by_role(),
                }
            )
    return results


def _probe(base: str, stop: threading.Event, times: list[float]) -> None:
    """Ask /api/standards every 50 ms until stopped, keeping each answer's time."""
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            start = time.perf_counter()
            client.get(f"{base}/api/standards")
            times.append(time.perf_counter() - start)
            time.sleep(0.05)


def _server_pid(port: int) -> int:
    """The process listening on `port` (the server just started), found through /proc/net/tcp."""
    hex_port = f":{port:04X}"
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(hex_port) and fields[3] == "0A":
            inodes.add(fields[9])
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            return int(fd.parent.parent.name)
    raise RuntimeError(f"no process listens on port {port}")


def markdown(data: dict) -> str:
    roles = ["server (xwalk serve)", "SPARQL query worker", "upload fork server", "upload worker"]
    rows = []
    for case in data["cases"]:
        memory = case["memory"]
        rows.append(
            [
                case["case"],
                f"{case['bytes'] / 2**20:.2f} MB" if case["bytes"] >= 2**20 else f"{case['bytes'] / 1024:.1f} KB",
                case["status"],
                common.ms(case["seconds"]),
                *[
                    f"{memory[r]['peak_mb']:.0f} MB"
                    + (f" ({memory[r]['processes']})" if memory[r]["processes"] > 1 else "")
                    if r in memory
                    else "-"
                    for r in roles
                ],
                common.ms(case["probe_max"]),
                case["detail"].replace("|", "\\|"),
            ]
        )
    return "\n".join(
        [
            "### 5. Hostile uploads: peak memory of every process",
            "",
            f"`xwalk serve` on 127.0.0.1 (up in {common.ms(data['started_seconds'])}); each file posted to "
            f"/api/coverage/upload (the shared-string bomb inflates to {data['bomb_mb']} MB, the chunked body is "
            f"{data['chunked_mb']} MB with no Content-Length). Peak RSS is each process's VmHWM during the case (reset "
            "before it), sampled every 50 ms; "
            "with several processes of a role, the largest and (in brackets) how many. `probe` is the slowest "
            "answer of /api/standards, asked every 50 ms meanwhile.",
            "",
            common.table(["upload", "size", "status", "answered in", *roles, "probe (slowest)", "answer"], rows),
            "",
        ]
    )
