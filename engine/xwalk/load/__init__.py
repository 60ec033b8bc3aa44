"""Loading: the ontology, the generated catalogs and the curated mapping sets into a store, one named graph per
source file (named after its path in the project).

May import: `xwalk.core` and `xwalk.store`."""

import os
from pathlib import Path
from typing import TYPE_CHECKING

from xwalk.core import paths
from xwalk.core.vocab import graph_iri

if TYPE_CHECKING:  # pyoxigraph loads only when a store is made: the cache answers without it
    from xwalk.store import Store


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


def graph_name(path: Path) -> str:
    """The path a source file's named graph is named after: in the project, or among the imported sets."""
    return paths.display(path) if path.resolve().is_relative_to(paths.ROOT) else f"imports/{path.name}"


def load_file(store: "Store", path: Path) -> None:
    graph = graph_iri(graph_name(path))
    if path.name.endswith(".sssom.tsv"):
        from xwalk.load import sssom  # yaml and the SSSOM reader load only when a mapping set is parsed

        store.add(sssom.triples(sssom.read(path)), graph)
    else:
        store.load_rdf(path, graph)


def load(store: "Store | None" = None, files: list[Path] | None = None) -> "Store":
    """A store holding every source file (or those given); fails on the first file that does not parse."""
    from xwalk.store import Store

    store = store if store is not None else Store()
    for path in files if files is not None else source_files() + imported_files():
        load_file(store, path)
    return store
