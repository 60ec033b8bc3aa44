"""Baselines: what an organisation holds, from a Statement of Applicability (read by `services.soa_table`, or an
OSCAL profile or plan by `services.exchange.oscal_read`) and certificates as shortcuts, every id through the one
normaliser. The columns an SoA may have are listed in `services.soa_table`.

Status words: implemented (implemented, yes, y, done, complete, fully implemented, in place, operational);
partially implemented (partially implemented, partial, partly, in progress); planned (planned, scheduled, to do);
not implemented (not implemented, no, n, not started, missing, none, open); excluded (excluded, not applicable, n/a).
"""

from collections.abc import Sequence
from pathlib import Path

from xwalk.core.errors import XwalkError, refuse
from xwalk.core.paths import display
from xwalk.services.catalog import Catalog
from xwalk.services.held import WEIGHTS, Baseline, Entry, certify, listing
from xwalk.services.soa_table import (
    MAX_BYTES,
    MAX_ROWS,
    ReadOptions,
    Table,
    decode_text,
    parse,
    parse_bytes,
    parse_columns,
    upload_label,
    words_key,
)

__all__ = [  # the reader's and the model's names, as callers have always found them here
    "MAX_BYTES",
    "MAX_ROWS",
    "WEIGHTS",
    "Baseline",
    "Entry",
    "ReadOptions",
    "Table",
    "build",
    "certify",
    "decode_text",
    "from_upload",
    "listing",
    "parse",
    "parse_bytes",
    "parse_columns",
    "upload_label",
]

STATUS_WORDS = {
    "implemented": [
        "implemented",
        "yes",
        "y",
        "done",
        "complete",
        "completed",
        "fully implemented",
        "in place",
        "operational",
        "true",
        "1",
    ],
    "partially implemented": [
        "partially implemented",
        "partial",
        "partly",
        "partly implemented",
        "in progress",
        "partially",
    ],
    "planned": ["planned", "scheduled", "to do", "todo", "planned implementation"],
    "not implemented": ["not implemented", "no", "n", "not started", "missing", "none", "open", "false", "0"],
    "excluded": ["excluded", "not applicable", "na", "n a", "n/a"],
}
YES = {"yes", "y", "true", "1", "applicable", "included", "selected", "x"}
NO = {"no", "n", "false", "0", "not applicable", "excluded", "n a", "na", "n/a"}


_STATUS = {words_key(word): status for status, words in STATUS_WORDS.items() for word in words}


def build(
    catalog: Catalog,
    soa: Path | None = None,
    certified: Sequence[str] = (),
    standard: str = "iso27001",
    assume_certified: bool = True,
    label: str | None = None,
    options: ReadOptions = ReadOptions(),
    table: Table | None = None,
) -> Baseline:
    """A baseline from certificates and/or a Statement of Applicability (a file, or a `table` read already).

    A certificate implies the certified standard's requirements (clauses 4-10) implemented; with no SoA for that
    standard, its selectable controls count as implemented too. An SoA for `standard` implies its certificate
    unless `assume_certified` is false.
    """
    name = label or (display(soa) if soa else "")
    if soa is not None and table is None:
        table = parse(soa, name, options)
    if table is not None and table.oscal is not None:  # an OSCAL profile or system security plan
        from xwalk.services.exchange import oscal_read

        return oscal_read.read_baseline(catalog, soa, certified, assume_certified, name, standard, data=table.oscal)
    baseline = Baseline()
    soa_standards = {catalog.standard(standard).key}
    entries = _soa_entries(catalog, name, table.rows, table.row_word, standard) if table else []
    soa_standards |= {e.standard for e in entries}
    keys = [catalog.standard(name).key for name in certified]
    if table and assume_certified:
        keys += [k for k in sorted(soa_standards) if k not in keys]
    for key in keys:
        certify(catalog, baseline, key, with_controls=not table or key not in soa_standards, listing="the SoA")
    for entry in entries:
        baseline.add(entry)
    if table:
        baseline.warnings += table.warnings
        baseline.description.append(f"Statement of Applicability {name}: {len(entries)} rows")
        for key in sorted(soa_standards):
            listed = {e.provision for e in entries if e.standard == key}
            controls = [u for u in catalog.units(key) if u.normativity == "SelectableControl"]
            missing = [u.notation for u in controls if u.iri not in listed]
            if entries and missing and listed:
                baseline.warnings.append(
                    f"{len(missing)} {catalog.standard(key).identifier} controls are not in the SoA and count as "
                    f"not held: {listing(missing)}"
                )
    unjustified = [e.notation for e in entries if e.status == "excluded" and not e.justification]
    if unjustified:
        baseline.warnings.append(
            f"{len(unjustified)} control{'s' if len(unjustified) > 1 else ''} excluded without a justification: "
            f"{listing(unjustified)}"
        )
    if not baseline.entries:
        raise XwalkError("the baseline is empty: give --baseline FILE and/or --certified STANDARD")
    return baseline


def _soa_entries(catalog: Catalog, name: str, rows, row_word: str, default_standard: str) -> list[Entry]:
    """Entries of the SoA; every bad row is collected and all are reported together, with nothing returned."""
    errors: list[str] = []
    entries: list[Entry] = []
    seen: dict[str, int] = {}  # provision IRI -> the row that gave it
    for number, row in rows:
        where = f"{row_word} {number}"
        try:
            key = catalog.standard(row.get("standard") or default_standard).key
        except XwalkError as error:
            errors.append(f"{where}: {error}")
            continue
        raw_id = row["id"]
        shown_id = raw_id if len(raw_id) <= 40 else raw_id[:37] + "..."
        provision = catalog.resolve(raw_id, key, annex_a=True) if raw_id else None
        if provision is None:
            close = catalog.close_matches(raw_id, [key])[:3] if raw_id else []
            hint = f" (close matches: {', '.join(close)})" if close else ""
            known = f"{shown_id!r} is not a provision of {catalog.standard(key).identifier}{hint}"
            errors.append(f"{where}: {known}" if raw_id else f"{where}: the id is empty")
            continue
        if provision.iri in seen:
            errors.append(f"{where}: {provision.notation} repeats {row_word} {seen[provision.iri]}")
            continue
        seen[provision.iri] = number
        status, problem = _status(row)
        if problem:
            errors.append(f"{where}: {problem}")
            continue
        entries.append(
            Entry(provision.iri, provision.notation, key, status, row.get("justification", ""), f"{name} {where}")
        )
    refuse(name, errors, "row(s) could not be read", "nothing was computed")
    return entries


def _status(row: dict[str, str]) -> tuple[str, str | None]:
    """The implementation status of a row, or a sentence saying what is wrong with it."""
    applicable = words_key(row.get("applicable", ""))
    status_text = row.get("status", "")
    if applicable and applicable not in YES and applicable not in NO:
        return "", f"applicability {row['applicable']!r} is not yes or no"
    if applicable in NO:
        return "excluded", None
    if not status_text:
        if "status" in row:
            return "", "the implementation status is empty (implemented, partially implemented, planned, ...)"
        return "implemented", None  # an SoA with no status column lists what is applied
    status = _STATUS.get(words_key(status_text))
    if status is None:
        shown = status_text if len(status_text) <= 40 else status_text[:37] + "..."
        return "", (
            f"unknown status {shown!r}; expected one of implemented, partially implemented, planned, "
            "not implemented, excluded"
        )
    return status, None


def from_upload(
    catalog: Catalog,
    name: str,
    data: bytes,
    standard: str = "iso27001",
    certified: Sequence[str] = (),
    assume_certified: bool = True,
    options: ReadOptions = ReadOptions(),
    isolated: bool = True,
) -> Baseline:
    """A baseline from the bytes of an uploaded Statement of Applicability named `name`, read by the same reader
    as a file on disk; messages call it by its own name (without any folder), never by the scratch file's.
    `isolated`: read in a worker process with a time and memory limit (`xwalk.upload`), as for any upload."""
    label = upload_label(name)
    if isolated:
        from xwalk.services import upload

        table = upload.parse(label, data, options)
    else:
        table = parse_bytes(label, data, options)
    return build(catalog, None, list(certified), standard, assume_certified, label=label, table=table)
