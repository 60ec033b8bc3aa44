"""docs/api-routes.md is the service's route list generated from its OpenAPI document: regenerated here and
compared, so a route added, removed or re-described without regenerating it fails."""

from xwalk.api import routelist


def test_the_route_list_in_the_docs_is_current():
    assert routelist.DOC.read_text("utf-8") == routelist.current(), (
        "docs/api-routes.md is stale: run `python -m xwalk.api.routelist`"
    )


def test_the_route_list_names_every_route_of_the_service():
    from xwalk.api.app import ROUTES

    text = routelist.current()
    documented = {(m, r.path_format) for r in ROUTES if r.include_in_schema for m in r.methods}
    listed = {
        (line.split(" | ")[0].strip("| "), line.split(" | ")[1].strip("`"))
        for line in text.splitlines()
        if "| `/" in line
    }
    assert documented and listed == documented
