"""The settings: one object read once from the environment (`Settings.from_env`, with what the command line gives
winning) and passed down to what needs it: the API factory, the store and loader opening, the query workers, the
CLI root. Nothing else reads these variables.

Sources: XWALK_ROOT (the data's folder; `xwalk.core.paths` takes it when first imported, so the CLI root sets it
before any command imports paths), XWALK_IMPORTS (imported mapping sets), XWALK_STORE (a built store directory),
XWALK_SPARQL_ENDPOINT (a remote endpoint). Limits of the service: XWALK_QUERY_TIMEOUT, XWALK_MAX_RESULT_BYTES,
XWALK_MAX_REQUEST_BYTES, XWALK_WORKERS, XWALK_QUERY_MEMORY_MB, XWALK_QUICK_SECONDS, XWALK_QUERY_QUEUE; of the
readers of uploaded files (xwalk.services.upload): XWALK_UPLOAD_TIMEOUT, XWALK_UPLOAD_MEMORY, XWALK_UPLOAD_WORKERS.

Where the commands' cache lives: XWALK_CACHE (a folder, or `off`).

Read elsewhere, with their reasons: XWALK_ROOT by `xwalk.core.paths` when first imported (the data's folders are
module constants; the CLI root writes the --root it was given there before any command imports paths);
XDG_CACHE_HOME by `xwalk.load.cache` (the platform's cache folder, by the XDG convention, not a setting of xwalk)."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from xwalk.core.errors import XwalkError

# field -> (environment variable, how its text is read)
ENVIRONMENT = {
    "root": ("XWALK_ROOT", Path),
    "imports": ("XWALK_IMPORTS", Path),
    "store_dir": ("XWALK_STORE", Path),
    "endpoint": ("XWALK_SPARQL_ENDPOINT", str),
    "query_timeout": ("XWALK_QUERY_TIMEOUT", float),
    "max_result_bytes": ("XWALK_MAX_RESULT_BYTES", int),
    "max_request_bytes": ("XWALK_MAX_REQUEST_BYTES", int),
    "workers": ("XWALK_WORKERS", int),
    "query_memory_mb": ("XWALK_QUERY_MEMORY_MB", int),
    "quick_seconds": ("XWALK_QUICK_SECONDS", float),
    "query_queue": ("XWALK_QUERY_QUEUE", int),
    "cache": ("XWALK_CACHE", str),
    "upload_timeout": ("XWALK_UPLOAD_TIMEOUT", float),
    "upload_memory": ("XWALK_UPLOAD_MEMORY", int),
    "upload_workers": ("XWALK_UPLOAD_WORKERS", int),
}


@dataclass
class Settings:
    """Where the data comes from and the limits of the service; every field but `cors_origins` can be set from
    the environment (ENVIRONMENT names the variables)."""

    root: Path | None = None  # the folder holding ontology/ and mappings/; default: this installation's
    imports: Path | None = None  # mapping sets imported by `xwalk import-mappings`, loaded with the curated ones
    store_dir: Path | None = None  # a store written by `xwalk build`; default: one built at start-up
    endpoint: str | None = None  # a remote SPARQL endpoint the engine reads instead of the embedded store
    query_timeout: float = 10.0  # seconds a SPARQL query may take, waiting for a worker included
    max_result_bytes: int = 20_000_000  # larger answers are refused, never cut
    max_request_bytes: int = 1_000_000  # larger requests (queries, uploads) are refused
    workers: int = 4  # processes answering SPARQL queries; half of them may hold long queries
    query_memory_mb: int = 2000  # address space of a query worker; a query past it is stopped
    quick_seconds: float = 1.0  # a query running longer needs one of the workers - 1 long-query slots
    query_queue: int = 32  # queries waiting for a worker; past that the answer is 503 at once
    upload_timeout: float = 20.0  # seconds an uploaded file may take to read, waiting for a reader included
    upload_memory: int = 1024 * 1024 * 1024  # bytes of address space of an upload's reader
    upload_workers: int = 2  # uploads read at once; a further one waits for a place within its time limit
    cache: str | None = None  # the commands' cache folder (xwalk.load.cache), or "off"; default: the platform's
    cors_origins: list[str] = field(default_factory=lambda: ["*"])

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, /, **given: Any) -> "Settings":
        """The settings the environment gives (default `os.environ`), then the `given` values that are not None
        (command-line options win over the environment). An empty variable counts as unset."""
        environ = os.environ if environ is None else environ
        read = {name: _read(var, kind, environ[var]) for name, (var, kind) in ENVIRONMENT.items() if environ.get(var)}
        unknown = set(given) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"no such setting: {', '.join(sorted(unknown))}")
        return replace(cls(**read), **{k: v for k, v in given.items() if v is not None})


def _read(variable: str, kind: type, text: str):
    try:
        return kind(text)
    except ValueError:
        raise XwalkError(f"{variable}={text!r}: expected {'a whole number' if kind is int else 'a number'}") from None
