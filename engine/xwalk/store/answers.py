"""Answers of repeated queries, kept in memory by the query pool: the store a pool answers from is read-only and
never changes while the pool runs, so the same query text, formats and dataset give the same answer, except for
queries calling a function whose value changes from one evaluation to the next (NOW, RAND, UUID, STRUUID, BNODE),
which always run. Bounded in bytes, least recently used first out; only answers (never errors) are kept."""

import re
from collections import OrderedDict
from typing import Any, Protocol


class Kept(Protocol):
    """What is kept: an answer with its body (pool.Answer; not imported, the pool imports this module)."""

    @property
    def body(self) -> bytes: ...


CHANGING = re.compile(r"\b(NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)
MAX_ENTRY_BYTES = 1_000_000
MAX_TOTAL_BYTES = 64_000_000


class Answers:
    def __init__(self, max_total: int = MAX_TOTAL_BYTES):
        self.max_total, self.size = max_total, 0
        self.kept: OrderedDict[tuple, Any] = OrderedDict()

    @staticmethod
    def key(text: str, select_formats: list[str], graph_formats: list[str], dataset) -> tuple | None:
        """The key of a query's answer, or None for a query whose answer may change between evaluations."""
        if CHANGING.search(text):
            return None
        return text, tuple(select_formats), tuple(graph_formats), dataset

    def get(self, key: tuple | None) -> Any:
        if key is None or key not in self.kept:
            return None
        self.kept.move_to_end(key)
        return self.kept[key]

    def put(self, key: tuple | None, answer: Kept) -> None:
        """Keep `answer` unless it is too large or its query's answer may change."""
        if key is None or key in self.kept or len(answer.body) > MAX_ENTRY_BYTES:
            return
        self.kept[key] = answer
        self.size += len(answer.body)
        while self.size > self.max_total:
            _, dropped = self.kept.popitem(last=False)
            self.size -= len(dropped.body)
