"""Plain-text presentation for the terminal: aligned tables, nothing computed here."""

from collections.abc import Sequence


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def curie(relation: str) -> str:
    """A relation of the xwalk vocabulary (`intersects_with`) as its CURIE (`xw:intersects_with`)."""
    return f"xw:{relation}" if relation and ":" not in relation else relation


def trim(text: object, limit: int = 90) -> str:
    value = " ".join(str(text or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
