"""The one identifier normaliser: how users write provision ids, and the catalog notation they mean.

ISO/IEC ids: `A.5.15`, `A 5.15`, `Annex A 5.15`, `A.05.15` and, where the context is Annex A (a Statement of
Applicability), `5.15` all mean the control `A.5.15`. EU AI Act ids: `Art. 9`, `Article 9`, `art-9` mean `Article 9`;
`Art.9(2)`, `art-9-2` mean `Article 9(2)`, and resolve to the article where the paragraph is not catalogued.
"""

import re

MAX_ID_CHARS = 200
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]

_ARTICLE = re.compile(r"^(?:art(?:icle)?s?|§)\s*[.-]?\s*(\d+)\s*(?:\(\s*(\d+)\s*\)|-(\d+))?\s*\.?$", re.IGNORECASE)
_CHAPTER = re.compile(r"^chapter[\s-]*([ivxlc]+|\d+)(?:[\s,-]*section[\s-]*(\d+))?$", re.IGNORECASE)
_ANNEX_EU = re.compile(r"^annex[\s-]*([ivxlc]+|\d+)$", re.IGNORECASE)
_ISO = re.compile(r"^(?:annex\s*)?(?:([a-f])\s*[.\s]?\s*)?(\d+(?:\s*\.\s*\d+)*)\.?$", re.IGNORECASE)
_ISO_HEADING = re.compile(r"^(annex|table)[\s-]*([a-f](?:\.\d+)?)$", re.IGNORECASE)


def _roman(token: str) -> str:
    if token.isdigit():
        number = int(token)
        return _ROMAN[number - 1] if 0 < number <= len(_ROMAN) else token
    return token.upper()


def candidates(raw: str, family: str, annex_a: bool = False) -> list[str]:
    """Catalog notations `raw` may mean, best first; empty when it has no recognisable shape.

    `family` is "iso" or "eu-law" (a standard's family); `annex_a` says the context is Annex A controls, so that a
    bare `5.15` means `A.5.15` first.
    """
    text = " ".join(str(raw).replace("\u00a0", " ").split())
    if not text or len(text) > MAX_ID_CHARS or re.search(r"\d{10}", text):
        return []  # no provision number has ten digits; int() of thousands of them would fail or crawl
    if family == "eu-law":
        return _eu_candidates(text)
    return _iso_candidates(text, annex_a)


def _eu_candidates(text: str) -> list[str]:
    if m := _ARTICLE.match(text):
        article = f"Article {int(m[1])}"
        paragraph = m[2] or m[3]
        return [f"{article}({int(paragraph)})", article] if paragraph else [article]
    if m := _CHAPTER.match(text):
        chapter = f"Chapter {_roman(m[1])}"
        return [f"{chapter} Section {int(m[2])}"] if m[2] else [chapter]
    if m := _ANNEX_EU.match(text):
        return [f"Annex {_roman(m[1])}"]
    return []


def _iso_candidates(text: str, annex_a: bool) -> list[str]:
    if m := _ISO_HEADING.match(text):
        return [f"{m[1].capitalize()} {m[2].upper()}"]
    m = _ISO.match(text)
    if not m:
        return []
    number = ".".join(str(int(part)) for part in re.split(r"\s*\.\s*", m[2]))
    letter = m[1].upper() if m[1] else ""
    said_annex = text.lower().startswith("annex")
    if letter:
        return [f"{letter}.{number}"]
    if annex_a or said_annex:
        return [f"A.{number}", number]
    return [number, f"A.{number}"]


def local_name(notation: str) -> str:
    """The last segment of a provision's IRI: `A.5.15`, `art-26-5`, `chapter-III-section-2`, `annex-A`."""
    if m := re.fullmatch(r"Article (\d+)(?:\((\d+)\))?", notation):
        return f"art-{m[1]}-{m[2]}" if m[2] else f"art-{m[1]}"
    words = notation.split(" ")
    return "-".join(w.lower() if w in {"Chapter", "Section", "Annex", "Table"} else w for w in words)
