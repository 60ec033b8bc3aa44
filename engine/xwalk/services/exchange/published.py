"""What the service publishes for download: the dataset's version, the whole dataset with its description, the
VoID/DCAT description and the curated mapping sets as files."""

from pathlib import Path

from xwalk.core import paths
from xwalk.services.catalog import Catalog
from xwalk.services.exchange import description


def version(catalog: Catalog) -> str:
    """The data's version: the SHA-256 digest of its canonical N-Quads."""
    return description.version(catalog.store)


def dataset(catalog: Catalog, extension: str, base: str, digest: str) -> bytes:
    """The whole dataset with its description, one named graph per source file, as TriG or N-Quads."""
    return description.with_description(catalog.store, base=base, digest=digest).serialize(extension)


def void(catalog: Catalog, base: str, digest: str) -> str:
    """The VoID and DCAT description (Turtle) of the dataset served under `base`."""
    return description.turtle(catalog.store, base, digest=digest)


def mapping_sets() -> list[str]:
    """The names of the curated mapping sets (SSSOM/TSV files), sorted."""
    return sorted(p.name for p in paths.MAPPINGS_DIR.glob("*.sssom.tsv"))


def mapping_set(name: str) -> Path:
    """The file of the curated mapping set `name`; an error names the known ones."""
    if name not in mapping_sets():
        raise LookupError(f"no mapping set {name!r}; there are: {', '.join(mapping_sets())}")
    return paths.MAPPINGS_DIR / name
