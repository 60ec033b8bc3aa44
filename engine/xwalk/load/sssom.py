"""Reading curated mapping sets from SSSOM/TSV into neutral triples.

Loading fails only on what cannot be represented (bad encoding or YAML, a missing column, an undeclared CURIE
prefix) and names the file and line. Whether ids exist, relations and strengths are valid and pairs are unique is
checked by `validate` (SHACL shapes and the checks in ontology/checks/), which also names file and row.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from xwalk.core.errors import XwalkError
from xwalk.core.paths import display
from xwalk.core.vocab import DCTERMS, ID, IRI, MAPPING_SET, OWL, PAV, RDF, RDFS, SEMAPV, SKOS, SSSOM, xw

REQUIRED_METADATA = ("curie_map", "mapping_set_id", "license", "subject_source", "object_source")
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification", "strength", "comment")
EXTENSION_COLUMNS = ("reuse",)  # SSSOM extension slots that must be declared in the header of a set that has them
SKOS_FOR = {
    "equal": "exactMatch",
    "subset_of": "broadMatch",
    "superset_of": "narrowMatch",
    "intersects_with": "relatedMatch",
}
MAX_BYTES = 20 * 1024 * 1024  # as for a STRM file (strm_read.MAX_BYTES)
MAX_ROWS = 20_000
BUILTIN_PREFIXES = {"semapv": SEMAPV, "skos": SKOS, "owl": OWL, "rdfs": RDFS}


@dataclass
class MappingSet:
    path: Path
    metadata: dict
    header_lines: int
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return self.path.name.removesuffix(".sssom.tsv")

    def expand(self, curie: str, line: int, column: str) -> IRI:
        """A CURIE (or a full IRI) as an IRI; an undeclared prefix names the file, line and column."""
        if curie.startswith(("http://", "https://")):
            return IRI(curie)
        prefix, sep, local = curie.partition(":")
        prefixes = {**BUILTIN_PREFIXES, **self.metadata["curie_map"]}
        if not sep or prefix not in prefixes:
            raise XwalkError(
                f"{display(self.path)} line {line}: {column} {curie[:100]!r} is not a CURIE with a prefix declared in "
                f"the curie_map ({', '.join(sorted(self.metadata['curie_map']))})"
            )
        return IRI(prefixes[prefix] + local)


def read(path: Path, name: str | None = None) -> MappingSet:
    """A mapping set file, read within the limits of an imported one (size, rows, YAML without aliases)."""
    from xwalk.core import bounded

    name = name or display(path)
    if path.stat().st_size > MAX_BYTES:
        raise XwalkError(f"{name}: larger than {MAX_BYTES // 1024 // 1024} MB; is this a mapping set?")
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as error:
        raise XwalkError(f"{name}: not UTF-8 text (byte {error.start}); save the file as UTF-8") from None
    lines = text.splitlines()
    header = [line[1:] for line in lines if line.startswith("#")]
    header_lines = 0
    while header_lines < len(lines) and lines[header_lines].startswith("#"):
        header_lines += 1
    metadata = bounded.load_yaml("\n".join(header), name, "the metadata header") or {}
    if not isinstance(metadata, dict):
        raise XwalkError(f"{name}: the metadata header is not a YAML mapping of keys to values")
    curie_map = metadata.get("curie_map", {})
    if not isinstance(curie_map, dict) or not all(isinstance(v, str) for v in curie_map.values()):
        raise XwalkError(f"{name}: the curie_map is not a mapping of prefixes to IRIs")
    missing = [key for key in REQUIRED_METADATA if key not in metadata]
    if missing:
        raise XwalkError(f"{display(path)}: the metadata header lacks {', '.join(missing)}")
    reader = csv.DictReader(io.StringIO("\n".join(lines[header_lines:])), delimiter="\t")
    columns = reader.fieldnames or []
    absent = [c for c in REQUIRED_COLUMNS if c not in columns]
    if absent:
        raise XwalkError(f"{display(path)} line {header_lines + 1}: the table lacks the columns {', '.join(absent)}")
    declared = {slot.get("slot_name") for slot in metadata.get("extension_definitions") or [] if isinstance(slot, dict)}
    undeclared = [c for c in EXTENSION_COLUMNS if c in columns and c not in declared]
    if undeclared:
        raise XwalkError(
            f"{display(path)}: the column(s) {', '.join(undeclared)} must be declared under extension_definitions "
            "in the metadata header (slot_name, property, type_hint)"
        )
    mapping_set = MappingSet(path, metadata, header_lines, list(columns))
    try:
        for row in reader:
            line = header_lines + reader.line_num
            if None in row or any(value is None for value in row.values()):
                raise XwalkError(f"{name} line {line}: expected {len(columns)} tab-separated columns")
            if len(mapping_set.rows) >= MAX_ROWS:
                raise XwalkError(f"{name}: more than {MAX_ROWS} mappings; is this a mapping set?")
            mapping_set.rows.append((line, {k: v.strip() for k, v in row.items()}))
    except csv.Error as error:
        line = header_lines + reader.line_num
        raise XwalkError(f"{name} line {line}: not readable TSV ({error})") from None
    return mapping_set


def mapping_iri(set_stem: str, subject: str, obj: str) -> IRI:
    """A mapping's IRI names its set and its two provisions, so it stays put when rows move."""
    return IRI(f"{ID}mapping/{set_stem}/{subject.rsplit('/', 1)[-1]}--{obj.rsplit('/', 1)[-1]}")


def triples(mapping_set: MappingSet) -> Iterator[tuple]:
    """The set and every record as triples: the reified SSSOM record plus the direct relation and SKOS property."""
    meta = mapping_set.metadata
    set_iri = IRI(meta["mapping_set_id"])
    yield set_iri, IRI(RDF + "type"), xw("MappingSet")
    yield set_iri, IRI(RDF + "type"), IRI(SSSOM + "MappingSet")
    yield set_iri, xw("sourceFile"), display(mapping_set.path)
    yield set_iri, IRI(DCTERMS + "license"), IRI(meta["license"])
    yield set_iri, IRI(SSSOM + "subject_source"), IRI(meta["subject_source"])
    yield set_iri, IRI(SSSOM + "object_source"), IRI(meta["object_source"])
    for key, predicate in (
        ("mapping_set_title", DCTERMS + "title"),
        ("mapping_set_description", DCTERMS + "description"),
        ("mapping_set_version", OWL + "versionInfo"),
    ):
        if meta.get(key):
            yield set_iri, IRI(predicate), str(meta[key])
    for line, row in mapping_set.rows:
        subject = mapping_set.expand(row["subject_id"], line, "subject_id")
        obj = mapping_set.expand(row["object_id"], line, "object_id")
        relation = mapping_set.expand(row["predicate_id"], line, "predicate_id")
        node = mapping_iri(mapping_set.stem, subject, obj)
        yield node, IRI(RDF + "type"), xw("Mapping")
        yield node, IRI(RDF + "type"), IRI(SSSOM + "Mapping")
        yield node, xw("mappingSet"), set_iri
        yield node, xw("sourceRow"), line
        yield node, IRI(OWL + "annotatedSource"), subject
        yield node, IRI(OWL + "annotatedProperty"), relation
        yield node, IRI(OWL + "annotatedTarget"), obj
        yield (
            node,
            IRI(SSSOM + "mapping_justification"),
            mapping_set.expand(row["mapping_justification"], line, "mapping_justification"),
        )
        if row["strength"]:
            yield node, xw("strength"), _integer(row["strength"])
        if row.get("reuse"):
            yield node, xw("reuse"), row["reuse"]
        if row["comment"]:
            yield node, IRI(RDFS + "comment"), row["comment"]
        for column, predicate in (("author_id", PAV + "authoredBy"), ("reviewer_id", SSSOM + "reviewer_id")):
            if row.get(column):
                yield node, IRI(predicate), mapping_set.expand(row[column], line, column)
        for column in ("author_label", "reviewer_label", "subject_label", "object_label", "other"):
            if row.get(column):
                yield node, IRI(SSSOM + column), row[column]
        if row.get("reviewer_agreement"):
            yield node, IRI(SSSOM + "reviewer_agreement"), _number(row["reviewer_agreement"])
        if row.get("mapping_date"):
            yield node, IRI(DCTERMS + "created"), _date(row["mapping_date"])
        yield subject, relation, obj
        name = relation.removeprefix(xw(""))
        if name in SKOS_FOR:
            yield subject, IRI(SKOS + SKOS_FOR[name]), obj


def _integer(text: str) -> int | str:
    """An integer where the text is one; otherwise the text, for SHACL to report with its row."""
    return int(text) if text.lstrip("-").isdigit() else text


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def set_iri_for(stem: str) -> IRI:
    return IRI(MAPPING_SET + stem)
