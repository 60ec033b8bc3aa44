"""Catalog services: the standards, their provisions, id resolution through the one normaliser, and counts."""

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from xwalk.core import ids
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import IRI

if TYPE_CHECKING:  # the store layer (pyoxigraph) is not needed to answer from cached answers
    from xwalk.store import StoreBackend


@dataclass(frozen=True)
class Standard:
    iri: str
    key: str
    identifier: str
    title: str
    family: str
    prefix: str
    provisions: int


@dataclass(frozen=True)
class Provision:
    iri: str
    notation: str
    title: str
    key: str
    identifier: str
    kind: str
    normativity: str
    verification: str
    source: str
    order: int


@dataclass(frozen=True)
class Relative:
    iri: str
    notation: str
    title: str


class Unit(NamedTuple):
    """A provision with what coverage needs: its normativity, whether it is a leaf, and its top-level group. A named
    tuple, not a frozen dataclass: a catalog builds hundreds of them, and a tuple is built several times faster."""

    iri: str
    notation: str
    title: str
    normativity: str
    leaf: bool
    group: str
    group_title: str
    order: int


class Catalog:
    def __init__(self, store: "StoreBackend"):
        self.store = store
        self._units: dict[str, list[Unit]] = {}
        self._children: dict[str, list[Relative]] = {}
        self.memo: dict[tuple, list[dict]] = {}  # answers of baseline-independent queries (the store is read-only)
        self._grouped: dict[tuple, dict[str, list[dict]]] = {}

    def cached(self, name: str, **bindings) -> list[dict]:
        """A baseline-independent query, answered once per catalog (every baseline against a target reuses it)."""
        key = (name, *sorted(bindings.items()))
        if key not in self.memo:
            self.memo[key] = self.store.select(name, **bindings)
        return self.memo[key]

    def grouped(self, name: str, column: str, **bindings) -> dict[str, list[dict]]:
        """The rows of `cached(name, **bindings)` by their value in `column`, grouped once per catalog (a
        computation then reads the rows of the provisions it scores, not the whole answer)."""
        key = (name, column, *sorted(bindings.items()))
        if key not in self._grouped:
            groups: dict[str, list[dict]] = {}
            for row in self.cached(name, **bindings):
                groups.setdefault(row[column], []).append(row)
            self._grouped[key] = groups
        return self._grouped[key]

    @cached_property
    def _standards(self) -> dict[str, Standard]:
        return {row["key"]: Standard(**row) for row in self.store.select("standards")}

    @cached_property
    def _notations(self) -> dict[str, dict[str, str]]:
        """For each standard key, notation -> provision IRI."""
        index: dict[str, dict[str, str]] = {key: {} for key in self._standards}
        for row in self.store.select("notations"):
            index[row["key"]][row["notation"]] = row["provision"]
        return index

    def standards(self) -> list[Standard]:
        return list(self._standards.values())

    def standard(self, name: str) -> Standard:
        """A standard by its key (`iso42001`), its identifier (`ISO/IEC 42001:2023`) or an unambiguous start of the
        key (`iso23894`); anything else is an error listing the keys."""
        if name in self._standards:  # the key itself, as the services ask
            return self._standards[name]
        wanted = name.strip().lower()
        for standard in self._standards.values():
            if wanted in (standard.key, standard.identifier.lower()):
                return standard
        starts = [s for s in self._standards.values() if s.key.startswith(wanted)]
        if len(starts) == 1:
            return starts[0]
        keys = ", ".join(sorted(self._standards))
        if starts:
            raise XwalkError(f"standard {name!r} is ambiguous: it could be {', '.join(s.key for s in starts)}")
        raise XwalkError(f"unknown standard {name!r}; expected one of {keys}")

    def resolve(self, raw: str, standard: str, annex_a: bool = False) -> Provision | None:
        """The provision `raw` means in `standard` (through the id normaliser), or None."""
        target = self.standard(standard)
        notations = self._notations[target.key]
        for notation in ids.candidates(raw, target.family, annex_a):
            if notation in notations:
                return self.provision(notations[notation])
        return None

    def lookup(self, raw: str, standard: str | None = None) -> list[Provision]:
        """Every provision `raw` may mean, in one standard or in all; an unknown id is an error with close matches."""
        keys = [self.standard(standard).key] if standard else list(self._standards)
        found = [p for key in keys if (p := self.resolve(raw, key))]
        if not found:
            raise XwalkError(self._unknown(raw, keys))
        return found

    def close_matches(self, raw: str, keys: list[str]) -> list[str]:
        import difflib

        pool = sorted({n for key in keys for n in self._notations[key]})
        return difflib.get_close_matches(raw.strip(), pool, n=5, cutoff=0.6)

    def lookup_error(self, raw: str, standard: str | None = None) -> str:
        """The sentence for an id that resolves to nothing, with close matches."""
        return self._unknown(raw, [self.standard(standard).key] if standard else list(self._standards))

    def _unknown(self, raw: str, keys: list[str]) -> str:
        where = self._standards[keys[0]].identifier if len(keys) == 1 else "any standard"
        close = self.close_matches(raw, keys)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        return f"no provision {raw!r} in {where}{hint}"

    @cached_property
    def _provisions(self) -> dict[str, Provision]:
        """Every provision by IRI, read in one query (a catalog is small; a query per provision is not)."""
        return {row["iri"]: Provision(**row) for row in self.store.select("provision")}

    def provision(self, iri: str) -> Provision:
        if iri not in self._provisions:
            raise XwalkError(f"no provision with IRI {iri}")
        return self._provisions[iri]

    def ancestors(self, iri: str) -> list[Relative]:
        return [
            Relative(r["ancestor"], r["notation"], r["title"])
            for r in self.store.select("ancestors", provision=IRI(iri))
        ]

    def children(self, iri: str) -> list[Relative]:
        """The provisions directly under `iri`, asked once per provision (coverage asks it for every article an
        obligation binds, on every computation)."""
        if iri not in self._children:
            rows = self.store.select("children", provision=IRI(iri))
            self._children[iri] = [Relative(r["child"], r["notation"], r["title"]) for r in rows]
        return list(self._children[iri])

    def children_of(self, iris) -> dict[str, list[Relative]]:
        """The direct children of each of `iris`, those not asked yet asked in one query (a fresh catalog over
        cached answers reads one answer instead of one per provision)."""
        missing = sorted(set(iris) - self._children.keys())
        if missing:
            found: dict[str, list[Relative]] = {iri: [] for iri in missing}
            for r in self.store.select("children", table=[{"provision": IRI(iri)} for iri in missing]):
                found[str(r["provision"])].append(Relative(r["child"], r["notation"], r["title"]))
            self._children.update(found)
        return {iri: list(self._children[iri]) for iri in iris}

    def units(self, standard: str) -> list[Unit]:
        """Every provision of a standard, in catalog order."""
        key = self.standard(standard).key
        if key not in self._units:
            rows = self.store.select("standard_units", key=key)
            self._units[key] = [
                Unit(
                    r["provision"],
                    r["notation"],
                    r["title"],
                    r["normativity"],
                    r["leaf"],
                    r["group"],
                    r["group_title"],
                    r["order"],
                )
                for r in rows
            ]
        return self._units[key]

    def prepare(self) -> None:
        """Ask every catalog-wide question once (standards, ids, provisions, counts, each standard's units), so a
        store that persists its answers (xwalk.cache) holds them for the next process."""
        for standard in self.standards():
            self.units(standard.key)
        self._notations, self._provisions, self.counts()  # noqa: B018 (asked for their side effect)

    def counts(self) -> dict[str, dict[str, int]]:
        """Provisions per standard key and kind."""
        result: dict[str, dict[str, int]] = {key: {} for key in self._standards}
        for row in self.store.select("provision_counts"):
            result[row["key"]][row["kind"]] = row["count"]
        return result
