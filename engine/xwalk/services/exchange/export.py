"""Exports of the graph in the formats of the field: the dataset as RDF (Turtle, TriG, N-Quads, JSON-LD), every
mapping set as SSSOM/TSV (derived sets included, each record with its chain), the catalogs and mapping sets as
OSCAL, and the mappings as one CSV table; and the ontology's documentation (pyLODE) as HTML.

Everything is read from the store through named queries, so an export of a built store or of a remote endpoint is
the same as one of the source files.
"""

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import yaml

from xwalk.core import paths
from xwalk.core.cells import safe_cell
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import ID, SEMAPV, XW
from xwalk.services.catalog import Catalog
from xwalk.services.exchange import oscal
from xwalk.services.exchange.description import with_description

RDF_FORMATS = {"ttl": "ttl", "trig": "trig", "nq": "nq", "jsonld": "jsonld"}  # format -> file extension
FORMATS = (*RDF_FORMATS, "sssom", "oscal", "csv")
ONTOLOGY_HTML = paths.ROOT / "docs" / "ontology.html"
AGENT = ID + "agent/"
MAPPING = ID + "mapping/"
SSSOM_COLUMNS = (
    "record_id",
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "author_id",
    "author_label",
    "reviewer_id",
    "reviewer_label",
    "reviewer_agreement",
    "mapping_date",
    "strength",
    "reuse",
    "comment",
    "other",
    "see_also",
    "chain",
)
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification", "strength", "comment")
STRENGTH_EXTENSION = {"slot_name": "strength", "property": "xw:strength", "type_hint": "xsd:integer"}
CHAIN_EXTENSION = {"slot_name": "chain", "property": "xw:chain", "type_hint": "xsd:string"}
REUSE_EXTENSION = {"slot_name": "reuse", "property": "xw:reuse", "type_hint": "xsd:string"}


def export(store, formats: list[str], out_dir: Path, entries=None, when: datetime | None = None) -> list[Path]:
    """Write the chosen formats into `out_dir` (which must exist); returns the files written. `entries` (baseline
    entries) adds an OSCAL system security plan and profile of that baseline to the OSCAL export."""
    if not out_dir.is_dir():
        raise XwalkError(f"--output {out_dir}: no such folder; create it first")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise XwalkError(f"unknown export format {unknown[0]!r}; expected one of {', '.join(FORMATS)}")
    when = when or datetime.now(UTC)
    files: dict[Path, str | bytes] = {}
    described = None
    for fmt in formats:
        if fmt in RDF_FORMATS:
            described = described or with_description(store)  # the dumps carry the VoID/DCAT description
            files[out_dir / f"xwalk.{RDF_FORMATS[fmt]}"] = described.serialize(fmt)
        elif fmt == "sssom":
            files.update({out_dir / "sssom" / name: text for name, text in sssom_sets(store).items()})
        elif fmt == "oscal":
            documents, left_out = oscal_documents(Catalog(store), when, entries)
            files.update({out_dir / "oscal" / name: _json(doc) for name, doc in documents.items()})
            if left_out:
                files[out_dir / "oscal" / GROUP_LEVEL_FILE] = group_level_csv(left_out)
        elif fmt == "csv":
            files[out_dir / "mappings.csv"] = mappings_csv(store)
    for path, content in files.items():
        write(path, content)
    return sorted(files)


def write(path: Path, content: str | bytes) -> None:
    """Whole or not at all: a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    tmp.replace(path)


def _json(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- SSSOM


def curie_map(store) -> dict[str, str]:
    """The prefixes an exported set may use: the standards' CURIE prefixes and the project's own."""
    prefixes = {row["prefix"]: str(row["iri"]) + "/" for row in store.select("standards")}
    return {"xw": XW, "xwa": AGENT, "xwm": MAPPING, "semapv": SEMAPV, **prefixes}


def curie(iri: str, prefixes: dict[str, str]) -> str:
    """The shortest CURIE for an IRI under `prefixes`, or the IRI itself."""
    best = max((p for p, ns in prefixes.items() if iri.startswith(ns)), key=lambda p: len(prefixes[p]), default=None)
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else iri


def sssom_text(metadata: dict, records: list[dict]) -> str:
    """An SSSOM/TSV document: the metadata as a commented YAML block, then one row per record (a dict of column
    values); optional columns that no record fills are left out."""
    columns = [c for c in SSSOM_COLUMNS if c in REQUIRED_COLUMNS or any(r.get(c) not in (None, "") for r in records)]
    header = yaml.safe_dump(_plain(metadata), sort_keys=False, allow_unicode=True, width=100_000)
    out = io.StringIO()
    out.write("".join(f"#{line}\n" for line in header.splitlines()))
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record.get(c)) for c in columns])
    return out.getvalue()


def _plain(value):
    """Plain YAML types: an IRI (a str subclass) as a str."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return " ".join(str(value).split())  # no tab or line break may end a TSV cell early


def sssom_sets(store) -> dict[str, str]:
    """Every mapping set of the graph as SSSOM/TSV, by file name: a curated or imported set under the name of the
    file it was loaded from, a derived set as `derived_SUBJECT_OBJECT.sssom.tsv` with each record's chain."""
    prefixes = curie_map(store)
    rows_by_set: dict[str, list[dict]] = {}
    for row in store.select("export_mappings"):
        rows_by_set.setdefault(row["set"], []).append(row)
    files = {}
    for mapping_set in store.select("export_mapping_sets"):
        rows = rows_by_set.get(mapping_set["set"], [])
        reuse = any(r["reuse"] for r in rows)
        files[_set_file_name(mapping_set)] = sssom_text(
            _set_metadata(mapping_set, prefixes, reuse), [_record(r, prefixes) for r in rows]
        )
    return files


def _set_file_name(mapping_set: dict) -> str:
    source = Path(mapping_set["file"] or "")
    if source.name.endswith(".sssom.tsv"):
        return source.name
    return f"derived_{mapping_set['set'].rstrip('/').rsplit('/', 1)[-1]}.sssom.tsv"


def _set_metadata(mapping_set: dict, prefixes: dict[str, str], reuse: bool = False) -> dict:
    derived = bool(mapping_set["derived"])
    title = mapping_set["title"] or (
        f"Derived mappings from {mapping_set['subject_key']} to {mapping_set['object_key']} (mapping chaining)"
    )
    description = mapping_set["description"] or (
        "Mappings derived by xwalk by composing two curated mappings (A-B and B-C give A-C) through the composition "
        "table of the NIST IR 8477 relations. Each record keeps its chain (the record_ids of the two curated "
        "mappings, in order, separated by |; the same chain as IRIs in see_also) and the strength of its weakest link."
    )
    metadata = {
        "curie_map": prefixes,
        "mapping_set_id": str(mapping_set["set"]),
        **({"mapping_set_version": str(mapping_set["version"])} if mapping_set["version"] else {}),
        "mapping_set_title": title,
        **({"mapping_set_description": description} if derived or mapping_set["description"] else {}),
        "license": str(mapping_set["license"]),
        "subject_source": str(mapping_set["subject_source"]),
        "object_source": str(mapping_set["object_source"]),
        "extension_definitions": [
            STRENGTH_EXTENSION,
            *([REUSE_EXTENSION] if reuse else []),
            *([CHAIN_EXTENSION] if derived else []),
        ],
    }
    return metadata


def _record(row: dict, prefixes: dict[str, str]) -> dict:
    chain = [row[step] for step in ("first", "second") if row.get(step)]
    return {
        "record_id": curie(row["mapping"], prefixes),
        "subject_id": curie(row["subject"], prefixes),
        "subject_label": row["subject_label"],
        "predicate_id": f"xw:{row['relation']}",
        "object_id": curie(row["object"], prefixes),
        "object_label": row["object_label"],
        "mapping_justification": curie(row["justification"], prefixes),
        "author_id": curie(row["author_id"], prefixes) if row["author_id"] else "",
        "author_label": row["author_label"],
        "reviewer_id": curie(row["reviewer_id"], prefixes) if row["reviewer_id"] else "",
        "reviewer_label": row["reviewer_label"],
        "reviewer_agreement": row["reviewer_agreement"],
        "mapping_date": row["date"].isoformat() if row["date"] else "",
        "strength": row["strength"],
        "reuse": row["reuse"] or "",
        "comment": row["comment"],
        "other": row["other"],
        "see_also": "|".join(chain),  # the chain in a standard slot too, which every SSSOM reader keeps
        "chain": "|".join(curie(step, prefixes) for step in chain),
    }


# ---------------------------------------------------------------- OSCAL and CSV


GROUP_LEVEL_FILE = "group-level-mappings.csv"
GROUP_LEVEL_COLUMNS = ("mapping_set", "mapping", "subject_id", "relation", "object_id", "group")


def oscal_documents(cat: Catalog, when: datetime | None = None, entries=None) -> tuple[dict[str, dict], list[dict]]:
    """Every catalog (`KEY.catalog.json`) and mapping set (`SET.mapping.json`) as OSCAL documents, and with
    `entries` the baseline as a system security plan and the profile it imports (`oscal.SSP_FILE`,
    `oscal.PROFILE_FILE`); and the mappings left out because a side is a group of its catalog (an OSCAL map names
    controls only; expanding to the group's controls would claim more than the mapping says)."""
    documents, groups = {}, set()
    for standard in cat.standards():
        documents[f"{standard.key}.catalog.json"] = oscal.catalog(cat, standard.key, when)
        groups |= oscal.layout(cat, standard.key)[2]
    prefixes = {s.key: s.prefix for s in cat.standards()}
    rows_by_set: dict[str, list[dict]] = {}
    left_out = []
    for row in cat.store.select("export_mappings"):
        if row["subject"] in groups or row["object"] in groups:
            left_out.append(row)
        else:
            rows_by_set.setdefault(row["set"], []).append(row)
    for mapping_set in cat.store.select("export_mapping_sets"):
        rows = rows_by_set.get(mapping_set["set"], [])
        if rows:  # OSCAL asks for at least one map
            name = _set_file_name(mapping_set).removesuffix(".sssom.tsv") + ".mapping.json"
            omitted = sum(r["set"] == mapping_set["set"] for r in left_out)
            documents[name] = oscal.mapping_collection(mapping_set, rows, prefixes, when, omitted)
    if entries is not None:
        entries = list(entries)
        documents[oscal.SSP_FILE] = oscal.ssp(cat, entries, when=when)
        documents[oscal.PROFILE_FILE] = oscal.profile(cat, entries, when=when)
    for row in left_out:
        row["group"] = row["subject"] if row["subject"] in groups else row["object"]
    return documents, left_out


def group_level_csv(rows: list[dict]) -> str:
    """The report of the OSCAL export: the mappings no mapping-collection holds because a side is a group."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GROUP_LEVEL_COLUMNS)
    for row in rows:
        writer.writerow([row["set"], row["mapping"], row["subject"], row["relation"], row["object"], row["group"]])
    return out.getvalue()


CSV_COLUMNS = (
    "mapping_set",
    "mapping",
    "subject_standard",
    "subject_id",
    "subject_label",
    "relation",
    "object_standard",
    "object_id",
    "object_label",
    "strength",
    "justification",
    "derived",
    "chain",
    "author",
    "mapping_date",
    "rationale",
)


def mappings_csv(store) -> str:
    """Every mapping (curated, derived, imported) as one CSV table; cells are guarded against spreadsheet
    formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in store.select("export_mappings"):
        chain = " ".join(row[step] for step in ("first", "second") if row.get(step))
        values = (
            row["set"],
            row["mapping"],
            row["subject_key"],
            row["subject_id"],
            row["subject_label"],
            row["relation"],
            row["object_key"],
            row["object_id"],
            row["object_label"],
            row["strength"],
            row["justification"].rsplit("/", 1)[-1],
            "yes" if row["derived"] else "no",
            chain,
            row["author_label"] or row["author_id"],
            row["date"].isoformat() if row["date"] else "",
            row["comment"],
        )
        writer.writerow(["" if v is None else safe_cell(v) for v in values])
    return out.getvalue()


# ---------------------------------------------------------------- ontology documentation


def ontology_html(schema: Path = paths.SCHEMA_FILE) -> str:
    """The ontology's documentation as one HTML page, generated by pyLODE (a build-time tool: import it here)."""
    from pylode import OntPub

    return OntPub(ontology=str(schema)).make_html() + "\n"


def ontology_page(path: Path = ONTOLOGY_HTML) -> str:
    """The generated documentation page, as the API serves it (docs/ontology.html, written by `write_docs`)."""
    if not path.is_file():
        raise XwalkError(
            f"{paths.display(path)} is missing; generate it with `python -m xwalk.services.exchange.export docs`"
        )
    return path.read_text("utf-8")


def docs_stale(path: Path = ONTOLOGY_HTML) -> bool:
    return not path.is_file() or path.read_text("utf-8") != ontology_html()


def write_docs(path: Path = ONTOLOGY_HTML) -> Path:
    write(path, ontology_html())
    return path


if (
    __name__ == "__main__"
):  # `python -m xwalk.services.exchange.export docs [--check]`: the build step of docs/ontology.html
    import sys

    if sys.argv[1:2] != ["docs"]:
        sys.exit("usage: python -m xwalk.services.exchange.export docs [--check]")
    if "--check" in sys.argv:
        sys.exit(f"stale: {paths.display(ONTOLOGY_HTML)}" if docs_stale() else 0)
    print(f"wrote {paths.display(write_docs())}")
