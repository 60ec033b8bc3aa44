"""Size guard (STYLE: modules under ~400 lines, functions under ~60): every module or function of the engine past
its limit says why in its docstring, in a sentence starting "Why long:". A cheap `ast` scan of the source."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "engine" / "xwalk"
MODULE_LINES = 400
FUNCTION_LINES = 60
REASON = "Why long:"


def _oversized(package: Path) -> list[tuple[str, str]]:
    """(where, docstring) of every module and function of `package` past its limit."""
    found = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text("utf-8")
        tree = ast.parse(text)
        where = str(path.relative_to(package.parent))
        if len(text.splitlines()) > MODULE_LINES:
            found.append((f"{where} ({len(text.splitlines())} lines)", ast.get_docstring(tree) or ""))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES:
                    found.append((f"{where}:{node.lineno} {node.name} ({length} lines)", ast.get_docstring(node) or ""))
    return found


def test_long_modules_and_functions_say_why():
    unexplained = [where for where, doc in _oversized(PACKAGE) if REASON not in doc]
    assert unexplained == [], f"split these, or say why in the docstring ({REASON} ...)"


def test_the_scan_finds_what_is_past_the_limits(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(FUNCTION_LINES - 1))
    (package / "short.py").write_text(f"def fits():\n{body}", "utf-8")  # 60 lines
    (package / "long.py").write_text(f"def over():\n{body}    return 1\n", "utf-8")  # 61 lines
    (package / "big.py").write_text('"""Why long: a test."""\n' + "x = 1\n" * MODULE_LINES, "utf-8")
    found = dict(_oversized(package))
    assert sorted(found) == ["pkg/big.py (401 lines)", "pkg/long.py:1 over (61 lines)"]
    assert REASON in found["pkg/big.py (401 lines)"] and found["pkg/long.py:1 over (61 lines)"] == ""
