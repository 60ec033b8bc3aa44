"""Services for browsing the crosswalk (the explorer's pages and any other surface; finding provisions is
`xwalk.search`): a provision's mappings in both directions, its neighbourhood as nodes and links, the mappings
behind one cell of the crosswalk matrix, the AI Act obligations on a timeline, baselines from uploaded bytes, and
the example SPARQL queries. Plain typed results; every query is a named file in `queries/`."""

from dataclasses import dataclass, field
from datetime import date

from xwalk.core import paths
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import IRI
from xwalk.services.catalog import Catalog

UPLOAD_TYPES = ("csv", "tsv", "xlsx", "json", "yaml", "yml")


@dataclass(frozen=True)
class Link:
    """One link of a derived mapping's chain (a curated mapping)."""

    mapping: str
    subject_key: str
    subject_id: str
    relation: str
    object_key: str
    object_id: str
    strength: int | None
    rationale: str


@dataclass(frozen=True)
class MappingView:
    """A mapping seen from one provision: `relation` reads "this provision RELATION other"; `stored` is the relation
    as curated (subject to object), `direction` says whether this provision is the subject ("out") or object ("in")."""

    mapping: str
    direction: str
    other: str
    other_id: str
    other_title: str
    other_standard: str
    stored: str
    relation: str
    strength: int | None
    rationale: str
    justification: str
    author: str
    reviewer: str
    date: str
    derived: bool
    chain: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Node:
    iri: str
    notation: str
    title: str
    standard: str
    role: str  # "focus", "mapped" (one mapping away), "further" (two away) or "parent"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # "mapping" (source is the mapping's subject) or "broader" (source is the child)
    relation: str = ""
    strength: int | None = None
    derived: bool = False
    mapping: str = ""


@dataclass
class Neighbourhood:
    nodes: list[Node]
    edges: list[Edge]


@dataclass(frozen=True)
class Obligation:
    role: str
    tier: str
    provision: str
    notation: str
    title: str
    applies: date
    source: str
    note: str


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    text: str


def mappings(catalog: Catalog, iri: str, with_derived: bool = True) -> list[MappingView]:
    """Every mapping of a provision, both directions, curated first; derived ones carry their chain."""
    rows = _mapping_rows(catalog, iri, with_derived)
    links = chain_links(catalog, {step for r in rows if r["derived"] for step in (r["first"], r["second"])})
    return [
        MappingView(
            mapping=r["mapping"],
            direction=r["direction"],
            other=r["other"],
            other_id=r["other_id"],
            other_title=r["other_title"],
            other_standard=r["other_key"],
            stored=r["stored"],
            relation=r["relation"],
            strength=r["strength"],
            rationale=r["rationale"] or "",
            justification=(r["justification"] or "").rsplit("/", 1)[-1],
            author=r["author"] or "",
            reviewer=r["reviewer"] or "",
            date=r["date"].isoformat() if r["date"] else "",
            derived=r["derived"],
            chain=[links[s] for s in (r["first"], r["second"]) if s in links] if r["derived"] else [],
        )
        for r in rows
    ]


def _mapping_rows(catalog: Catalog, iri: str, with_derived: bool) -> list[dict]:
    rows = catalog.store.select("provision_mappings", provision=IRI(iri))
    return rows if with_derived else [r for r in rows if not r["derived"]]


def chain_links(catalog: Catalog, steps: set[str]) -> dict[str, Link]:
    """The curated mappings with the given IRIs, by IRI."""
    if not steps:
        return {}
    rows = catalog.store.select("mapping_details", table=[{"mapping": IRI(s)} for s in sorted(steps)])
    return {r["mapping"]: Link(**r) for r in rows}


def neighbourhood(
    catalog: Catalog, iri: str, depth: int = 1, with_derived: bool = True, with_parents: bool = True
) -> Neighbourhood:
    """A provision with the provisions mapped to it (up to `depth` mappings away) and, with `with_parents`, its
    ancestors and the parent of each mapped provision."""
    focus = catalog.provision(iri)
    nodes = {iri: Node(iri, focus.notation, focus.title, focus.key, "focus")}
    edges: dict[tuple, Edge] = {}
    frontier = [iri]
    for step in range(1, depth + 1):
        following = []
        for current in frontier:
            for m in _mapping_rows(catalog, current, with_derived):  # no chains needed: a lighter read
                other = m["other"]
                if other not in nodes:
                    role = "mapped" if step == 1 else "further"
                    nodes[other] = Node(other, m["other_id"], m["other_title"], m["other_key"], role)
                    following.append(other)
                source, target = (current, other) if m["direction"] == "out" else (other, current)
                edge = Edge(source, target, "mapping", m["stored"], m["strength"], m["derived"], m["mapping"])
                edges.setdefault(("mapping", m["mapping"]), edge)
        frontier = following
    if with_parents:
        _add_parents(catalog, focus.iri, focus.key, nodes, edges)
    return Neighbourhood(list(nodes.values()), list(edges.values()))


def _add_parents(catalog: Catalog, focus: str, standard: str, nodes: dict, edges: dict) -> None:
    """Every ancestor of the focus, and the direct parent of each provision one mapping away (one query for all)."""
    child = focus
    for ancestor in catalog.ancestors(focus):
        nodes.setdefault(ancestor.iri, Node(ancestor.iri, ancestor.notation, ancestor.title, standard, "parent"))
        edges.setdefault(("broader", child, ancestor.iri), Edge(child, ancestor.iri, "broader"))
        child = ancestor.iri
    mapped = {n.iri: n.standard for n in nodes.values() if n.role == "mapped"}
    if not mapped:
        return
    for row in catalog.store.select("parents", table=[{"provision": IRI(i)} for i in sorted(mapped)]):
        parent = Node(row["parent"], row["notation"], row["title"], mapped[row["provision"]], "parent")
        nodes.setdefault(parent.iri, parent)
        edges.setdefault(("broader", row["provision"], parent.iri), Edge(row["provision"], parent.iri, "broader"))


def pair_mappings(catalog: Catalog, subject_key: str, object_key: str) -> list[dict]:
    """The mappings from one edition to another (curated and derived): the rows behind a crosswalk-matrix cell."""
    return catalog.store.select("pair_mappings", subject_key=subject_key, object_key=object_key)


def ai_act_terms(catalog: Catalog) -> dict[str, list[dict]]:
    """The AI Act's operator roles, risk tiers and timelines ({kind: [{key, label, definition, is_default}]})."""
    terms: dict[str, list[dict]] = {"role": [], "tier": [], "timeline": []}
    for row in catalog.store.select("ai_act_terms"):
        terms[row["kind"]].append({k: row[k] for k in ("key", "label", "definition", "is_default")})
    return terms


def obligation_schedule(catalog: Catalog, timeline: str) -> list[Obligation]:
    """Every AI Act obligation (role, tier, provision) with the date it applies from on `timeline`."""
    known = [t["key"] for t in ai_act_terms(catalog)["timeline"]]
    if timeline not in known:
        raise XwalkError(f"unknown timeline {timeline!r}; expected one of {', '.join(sorted(known))}")
    rows = catalog.store.select("obligation_schedule", timeline=timeline)
    keys = ("role", "tier", "provision", "notation", "title", "applies", "source")
    return [Obligation(**{k: r[k] for k in keys}, note=r["note"] or "") for r in rows]


def examples() -> list[Example]:
    """The example SPARQL queries shipped with the package, each titled by its first comment line."""
    found = []
    for path in sorted(paths.EXAMPLE_QUERIES_DIR.glob("*.rq")):
        text = path.read_text("utf-8")
        first = text.splitlines()[0] if text else ""
        title = first.lstrip("#").strip() if first.startswith("#") else path.stem
        found.append(Example(path.stem, title, text))
    return found
