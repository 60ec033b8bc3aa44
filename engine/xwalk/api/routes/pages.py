"""The service's home: where everything is."""

from fastapi import APIRouter

from xwalk.core import paths

router = APIRouter()


@router.get("/", include_in_schema=False)
def home():
    return {
        "sparql": "/sparql",
        "examples": "/sparql/examples",
        "api": "/docs",
        "ontology": "/ontology",
        "dataset": ["/dataset.trig", "/dataset.nq"],
        "description": "/.well-known/void",
        "mappings": [f"/mappings/{p.name}" for p in sorted(paths.MAPPINGS_DIR.glob("*.sssom.tsv"))],
    }
