"""The layer rules of the package (DESIGN "Layout and flow"), read from the source: every import of every module,
at the top or inside a function, walked with `ast`."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "engine" / "xwalk"

# Lower layers never import higher ones; a layer may import its own modules and every layer below it.
LAYERS = ["core", "store", "load", "services", "present", "cli", "api"]
# No known debts: no pair of modules imports each other (not even inside functions) and no lower layer reaches up
# (issue 12). Shared pieces live once, in the layer below their users.
KNOWN_CYCLES: set[frozenset[str]] = set()
KNOWN_UPWARD: set[tuple[str, str]] = set()
SURFACES = {"cli", "api"}  # side by side: the API never imports the CLI; the CLI imports the API only to serve it
ONLY_IN = {"pyoxigraph": {"store"}, "fastapi": {"api"}, "starlette": {"api"}, "uvicorn": {"cli", "api"}}
SPARQL_TEXT = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE)\b[^\"']*\bWHERE\b|\bASK\s*\{", re.IGNORECASE)


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> set[str]:
    """Every module name an import statement in `path` names (project modules resolved to the longest match)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _project(names: set[str]) -> set[str]:
    return {n for n in names if n in MODULES and n != "xwalk"}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_lies_in_a_layer():
    assert [m for m in MODULES if m != "xwalk" and _layer(m) is None] == []


def test_every_layer_says_what_it_may_import():
    for layer in LAYERS:
        doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text("utf-8"))) or ""
        assert "May import" in doc, (
            f"engine/xwalk/{layer}/__init__.py: the docstring must say what the layer may import"
        )


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "xwalk"))
def test_imports_point_down(module):
    mine = _layer(module)
    for target in _project(_imports(MODULES[module])):
        theirs = _layer(target)
        if theirs is None or theirs == mine:
            continue
        if (mine, theirs) == ("cli", "api"):
            assert module == "xwalk.cli.serve", f"{module}: only `xwalk serve` (in xwalk.cli.serve) starts the API"
            continue
        assert not (mine in SURFACES and theirs in SURFACES), f"{module} imports the other surface {target}"
        if (module, target) in KNOWN_UPWARD:
            continue
        assert LAYERS.index(theirs) < LAYERS.index(mine), (
            f"{module} ({mine}) imports {target} ({theirs}), a higher layer"
        )


@pytest.mark.parametrize("library", sorted(ONLY_IN))
def test_libraries_stay_in_their_layer(library):
    users = {m for m, p in MODULES.items() if any(n.split(".")[0] == library for n in _imports(p))}
    assert {_layer(m) for m in users} <= ONLY_IN[library], sorted(users)
    ui_users = [p for p in (ROOT / "ui").rglob("*.py") if any(n.split(".")[0] == library for n in _imports(p))]
    assert ui_users == [] or library not in ("pyoxigraph", "fastapi", "starlette"), ui_users


def test_streamlit_only_in_the_explorer():
    assert [m for m, p in MODULES.items() if any(n.split(".")[0] == "streamlit" for n in _imports(p))] == []


def test_no_sparql_text_outside_the_store():
    found = []
    for module, path in MODULES.items():
        if _layer(module) == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SPARQL_TEXT.search(node.value):
                found.append(f"{module} line {node.lineno}: {node.value[:60]!r}")
    assert found == [], "SPARQL belongs in engine/xwalk/queries/*.rq"


def test_no_import_cycles_but_the_known_ones():
    # a module importing its own package's __init__ is no cycle: Python runs the package first
    graph = {m: {t for t in _project(_imports(p)) if t != m and not m.startswith(t + ".")} for m, p in MODULES.items()}
    mutual = {frozenset({a, b}) for a, targets in graph.items() for b in targets if a in graph.get(b, ())}
    assert mutual <= KNOWN_CYCLES, sorted(map(sorted, mutual - KNOWN_CYCLES))
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open" and frozenset({node, target}) not in KNOWN_CYCLES:
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_api_routes_ask_services_only():
    """A route handler never touches the store or runs a named query itself: it asks a service (issue 12), so the
    CLI asking the same question gets the same answer."""
    found = []
    for module, path in MODULES.items():
        if not module.startswith("xwalk.api.routes"):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"store", "select", "construct", "select_text"}:
                found.append(f"{module} line {node.lineno}: .{node.attr}")
    assert found == []
