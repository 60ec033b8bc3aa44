"""Loading: the ontology, the generated catalogs and the curated mapping sets into a store, one named graph per
source file (named after its path in the project)."""

import os
from pathlib import Path

from xwalk import paths, sssom
from xwalk.store import Store
from xwalk.vocab import graph_iri


def source_files(root: Path = paths.ROOT) -> list[Path]:
    """Every file the graph is built from, in load order."""
    ontology = root / "ontology"
    return [
        ontology / "xwalk.ttl",
        *sorted(ontology.glob("alignments.ttl")),  # DPV and AIRO alignments, in a graph of their own
        *sorted((ontology / "catalogs").glob("*.ttl")),
        *sorted((root / "mappings").glob("*.sssom.tsv")),
        *sorted((root / "mappings").glob("derived.ttl")),  # written by `xwalk infer`
    ]


def imported_files() -> list[Path]:
    """Mapping sets imported by `xwalk import-mappings` into the folder XWALK_IMPORTS names (none when unset)."""
    folder = os.environ.get("XWALK_IMPORTS")
    return sorted(Path(folder).glob("imported-*.sssom.tsv")) if folder else []


def load_file(store: Store, path: Path) -> None:
    inside = path.resolve().is_relative_to(paths.ROOT)
    graph = graph_iri(paths.display(path) if inside else f"imports/{path.name}")
    if path.name.endswith(".sssom.tsv"):
        store.add(sssom.triples(sssom.read(path)), graph)
    else:
        store.load_rdf(path, graph)


def load(store: Store | None = None, files: list[Path] | None = None) -> Store:
    """A store holding every source file (or those given); fails on the first file that does not parse."""
    store = store if store is not None else Store()
    for path in files if files is not None else source_files() + imported_files():
        load_file(store, path)
    return store
