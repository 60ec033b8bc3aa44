"""The service's settings: one object read once from the environment (XWALK_QUERY_TIMEOUT, ...) and passed down to
whatever needs them, so nothing below reads the environment behind the caller's back."""

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Settings:
    """Limits and sources of the service; every field can be set from the environment (XWALK_QUERY_TIMEOUT, ...)."""

    query_timeout: float = 10.0  # seconds a SPARQL query may take, waiting for a worker included
    max_result_bytes: int = 20_000_000  # larger answers are refused, never cut
    max_request_bytes: int = 1_000_000  # larger requests (queries, uploads) are refused
    workers: int = 4  # processes answering SPARQL queries; half of them may hold long queries
    query_memory_mb: int = 2000  # address space of a query worker; a query past it is stopped
    quick_seconds: float = 1.0  # a query running longer needs one of the workers - 1 long-query slots
    query_queue: int = 32  # queries waiting for a worker; past that the answer is 503 at once
    store_dir: Path | None = None  # a store written by `xwalk build`; default: one built at start-up
    endpoint: str | None = None  # a remote SPARQL endpoint the engine reads instead of the embedded store
    cors_origins: list[str] = field(default_factory=lambda: ["*"])

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ.get
        return cls(
            query_timeout=float(env("XWALK_QUERY_TIMEOUT", 10.0)),
            max_result_bytes=int(env("XWALK_MAX_RESULT_BYTES", 20_000_000)),
            max_request_bytes=int(env("XWALK_MAX_REQUEST_BYTES", 1_000_000)),
            workers=int(env("XWALK_WORKERS", 4)),
            query_memory_mb=int(env("XWALK_QUERY_MEMORY_MB", 2000)),
            quick_seconds=float(env("XWALK_QUICK_SECONDS", 1.0)),
            query_queue=int(env("XWALK_QUERY_QUEUE", 32)),
            store_dir=Path(env("XWALK_STORE")) if env("XWALK_STORE") else None,
            endpoint=env("XWALK_SPARQL_ENDPOINT") or None,
        )
