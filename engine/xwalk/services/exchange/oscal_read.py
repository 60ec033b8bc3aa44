"""OSCAL documents read back (the format's rules are in `oscal`): a mapping-collection as mapping records for
`xwalk import-mappings`, and a profile or system security plan as a baseline, by the rules of a Statement of
Applicability (docs/oscal.md). Every id goes through the one normaliser; every id that does not resolve is
reported, and then nothing is read."""

import re
from collections.abc import Iterable
from pathlib import Path

from xwalk.core.errors import XwalkError, refuse
from xwalk.core.paths import display
from xwalk.core.vocab import SEMAPV
from xwalk.services.catalog import Catalog
from xwalk.services.exchange.oscal import FROM_RELATIONSHIP, FROM_STATE, MAX_BYTES, NOT_IMPLEMENTED, NS, RELATIONSHIP


def read_mapping_collection(
    cat: Catalog, data: dict, name: str, subject: str | None = None, obj: str | None = None
) -> tuple[dict, list[dict]]:
    """The maps of an OSCAL mapping-collection as mapping records (dicts with the SSSOM columns, ids as IRIs) and
    the set's metadata; every map whose ids do not resolve is reported, and then nothing is returned. `subject`
    and `obj` name the standards of the sources and targets when the ids do not say it themselves."""
    body = data["mapping-collection"]
    meta = body.get("metadata", {})
    provenance = body.get("provenance", {})
    mappings = body.get("mappings") or []
    mappings = [mappings] if isinstance(mappings, dict) else mappings
    default_justification = (
        SEMAPV + "ManualMappingCuration" if provenance.get("method") != "automation" else SEMAPV + "UnspecifiedMatching"
    )
    records, errors, standards = [], [], set()
    for m, mapping in enumerate(mappings, start=1):
        s_std = subject or _resource_standard(cat, mapping.get("source-resource", {}))
        o_std = obj or _resource_standard(cat, mapping.get("target-resource", {}))
        for n, item in enumerate(mapping.get("maps") or [], start=1):
            where = f"mapping {m} map {n}"
            relation = FROM_RELATIONSHIP.get(item.get("relationship", ""))
            if relation is None:
                known = ", ".join(RELATIONSHIP.values())
                errors.append(f"{where}: relationship {item.get('relationship')!r} is not one of {known}")
                continue
            props = {p["name"]: p["value"] for p in item.get("props", []) if p.get("ns", NS) == NS}
            for source in item.get("sources") or []:
                for target in item.get("targets") or []:
                    s = _resolve(cat, source.get("id-ref", ""), s_std, where, "source", errors)
                    o = _resolve(cat, target.get("id-ref", ""), o_std, where, "target", errors)
                    if s is None or o is None:
                        continue
                    standards.add((s.key, o.key))
                    records.append(
                        {
                            "subject": s,
                            "object": o,
                            "relation": relation,
                            "strength": props.get("strength", ""),
                            "justification": props.get("justification", default_justification),
                            "comment": item.get("remarks", "").strip(),
                            "author_id": props.get("author-id", ""),
                            "reviewer_id": props.get("reviewer-id", ""),
                            "reviewer_agreement": props.get("reviewer-agreement", ""),
                            "mapping_date": props.get("date", ""),
                            "origin": where,
                        }
                    )
    refuse(name, errors, "problem(s)", "nothing was read")
    if len(standards) > 1:
        pairs = ", ".join(f"{a} to {b}" for a, b in sorted(standards))
        raise XwalkError(f"{name}: the maps relate more than one pair of standards ({pairs}); import one pair per set")
    info = {
        "title": meta.get("title", ""),
        "description": provenance.get("mapping-description", ""),
        "license": next((link["href"] for link in provenance.get("links", []) if link.get("rel") == "license"), ""),
        "agents": {p.get("links", [{}])[0].get("href", ""): p.get("name", "") for p in meta.get("parties", [])},
    }
    return info, records


def _resource_standard(cat: Catalog, resource: dict) -> str | None:
    """The standard a mapping's source or target resource is: its `standard` property, or a catalog file named
    after a standard key (`iso27001.catalog.json`)."""
    for prop in resource.get("props", []):
        if prop.get("name") == "standard":
            return next((s.key for s in cat.standards() if s.iri == prop.get("value")), None)
    stem = Path(resource.get("href", "")).name.split(".")[0]
    return next((s.key for s in cat.standards() if s.key == stem), None)


def _resolve(cat: Catalog, raw: str, standard: str | None, where: str, side: str, errors: list, annex_a=False):
    """The provision an OSCAL id means: an id of ours (`iso27001_A.5.15`) names its provision exactly; any other
    goes through the id normaliser in `standard` (Annex A first when `annex_a`)."""
    standards = {s.prefix: s for s in cat.standards()}
    prefix, sep, local = raw.partition("_")
    if sep and prefix in standards:
        try:
            return cat.provision(f"{standards[prefix].iri}/{local}")
        except XwalkError:
            errors.append(f"{where}: {cat.lookup_error(local, standards[prefix].key)}")
            return None
    if standard is None:
        hint = "give --standard" if side == "control" else "give --focal/--reference"
        errors.append(f"{where}: the {side} id {raw!r} does not say its standard; {hint}")
        return None
    found = cat.resolve(raw, standard, annex_a)
    if found is None:
        errors.append(f"{where}: {cat.lookup_error(raw, standard)}")
    return found


def read(path: Path, name: str | None = None) -> dict:
    """An OSCAL document in JSON (or YAML) as a dict with its one root key; a clear error otherwise."""
    name = name or display(path)
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        raise XwalkError(f"{name}: larger than {MAX_BYTES // 1024 // 1024} MB; is this an OSCAL document?")
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise XwalkError(f"{name}: not UTF-8 text") from None
    except OSError as error:
        raise XwalkError(f"{name}: cannot be read ({error.strerror})") from None
    from xwalk.core import bounded

    data = bounded.load_yaml(text, name) if path.suffix.lower() in {".yaml", ".yml"} else bounded.load_json(text, name)
    if not isinstance(data, dict) or len(data) != 1:
        raise XwalkError(f"{name}: an OSCAL document has exactly one root key (catalog, profile, ...)")
    return data


def is_oscal_baseline(data) -> bool:
    return isinstance(data, dict) and len(data) == 1 and next(iter(data)) in ("profile", "system-security-plan")


def is_baseline_file(path: Path) -> bool:
    """Whether a file given as a baseline is an OSCAL profile or SSP (JSON or YAML) rather than an SoA table."""
    if path.suffix.lower() not in {".json", ".yaml", ".yml"} or not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(4096).decode("utf-8-sig", errors="replace")
    return bool(re.match(r'\s*(\{\s*)?"?(profile|system-security-plan)"?\s*:', head))


def entries(cat: Catalog, data: dict, name: str, standard: str | None = None) -> list:
    """An OSCAL profile or system security plan as baseline entries (`baseline.Entry`), in document order. A
    profile's selected controls are implemented; an SSP's requirements carry their implementation-status. Every id
    that does not resolve is reported, and then nothing is returned. `standard` is the standard of ids that do
    not say theirs, when the document's import does not name a catalog of the graph either."""
    from xwalk.services.held import Entry

    root = next(iter(data))
    body = data[root]
    items = []  # (where, raw id, standard or None, status, justification)
    if root == "profile":
        for number, item in enumerate(body.get("imports") or [], start=1):
            imported = _resource_standard(cat, {"href": item.get("href", "")}) or standard
            if "include-all" in item:
                raise XwalkError(
                    f"{name} import {number}: include-all selects a whole catalog; select the held controls with "
                    "include-controls (with-ids), or use --certified for a certificate"
                )
            for selection in item.get("include-controls") or []:
                for raw in selection.get("with-ids") or []:
                    items.append((f"import {number} id {raw!r}", raw, imported, "implemented", ""))
    else:
        href = (body.get("import-profile") or {}).get("href", "")
        standard = _resource_standard(cat, {"href": href}) or standard
        requirements = (body.get("control-implementation") or {}).get("implemented-requirements") or []
        for number, item in enumerate(requirements, start=1):
            raw = item.get("control-id", "")
            items.append((f"implemented requirement {number}", raw, standard, _status(item), item.get("remarks", "")))
    found: list[Entry] = []
    errors: list[str] = []
    seen: set[str] = set()
    for where, raw, standard, status, justification in items:
        provision = _resolve(cat, raw, standard, where, "control", errors, annex_a=True)
        if provision is None or provision.iri in seen:
            continue
        seen.add(provision.iri)
        origin = f"{name} {where}"
        found.append(Entry(provision.iri, provision.notation, provision.key, status, justification.strip(), origin))
    refuse(name, errors, "problem(s)", "nothing was read")
    return found


def _status(item: dict) -> str:
    """A requirement's status: its own `implementation-status` property, else its components' states (all the same:
    that state; any implemented or partial among others: partially implemented; else planned)."""
    own = next((p["value"] for p in item.get("props", []) if p.get("name") == "implementation-status"), None)
    states = [own] if own else []
    remarks = []
    for component in item.get("by-components") or []:
        status = component.get("implementation-status") or {}
        if status.get("state"):
            states.append(status["state"])
            remarks.append((status.get("remarks") or "").strip().lower())
    applicable = [s for s in states if s != "not-applicable"] or states
    if not applicable:
        return "implemented"  # listed without a status: taken as in place, as an SoA row without status is
    if len(set(applicable)) == 1:
        state = applicable[0]
        if state == "planned" and remarks and all(r == NOT_IMPLEMENTED for r in remarks):
            return NOT_IMPLEMENTED
        return FROM_STATE.get(state, "planned")
    if any(s in ("implemented", "alternative", "partial") for s in applicable):
        return "partially implemented"
    return "planned"


def read_baseline(
    cat: Catalog,
    path: Path | None,
    certified: Iterable[str] = (),
    assume_certified: bool = True,
    name: str | None = None,
    standard: str | None = None,
    data: dict | None = None,
):
    """A baseline from an OSCAL profile or SSP, by the rules of a Statement of Applicability (docs/coverage.md): the
    document implies the certificate of its standards unless `assume_certified` is false; a certificate implies its
    clauses implemented, and its controls too when the document lists none of that standard's."""
    from xwalk.services.held import Baseline, certify

    name = name or (display(path) if path else "the OSCAL document")
    if data is None:
        if path is None:
            raise ValueError("read_baseline needs the document's path or its data")
        data = read(path, name)
    if not is_oscal_baseline(data):
        raise XwalkError(f"{name}: expected an OSCAL profile or system-security-plan, found {next(iter(data))!r}")
    listed = entries(cat, data, name, standard)
    if not listed:
        raise XwalkError(f"{name}: the document selects no control")
    held = Baseline()
    in_document = list(dict.fromkeys(e.standard for e in listed))
    keys = list(dict.fromkeys([cat.standard(k).key for k in certified] + (in_document if assume_certified else [])))
    for key in keys:
        certify(cat, held, key, with_controls=key not in in_document, listing="the plan")
    for entry in listed:
        held.add(entry)
    held.description.append(f"OSCAL {next(iter(data))} {name}: {len(listed)} controls")
    return held
