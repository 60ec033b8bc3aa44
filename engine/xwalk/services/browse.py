"""Questions about the graph that every surface asks: one provision with its neighbours and mappings (the record
`xwalk show`, /api/provisions/{standard}/{id} and the explorer's detail panel show), the mappings filtered, what is
known about an IRI, and a SPARQL query answered by the store itself (over a remote endpoint, where no pool of query
workers runs). Every query is a named file in `queries/`."""

from dataclasses import asdict, dataclass

from xwalk.core.errors import XwalkError
from xwalk.core.vocab import IRI
from xwalk.services import explore
from xwalk.services.catalog import Catalog, Provision, Relative

RELATIONS = ("equal", "subset_of", "superset_of", "intersects_with", "no_relationship")


@dataclass(frozen=True)
class ProvisionRecord(Provision):
    """A provision with its parents (nearest first), its children and its mappings in both directions, each read
    "this provision RELATION other" (`explore.MappingView`; a derived one carries its chain of curated mappings)."""

    parents: list[Relative]
    children: list[Relative]
    mappings: list[explore.MappingView]


def provision_record(catalog: Catalog, found: Provision, with_derived: bool = False) -> ProvisionRecord:
    """The one record of a provision: its place in its standard and its curated mappings, with the derived ones
    (and their chains) when `with_derived`."""
    return ProvisionRecord(
        **asdict(found),
        parents=catalog.ancestors(found.iri),
        children=catalog.children(found.iri),
        mappings=explore.mappings(catalog, found.iri, with_derived),
    )


def mapping_rows(
    catalog: Catalog,
    subject_standard: str | None = None,
    object_standard: str | None = None,
    relation: str | None = None,
    min_strength: int | None = None,
    derived: bool = False,
    limit: int | None = None,
) -> list[dict]:
    """The mappings as stored (subject from `subject_standard`), those between the standards given (keys or
    identifiers), of `relation`, at least `min_strength` strong, derived ones only when asked; at most `limit`."""
    if relation is not None and relation not in RELATIONS:
        raise XwalkError(f"relation {relation!r} is none of {', '.join(RELATIONS)}")
    keys = {
        k: catalog.standard(v).key for k, v in (("subject_key", subject_standard), ("object_key", object_standard)) if v
    }
    rows = [
        r
        for r in catalog.store.select("mappings")
        if all(r[k] == v for k, v in keys.items())
        and (relation is None or r["relation"] == relation)
        and (min_strength is None or (r["strength"] or 0) >= min_strength)
        and (derived or not r["derived"])
    ]
    return rows[:limit]


def resource_triples(catalog: Catalog, iri: str) -> list[dict]:
    """What the graph says about `iri` (empty when nothing, or when `iri` is not even a valid IRI)."""
    try:
        return catalog.store.select("resource_triples", resource=IRI(iri))
    except XwalkError:
        return []


def links_out(catalog: Catalog, iri: str) -> list[dict]:
    """The resources `iri` links to, with their labels, for its HTML page."""
    return catalog.store.select("links_out", resource=IRI(iri))


def describe(catalog: Catalog, iri: str, fmt: str) -> bytes:
    """The description of `iri` as RDF in `fmt` (a key of `xwalk.store.GRAPH_FORMATS`)."""
    return catalog.store.construct("describe", fmt, resource=IRI(iri))


def answer(catalog: Catalog, query: str, select_formats, graph_formats, max_bytes: int, dataset=None):
    """A SPARQL query answered by the store itself: (format, media type, body) in the first of the offered formats
    that fits the query's kind; past `max_bytes` the answer is refused (ResultTooLarge), never cut."""
    return catalog.store.answer(query, select_formats, graph_formats, max_bytes, dataset)
