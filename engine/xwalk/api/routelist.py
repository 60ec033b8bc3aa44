"""The list of the service's routes (docs/api-routes.md), generated from its OpenAPI document so it cannot drift:
`python -m xwalk.api.routelist` rewrites it, `python -m xwalk.api.routelist --check` fails when it is stale, and
tests/test_api_routes.py compares it on every test run."""

import sys

from xwalk.core import paths

DOC = paths.ROOT / "docs" / "api-routes.md"
METHODS = ("get", "post", "put", "patch", "delete")


def markdown(document: dict) -> str:
    """The routes by tag, in the document's order: method, path, summary, and every status it may answer."""
    lines = [
        "# HTTP routes",
        "",
        f"{document['info']['title']} {document['info']['version']}: every route of the service, generated from its "
        "OpenAPI document (served at /openapi.json, browsable at /docs) by `python -m xwalk.api.routelist`. Do not "
        "edit by hand; a test regenerates and compares it.",
    ]
    by_tag: dict[str, list[str]] = {}
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                tag = (operation.get("tags") or ["other"])[0]
                by_tag.setdefault(tag, []).append(_row(method, path, operation))
    for tag, rows in by_tag.items():
        lines += [
            "",
            f"## {tag}",
            "",
            "| Method | Path | What | Takes | Answers |",
            "| --- | --- | --- | --- | --- |",
            *rows,
        ]
    return "\n".join(lines) + "\n"


def _row(method: str, path: str, operation: dict) -> str:
    answers = []
    for status, response in sorted(operation.get("responses", {}).items()):
        media = list(response.get("content", {}))
        answers.append(f"{status} ({', '.join(media)})" if status.startswith("2") and media else status)
    takes = [f"{p['name']} ({p['in']})" for p in operation.get("parameters", [])]
    takes += [f"body: {media}" for media in operation.get("requestBody", {}).get("content", {})]
    cells = [method.upper(), f"`{path}`", operation.get("summary", ""), ", ".join(takes), ", ".join(answers)]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def current() -> str:
    """The route list of the service as it is now (no store is opened: the document needs none)."""
    from xwalk.api.app import create_app
    from xwalk.core.settings import Settings

    return markdown(create_app(Settings()).openapi())


def main(argv: list[str]) -> int:
    text = current()
    if "--check" in argv:
        stale = not DOC.is_file() or DOC.read_text("utf-8") != text
        if stale:
            print(f"{paths.display(DOC)} is stale: run `python -m xwalk.api.routelist`", file=sys.stderr)
        return 1 if stale else 0
    DOC.write_text(text, "utf-8")
    print(f"wrote {paths.display(DOC)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
