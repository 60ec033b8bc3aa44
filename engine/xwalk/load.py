"""Loading: the ontology, the generated catalogs and the curated mapping sets into a store, one named graph per
source file (named after its path in the project)."""

from pathlib import Path

from xwalk import paths, sssom
from xwalk.store import Store
from xwalk.vocab import graph_iri


def source_files(root: Path = paths.ROOT) -> list[Path]:
    """Every file the graph is built from, in load order."""
    ontology = root / "ontology"
    return [
        ontology / "xwalk.ttl",
        *sorted((ontology / "catalogs").glob("*.ttl")),
        *sorted((root / "mappings").glob("*.sssom.tsv")),
        *sorted((root / "mappings").glob("derived.ttl")),  # written by `xwalk infer`
    ]


def load_file(store: Store, path: Path) -> None:
    graph = graph_iri(paths.display(path))
    if path.name.endswith(".sssom.tsv"):
        store.add(sssom.triples(sssom.read(path)), graph)
    else:
        store.load_rdf(path, graph)


def load(store: Store | None = None, files: list[Path] | None = None) -> Store:
    """A store holding every source file (or those given); fails on the first file that does not parse."""
    store = store if store is not None else Store()
    for path in files if files is not None else source_files():
        load_file(store, path)
    return store
