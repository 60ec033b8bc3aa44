"""A SPARQL parser's complaint in words a user can act on: the line and column, the line itself with a caret under
the spot, an unknown prefix named with the way to declare it, a long list of what the parser expected cut short,
and an update (INSERT, DELETE, LOAD, ...) refused as such: the graph is read-only."""

import re

UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
READ_ONLY = (
    "the endpoint is read-only: {word} is a SPARQL update and is refused; ask with SELECT, ASK, CONSTRUCT or DESCRIBE"
)
_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|(?i:PREFIX)\s+[\w.-]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>)*")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:[\w.%\\-]*$")
SHOWN_EXPECTED = 8


def update_word(text: str) -> str | None:
    """The update keyword `text` starts with after its prologue (PREFIX, BASE, comments), or None."""
    prologue = _PROLOGUE.match(text)  # matches always (it may match nothing)
    rest = text[prologue.end() :] if prologue else text
    word = re.match(r"[A-Za-z]+", rest)
    return word.group(0).upper() if word and word.group(0).upper() in UPDATE_WORDS else None


def explain(text: str, message: str, predeclared: list[str] | None = None) -> str:
    """The sentence for a query `text` the parser refused with `message` ("error at LINE:COLUMN: ...")."""
    if word := update_word(text):
        return READ_ONLY.format(word=word)
    found = _AT.match(message.strip())
    if not found:
        return f"the query is not valid SPARQL: {message}"
    line, column, detail = int(found[1]), int(found[2]), " ".join(found[3].split())
    lines = text.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in detail:
        prefix = _PREFIXED.search(shown[: column - 1])
        name = f"{prefix.group(1) or ''}:" if prefix else "this"
        known = f"; predeclared: {', '.join(f'{p}:' for p in predeclared)}" if predeclared else ""
        detail = f"unknown prefix {name!r}: declare it (PREFIX {name} <...>) or use a predeclared one{known}"
    else:
        detail = _shorten(detail)
    caret = f"\n  {shown.rstrip()}\n  {' ' * (column - 1)}^" if shown.strip() else ""
    return f"the query is not valid SPARQL: line {line}, column {column}: {detail}{caret}"


def _shorten(detail: str) -> str:
    """A parser's "expected one of A, B, ..." with at most SHOWN_EXPECTED choices, character ranges left out."""
    if not detail.startswith("expected one of "):
        return detail
    choices = [c for c in detail.removeprefix("expected one of ").split(", ") if not c.startswith(("[", "'"))]
    if not choices:
        return "unexpected text here"
    more = len(choices) - SHOWN_EXPECTED
    return "expected one of " + ", ".join(choices[:SHOWN_EXPECTED]) + (f" (and {more} more)" if more > 0 else "")
