"""The one Jinja environment over present/templates/ (HTML reports and the service's pages), built on first use so
that commands without HTML output never import Jinja."""

from functools import cache

from xwalk.core import paths


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(paths.TEMPLATES_DIR), autoescape=select_autoescape(["html"]))


def render(template: str, **context) -> str:
    """A template of present/templates/ rendered with `context` (HTML-escaped)."""
    return _environment().get_template(template).render(**context)
