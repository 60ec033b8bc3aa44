"""The two peers the engine is measured against in the coverage comparison.

- `RdflibStore`: the store interface the services use (`select(name, table=None, **bindings)`) over an rdflib
  Dataset with the union default graph. It runs the very same named query text with the same bindings (rdflib's
  `initBindings`), so `coverage.compute(Catalog(RdflibStore(...)), ...)` is the whole real service on rdflib.
- `floor`: the plain-Python floor. The same verdicts, scores and aggregates as docs/coverage.md defines them,
  computed from dictionaries prepared beforehand (`prepare`, untimed) straight from the SSSOM files and the
  element tables (formula v2): what the engine could at best do with every answer already at hand.
"""

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD

from xwalk.core.algebra import INVERSE
from xwalk.core.vocab import IRI, PREFIXES
from xwalk.load import sssom
from xwalk.services import coverage
from xwalk.services.baseline import Baseline
from xwalk.services.catalog import Catalog
from xwalk.store import query_text

_NUMERIC = {str(XSD.integer): int, str(XSD.decimal): Decimal, str(XSD.double): float, str(XSD.float): float}


def rdflib_term(value):
    """A bound value as an rdflib term, typed as `xwalk.store` types it for pyoxigraph."""
    if isinstance(value, IRI):
        return URIRef(value)
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    if isinstance(value, date):
        return Literal(value, datatype=XSD.date)
    return Literal(str(value))


def python_value(term):
    """An rdflib result term as the plain value `xwalk.store` gives for the same pyoxigraph term."""
    if term is None:
        return None
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        if datatype in _NUMERIC:
            return _NUMERIC[datatype](str(term))
        if datatype == str(XSD.boolean):
            return str(term) == "true"
        if datatype == str(XSD.date):
            return date.fromisoformat(str(term))
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return IRI(str(term))


class RdflibStore:
    """Named queries on an rdflib Dataset; `timings` keeps (query name, seconds, rows) of every answer."""

    def __init__(self, dataset, on_answer=None):
        self.dataset, self.on_answer, self.timings = dataset, on_answer, []

    def select(self, name: str, table: list[dict] | None = None, **bindings) -> list[dict]:
        text = query_text(name)
        if table:
            names = list(table[0])
            rows = " ".join("(" + " ".join(rdflib_term(r[n]).n3() for n in names) + ")" for r in table)
            text += f"\nVALUES ({' '.join('?' + n for n in names)}) {{ {rows} }}"
        start = time.perf_counter()
        result = self.dataset.query(
            text, initNs=PREFIXES, initBindings={Variable(k): rdflib_term(v) for k, v in bindings.items()}
        )
        names = [str(v) for v in result.vars]
        rows = [{n: python_value(row.asdict().get(n)) for n in names} for row in result]
        self.timings.append((name, time.perf_counter() - start, len(rows)))
        if self.on_answer:
            self.on_answer(self.timings[-1])
        return rows


def outcome(report: coverage.Report) -> dict:
    """What the three implementations must agree on: the summary and every provision's verdict and scores."""
    s = report.summary
    return {
        "summary": [s.provisions, s.lower, s.estimate, s.upper, s.verdicts],
        "provisions": [[v.iri, v.verdict, v.lower, v.score, v.upper] for v in report.provisions],
    }


@dataclass
class Prepared:
    """Everything the floor needs, as dictionaries."""

    units: list  # the target's scored provisions (catalog Units)
    evidence: dict[str, list[tuple[str, str, int | None]]]  # unit -> (other, relation read from the unit, strength)
    reviewed_with: dict[str, set[str]]  # provision -> standard keys a curated record relates it to
    scopes: dict[str, list[str]]  # unit -> the unit and its ancestors
    weights: dict[str, float]  # held provision -> weight
    standards: list[str]  # the baseline's standards
    held_keys: dict[str, str]  # held provision -> its standard's key
    elements: dict[str, list[tuple[float, list[tuple]]]]  # unit -> (effort, [(held, mode, remaining, low, high)])
    judged: set[str]  # the standards judged element by element against the target's elements


def prepare(
    catalog: Catalog, baseline: Baseline, mapping_files: list[Path], target: str, role=None, tier=None, on=None
) -> Prepared:
    """The floor's dictionaries, read from the SSSOM files and the catalog (untimed: done once, beforehand)."""
    standard = catalog.standard(target)
    units = [u for u in catalog.units(standard.key) if u.leaf]
    if standard.family == "eu-law":
        bound = coverage.obligations(catalog, role, tier, on)["obligations"]
        units = sorted((u for u in catalog.units(standard.key) if u.iri in bound), key=lambda u: u.order)
    else:  # the normative leaves, or the guidance leaves of a guidance-only standard
        normative = [u for u in units if u.normativity in ("Requirement", "SelectableControl")]
        units = normative or [u for u in units if u.normativity == "Guidance"]
    evidence, reviewed_with = defaultdict(list), defaultdict(set)
    for path in mapping_files:
        mapping_set = sssom.read(path)
        for line, row in mapping_set.rows:
            subject = mapping_set.expand(row["subject_id"], line, "subject_id")
            obj = mapping_set.expand(row["object_id"], line, "object_id")
            relation = row["predicate_id"].rpartition(":")[2]
            strength = int(row["strength"]) if row["strength"] else None
            if row["comment"]:  # the evidence query reads the rationale of every record it returns
                evidence[subject].append((obj, relation, strength))
                evidence[obj].append((subject, INVERSE[relation], strength))
            reviewed_with[subject].add(catalog.provision(obj).key)
            reviewed_with[obj].add(catalog.provision(subject).key)
    scopes = {u.iri: [u.iri, *(a.iri for a in catalog.ancestors(u.iri))] for u in units}
    weights = {iri: entry.weight for iri, entry in baseline.entries.items()}
    held_keys = {iri: entry.standard for iri, entry in baseline.entries.items()}
    elements, judged = _elements(catalog, standard.key, mapping_files)
    return Prepared(
        units,
        dict(evidence),
        dict(reviewed_with),
        scopes,
        weights,
        list(baseline.standards),
        held_keys,
        elements,
        judged,
    )


def _elements(catalog: Catalog, key: str, mapping_files: list[Path]) -> tuple[dict, set[str]]:
    """The requirement elements of the target and their reuse rows, read from the element tables next to the
    mapping sets (none for a target without tables, or a synthetic crosswalk)."""
    from xwalk.load import elements as tables

    element_set = next((s for s in tables.SETS if s.target == key), None)
    source = mapping_files[0].parents[1] / "ontology" / "elements" / "src" if mapping_files else None
    if element_set is None or source is None or not (source / element_set.elements_file).is_file():
        return {}, set()
    rows = tables.read_elements(source / element_set.elements_file, key)
    reuse = tables.read_reuse(rows, source / element_set.reuse_file) if element_set.reuse_file else []
    judged_rows = defaultdict(list)
    for row in reuse:
        prefix, _, notation = row.held.partition(":")
        held = catalog.resolve(notation, prefix).iri
        judged_rows[row.element].append((held, row.mode, float(row.remaining), float(row.low), float(row.high)))
    found = defaultdict(list)
    for element in sorted(rows, key=lambda e: e.id):  # the engine's query orders a provision's elements by id
        unit = catalog.resolve(element.provision, key).iri
        found[unit].append((float(element.effort), judged_rows.get(element.id, [])))
    return dict(found), {r.held.partition(":")[0] for r in reuse}


def floor(p: Prepared) -> dict:
    """The coverage formula over the prepared dictionaries; the same shape as `outcome`."""
    provisions, by_part, by_group = [], defaultdict(list), defaultdict(list)
    for unit in p.units:
        found = [
            (other, relation, strength, weight)
            for other, relation, strength in p.evidence.get(unit.iri, ())
            if relation != "no_relationship" and (weight := p.weights.get(other, 0.0)) > 0
        ]
        elements = p.elements.get(unit.iri, []) if set(p.standards) & p.judged else []
        if elements:
            found = [f for f in found if p.held_keys[f[0]] not in p.judged]
        lower = max((w for _, r, _, w in found if r in coverage.CONTAINED), default=0.0)
        estimate = max([lower, *(w if r in coverage.CONTAINED else w * (s or 0) / 10 for _, r, s, w in found)])
        scores = (lower, lower, estimate, 1.0 if found else 0.0)
        shares = [_shares(rows, p.weights) for _, rows in elements]
        if elements:
            total = sum(effort for effort, _ in elements)
            weighted = [sum(e * s[i] for (e, _), s in zip(elements, shares, strict=True)) / total for i in range(4)]
            scores = tuple(max(a, b) for a, b in zip(scores, weighted, strict=True))
        certain, lower, estimate, upper = (round(x, 4) for x in scores)
        reviewed = any(key in p.standards for scope in p.scopes[unit.iri] for key in p.reviewed_with.get(scope, ()))
        if certain >= 1:
            verdict = "done"
        elif elements and all(s[3] > 0 for s in shares):
            verdict = "extend"
        elif upper > 0:
            verdict = "partial"
        elif reviewed or elements:
            verdict = "new"
        else:
            verdict = "not reviewed"
        effort = round(sum(e for e, _ in p.elements.get(unit.iri, [])), 2)
        row = [unit.iri, verdict, lower, estimate, upper, effort]
        provisions.append(row)
        by_part[unit.normativity].append(row)
        by_group[unit.group].append(row)
    weighted = bool(provisions) and all(r[5] for r in provisions)  # effort-weighted when every one has elements
    return {
        "summary": _aggregate(provisions, weighted),
        "provisions": [r[:5] for r in provisions],
        "parts": {k: _aggregate(v, weighted) for k, v in by_part.items()},
        "groups": {k: _aggregate(v, weighted) for k, v in by_group.items()},
    }


def _shares(rows: list[tuple], weights: dict[str, float]) -> tuple[float, ...]:
    """certain, saved_lower, saved, saved_upper of one element (docs/coverage.md), rounded as the engine's."""
    counted = [(weights.get(held, 0.0), mode, shares) for held, mode, *shares in rows]
    counted = [c for c in counted if c[0] > 0]  # shares: remaining, low, high
    certain = max((w for w, mode, _ in counted if mode == "done"), default=0.0)
    saved = [max((w * (1 - shares[i]) for w, _, shares in counted), default=0.0) for i in (2, 0, 1)]
    return tuple(round(x, 4) for x in (certain, *saved))


def _aggregate(rows: list[list], weighted: bool) -> list:
    n = len(rows)
    weights = [r[5] if weighted else 1.0 for r in rows]

    def mean(column: int) -> float:
        total = sum(weights)
        return round(sum(w * r[column] for w, r in zip(weights, rows, strict=True)) / total, 4) if total else 0.0

    counts = {v: sum(1 for r in rows if r[1] == v) for v in coverage.VERDICTS}
    return [n, mean(2), mean(3), mean(4), counts]
