"""The service's home: where everything is."""

from fastapi import APIRouter

from xwalk.services.exchange import published

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
        "mappings": [f"/mappings/{name}" for name in published.mapping_sets()],
    }
