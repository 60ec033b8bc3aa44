"""A persisted cache of what does not depend on a baseline: the loaded dataset (an N-Quads dump) and the answers of
the named SELECT queries, in one folder per digest of everything they are computed from.

The digest covers the bytes and graph name of every file the store is loaded from (whatever `load.source_files()`
and `load.imported_files()` return, so new catalogs or mapping sets count without a list kept here), the package's
code and named queries, its version and the installed pyoxigraph. Any change gives another folder, so a stale entry
is never read (`.stamps.json` remembers the digest of inputs whose stamps have not changed, see `digest`); a folder
is only ever written from a store that loaded without error. Files are written whole (a
temporary file renamed into place) and read without locks; a damaged or missing file is a miss, never an error.

Where: the settings' `cache` (XWALK_CACHE: a folder, or `off`), else $XDG_CACHE_HOME/xwalk, else ~/.cache/xwalk.
"""

import json
import os
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from xwalk import __version__
from xwalk.core.vocab import IRI

if TYPE_CHECKING:
    from xwalk.store import Dataset

try:  # blake2b without hashlib, whose OpenSSL binding takes longer to import than a cached run takes to answer
    from _blake2 import blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b

FORMAT = 1  # bump when the layout or the encoding below changes
KEEP = 8  # digest folders kept; older ones (other roots, earlier edits) are removed when a new one is made
STAMPS = 64  # stamps of digested inputs remembered (.stamps.json), newest first
PACKAGE = Path(__file__).parents[1]  # the whole xwalk package: its code and its named queries are inputs too


def folder(chosen: str | None = None) -> Path | None:
    """The cache's folder: `chosen` (the settings' `cache`), None when it is "off", else the platform's cache folder
    (XDG_CACHE_HOME is read here: the XDG base-directory convention every program follows, not a setting of
    xwalk)."""
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "xwalk"


SETTLED = 2.0  # seconds: a file changed more recently than this may change again within its stamp's clock tick


def _code() -> list[str]:
    """The package's code and named queries, whose every change the digest must see (os.walk: pathlib's globbing
    and resolving took longer than the rest of a cached run's digest)."""
    return sorted(
        os.path.join(folder, name)
        for folder, _, names in os.walk(PACKAGE)
        for name in names
        if name.endswith((".py", ".rq"))
    )


def _engine() -> str:
    """The engine that answers: the installed pyoxigraph's files' names, sizes and times."""
    from importlib.util import find_spec

    spec = find_spec("pyoxigraph")
    found = []
    for location in (spec.submodule_search_locations or []) if spec else []:
        for entry in sorted(os.scandir(location), key=lambda e: e.name):
            if entry.is_file():
                found.append(f"{entry.name}\0{entry.stat().st_size}\0{entry.stat().st_mtime_ns}")
    return "\0".join(found)


def digest(files: list[Path], base: Path | None = None) -> str:
    """A digest of every input of the loaded store and of the query answers: their bytes, or, when `base` (the
    cache folder) remembers the same inputs with the same stamps (size, modification and change times, inode), the
    digest their bytes gave then. The change time cannot be set back, so an edit that keeps a file's size and
    modification time still gives another stamp; a file is remembered only once it has been still for SETTLED
    seconds (as git's index treats "racy" entries)."""
    import time

    from xwalk.load import graph_name

    code = _code()
    inputs = [*code, *map(str, files)]
    head = f"xwalk {__version__} cache {FORMAT}\0{_engine()}\0"
    stats = [os.stat(path) for path in inputs]
    stamp = blake2b(head.encode(), digest_size=16)
    for path, st in zip(inputs, stats, strict=True):
        stamp.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0".encode())
    known = _stamps(base)
    remembered = known.get(stamp.hexdigest())
    if isinstance(remembered, str) and len(remembered) == 32:
        return remembered
    names = [os.path.relpath(path, PACKAGE) for path in code] + [graph_name(path) for path in files]
    h = blake2b(head.encode(), digest_size=16)
    for name, path in zip(names, inputs, strict=True):
        h.update(f"{name}\0".encode() + Path(path).read_bytes() + b"\0")
    if base is not None and max(st.st_ctime_ns for st in stats) < (time.time() - SETTLED) * 1e9:
        known = {stamp.hexdigest(): h.hexdigest(), **dict(list(known.items())[: STAMPS - 1])}
        _write(base / ".stamps.json", json.dumps(known).encode())
    return h.hexdigest()


def _stamps(base: Path | None) -> dict[str, str]:
    """The stamps of inputs already digested, newest first; unreadable is none."""
    try:
        known = json.loads((base / ".stamps.json").read_bytes()) if base is not None else {}
        return known if isinstance(known, dict) else {}
    except (OSError, ValueError):
        return {}


# Answers as JSON, column by column: a column whose values share a type is stored plain with that type's letter
# (None may appear in any); a mixed column stores each string with its letter. IRIs, literals, decimals and dates
# come back as they went.
_DECODE: dict[str, Callable[[str], object]] = {"i": IRI, "s": str, "d": Decimal, "t": date.fromisoformat}


def _letter(value) -> str:
    """The type letter of a value ("j" for what JSON holds as is)."""
    if value is None or isinstance(value, bool | int | float):
        return "j"
    if isinstance(value, IRI):
        return "i"
    if isinstance(value, str):
        return "s"
    if isinstance(value, Decimal):
        return "d"
    if isinstance(value, date):
        return "t"
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _plain(value):
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def _tagged(value):
    letter = _letter(value)
    return value if letter == "j" else letter + _plain(value)


def _encode_column(values: list) -> dict:
    letters = {_letter(v) for v in values if v is not None}
    if len(letters) <= 1:
        return {"type": letters.pop() if letters else "j", "values": [_plain(v) for v in values]}
    return {"type": "m", "values": [_tagged(v) for v in values]}


def _decode_column(column: dict) -> list:
    kind, values = column["type"], column["values"]
    if kind in ("j", "s"):
        return values
    if kind == "m":
        return [_DECODE[v[0]](v[1:]) if type(v) is str else v for v in values]
    make = _DECODE[kind]
    return [None if v is None else make(v) for v in values]


def _encode_rows(rows: list[dict]) -> dict:
    names = list(rows[0]) if rows else []
    return {"names": names, "columns": [_encode_column([row[n] for row in rows]) for n in names], "count": len(rows)}


def _decode_rows(data: dict) -> list[dict]:
    names, columns = data["names"], [_decode_column(c) for c in data["columns"]]
    if not names:
        return [{} for _ in range(data["count"])]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _key(name: str, table: list[dict] | None, bindings: dict) -> str:
    encoded = [name, sorted((k, _tagged(v)) for k, v in bindings.items())]
    if table:
        encoded.append([sorted((k, _tagged(v)) for k, v in row.items()) for row in table])
    return blake2b(json.dumps(encoded).encode(), digest_size=16).hexdigest()


def _frozen(values: dict) -> tuple:
    """Bindings (or a row of a table) as a key of a dictionary; the type keeps True and 1 apart."""
    return tuple(sorted((k, type(v), v) for k, v in values.items()))


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all; a cache that cannot be written is only a slower run."""
    import tempfile  # imported here: a run that only reads the cache does without it

    scratch = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
            scratch = handle.name
            handle.write(data)
        os.replace(scratch, path)
    except OSError:
        if scratch:
            Path(scratch).unlink(missing_ok=True)


def _prune(base: Path, current: Path) -> None:
    """Keep the KEEP most recently used digest folders."""
    import shutil

    try:
        others = [p for p in base.iterdir() if p.is_dir() and p != current and not p.name.startswith(".")]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[KEEP - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass


class CachedStore:
    """A StoreBackend over the source files that answers named SELECT queries from the cache and loads the real
    store only when something is not cached: a first run, another query, or any other method."""

    def __init__(self, files: list[Path], base: Path):
        self.files = files
        self.where = base / digest(files, base)
        self.answers: dict[str, list[dict]] = {}  # read or computed in this process
        self.keys: dict[tuple, str] = {}  # the answers' keys of the questions asked in this process
        self._store = None

    @property
    def store(self):
        """The real store: the cached dump loaded in memory, or the source files (then dumped for the next run)."""
        if self._store is None:
            from xwalk.load import load
            from xwalk.store import Store

            dump = self.where / "dataset.nq"
            try:
                store = Store()
                store.load_dump(dump.read_bytes())
            except (OSError, SyntaxError, ValueError):  # not there yet, or damaged: load the sources
                store = None
            if store is None:
                store = load(files=self.files)
                fresh = not self.where.exists()
                _write(dump, store.serialize("nq"))
                if fresh:
                    _prune(self.where.parent, self.where)
            self._store = store
        return self._store

    def select(self, name: str, table: list[dict] | None = None, **bindings) -> list[dict]:
        # a question asked again in this process: its file's name without encoding the question again
        asked = (name, _frozen(bindings), *(_frozen(row) for row in table or ()))
        key = self.keys.get(asked) or self.keys.setdefault(asked, _key(name, table, bindings))
        if key not in self.answers:
            found = self._read(key)
            self.answers[key] = found if found is not None else self._compute(key, name, table, bindings)
        return list(self.answers[key])  # the rows are shared (as catalog.memo's are): read them, never change them

    def _read(self, key: str) -> list[dict] | None:
        try:
            return _decode_rows(json.loads((self.where / "answers" / f"{key}.json").read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _compute(self, key: str, name: str, table: list[dict] | None, bindings: dict) -> list[dict]:
        rows = self.store.select(name, table=table, **bindings)
        encoded = json.dumps(_encode_rows(rows), separators=(",", ":"))
        _write(self.where / "answers" / f"{key}.json", encoded.encode())
        return rows

    # Everything else goes to the real store.
    def ask(self, name: str, **bindings) -> bool:
        return self.store.ask(name, **bindings)

    def construct(self, name: str, fmt: str, **bindings) -> bytes:
        return self.store.construct(name, fmt, **bindings)

    def select_text(self, text: str) -> list[dict]:
        return self.store.select_text(text)

    def query(self, text: str):
        return self.store.query(text)

    def query_as(self, text: str, fmt: str) -> bytes:
        return self.store.query_as(text, fmt)

    def answer(
        self,
        text: str,
        select_formats: list[str],
        graph_formats: list[str],
        max_bytes: int,
        dataset: "Dataset | None" = None,
    ) -> tuple[str, str, bytes]:
        return self.store.answer(text, select_formats, graph_formats, max_bytes, dataset)

    def serialize(self, fmt: str) -> bytes:
        return self.store.serialize(fmt)

    def graphs(self) -> list[str]:
        return self.store.graphs()

    def digest(self) -> str:
        return self.store.digest()

    def __len__(self) -> int:
        return len(self.store)


def open_cached(files: list[Path] | None = None, imports: Path | None = None, where: str | None = None):
    """The source files (default: every one `load` reads, with the mapping sets imported into `imports`) as a
    store answering from the cache in `where` (the settings' `cache`: a folder, "off", or None for the platform's
    cache folder), or loaded in memory when the cache is off."""
    from xwalk.load import imported_files, load, source_files

    files = files if files is not None else source_files() + imported_files(imports)
    base = folder(where)
    if base is None:
        return load(files=files)
    try:
        return CachedStore(files, base)
    except OSError:  # a source file that cannot be read: loading it says which, as without the cache
        return load(files=files)
