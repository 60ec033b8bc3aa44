"""Importing a user's own mapping set: a Set Theory Relationship Mapping spreadsheet (NIST IR 8477, as the Secure
Controls Framework and NIST OLIR publish them; CSV or XLSX), an OSCAL mapping-collection, or an SSSOM/TSV file.

The import never touches the curated `mappings/` folder: it writes one SSSOM/TSV file, `imported-NAME.sssom.tsv`,
into a folder of the user's (`--into DIR`, or XWALK_IMPORTS), with the licence the user states and a description
of where it came from (file name, SHA-256, date). Loaded, it is a mapping set in its own named graph, and its
mappings count as evidence in coverage like curated ones. xwalk ships no third-party mapping file.

The STRM spreadsheet is read by `strm_read`, an OSCAL mapping-collection by `oscal_read`; the records of the three
formats then go through one set of checks here and are written as one SSSOM/TSV file.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from xwalk.core.errors import XwalkError, refuse
from xwalk.core.paths import display
from xwalk.core.vocab import ID, MAPPING_SET, SEMAPV, XW
from xwalk.services.catalog import Catalog
from xwalk.services.exchange import strm_read

IMPORTED_PREFIX = "imported-"  # keeps imported mapping IRIs apart from the curated sets' (they name the file stem)


@dataclass
class Imported:
    """A mapping set read from a user's file: its SSSOM metadata and records, ready to write."""

    name: str
    metadata: dict
    records: list[dict]
    notes: list[str] = field(default_factory=list)  # what was left out, and why

    @property
    def file_name(self) -> str:
        return f"{IMPORTED_PREFIX}{self.name}.sssom.tsv"


# ---------------------------------------------------------------- any input to an imported set


def import_file(
    cat: Catalog,
    path: Path,
    set_name: str | None = None,
    license: str | None = None,
    focal: str | None = None,
    reference: str | None = None,
    default_strength: int | None = None,
    provider: str | None = None,
    on: date | None = None,
    name: str | None = None,
) -> Imported:
    """A user's mapping file (STRM .csv/.xlsx, OSCAL mapping-collection .json/.yaml, SSSOM .sssom.tsv) as a mapping
    set to write; the whole file is refused, with every problem named, when any row is wrong.

    Why long: one entry for the three formats, a short branch each, then the checks and the description they
    share.
    """
    from xwalk.services.exchange import oscal_read

    name = name or display(path)
    lower = path.name.lower()
    info: dict = {}
    if lower.endswith(".sssom.tsv"):
        kind = "SSSOM/TSV"
        info, records, errors, notes = _sssom_records(cat, path, name)
    elif path.suffix.lower() in {".json", ".yaml", ".yml"}:
        kind = "OSCAL mapping-collection"
        data = oscal_read.read(path, name)
        if "mapping-collection" not in data:
            raise XwalkError(f"{name}: expected an OSCAL mapping-collection, found {next(iter(data))!r}")
        info, records = oscal_read.read_mapping_collection(cat, data, name, focal, reference)
        errors, notes = [], []
    else:
        kind = "Set Theory Relationship Mapping (NIST IR 8477)"
        if not focal or not reference:
            raise XwalkError(
                f"{name}: a STRM file does not say which standards its columns hold; give --focal STANDARD "
                "(the focal document elements) and --reference STANDARD (the reference document elements)"
            )
        records, errors, notes = strm_read.strm_records(cat, path, name, focal, reference)
    if len(records) > strm_read.MAX_ROWS:
        raise XwalkError(f"{name}: more than {strm_read.MAX_ROWS} mappings; is this a mapping file?")
    records = _checked(records, errors, notes, default_strength, name)
    if not records:
        raise XwalkError(f"{name}: no mapping to import")
    license = license or info.get("license")
    if not license:
        raise XwalkError(
            f"{name}: the licence of these mappings is unknown; give --license URL (for example the licence of the "
            "file you were given: an SCF STRM file comes under CC BY-ND 4.0, "
            "https://creativecommons.org/licenses/by-nd/4.0/)"
        )
    if not is_iri(license):
        raise XwalkError(f"--license {license!r}: give the licence as a URL (an IRI such as https://...)")
    set_name = _slug(set_name or path.name.split(".")[0])
    subject_std = cat.standard(records[0]["subject"].key)
    object_std = cat.standard(records[0]["object"].key)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    on = on or date.today()
    description = (
        f"Imported by `xwalk import-mappings` on {on.isoformat()} from {path.name} (SHA-256 {digest}), a {kind} "
        f"file{f' provided by {provider}' if provider else ''}. "
        f"{len(records)} mappings from {subject_std.identifier} to {object_std.identifier}; not part of the curated "
        "xwalk mapping sets. Licence as stated by the importer."
    )
    metadata = {
        "curie_map": {
            "xw": XW,
            "xwa": ID + "agent/",
            "semapv": SEMAPV,
            subject_std.prefix: subject_std.iri + "/",
            object_std.prefix: object_std.iri + "/",
        },
        "mapping_set_id": f"{MAPPING_SET}imported/{set_name}",
        "mapping_set_title": info.get("title") or f"{set_name} (imported from {path.name})",
        "mapping_set_description": description,
        "license": license,
        "subject_source": subject_std.iri,
        "object_source": object_std.iri,
        **({"mapping_provider": provider} if provider else {}),
        "publication_date": on.isoformat(),
        "extension_definitions": [{"slot_name": "strength", "property": "xw:strength", "type_hint": "xsd:integer"}],
    }
    return Imported(set_name, metadata, records, notes)


def _checked(records: list[dict], errors: list[str], notes: list[str], default_strength, name: str) -> list[dict]:
    """Strengths checked (1-10; none for no_relationship) and repeated pairs merged; raises with every problem."""
    seen: dict[tuple[str, str], dict] = {}
    kept = []
    pairs = {(r["subject"].key, r["object"].key) for r in records}
    if len(pairs) > 1:
        listed = ", ".join(f"{a} to {b}" for a, b in sorted(pairs))
        errors.append(f"the mappings relate more than one pair of standards ({listed}); import one pair per set")
    for record in records:
        where = record["origin"]
        record["comment"] = record["comment"] or f"Imported from {name} {where}."  # every mapping has a rationale
        problems = _record_problems(record)
        if problems:
            errors += [f"{where}: {problem}" for problem in problems]
            continue
        if record["relation"] == "no_relationship":
            record["strength"] = ""
        else:
            strength = _strength(str(record["strength"]), default_strength)
            if strength is None:
                errors.append(
                    f"{where}: strength of relationship {record['strength']!r} is not a whole number from 1 to 10"
                    + ("" if record["strength"] else "; fill it in, or give --default-strength N")
                )
                continue
            if not str(record["strength"]).strip():
                record["comment"] += f" (strength {strength} given at import)"
            record["strength"] = strength
        pair = (record["subject"].iri, record["object"].iri)
        if pair in seen:
            first = seen[pair]
            if (first["relation"], first["strength"]) != (record["relation"], record["strength"]):
                errors.append(
                    f"{where}: {record['subject'].notation} to {record['object'].notation} is already mapped at "
                    f"{first['origin']} with another relationship or strength"
                )
            else:
                notes.append(f"{where}: repeats {first['origin']}; left out")
            continue
        seen[pair] = record
        kept.append(record)
    refuse(name, errors, "problem(s)", "nothing was imported")
    return kept


IRI_PATTERN = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def is_iri(text: str) -> bool:
    """An http(s) IRI that RDF stores and browsers take as a link: no spaces, no `javascript:` or `data:`."""
    return bool(IRI_PATTERN.match(str(text)))


def _record_problems(record: dict) -> list[str]:
    """What would make the written set fail to load or mislead its readers: bad IRIs and dates, self-mappings."""
    problems = []
    if record["subject"].iri == record["object"].iri:
        problems.append(f"{record['subject'].notation} is mapped to itself")
    for key, column in (("justification", "mapping_justification"), ("author_id", "author_id")):
        value = str(record.get(key) or "")
        if value and not is_iri(value):
            problems.append(f"{column} {value[:80]!r} is not an http(s) IRI without spaces")
    when = str(record.get("mapping_date") or "")
    if when:
        try:
            valid = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", when)) and bool(date.fromisoformat(when))
        except ValueError:
            valid = False
        if not valid:
            problems.append(f"mapping_date {when[:40]!r} is not a calendar date (YYYY-MM-DD)")
    return problems


def _strength(text: str, default: int | None) -> int | None:
    text = text.strip()
    if not text:
        return default if default is not None and 1 <= default <= 10 else None
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() and 1 <= value <= 10 else None


def _sssom_records(cat: Catalog, path: Path, name: str):
    """Records of an SSSOM/TSV file whose ids are provisions of the graph."""
    from xwalk.load import sssom

    mapping_set = sssom.read(path, name)
    records, errors = [], []
    for line, row in mapping_set.rows:
        where = f"line {line}"
        try:
            subject = cat.provision(mapping_set.expand(row["subject_id"], line, "subject_id"))
            obj = cat.provision(mapping_set.expand(row["object_id"], line, "object_id"))
        except XwalkError as error:
            errors.append(f"{where}: {error}")
            continue
        relation = strm_read.relation_of(row["predicate_id"])
        if relation is None:
            errors.append(f"{where}: predicate_id {row['predicate_id']!r} is not one of the xw: relations")
            continue
        records.append(
            {
                "subject": subject,
                "object": obj,
                "relation": relation,
                "strength": row["strength"],
                "justification": mapping_set.expand(row["mapping_justification"], line, "mapping_justification"),
                "comment": row["comment"] or f"Imported from {path.name} {where}.",
                "author_id": mapping_set.expand(row["author_id"], line, "author_id") if row.get("author_id") else "",
                "mapping_date": row.get("mapping_date", ""),
                "origin": where,
            }
        )
    meta = mapping_set.metadata
    info = {"title": meta.get("mapping_set_title", ""), "license": meta.get("license", "")}
    return info, records, errors, []


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not slug:
        raise XwalkError(f"--name {text!r}: give a name made of letters and digits")
    return slug.removeprefix(IMPORTED_PREFIX)


# ---------------------------------------------------------------- writing


def sssom(imported: Imported) -> str:
    """The imported set as SSSOM/TSV, ids as CURIEs of the two standards, labels from the catalog."""
    from xwalk.services.exchange.export import curie, sssom_text

    prefixes = imported.metadata["curie_map"]
    rows = []
    for record in imported.records:
        author = record.get("author_id") or ""
        rows.append(
            {
                "subject_id": curie(record["subject"].iri, prefixes),
                "subject_label": record["subject"].title,
                "predicate_id": f"xw:{record['relation']}",
                "object_id": curie(record["object"].iri, prefixes),
                "object_label": record["object"].title,
                "mapping_justification": curie(record["justification"], prefixes),
                "author_id": curie(author, prefixes) if author else "",
                "mapping_date": record.get("mapping_date") or "",
                "strength": record["strength"],
                "comment": record["comment"],
                "other": f"source: {record['origin']}",
            }
        )
    return sssom_text(imported.metadata, rows)


def write(imported: Imported, folder: Path, replace: bool = False) -> Path:
    """Write the set into `folder` (created if missing) as imported-NAME.sssom.tsv; an existing file of that name
    is kept unless `replace`."""
    from xwalk.services.exchange import export

    target = folder / imported.file_name
    if target.exists() and not replace:
        raise XwalkError(f"{target} exists (imported before); give --replace to overwrite it, or another --name")
    text = sssom(imported)
    _check_loadable(text, imported.file_name)
    export.write(target, text)
    return target


def _check_loadable(text: str, file_name: str) -> None:
    """Load the text to be written the way `--imports` will, so that no file is written that the loader refuses."""
    import tempfile

    from xwalk.load import load_file
    from xwalk.store import Store

    with tempfile.TemporaryDirectory(prefix="xwalk-import-") as folder:
        path = Path(folder) / file_name
        path.write_text(text, "utf-8")
        try:
            load_file(Store(), path)
        except XwalkError as error:
            raise XwalkError(f"nothing was imported: the set would not load ({error})") from None
        except (ValueError, SyntaxError) as error:
            raise XwalkError(f"nothing was imported: the set would not load ({error})") from None
