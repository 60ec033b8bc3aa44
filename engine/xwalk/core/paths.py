"""Where the data lives: next to the package when installed from a wheel, at the repository root in a checkout,
or wherever XWALK_ROOT says."""

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # engine/xwalk
_INSTALLED = _PACKAGE / "data"
# XWALK_ROOT (or `xwalk --root`) points at another copy of the data, for example a fork being edited.
ROOT = Path(os.environ.get("XWALK_ROOT") or (_INSTALLED if (_INSTALLED / "ontology").is_dir() else _PACKAGE.parents[1]))
ROOT = ROOT.resolve()

ONTOLOGY_DIR = ROOT / "ontology"
CATALOG_DIR = ONTOLOGY_DIR / "catalogs"
CATALOG_SOURCE_DIR = CATALOG_DIR / "src"
ELEMENTS_DIR = ONTOLOGY_DIR / "elements"
ELEMENTS_SOURCE_DIR = ELEMENTS_DIR / "src"
CHECKS_DIR = ONTOLOGY_DIR / "checks"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
SCHEMA_FILE = ONTOLOGY_DIR / "xwalk.ttl"
ALIGNMENTS_FILE = ONTOLOGY_DIR / "alignments.ttl"
MAPPINGS_DIR = ROOT / "mappings"
QUERIES_DIR = _PACKAGE / "queries"
EXAMPLE_QUERIES_DIR = QUERIES_DIR / "examples"
TEMPLATES_DIR = _PACKAGE / "present" / "templates"


def display(path: Path) -> str:
    """A path as a user should read it in a message: relative to the project root when it lies inside."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
