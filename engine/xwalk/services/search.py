"""Search as a service: one function finds provisions for every surface (the explorer, `/api/search`,
`xwalk search`). An id as users write it (`A 5.15`, `Art. 9(2)`) resolves first, through the one id normaliser; then
full text over ids, titles, any other text the graph holds of a provision and the rationales of its curated mappings,
with stemming (SQLite FTS5, porter tokenizer) and ranking (BM25, ids and titles weighing most).

The index is built from the graph (`queries/search_texts.rq`) when the data loads (`index(catalog)`), in memory.
Abbreviations a reader types (FRIA, DPIA) expand to the words the provisions use, from `search_terms.csv`."""

import csv
import re
import sqlite3
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from xwalk.core.errors import XwalkError
from xwalk.services.catalog import Catalog

TERMS_FILE = Path(__file__).parent / "search_terms.csv"
FIELDS = ("id", "title", "text", "rationale")
WEIGHTS = (10.0, 5.0, 2.0, 1.0)  # BM25 weight of each field, in FIELDS order
MAX_LIMIT = 500
_WORD = re.compile(r"\w+", re.UNICODE)
_INDEXES: "weakref.WeakKeyDictionary[Catalog, Index]" = weakref.WeakKeyDictionary()
_BUILDING = threading.Lock()
_MARK = "\x01"


@dataclass(frozen=True)
class Hit:
    """A provision found: `match` says how ("id" when the text is its id, else "text"), `found_in` the fields the
    words were found in, `context` a short excerpt around them (from the best field)."""

    iri: str
    id: str
    title: str
    standard: str
    identifier: str
    match: str
    rank: int
    found_in: tuple[str, ...] = ()
    context: str = ""


class Index:
    """The full-text index of one catalog: an in-memory SQLite FTS5 table, one row per provision."""

    def __init__(self, catalog: Catalog):
        if not fts5_available():
            raise XwalkError("this Python's SQLite has no FTS5: search needs a Python built with SQLite FTS5")
        self.catalog = catalog
        self.expansions = read_terms(TERMS_FILE)
        texts: dict[str, dict[str, list[str]]] = {}
        for row in catalog.store.select("search_texts"):
            fields = texts.setdefault(row["provision"], {f: [] for f in FIELDS})
            if row["text"] not in fields[row["field"]]:
                fields[row["field"]].append(row["text"])
        self._lock = threading.Lock()  # one connection, read by the API's and the explorer's threads
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            f"CREATE VIRTUAL TABLE provisions USING fts5(iri UNINDEXED, {', '.join(FIELDS)}, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        self._db.executemany(
            f"INSERT INTO provisions VALUES (?, {', '.join('?' for _ in FIELDS)})",
            [(iri, *(" \n ".join(fields[f]) for f in FIELDS)) for iri, fields in sorted(texts.items())],
        )

    def find(self, text: str, standard: str | None = None, limit: int = 50) -> list[Hit]:
        words = _WORD.findall(text.lower())
        if not words:
            return []
        keys = {self.catalog.standard(standard).key} if standard else None
        rank = 0
        hits: dict[str, Hit] = {}
        for provision in self._by_id(text, keys):
            hits[provision.iri] = Hit(
                provision.iri,
                provision.notation,
                provision.title,
                provision.key,
                provision.identifier,
                "id",
                rank,
                ("id",),
            )
            rank += 1
        # Provisions holding every word (or its expansion), in any of their fields.
        for iri, *fields, context in self._match(" AND ".join(self._term(w) for w in words)):
            provision = self.catalog.provision(iri)
            if iri in hits or (keys and provision.key not in keys):
                continue
            found_in = tuple(f for f, marked in zip(FIELDS, fields, strict=True) if _MARK in marked)
            hits[iri] = Hit(
                iri,
                provision.notation,
                provision.title,
                provision.key,
                provision.identifier,
                "text",
                rank,
                found_in,
                " ".join(context.split()),
            )
            rank += 1
            if len(hits) >= limit:
                break
        return list(hits.values())[:limit]

    def _by_id(self, text: str, keys: set[str] | None):
        for s in self.catalog.standards():
            if keys and s.key not in keys:
                continue
            for annex_a in (False, True):
                if found := self.catalog.resolve(text, s.key, annex_a=annex_a):
                    yield found

    def _term(self, word: str) -> str:
        """A word as an FTS5 query: quoted (no operator reaches FTS5 from a user), or'ed with its expansions."""
        options = [_quote(word)] + [
            "(" + " ".join(_quote(w) for w in _WORD.findall(e)) + ")" for e in self.expansions.get(word, [])
        ]
        return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"

    def _match(self, query: str) -> list[tuple]:
        weights = ", ".join(str(w) for w in WEIGHTS)
        # highlight() marks the matched words of each field: where they were found, exactly as FTS5 matched them
        marked = ", ".join(f"highlight(provisions, {i + 1}, '{_MARK}', '')" for i in range(len(FIELDS)))
        with self._lock:
            return self._db.execute(
                f"SELECT iri, {marked}, snippet(provisions, -1, '«', '»', '…', 16) FROM provisions "
                f"WHERE provisions MATCH ? ORDER BY bm25(provisions, 0, {weights}), iri",
                (query,),
            ).fetchall()


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts5_available() -> bool:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize = 'porter')")
    except sqlite3.OperationalError:
        return False
    return True


def read_terms(path: Path) -> dict[str, list[str]]:
    """Abbreviation (lower case) -> the words it stands for, from a CSV with columns term, expansion, source."""
    expansions: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["term", "expansion", "source"]:
            raise XwalkError(f"{path.name}: expected the columns term, expansion, source; found {reader.fieldnames}")
        for number, row in enumerate(reader, start=2):
            if not row["term"].strip() or not row["expansion"].strip():
                raise XwalkError(f"{path.name} row {number}: a term and its expansion are both required")
            expansions.setdefault(row["term"].strip().lower(), []).append(row["expansion"].strip())
    return expansions


def index(catalog: Catalog) -> Index:
    """The catalog's search index, built on first use and kept with the catalog (call it when the data loads)."""
    with _BUILDING:
        if catalog not in _INDEXES:
            _INDEXES[catalog] = Index(catalog)
        return _INDEXES[catalog]


def search(catalog: Catalog, text: str, standard: str | None = None, limit: int = 50) -> list[Hit]:
    """Provisions for `text`, best first: those it names by id, then full-text matches ranked by BM25; at most
    `limit` (1 to 500), in one standard (key or identifier) or in all."""
    if not 1 <= limit <= MAX_LIMIT:
        raise XwalkError(f"limit {limit}: expected a number from 1 to {MAX_LIMIT}")
    return index(catalog).find(" ".join(text.split()), standard, limit)
