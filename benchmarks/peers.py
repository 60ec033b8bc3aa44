"""The two peers the engine is measured against in the coverage comparison.

- `RdflibStore`: the store interface the services use (`select(name, table=None, **bindings)`) over an rdflib
  Dataset with the union default graph. It runs the very same named query text with the same bindings (rdflib's
  `initBindings`), so `coverage.compute(Catalog(RdflibStore(...)), ...)` is the whole real service on rdflib.
- `floor`: the plain-Python floor. The same verdicts, scores and aggregates as docs/coverage.md defines them,
  computed from dictionaries prepared beforehand (`prepare`, untimed) straight from the SSSOM files: what the
  engine could at best do with every answer already at hand.
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
    return Prepared(units, dict(evidence), dict(reviewed_with), scopes, weights, list(baseline.standards))


def floor(p: Prepared) -> dict:
    """The coverage formula over the prepared dictionaries; the same shape as `outcome`."""
    provisions, by_part, by_group = [], defaultdict(list), defaultdict(list)
    for unit in p.units:
        found = [
            (other, relation, strength, weight)
            for other, relation, strength in p.evidence.get(unit.iri, ())
            if relation != "no_relationship" and (weight := p.weights.get(other, 0.0)) > 0
        ]
        lower = max((w for _, r, _, w in found if r in coverage.CONTAINED), default=0.0)
        estimate = max([lower, *(w if r in coverage.CONTAINED else w * (s or 0) / 10 for _, r, s, w in found)])
        if lower == 1.0:
            verdict = "done"
        elif found:
            verdict = "partial"
        elif any(key in p.standards for scope in p.scopes[unit.iri] for key in p.reviewed_with.get(scope, ())):
            verdict = "new"
        else:
            verdict = "not reviewed"
        row = [unit.iri, verdict, lower, round(estimate, 4), 1.0 if found else 0.0]
        provisions.append(row)
        by_part[unit.normativity].append(row)
        by_group[unit.group].append(row)
    return {
        "summary": _aggregate(provisions),
        "provisions": provisions,
        "parts": {k: _aggregate(v) for k, v in by_part.items()},
        "groups": {k: _aggregate(v) for k, v in by_group.items()},
    }


def _aggregate(rows: list[list]) -> list:
    n = len(rows)

    def mean(column: int) -> float:
        return round(sum(r[column] for r in rows) / n, 4) if n else 0.0

    counts = {v: sum(1 for r in rows if r[1] == v) for v in coverage.VERDICTS}
    return [n, mean(2), mean(3), mean(4), counts]
